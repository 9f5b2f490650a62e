"""The pseudo-locale build: every word a reader meets comes from the policy file or from the generator's interface
text (generator/source/labels.yaml), none from a template.

One site is built from Respect's policy with every interface text overridden (the policy's `wording`) by a marked
form, «…», and its mkdocs.yml's own words marked too. Then every page (text, and the attributes a reader or a
screen reader meets), every leaflet (its PDF text) and every state of the checker (ready, answered, refused,
stopped, failed, the save-data notice) is read: with the marked words and the policy file's own words taken out,
no word may remain. One build, and one Chromium page for the checker's states that one load can reach.
"""

from __future__ import annotations

import re
import sys

import pytest
import yaml

from generator.source import labels
from generator.source.policy_model import load_policy
from generator.source.yaml_source import parse
from harness import POLICY_FILE, ROOT, build_site, serve

sys.path.insert(0, str(ROOT / "tests" / "browser_checker"))   # the checker's helpers, as its own tests import them
from checker_helpers import open_checker, wait_idle  # noqa: E402
from test_checker_faults import data_without  # noqa: E402

OPEN, CLOSE = "«", "»"   # in the leaflets' typeface, which has no fallback (generator/leaflets/build.py)
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")   # innermost: a marked text may hold another
WORD = re.compile(r"[^\W\d_]{2,}")
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|[\[\]]")


def marked(node):
    """Every text of the interface text marked; a Markdown text line by line, after its heading or list mark."""
    if isinstance(node, dict):
        return {key: marked(value) for key, value in node.items()}
    if "\n" not in node.strip():
        return f"{OPEN}{node}{CLOSE}"
    lines = []
    for line in node.splitlines():
        lead, words = re.match(r"(\s*(?:#+ |- )?)(.*)", line).groups()
        lines.append(f"{lead}{OPEN}{words}{CLOSE}" if words.strip() else line)
    return "\n".join(lines) + "\n"


def policy_words(node, skip: str = "wording") -> set[str]:
    """Every text of the policy file but its interface text, cut at its placeholders and link brackets."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key != skip:
                found |= policy_words(value, "")
    elif isinstance(node, list):
        for value in node:
            found |= policy_words(value, "")
    elif isinstance(node, str):
        found |= {" ".join(piece.split()).lower() for piece in PLACEHOLDER.split(node) if piece.strip()}
    return found


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pseudo-locale")
    data, _ = parse(POLICY_FILE)
    data["wording"] = marked(labels.defaults())
    (folder / "policy").mkdir()
    (folder / "policy" / "policy.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    (folder / "docs").mkdir()
    (folder / "mkdocs.yml").write_text(f"""site_name: {OPEN}Site name{CLOSE}
docs_dir: docs
use_directory_urls: false
strict: true
theme: {{name: material, font: false, language: en}}
plugins: [search, {{policy: {{policy_file: policy/policy.yaml}}}}]
extra: {{generator: false}}
markdown_extensions: [attr_list, md_in_html, {{toc: {{permalink: "#", permalink_title: "{OPEN}Link{CLOSE}"}}}}]
""", encoding="utf-8")
    site = build_site(folder / "site", folder / "mkdocs.yml")
    return site, sorted(policy_words(data), key=len, reverse=True)


@pytest.fixture(scope="module")
def served(pseudo):
    url, server = serve(pseudo[0])
    yield url
    server.shutdown()


def unmarked(text: str, words: list[str]) -> list[str]:
    """The words of text that are neither marked nor the policy's."""
    rest = text
    while MARKED.search(rest):
        rest = MARKED.sub(" ", rest)
    rest = " ".join(rest.split()).lower()
    for phrase in words:
        if phrase in rest:
            rest = rest.replace(phrase, " ")
    return WORD.findall(rest)


READ_PAGE = """() => {
  const out = [document.title];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: (n) =>
    n.parentElement.closest("script, style, svg, template") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
  while (walk.nextNode()) out.push(walk.currentNode.nodeValue);
  for (const el of document.querySelectorAll("*"))
    for (const a of el.attributes)
      if (/^(aria-label|title|alt|placeholder|data-qe-(?!replace).+|data-label)$/.test(a.name)) out.push(a.value);
  return out.join(" ");
}"""


def test_every_page_has_only_marked_or_policy_words(pseudo, served, page):
    site, words = pseudo
    pages = sorted(p.name for p in site.glob("*.html"))
    assert set(pages) >= {"index.html", "policy.html", "about.html", "checker.html", "404.html",
                          "print-leaflets.html", "staying-safe-online.html"}
    found = {}
    for name in pages:
        page.goto(f"{served}/{name}")
        found[name] = unmarked(page.evaluate(READ_PAGE), words)
    left = {name: w for name, w in found.items() if w}
    assert not left, f"words neither marked nor the policy's: {left}"


def test_every_leaflet_has_only_marked_or_policy_words(pseudo):
    from pypdf import PdfReader
    site, words = pseudo
    leaflets = sorted((site / "downloads").glob("*.pdf"))
    assert len(leaflets) == 4
    # A PDF's text comes out line by line, table cells side by side: the policy's words are taken out word by word.
    vocabulary = {w for phrase in words for w in WORD.findall(phrase)}
    # Respect's text gives no version: the footers carry our reference, hex digits, not words (its mark is marked).
    reference = load_policy(site.parent / "policy" / "policy.yaml").our_reference
    found = {p.name: [w for w in unmarked(" ".join(page.extract_text() for page in PdfReader(p).pages)
                                          .replace(reference, ""), []) if w not in vocabulary] for p in leaflets}
    left = {name: w for name, w in found.items() if w}
    assert not left, f"words neither marked nor the policy's: {left}"


def test_every_state_of_the_checker_has_only_marked_or_policy_words(pseudo, served, browser):
    words, url = pseudo[1], served
    seen: dict[str, list[str]] = {}
    # Ready, answered, refused (an answer the data does not know), stopped: one page.
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.route(re.compile(r".*/checker-data\.[0-9a-f]+\.json$"), lambda route: route.fulfill(
        response=(r := route.fetch()), body=data_without(r.body(), "channel", "letter")))
    page = context.new_page()
    open_checker(page, url)
    seen["ready"] = unmarked(page.evaluate(READ_PAGE), words)
    page.click("label[for='checker-role-experiencing_abuse']")
    wait_idle(page)
    seen["answered"] = unmarked(page.evaluate(READ_PAGE), words)
    page.click("label[for='checker-channel-letter']")
    page.wait_for_selector("#checker-result[data-state=refused]", state="attached", timeout=10_000)
    seen["refused"] = unmarked(page.evaluate(READ_PAGE), words)
    page.workers[0].evaluate("setTimeout(() => { throw new Error('injected by the test'); }, 0)")
    page.wait_for_selector("#checker-result[data-state=failed]", state="attached", timeout=10_000)
    seen["stopped"] = unmarked(page.evaluate(READ_PAGE), words)
    context.close()
    # Failed to start: a browser without WebAssembly.
    context = browser.new_context()
    context.add_init_script("delete globalThis.WebAssembly;")
    page = context.new_page()
    page.goto(f"{url}/checker.html")
    page.wait_for_selector("#checker-result[data-state=failed]", state="attached", timeout=10_000)
    seen["failed"] = unmarked(page.evaluate(READ_PAGE), words)
    context.close()
    # The save-data notice, before anything of the live checker is downloaded.
    context = browser.new_context()
    page = context.new_page()
    context.new_cdp_session(page).send("Emulation.setDataSaverOverride", {"dataSaverEnabled": True})
    page.goto(f"{url}/checker.html", wait_until="networkidle")
    assert page.is_visible("#checker-save-data")
    seen["save data"] = unmarked(page.evaluate(READ_PAGE), words)
    context.close()
    left = {state: w for state, w in seen.items() if w}
    assert not left, f"words neither marked nor the policy's: {left}"
