"""The checker engine: evaluations per second in CPython and in Pyodide (under Node), on the same answer sets.

The answer sets are every combination the invariants check (checker.invariants.answer_sets):
each question unknown or answered with each value. Both sides evaluate the same list, several
times; the best run counts (the machine is shared, so the slower runs measure the neighbours).
"""

from __future__ import annotations

import json
import platform
import sys
import time

from harness import ROOT  # the tests' harness (bench/__init__.py puts tests/ on the path)

WORK = ROOT / "bench" / "tmp" / "checker"
REPEAT = 3


def _cpython(data: dict, sets: list[dict]) -> float:
    from checker import evaluate
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        for answers in sets:
            evaluate(data, answers)
        best = min(best, time.perf_counter() - start)
    return len(sets) / best


def run() -> list[dict]:
    from checker.invariants import answer_sets
    from generator.live_checker.checker_bundle import wheel_name
    from generator.source.policy_model import load_policy
    sys.path.insert(0, str(ROOT / "tests" / "pyodide"))
    from node_runner import PYODIDE_DIR, prepare_bundle, run_in_pyodide

    text = load_policy(ROOT / "policy" / "respect-phoneline.yaml").checker_data_json
    data = json.loads(text)
    sets = list(answer_sets(data))

    bundle = prepare_bundle(WORK)
    data_file = WORK / "checker-data.json"
    data_file.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    node = run_in_pyodide(bundle, data_file, sets, results=False, bench={"repeat": REPEAT})
    node_wall = time.perf_counter() - started
    pyodide_rate = node["bench"]["evaluations_per_run"] / min(node["bench"]["seconds"])
    cpython_rate = _cpython(data, sets)
    pyodide_version = json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))["version"]

    def row(figure, value, unit, anchor):
        return {"area": "checker", "figure": figure, "value": value, "unit": unit, "anchor": anchor}

    return [
        row("answer sets evaluated per run (every combination)", len(sets), "sets", "checker-answer-sets"),
        row(f"evaluations per second, CPython {platform.python_version()}", round(cpython_rate), "1/s",
            "checker-evals-cpython"),
        row(f"evaluations per second, Pyodide {pyodide_version} (Python {node['python']}) under Node",
            round(pyodide_rate), "1/s", "checker-evals-pyodide"),
        row("Pyodide ÷ CPython speed", round(pyodide_rate / cpython_rate, 2), "×", "checker-pyodide-ratio"),
        row("loadPyodide with the checker wheel, under Node", round(node["load_seconds"], 2), "s",
            "checker-pyodide-load"),
        row("Node process in all (start, load, evaluate)", round(node_wall, 2), "s", "checker-node-wall"),
        row("checker wheel size", (bundle / wheel_name()).stat().st_size, "bytes", "checker-wheel-size"),
    ]
