"""What the build writes for security, read from the built files: the CSP meta tag on every page (inline code
allowed only by the hashes of the code that is really there), no previews, the server files, the settings
from the policy's `safety:` block (neutral tab, history option), and a bad `csp:` value stopped with a clear
error."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from support import ROOT, html_pages
from support import pushing_site, pushing_site_url, site_pages  # noqa: F401  (fixtures)

META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)
STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}


def test_every_page_carries_its_csp_before_any_script(built_site, site_pages):
    for name in site_pages:
        html = (built_site / name).read_text(encoding="utf-8")
        metas = META_CSP.findall(html)
        assert len(metas) == 1, f"{name}: {len(metas)} CSP meta tags"
        assert html.index("Content-Security-Policy") < html.lower().index("<script"), name
        d = directives(metas[0])
        assert d["default-src"] == ["'self'"] and d["object-src"] == ["'none'"], name
        assert d["base-uri"] == ["'self'"] and d["form-action"] == ["'self'"], name
        assert "'unsafe-inline'" not in metas[0] and "'unsafe-eval'" not in metas[0], name
        assert "frame-ancestors" not in d, f"{name}: frame-ancestors is ignored in a meta tag"
        inline = {sha(body) for attrs, body in SCRIPT.findall(html)
                  if "src=" not in attrs and "application/json" not in attrs}
        hashes = {v for v in d["script-src"] if v.startswith("'sha256-")}
        assert inline and hashes == inline, f"{name}: hashes {hashes} for inline scripts {inline}"
        assert {v for v in d["style-src"] if v.startswith("'sha256-")} == {sha(b) for b in STYLE.findall(html)}
        assert '<meta name="referrer" content="no-referrer">' in html, name
        assert not re.search(r'property="og:|name="twitter:|rel="manifest"', html), name


def test_only_the_checker_page_may_compile_webassembly(built_site, site_pages):
    for name in site_pages:
        html = (built_site / name).read_text(encoding="utf-8")
        wasm = "'wasm-unsafe-eval'" in META_CSP.search(html).group(1)
        assert wasm == ("assets/checker/" in html and 'id="checker-result"' in html), name


def test_the_server_files_name_every_page_with_its_policy(built_site, site_pages):
    headers = (built_site / "_headers").read_text(encoding="utf-8")
    nginx = (built_site / "nginx.conf").read_text(encoding="utf-8")
    for name in site_pages:
        csp = META_CSP.search((built_site / name).read_text(encoding="utf-8")).group(1)
        full = f"{csp}; frame-ancestors 'none'"
        assert f"/{name}\n  Content-Security-Policy: {full}\n" in headers, name
        assert f'add_header Content-Security-Policy "{full}" always;' in nginx, name
    for header in ("X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer", "Permissions-Policy: "):
        assert f"\n  {header}" in headers


def test_the_server_files_serve_the_checkers_files_compressed_with_their_types(built_site):
    headers = (built_site / "_headers").read_text(encoding="utf-8")
    nginx = (built_site / "nginx.conf").read_text(encoding="utf-8")
    for line in ("gzip on;", "gzip_static on;", "gzip_vary on;"):
        assert f"\n{line}\n" in nginx, line
    gzip_types = next(l for l in nginx.splitlines() if l.startswith("gzip_types ")).split()
    for kind in ("application/wasm", "text/javascript", "application/zip", "application/json"):
        assert kind in gzip_types
    stdlib = next(p for p in (built_site / "assets" / "checker").glob("python_stdlib.*.zip"))
    path = "/" + stdlib.relative_to(built_site).as_posix()
    assert f"{path}\n  Content-Type: application/zip\n" in headers
    data = next(p for p in (built_site / "assets" / "checker").glob("checker-data.*.json"))
    assert f"/{data.relative_to(built_site).as_posix()}\n  Content-Type: application/json\n" in headers


def test_a_page_asking_for_an_unknown_csp_profile_stops_the_build(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "probe.md").write_text("---\ncsp: checkr\n---\n# Test\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^docs_dir: \S+", f"docs_dir: {docs}", config, flags=re.MULTILINE)
    config = re.sub(r"^(\s+policy_file:) \S+", rf"\1 {ROOT / 'policy' / 'respect-phoneline.yaml'}", config,
                    flags=re.MULTILINE)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(tmp_path / "mkdocs.yml"),
                             "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert 'probe.md: front matter "csp: checkr" names no known page profile; did you mean "checker"?' in result.stderr


# The same site built with replace_history off and a neutral tab title and description.

def test_a_neutral_tab_title_description_and_icon(pushing_site):
    for name in html_pages(pushing_site):
        html = (pushing_site / name).read_text(encoding="utf-8")
        assert re.findall(r"<title>(.*?)</title>", html) == ["Weather forecast"], name
        assert re.findall(r'<meta name="description" content="([^"]*)">', html) == ["Local weather and forecasts."]
        assert re.findall(r'<link rel="icon" href="([^"]*)">', html) == ["data:,"], name


def test_staying_safe_online_says_what_back_does_under_each_setting(page, site_url, pushing_site_url):
    page.goto(f"{site_url}/staying-safe-online.html")
    expect(page.locator(".qe-if-replace")).to_be_visible()
    expect(page.locator(".qe-if-push")).to_be_hidden()
    page.goto(f"{pushing_site_url}/staying-safe-online.html")
    expect(page.locator(".qe-if-replace")).to_be_hidden()
    expect(page.locator(".qe-if-push")).to_be_visible()


def test_without_replace_history_the_link_says_so(pushing_site):
    html = (pushing_site / "index.html").read_text(encoding="utf-8")
    assert 'data-qe-replace-history="false"' in html


def test_instant_navigation_is_refused_while_history_is_replaced():
    from generator.errors import BuildError
    from generator.mkdocs.security import check_theme

    with pytest.raises(BuildError, match="navigation.instant.*safety.replace_history"):
        check_theme(["navigation.instant", "navigation.tracking"], replace_history=True)
    check_theme(["navigation.instant"], replace_history=False)
    check_theme(["navigation.tracking"], replace_history=True)
