"""Build: `make site` and `mkdocs build` against plain mkdocs-material building the same pages, and the
rebuild under `mkdocs serve` after a one-clause change to the policy YAML.

Everything happens in a copy of the project under bench/tmp/build/ (the policy, the pages, the code, the
Makefile; .venv and node_modules linked), so the real policy file and ./site are never touched.
The plain build is the anchor: the pages and files the policy plugin generates are exported once, as they
are at this moment, into a docs folder beside the hand-written pages, and built by mkdocs-material with the
same configuration minus the policy plugin and the theme overrides that need it. Every build is a fresh
process, as `make site` runs it; the best of REPEAT runs counts (the machine is shared).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "tmp" / "build"
COPY = WORK / "project"
POLICY = Path("policy") / "respect-phoneline.yaml"
COPIED = ["policy", "site_src", "generator", "checker", "mkdocs.yml", "Makefile", "pyproject.toml",
          "requirements.lock", "package.json", "package-lock.json"]
LINKED = [".venv", "node_modules"]
REPEAT = 2
SERVE_START_TIMEOUT_S = 300
REBUILD_TIMEOUT_S = 120
POLL_S = 0.05
BIN = ROOT / ".venv" / "bin"
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")

sys.path.insert(0, str(ROOT / "tests"))
from conftest import stop_process  # noqa: E402  (the tests' way to end a server process)


def _copy_project() -> None:
    shutil.rmtree(COPY, ignore_errors=True)
    COPY.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, COPY / name, ignore=ignore, copy_function=shutil.copy2)
        else:
            shutil.copy2(source, COPY / name)
    for name in LINKED:
        (COPY / name).symlink_to(ROOT / name)


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"Error: {' '.join(command)} failed in {cwd} (exit {result.returncode}):\n"
                         f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def _best(command: list[str], cwd: Path) -> float:
    return min(_timed(command, cwd) for _ in range(REPEAT))


def _mkdocs_build(config: Path, dest: Path) -> list[str]:
    # The same command as the Makefile's site target.
    return [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--config-file", str(config), "--site-dir", str(dest)]


def export_plain(project: Path, dest: Path) -> tuple[Path, dict[str, float]]:
    """The generated pages and files as a static docs folder, and a mkdocs.yml without the policy plugin;
    also the seconds the plugins' on_config and on_files took (the first build in this process).

    The plugin's own events produce them (on_config, then on_files, as `mkdocs build` calls them), so the
    export is exactly what the build would write; hand-written pages come along, theme overrides do not.
    """
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    shutil.rmtree(dest, ignore_errors=True)
    docs = dest / "docs"
    cwd = os.getcwd()
    os.chdir(project)  # the policy file is named relative to mkdocs.yml's folder
    try:
        config = load_config(str(project / "mkdocs.yml"))
        started = time.perf_counter()
        config = config.plugins.on_config(config)
        steps = {"on_config": time.perf_counter() - started}
        files = get_files(config)
        started = time.perf_counter()
        files = config.plugins.on_files(files, config=config)
        steps["on_files"] = time.perf_counter() - started
    finally:
        os.chdir(cwd)
    for file in files:
        if file.inclusion.is_excluded():
            continue
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content_bytes)
    raw = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    raw.update(docs_dir=str(docs), nav=config.nav)
    raw.pop("exclude_docs", None)
    raw["theme"].pop("custom_dir", None)  # the overrides read the plugin's values (quick exit, CSP)
    raw["plugins"] = [p for p in raw.get("plugins", []) if not (isinstance(p, dict) and "policy" in p) and p != "policy"]
    plain = dest / "mkdocs.yml"
    plain.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return plain, steps


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, wanted: str | None, timeout: float, server: subprocess.Popen, log: Path) -> float:
    """Seconds until url answers (and contains wanted, if given), polling."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"Error: mkdocs serve stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        text = _fetch(url)
        if text is not None and (wanted is None or wanted in text):
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise SystemExit(f"Error: {url} did not show {wanted!r} within {timeout} s; mkdocs serve said:\n"
                     f"{log.read_text()[-3000:]}")


def _edit_summary(policy_file: Path, token: str) -> str:
    """Append token to the first one-line clause summary; return the clause's summary as edited."""
    text = policy_file.read_text(encoding="utf-8")
    match = re.search(r"^(\s+summary: )(?![>|])(.+?)$", text, flags=re.M)
    if match is None:
        raise SystemExit(f"Error: {policy_file}: no one-line `summary:` to edit (expected a clause summary)")
    edited = f"{match.group(2)} {token}"
    policy_file.write_text(text[:match.start(2)] + edited + text[match.end(2):], encoding="utf-8")
    return edited


def serve_rebuilds(project: Path, edits: int = REPEAT) -> tuple[float, list[float]]:
    """Start `mkdocs serve` (as `make serve` does) on a free port; time its first build, then each edit → page."""
    port = _free_port()
    log = WORK / "serve.log"
    url = f"http://127.0.0.1:{port}/policy.html"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT)
    try:
        first = _wait_for(url, None, SERVE_START_TIMEOUT_S, server, log)
        rebuilds = []
        for n in range(edits):
            token = f"Benchedit{n}x{os.getpid()}"
            _edit_summary(project / POLICY, token)
            started = time.perf_counter()
            _wait_for(url, token, REBUILD_TIMEOUT_S, server, log)
            rebuilds.append(time.perf_counter() - started)
    finally:
        stop_process(server, timeout=10)
    return first, rebuilds


def run() -> list[dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    _copy_project()
    print("  make site (in a copy of the project)", file=sys.stderr, flush=True)
    make_site = _timed(["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "node_modules/.installed",
                        "site"], COPY)
    print("  mkdocs build", file=sys.stderr, flush=True)
    ours = _best(_mkdocs_build(COPY / "mkdocs.yml", WORK / "site-ours"), COPY)
    print("  exporting the generated pages; plain mkdocs-material build", file=sys.stderr, flush=True)
    plain_config, steps = export_plain(COPY, WORK / "plain")
    plain = _best(_mkdocs_build(plain_config, WORK / "site-plain"), WORK / "plain")
    pages = sum(1 for _ in (WORK / "plain" / "docs").rglob("*.md"))
    print("  mkdocs serve: first build, then a one-clause edit until the page shows it", file=sys.stderr, flush=True)
    first, rebuilds = serve_rebuilds(COPY)

    def row(figure, value, unit, anchor):
        return {"area": "build", "figure": figure, "value": value, "unit": unit, "anchor": anchor}

    return [
        row(f"plain mkdocs-material, the same {pages} pages from static Markdown (baseline)", round(plain, 2), "s",
            "build-plain"),
        row("mkdocs build (policy plugin: checks, pages, leaflets, checker)", round(ours, 2), "s", "build-mkdocs"),
        row("make site (mkdocs build, then swap into site/)", round(make_site, 2), "s", "build-make-site"),
        row("mkdocs build ÷ plain build (aim ≤ 1.3)", round(ours / plain, 2), "×", "build-ratio"),
        row("make site ÷ plain build (aim ≤ 1.3)", round(make_site / plain, 2), "×", "build-make-site-ratio"),
        row("of which the plugin's on_config: load, schema, cross-checks, invariants over every answer set",
            round(steps["on_config"], 2), "s", "build-on-config"),
        row("of which on_files: leaflets (WeasyPrint), checker page and wheel, policy pages",
            round(steps["on_files"], 2), "s", "build-on-files"),
        row("mkdocs serve: first build until the policy page is served", round(first, 2), "s", "build-serve-first"),
        row(f"mkdocs serve: one-clause YAML edit until the page shows it (best of {len(rebuilds)}; aim < 1)",
            round(min(rebuilds), 2), "s", "build-serve-rebuild"),
        row("mkdocs serve: the same, slowest of the edits", round(max(rebuilds), 2), "s", "build-serve-rebuild-slowest"),
    ]
