"""The engine in Chromium's Pyodide, started from the built site's files as the checker's worker starts it:
every YAML case and a spread of the answer sets (one in SAMPLE_STRIDE) give byte for byte the JSON of CPython
(and so of Node, which tests/test_checker_pyodide.py compares with CPython too). A second start with Pyodide's
whole standard library, but for the modules the site leaves out on purpose (generator/live_checker/pyodide_stdlib.py,
LEFT_OUT), records what Chromium's Pyodide loads: none of it may be missing from the site's trimmed one.

Why not every answer set here (it ran all of them, 23,490 then, until the Node run took them over): tests/test_checker_pyodide.py
runs every answer set of every policy in Node's Pyodide and compares each with CPython; Chromium runs the same
Pyodide (the wasm, Python and standard library of node_modules/pyodide, which the build copies into the site),
the same wheel and the same data. What Chromium changes is the host around the wasm: the files fetched by URL
from the built site (the wheel checked against its integrity), the worker, the JavaScript engine that runs the
wasm. WebAssembly computes the same in any host, and the engine asks the host for nothing while it explains (no
clock, no locale, no randomness: the dates are the caller's), so a difference the host made would show on every
evaluation, not on some answer sets only. The cases (each path of the engine the YAML cases name, the refusals
included) and the spread of answer sets (every question's values among them) run here; so does the trimmed
library's every file, which the cases load.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker import AnswerError, evaluate, to_json
from checker.invariants import SAMPLE_DATES, answer_sets
from checker_cases.load import explanation_digest, load_cases
from checker_helpers import serve_copy
from generator.live_checker.pyodide_assets import NODE_PYODIDE
from generator.live_checker.pyodide_stdlib import compiled_files, listed_files, without_left_out

HERE = Path(__file__).resolve().parent
RUN_CASES = HERE.parent / "pyodide" / "run_cases.py"
CASES = load_cases()
SAMPLE_STRIDE = 68   # one answer set in 68: 500 of Respect's 34,020, spread over the whole walk
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
def site_with_cases(built_site, tmp_path_factory, checker_data) -> Path:
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
    (copy / "every.json").write_text(json.dumps(sample(checker_data)), encoding="utf-8")
    trimmed = dict(config, every="every.json")
    whole = dict(config, every=None, stdlib="python_stdlib_whole.zip")
    for name, cfg in (("cases-trimmed.html", trimmed), ("cases-whole.html", whole)):
        (copy / name).write_text(PAGE.replace("CONFIG", json.dumps(cfg)), encoding="utf-8")
    return copy


def sample(data: dict) -> list[dict]:
    return list(answer_sets(data))[::SAMPLE_STRIDE]


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


def test_every_case_gives_cpythons_bytes_in_chromium(chromium_runs, checker_data):
    run = chromium_runs["trimmed"]
    assert run["python"].startswith("3.14.")
    wrong = [c.where for c, got in zip(CASES, run["results"]) if got != cpython(checker_data, c.answers)]
    assert len(run["results"]) == len(CASES) and not wrong, f"Chromium's Pyodide differs from CPython: {wrong}"


def test_a_spread_of_answer_sets_gives_cpythons_bytes_in_chromium(chromium_runs, checker_data):
    """One answer set in SAMPLE_STRIDE (Node runs them all; the module's docstring says why that is enough)."""
    sets = sample(checker_data)
    ours = [explanation_digest(evaluate(checker_data, a)) for a in sets]   # run_cases.py says why compact JSON
    theirs = chromium_runs["trimmed"]["all_digests"]
    assert len(theirs) == len(ours) >= 500
    for question in checker_data["questions"]:
        values = SAMPLE_DATES if question["type"] == "date" else [v["value"] for v in question["values"]]
        assert {a[question["id"]] for a in sets if question["id"] in a} == set(values), \
            f"the spread misses a value of {question['id']}"
    wrong = [a for a, x, y in zip(sets, ours, theirs) if x != y]
    assert not wrong, f"Chromium's Pyodide differs from CPython for {len(wrong)} answer sets, first {wrong[:1]}"


def test_the_cases_load_every_file_of_the_sites_trimmed_library_in_chromium(chromium_runs):
    """Each file of the site's standard library is loaded, and runs, in Chromium (source, or bytecode where listed
    `compiled`)."""
    compiled = set(compiled_files())
    shipped = {p for p in listed_files() if p not in compiled} | {p.removesuffix(".py") + ".pyc" for p in compiled}
    assert set(chromium_runs["trimmed"]["stdlib_files"]) == shipped


def test_chromium_loads_nothing_the_trimmed_library_lacks(chromium_runs):
    """With the whole library (but for what is left out on purpose), Chromium's Pyodide loads only listed files
    (a module it needs and Node's does not would be missing from the site, or silently replaced by a fallback)."""
    listed = set(listed_files())
    extra = sorted(set(chromium_runs["whole"]["stdlib_files"]) - listed)
    assert not extra, f"Chromium's Pyodide loads {extra}, not in generator/live_checker/pyodide-stdlib.txt (run `make stdlib-list`)"
