"""Run the checker inside Pyodide under Node, from Python: shared by tests/test_checker_pyodide.py and bench/.

`prepare_bundle(folder)` lays out what the site serves (the checker's wheel beside a copy of
Pyodide's lock file that names it); `run_in_pyodide(...)` starts one Node process running
run_checker.mjs beside this file and returns its JSON.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from generator.checker_bundle import DIST_NAME, add_wheel_to_lock, build_checker_wheel

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
RUNNER = Path(__file__).resolve().parent / "run_checker.mjs"
PACKAGE = DIST_NAME.replace("_", "-")


class NodeRunError(AssertionError):
    """run_checker.mjs failed; the message holds the end of its stderr, where the reason is."""


def prepare_bundle(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wheel = build_checker_wheel(folder)
    add_wheel_to_lock(PYODIDE_DIR / "pyodide-lock.json", folder / "pyodide-lock.json", wheel)
    return folder


def run_in_pyodide(bundle: Path, data_file: Path, answers: list, **extra) -> dict:
    """Run the checker on each answer set inside Pyodide under Node; the runner's JSON."""
    request = {"indexURL": str(PYODIDE_DIR) + "/", "lockFileURL": str(bundle / "pyodide-lock.json"),
               "package": PACKAGE, "data": str(data_file), "answers": answers, **extra}
    request_file = bundle / "request.json"
    request_file.write_text(json.dumps(request), encoding="utf-8")
    result = subprocess.run(["node", str(RUNNER), str(request_file)], capture_output=True, text=True, timeout=900)
    if result.returncode != 0:
        # A thrown error prints minified Pyodide source first: keep the end, where the reason is.
        raise NodeRunError(f"node {RUNNER.name} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout)
