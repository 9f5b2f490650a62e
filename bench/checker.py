"""The checker engine: evaluations per second in CPython and in Pyodide (under Node), on the same answer sets,
and in CPython against a fixed reference workload (bench/_reference.py), so that the machine's speed cancels out.

The answer sets are every combination the invariants check (checker.invariants.answer_sets):
each question unknown or answered with each value. The engine is one Evaluator for all of them, as the site's
worker and the invariant check hold it (shared: explanations only read share their parts); the plain one that
evaluate() makes for a single answer set (each explanation its own, for its caller to change) is timed beside
it. In
CPython the engines' passes over every set and the reference's fixed run alternate for ROUNDS rounds (each
round in the other order than the one before, so neither always runs last); each round gives the rates and
the ratios, and the median of each counts (the machine is shared: a round slowed by the
neighbours slows both sides of its ratio, and the median leaves out the odd round). The ratio, engine
evaluations per reference unit, is the figure to compare between runs and machines; under a heavy load it
still falls, as the engine, with far more memory in play than the reference, slows more.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time

from harness import ROOT  # the tests' harness (bench/__init__.py puts tests/ on the path)

WORK = ROOT / "bench" / "tmp" / "checker"
REPEAT = 3   # Pyodide's runs
ROUNDS = 7   # CPython's rounds of engine and reference


def engine_against_reference(data: dict, sets: list[dict], rounds: int = ROUNDS) -> dict:
    """Medians over `rounds` interleaved rounds: evaluations per second of a shared Evaluator (the site's worker's
    and the invariant check's) and of a plain one (evaluate()'s), reference units per second, and each engine's
    ratio to the reference within each round."""
    from bench._reference import make_workload
    from checker.engine import Evaluator

    def engine(evaluate):
        def run() -> int:
            for answers in sets:
                evaluate(answers)
            return len(sets)
        return run

    works = {"shared": engine(Evaluator(data, shared=True).evaluate), "plain": engine(Evaluator(data).evaluate),
             "reference": make_workload()}
    rates: dict[str, list[float]] = {name: [] for name in works}
    for i in range(rounds):
        names = list(works) if i % 2 == 0 else list(reversed(works))  # neither side always runs first
        for name in names:
            start = time.perf_counter()
            count = works[name]()
            rates[name].append(count / (time.perf_counter() - start))
    ratios = {name: [r / ref for r, ref in zip(rates[name], rates["reference"])] for name in ("plain", "shared")}
    return {"engine": statistics.median(rates["shared"]), "plain": statistics.median(rates["plain"]),
            "reference": statistics.median(rates["reference"]), "ratio": statistics.median(ratios["shared"]),
            "plain_ratio": statistics.median(ratios["plain"]), "rounds": rounds,
            "ratios": [round(r, 3) for r in ratios["shared"]]}


def cpython_rows(data: dict, sets: list[dict]) -> list[dict]:
    measured = engine_against_reference(data, sets)
    return [
        _row(f"evaluations per second, CPython {platform.python_version()}, the site's worker's Evaluator (shared; "
             f"median of {measured['rounds']} rounds)", round(measured["engine"]), "1/s", "checker-evals-cpython"),
        _row("reference workload (bench/_reference.py), units per second, CPython, same rounds",
             round(measured["reference"]), "1/s", "checker-reference-cpython"),
        _row("engine ÷ reference: evaluations per reference unit (median of the rounds' ratios)",
             round(measured["ratio"], 3), "×", "checker-engine-vs-reference"),
        _row("evaluations per second, plain Evaluator (evaluate()'s: each explanation its own), same rounds",
             round(measured["plain"]), "1/s", "checker-evals-cpython-plain"),
        _row("plain Evaluator ÷ reference (median of the rounds' ratios)",
             round(measured["plain_ratio"], 3), "×", "checker-plain-vs-reference"),
    ]


def _row(figure, value, unit, anchor):
    return {"area": "checker", "figure": figure, "value": value, "unit": unit, "anchor": anchor}


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
    from generator.source.policy_model import load_policy

    policy_data = json.loads(load_policy(ROOT / "policy" / "respect-phoneline.yaml").checker_data_json)
    print(json.dumps(engine_against_reference(policy_data, list(answer_sets(policy_data))), indent=1))
