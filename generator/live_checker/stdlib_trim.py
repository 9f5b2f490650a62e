"""Runs inside Pyodide (its own Python 3.14), never in the build's Python: makes the checker's standard library.

Given `listed` (paths inside Pyodide's python_stdlib.zip), `compiled` (those of them to ship compiled) and
`out_path`, it writes a zip holding only those files, stored uncompressed (the server's gzip or brotli then
compresses across files), with fixed dates and in a fixed order, so the same inputs give the same bytes: the
source files by name, then the compiled ones (1.6 KB less with brotli than one order for both: like
follows like).
Each `.py` file loses its docstrings, its comments and a module-level `if __name__ == "__main__":` block:
the source is parsed, changed and written back with ast.unparse (indented by one space a level), and kept
only if it parses back to the very same tree (else the original is kept).

A compiled file is that source compiled by this Python (optimize=0: asserts stay, as in the source form)
and stored as an unchecked hash-based .pyc (its hash left as zeros: NO_SOURCE_HASH) in the .py file's place,
which zipimport loads without its source and without compiling anything. Its line numbers are kept, its column ranges are not: the runner
starts Pyodide with PYTHONNODEBUGRANGES=1 (CPython's -X no_debug_ranges), which this script checks.

It must run on Pyodide's Python because the standard library is 3.14 source, which an older parser may
refuse or read differently, and a .pyc is only read by the Python that wrote it. Sets `result`: a JSON
text {"files": n, "compiled": n, "kept_as_is": [paths]}.
"""

import ast
import importlib._bootstrap_external as bootstrap
import json
import sys
import zipfile

DATE = (2026, 1, 1, 0, 0, 0)  # any fixed date would do


def _docstring(body):
    return (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str))


def _is_main_block(node):
    test = getattr(node, "test", None)
    return (isinstance(node, ast.If) and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == "__main__")


def stripped(text, name):
    """The source without docstrings, comments and a __main__ block; None when that cannot be done safely."""
    tree = ast.parse(text, name)
    tree.body = [n for n in tree.body if not _is_main_block(n)] or [ast.Pass()]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and _docstring(node.body):
            node.body = node.body[1:] or [ast.Pass()]
    # ast.unparse indents by four spaces; one a level is the same program in fewer bytes.
    lines = ast.unparse(tree).split("\n")
    out = "\n".join(" " * ((len(line) - len(line.lstrip(" "))) // 4) + line.lstrip(" ") for line in lines) + "\n"
    return out if ast.dump(ast.parse(out, name)) == ast.dump(tree) else None


# The source hash an unchecked .pyc carries. Nothing reads it: zipimport compares an unchecked .pyc's hash only
# with a source file beside it (and only when told to check every one), and none is shipped. The real hash is 8
# random bytes a file that brotli cannot shrink: 1.6 KB of the zip with brotli.
NO_SOURCE_HASH = bytes(8)


def compiled_pyc(source, name, optimize=0):
    """An unchecked hash-based .pyc of the source: zipimport loads it as it is, with no .py beside it."""
    code = compile(source, name, "exec", dont_inherit=True, optimize=optimize)
    return bytes(bootstrap._code_to_hash_pyc(code, NO_SOURCE_HASH, checked=False))


def main(listed, compiled, out_path):
    if compiled and next(compile("x", "", "eval").co_positions())[2] is not None:
        raise SystemExit("column ranges are on: start Pyodide with PYTHONNODEBUGRANGES=1 to compile the standard library")
    source_zip = next(p for p in sys.path if p.endswith(".zip"))
    unknown = sorted(set(compiled) - set(listed))
    if unknown:
        raise SystemExit(f"to compile but not listed: {', '.join(unknown)}")
    kept = []
    with zipfile.ZipFile(source_zip) as source, zipfile.ZipFile(out_path, "w", zipfile.ZIP_STORED) as out:
        present = set(source.namelist())
        missing = [f for f in listed if f not in present]
        if missing:
            raise SystemExit(f"not in Pyodide's python_stdlib.zip: {', '.join(missing)}")
        for name in sorted(listed, key=lambda path: (path in compiled, path)):
            data = source.read(name)
            if name.endswith(".py"):
                text = stripped(data.decode("utf-8"), name)
                if text is None:
                    kept.append(name)
                else:
                    data = text.encode("utf-8")
                if name in compiled:
                    # Named where zipimport finds it in the browser too (/lib/python3XY.zip/...), as the
                    # source form's code is, for tracebacks and warnings.
                    data, name = compiled_pyc(data, f"{source_zip}/{name}"), name[:-3] + ".pyc"
            info = zipfile.ZipInfo(name, DATE)
            info.external_attr = 0o100644 << 16
            out.writestr(info, data)
    return json.dumps({"files": len(listed), "compiled": len(compiled), "kept_as_is": kept})


if __name__ == "__main__":  # run by generator/live_checker/run_in_pyodide.mjs, which sets listed, compiled and out_path
    result = main(json.loads(listed), set(json.loads(compiled)), out_path)  # noqa: F821
