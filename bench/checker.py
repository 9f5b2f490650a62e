"""The checker engine: evaluations per second in CPython and in Pyodide (under Node), on the same answer sets,
and in CPython against a fixed reference workload (bench/_reference.py), so that the machine's speed cancels out.

The answer sets are every combination the invariants check (checker.invariants.answer_sets):
each question unknown or answered with each value. The engine is one Evaluator for all of them, as the site's
worker holds it. In CPython the engine's pass over every set and the reference's fixed run alternate for ROUNDS
rounds (each round in the other order than the one before, so neither always runs second); each round gives
both rates and their ratio, and the median of each counts (the machine is shared: a round slowed by the
neighbours slows both sides of its ratio, and the median leaves out the odd round). The ratio, engine
evaluations per reference unit, is the figure to compare between runs and machines.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "tmp" / "checker"
REPEAT = 3   # Pyodide's runs
ROUNDS = 7   # CPython's rounds of engine and reference


def engine_against_reference(data: dict, sets: list[dict], rounds: int = ROUNDS) -> dict:
    """Medians over `rounds` interleaved rounds: engine evaluations per second, reference units per second,
    and the ratio of the two within each round."""
    from bench._reference import make_workload
    from checker.engine import Evaluator

    evaluate, reference = Evaluator(data).evaluate, make_workload()

    def engine() -> int:
        for answers in sets:
            evaluate(answers)
        return len(sets)

    engine_rates, reference_rates, ratios = [], [], []
    for i in range(rounds):
        order = (engine, reference) if i % 2 == 0 else (reference, engine)
        seconds = {}
        for work in order:
            start = time.perf_counter()
            count = work()
            seconds[work] = (count, time.perf_counter() - start)
        engine_rates.append(seconds[engine][0] / seconds[engine][1])
        reference_rates.append(seconds[reference][0] / seconds[reference][1])
        ratios.append(engine_rates[-1] / reference_rates[-1])
    return {"engine": statistics.median(engine_rates), "reference": statistics.median(reference_rates),
            "ratio": statistics.median(ratios), "rounds": rounds,
            "ratios": [round(r, 3) for r in ratios]}


def cpython_rows(data: dict, sets: list[dict]) -> list[dict]:
    measured = engine_against_reference(data, sets)
    return [
        _row(f"evaluations per second, CPython {platform.python_version()} (median of {measured['rounds']} rounds)",
             round(measured["engine"]), "1/s", "checker-evals-cpython"),
        _row("reference workload (bench/_reference.py), units per second, CPython, same rounds",
             round(measured["reference"]), "1/s", "checker-reference-cpython"),
        _row("engine ÷ reference: evaluations per reference unit (median of the rounds' ratios)",
             round(measured["ratio"], 3), "×", "checker-engine-vs-reference"),
    ]


def _row(figure, value, unit, anchor):
    return {"area": "checker", "figure": figure, "value": value, "unit": unit, "anchor": anchor}


def run() -> list[dict]:
    from checker.invariants import answer_sets
    from generator.checker_bundle import wheel_name
    from generator.policy_model import load_policy
    sys.path.insert(0, str(ROOT / "tests" / "pyodide"))
    from node_runner import PYODIDE_DIR, prepare_bundle, run_in_pyodide

    text = load_policy(ROOT / "policy" / "respect-phoneline.yaml").checker_json
    data = json.loads(text)
    sets = list(answer_sets(data))

    bundle = prepare_bundle(WORK)
    data_file = WORK / "checker-data.json"
    data_file.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    node = run_in_pyodide(bundle, data_file, sets, results=False, bench={"repeat": REPEAT})
    node_wall = time.perf_counter() - started
    pyodide_rate = node["bench"]["evaluations_per_run"] / statistics.median(node["bench"]["seconds"])
    cpython = cpython_rows(data, sets)
    cpython_rate = cpython[0]["value"]
    pyodide_version = json.loads((PYODIDE_DIR / "package.json").read_text(encoding="utf-8"))["version"]

    return [
        _row("answer sets evaluated per run (every combination)", len(sets), "sets", "checker-answer-sets"),
        *cpython,
        _row(f"evaluations per second, Pyodide {pyodide_version} (Python {node['python']}) under Node "
             f"(median of {REPEAT} runs)", round(pyodide_rate), "1/s", "checker-evals-pyodide"),
        _row("Pyodide ÷ CPython speed", round(pyodide_rate / cpython_rate, 2), "×", "checker-pyodide-ratio"),
        _row("loadPyodide with the checker wheel, under Node", round(node["load_seconds"], 2), "s",
             "checker-pyodide-load"),
        _row("Node process in all (start, load, evaluate)", round(node_wall, 2), "s", "checker-node-wall"),
        _row("checker wheel size", (bundle / wheel_name()).stat().st_size, "bytes", "checker-wheel-size"),
    ]


if __name__ == "__main__":  # python -m bench.checker: the CPython rows alone, without Node
    from checker.invariants import answer_sets
    from generator.policy_model import load_policy

    policy_data = json.loads(load_policy(ROOT / "policy" / "respect-phoneline.yaml").checker_json)
    measured = engine_against_reference(policy_data, list(answer_sets(policy_data)))
    print(json.dumps(measured, indent=1))
