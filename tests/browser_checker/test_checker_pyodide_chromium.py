"""The engine in Chromium's Pyodide, started from the built site's files as the checker's worker starts it:
every YAML case and every answer set gives byte for byte the JSON of CPython (and so of Node, which
tests/test_checker_pyodide.py compares with CPython too). A second start with Pyodide's whole standard
library, but for the modules the site leaves out on purpose (generator/live_checker/pyodide_stdlib.py, LEFT_OUT), records
what Chromium's Pyodide loads: none of it may be missing from the site's trimmed one."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from checker import AnswerError, evaluate, to_json
from checker.invariants import answer_sets
from checker_cases.load import load_cases
from checker_helpers import serve_copy
from generator.live_checker.pyodide_assets import NODE_PYODIDE
from generator.live_checker.pyodide_stdlib import listed_files, without_left_out

HERE = Path(__file__).resolve().parent
RUN_CASES = HERE.parent / "pyodide" / "run_cases.py"
CASES = load_cases()
PAGE = """<!doctype html><html lang="en"><meta charset="utf-8"><title>cases</title><body><script type="module">
const config = JSON.parse(document.getElementById("config").textContent);
const absolute = (url) => url && new URL(url, document.baseURI).href;
const worker = new Worker("pyodide-cases-worker.mjs", {type: "module"});
worker.onmessage = (event) => { window.casesResult = event.data; };
worker.onerror = (event) => { window.casesResult = {ok: false, message: String(event.message)}; };
worker.postMessage({pyodide: absolute(config.pyodide), lock: absolute(config.lock), wheel: absolute(config.wheel),
                    wheel_integrity: config.wheel_integrity, stdlib: absolute(config.stdlib), data: absolute(config.data), answers: "cases.json",
                    script: "run_cases.py", every: config.every});
</script><script type="application/json" id="config">CONFIG</script></body></html>"""


@pytest.fixture(scope="module")
def site_with_cases(built_site, tmp_path_factory, checker_policy) -> Path:
    """A copy of the built site with the test's page, worker, Python and cases (and Pyodide's whole library but
    for what the site leaves out on purpose, as `make stdlib-list` records with)."""
    copy = tmp_path_factory.mktemp("chromium-cases") / "site"
    shutil.copytree(built_site, copy)
    html = (copy / "checker.html").read_text(encoding="utf-8")
    config = json.loads(html.split('id="checker-config">', 1)[1].split("</script>", 1)[0])
    shutil.copy(HERE / "pyodide_cases_worker.mjs", copy / "pyodide-cases-worker.mjs")
    shutil.copy(RUN_CASES, copy / "run_cases.py")
    without_left_out(NODE_PYODIDE / "python_stdlib.zip", copy / "python_stdlib_whole.zip")
    (copy / "cases.json").write_text(json.dumps([c.answers for c in CASES]), encoding="utf-8")
    (copy / "every.json").write_text(json.dumps(list(answer_sets(checker_policy))), encoding="utf-8")
    trimmed = dict(config, every="every.json")
    whole = dict(config, every=None, stdlib="python_stdlib_whole.zip")
    for name, cfg in (("cases-trimmed.html", trimmed), ("cases-whole.html", whole)):
        (copy / name).write_text(PAGE.replace("CONFIG", json.dumps(cfg)), encoding="utf-8")
    return copy


def run_page(browser, base: str, page_name: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/{page_name}")
    page.wait_for_function("window.casesResult !== undefined", timeout=300_000)
    outcome = page.evaluate("window.casesResult")
    context.close()
    assert outcome["ok"], f"{page_name}: Pyodide in Chromium failed: {outcome['message']}"
    return outcome["result"]


@pytest.fixture(scope="module")
def chromium_runs(browser, site_with_cases) -> dict:
    with serve_copy(site_with_cases) as base:
        return {"trimmed": run_page(browser, base, "cases-trimmed.html"),
                "whole": run_page(browser, base, "cases-whole.html")}


def cpython(data: dict, answers) -> dict:
    try:
        return {"json": to_json(evaluate(data, answers))}
    except AnswerError as err:
        return {"error": str(err)}


def test_every_case_gives_cpythons_bytes_in_chromium(chromium_runs, checker_policy):
    run = chromium_runs["trimmed"]
    assert run["python"].startswith("3.14.")
    wrong = [c.where for c, got in zip(CASES, run["results"]) if got != cpython(checker_policy, c.answers)]
    assert len(run["results"]) == len(CASES) and not wrong, f"Chromium's Pyodide differs from CPython: {wrong}"


def test_every_answer_set_gives_cpythons_bytes_in_chromium(chromium_runs, checker_policy):
    sets = list(answer_sets(checker_policy))
    ours = [hashlib.sha256(to_json(evaluate(checker_policy, a)).encode()).hexdigest() for a in sets]
    theirs = chromium_runs["trimmed"]["all_digests"]
    assert len(theirs) == len(ours) > 10_000
    wrong = [a for a, x, y in zip(sets, ours, theirs) if x != y]
    assert not wrong, f"Chromium's Pyodide differs from CPython for {len(wrong)} answer sets, first {wrong[:1]}"


def test_chromium_loads_nothing_the_trimmed_library_lacks(chromium_runs):
    """With the whole library (but for what is left out on purpose), Chromium's Pyodide loads only listed files
    (a module it needs and Node's does not would be missing from the site, or silently replaced by a fallback)."""
    listed = set(listed_files())
    extra = sorted(set(chromium_runs["whole"]["stdlib_files"]) - listed)
    assert not extra, f"Chromium's Pyodide loads {extra}, not in generator/live_checker/pyodide-stdlib.txt (run `make stdlib-list`)"
