"""Runs inside Pyodide (generator/live_checker/run_in_pyodide.mjs), for the bench only: the checker's standard library in the
forms the site does not ship, to measure against the one it does (generator/live_checker/stdlib_trim.py).

Globals: listed (JSON list of paths inside python_stdlib.zip), out_path, form: "source" (the files as they
are) or "pyc" (compiled by this Python 3.14 with optimize=2, docstrings and asserts gone, as unchecked
hash-based .pyc files in the .py files' place, which zipimport loads without their source).
"""

import json
import sys
import zipfile

from stdlib_trim import compiled_pyc  # generator/live_checker/stdlib_trim.py, copied beside this script by the runner

DATE = (2026, 1, 1, 0, 0, 0)


def main(files, out, kind):
    source_zip = next(p for p in sys.path if p.endswith(".zip"))
    with zipfile.ZipFile(source_zip) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name in sorted(files):
            data = source.read(name)
            if kind == "pyc" and name.endswith(".py"):
                data, name = compiled_pyc(data, name, optimize=2), name[:-3] + ".pyc"
            target.writestr(zipfile.ZipInfo(name, DATE), data)
    return json.dumps({"files": len(files)})


if __name__ == "__main__":
    result = main(json.loads(listed), out_path, form)  # noqa: F821 (set by the runner)
