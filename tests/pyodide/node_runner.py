"""Run the checker inside Pyodide under Node, from Python: shared by tests/test_checker_pyodide.py and bench/.

`prepare_bundle(folder)` lays out what the site serves (the checker's wheel beside a copy of
Pyodide's lock file that names it, and the checker's trimmed standard library); `runs_in_pyodide(...)` starts
one Node process running run_checker.mjs beside this file for several runs (policies) on one Pyodide and
returns their JSON, `run_in_pyodide(...)` the same for one; `record_runs()` runs each policy's cases and every
answer set with Pyodide's whole standard library (but for what the site leaves out on purpose), in one process,
and `recorded_files(runs)` is what `make stdlib-list` writes to generator/live_checker/pyodide-stdlib.txt.
tests/test_checker_pyodide.py compares those same runs with CPython, so every answer set runs once in Node.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from checker.invariants import answer_sets
from generator.live_checker.checker_bundle import DIST_NAME, add_wheel_to_lock, build_checker_wheel
from generator.live_checker.pyodide_stdlib import trimmed_stdlib, without_left_out

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))   # tests/, when run as a script (make stdlib-list)
from harness import ROOT  # noqa: E402
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
RUNNER = Path(__file__).resolve().parent / "run_checker.mjs"
PACKAGE = DIST_NAME.replace("_", "-")
STDLIB = "stdlib.zip"  # the trimmed standard library, in the bundle


class NodeRunError(AssertionError):
    """run_checker.mjs failed; the message holds the end of its stderr, where the reason is."""


def prepare_bundle(folder: Path, trimmed: bool = True) -> Path:
    """The wheel, the lock file naming it and (unless not `trimmed`: the list is being recorded) the library."""
    folder.mkdir(parents=True, exist_ok=True)
    wheel = build_checker_wheel(folder)
    add_wheel_to_lock(PYODIDE_DIR / "pyodide-lock.json", folder / "pyodide-lock.json", wheel)
    if trimmed:
        (folder / STDLIB).write_bytes(trimmed_stdlib(PYODIDE_DIR))
    return folder


def run_in_pyodide(bundle: Path, data_file: Path, answers: list, stdlib: Path | None = None, **extra) -> dict:
    """Run the checker on each answer set inside Pyodide under Node, with the trimmed standard library (or
    the zip `stdlib`); the runner's JSON."""
    record = extra.pop("record_stdlib", False)
    return runs_in_pyodide(bundle, [{"data": data_file, "answers": answers, **extra}], stdlib,
                           record_stdlib=record)[0]


def runs_in_pyodide(bundle: Path, runs: list[dict], stdlib: Path | None = None, record_stdlib: bool = False) -> list:
    """Several runs (each {"data": a checker data file, "answers": [...], and run_checker.mjs's other keys}) in one
    Node process, one Pyodide: its start is most of a short run's time. One result per run, in order."""
    request = {"indexURL": str(PYODIDE_DIR) + "/", "lockFileURL": str(bundle / "pyodide-lock.json"),
               "package": PACKAGE, "stdLibURL": str(stdlib or bundle / STDLIB), "record_stdlib": record_stdlib,
               "runs": [{**run, "data": str(run["data"])} for run in runs]}
    request_file = bundle / "request.json"
    request_file.write_text(json.dumps(request), encoding="utf-8")
    result = subprocess.run(["node", str(RUNNER), str(request_file)], capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        # A thrown error prints minified Pyodide source first: keep the end, where the reason is.
        raise NodeRunError(f"node {RUNNER.name} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)


def record_runs(folder: Path) -> dict[str, dict]:
    """Each policy's run, by the name of its folder of cases, with Pyodide's whole library but for what the site's
    leaves out on purpose (generator/live_checker/pyodide_stdlib.py, LEFT_OUT): the policy's YAML cases in
    tests/checker_cases (in "results") and every answer set (sha256 of each compact JSON, in "all_digests") run
    through the engine, recording the standard-library files loaded (the runner's JSON); and each translated
    example's every answer set, by "<name>.<language>". One Node process for all."""
    from checker_cases.load import (browser_json_text, case_folders, load_cases, translated_browser_json_text,
                                    translated_examples)

    bundle = prepare_bundle(folder, trimmed=False)
    whole = without_left_out(PYODIDE_DIR / "python_stdlib.zip", folder / "python_stdlib_without_left_out.zip")
    cases, names, runs = load_cases(), [f.name for f in case_folders()], []
    texts = {name: browser_json_text(name) for name in names}
    # Each translated example's every answer set too, under "<name>.<language>" (no cases of its own).
    texts.update({f"{name}.{language}": translated_browser_json_text(name, language)
                  for name, language in translated_examples()})
    for name, text in texts.items():
        data_file = folder / f"checker-data-{name}.json"
        data_file.write_text(text, encoding="utf-8")
        runs.append({"data": data_file, "answers": [c.answers for c in cases if c.policy == name],
                     "every_answers": list(answer_sets(json.loads(text)))})
    return dict(zip(texts, runs_in_pyodide(bundle, runs, stdlib=whole, record_stdlib=True)))


def recorded_files(runs: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(every file the runs loaded, sorted; the files loaded before the first explanation, in the order imported)."""
    files, startup = set(), {}
    for run in runs.values():
        files.update(run["stdlib_files"])
        startup.update(dict.fromkeys(run["startup_files"] or ()))   # the first run of a Node process records it
    return sorted(files), list(startup)


def record_stdlib_files(folder: Path) -> list[str]:
    """The standard-library files that Pyodide's start-up, loading the wheel and the engine load (record_runs)."""
    return recorded_files(record_runs(folder))[0]


HEADER = """# The standard-library files the checker's Pyodide needs (paths inside Pyodide's python_stdlib.zip): what
# Pyodide's start-up and the engine import, recorded by running every YAML case in tests/checker_cases and
# every answer set through the engine inside Pyodide under Node. Those marked `compiled` are the files
# imported before the checker is ready: they ship as bytecode, so that nothing of the library is compiled at
# start-up (generator/live_checker/pyodide_stdlib.py says why). Recorded without the modules that file's
# LEFT_OUT leaves out on purpose (imported only under except ImportError). Written by `make stdlib-list`
# (tests/pyodide/node_runner.py); generator/live_checker/pyodide_stdlib.py makes the site's zip from it.
"""


def main() -> None:
    import tempfile
    from generator.live_checker.pyodide_stdlib import COMPILED, LIST_FILE
    with tempfile.TemporaryDirectory(prefix="stdlib-list-") as tmp:
        files, startup = recorded_files(record_runs(Path(tmp)))
    # Only what the worker imports before it is ready costs its start: a module imported later (none is now) would
    # be compiled when it is needed, if ever, and stays source.
    compiled = {f for f in startup if f.endswith(".py")}
    LIST_FILE.write_text(HEADER + "\n".join(f"{f} {COMPILED}" if f in compiled else f for f in files) + "\n",
                         encoding="utf-8")
    print(f"Wrote {len(files)} files to {LIST_FILE}: {len(compiled)} compiled, {len(files) - len(compiled)} source")


if __name__ == "__main__":
    main()
