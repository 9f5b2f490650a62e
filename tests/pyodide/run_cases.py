"""Runs inside Pyodide (under Node: run_checker.mjs; in Chromium: tests/browser_checker/pyodide_cases_worker.mjs).

Globals set by the runner: data_text (the checker data), answers_text (a JSON list of answer sets), first_run
(the first run of this Pyodide: only it records "startup_files"), want_results, every_answers_text (a JSON list
of answer sets, or None), repeat (bench runs), record_stdlib (then "stdlib_files": every file loaded by the end;
"startup_files": those loaded once the engine has made its first explanation, as the site's worker does before it
is ready, in the order they were imported; "checker_modules": the checker's modules then loaded). Imports nothing
of the standard library's files that the checker's worker does not import itself (its hashing is `_sha2`, a
module built into the binary), so that the files it records are the engine's and Pyodide's own. Sets `result`
(JSON text) and `every_json`: a function that runs every answer set and returns JSON {"digests": sha256 of each
explanation's compact JSON, in order, "stdlib_files": the files loaded by then (record_stdlib), so that an answer
set that imports a module on its way is recorded too}, or None.

Why digests made here, of compact JSON: handing each explanation's text to JavaScript to hash cost as much as the
engine and the JSON together (34,020 texts of 17 KB for Respect), and `_sha2` is built into Pyodide's binary, not
a file of its library, so hashing here records nothing. Compact, not to_json: to_json is the same encoder with
two spaces of indentation, which CPython's json does in Python (its C encoder only without indent), so that on
the CPython side of the comparison to_json cost six times the engine. The compact form is the same value in the
same key order, written by the same json module: equal compact JSON is equal to_json. The YAML cases compare
to_json itself.
"""

import json
import sys
import time
import zipimport

import checker
from checker import AnswerError, evaluate, to_json
from checker.engine import Evaluator


def compact(explanation) -> str:
    """The explanation as compact JSON: the formula of tests/checker_cases/load.py's explanation_digest."""
    return json.dumps(explanation, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def loaded_stdlib_files():
    """Paths inside the standard-library zip of every module loaded from it (frozen modules are in the binary),
    in the order they were imported."""
    stdlib = next(p for p in sys.path if p.endswith(".zip"))
    found = []
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None) or ""
        if isinstance(getattr(module, "__loader__", None), zipimport.zipimporter) and file.startswith(stdlib + "/"):
            found.append(file[len(stdlib) + 1:])
    return found


def run():
    data = json.loads(data_text)  # noqa: F821 (globals from the runner)
    startup = checker_modules = None
    if record_stdlib and first_run:  # noqa: F821 (later runs: the worker's modules are loaded by then)
        # What the site's worker does before it says it is ready: one Evaluator, the first explanation's layout
        # (checker/web/checker-worker.mjs).
        from checker.layout import layout
        explanation = Evaluator(data, shared=True).evaluate({})
        json.dumps({"answers": explanation["answers"], "layout": layout(explanation, data["wording"])},
                   ensure_ascii=False)
        startup = loaded_stdlib_files()
        checker_modules = sorted(name for name in sys.modules if name.split(".")[0] == "checker")

    answer_sets = json.loads(answers_text)  # noqa: F821
    results = []
    for answers in answer_sets if want_results else []:  # noqa: F821
        try:
            results.append({"json": to_json(evaluate(data, answers))})
        except AnswerError as err:
            results.append({"error": str(err)})

    def every():
        # Every answer set comes from the runner as JSON: the wheel carries only what the site's worker imports.
        import _sha2   # built into Pyodide's binary, not a file of its library: it records nothing
        evaluator = Evaluator(data, shared=True)  # one for every answer set, as the site's worker holds it
        digests = [_sha2.sha256(compact(evaluator.evaluate(answers)).encode("utf-8")).hexdigest()
                   for answers in json.loads(every_answers_text)]  # noqa: F821
        return json.dumps({"digests": digests, "stdlib_files": loaded_stdlib_files() if record_stdlib else None})  # noqa: F821
    bench = None
    if repeat:  # noqa: F821
        seconds = []
        evaluator = Evaluator(data, shared=True)  # one for every answer set, as the site's worker holds it
        for _ in range(repeat):  # noqa: F821
            start = time.perf_counter()
            for answers in answer_sets:
                evaluator.evaluate(answers)
            seconds.append(time.perf_counter() - start)
        bench = {"evaluations_per_run": len(answer_sets), "seconds": seconds}
    stdlib = loaded_stdlib_files() if record_stdlib else None  # noqa: F821
    return json.dumps({"python": sys.version.split()[0], "checker_file": checker.__file__, "results": results,
                       "bench": bench, "stdlib_files": stdlib,
                       "startup_files": startup, "checker_modules": checker_modules}), every if every_answers_text else None  # noqa: F821


result, every_json = run()
