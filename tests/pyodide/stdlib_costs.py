"""Runs inside Pyodide (generator/live_checker/run_in_pyodide.mjs), for `make stdlib-list`: how long each of the checker's
standard-library files takes to compile from the source the site would ship, which is what a browser spends
on it at start-up when it is not shipped compiled.

Globals: source_zip (base64 of the zip of stripped sources, generator/live_checker/stdlib_trim.py), repeat, measured (a JSON
list of the paths to measure). Sets `result`:
a JSON text {path: seconds}, the fastest of `repeat` compilations (the others measure the machine's neighbours).
"""

import base64
import io
import json
import time
import zipfile


def main(zip_bytes, times, names):
    seconds = {}
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as z:
        for name in names:
            source = z.read(name)
            best = float("inf")
            for _ in range(times):
                start = time.perf_counter()
                compile(source, name, "exec", dont_inherit=True)
                best = min(best, time.perf_counter() - start)
            seconds[name] = best
    return json.dumps(seconds)


if __name__ == "__main__":
    result = main(base64.b64decode(source_zip), int(repeat), json.loads(measured))  # noqa: F821 (set by the runner)
