"""The checker as a pure-Python wheel for Pyodide, and a Pyodide lock file that names it.

The wheel (distribution `policy_checker`, import name `checker`) is built from a
minimal project definition written into a temporary folder, never from the main
project (which also contains `generator`, not wanted in the browser). setuptools'
build backend builds it, called in a child Python (the one running the generator, whose
setuptools is a dependency of the generator): offline, no build isolation, no pip needed
(an environment made without pip builds it too), and the same tools every time.

Each module goes in without its docstrings and comments, each line where it was (lightened): the browser
downloads and compiles only the code, about 5 KB less with brotli, and a traceback's line numbers are still
those of checker/ in the repository.

The wheel is made byte-reproducible: sources are copied with fixed permissions,
every zip entry gets the SOURCE_DATE_EPOCH timestamp, and entries are written in
a fixed order, stored uncompressed (the server compresses the wheel whole). The
same checker sources give the same bytes, hence the same sha256 in the lock file.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tokenize
import zipfile
from pathlib import Path

from generator import child_processes
from generator.errors import BuildError, counted
# The checker package's own folder, from a checkout or installed.
from generator.source.checker_data import CHECKER_SOURCES

DIST_NAME = "policy_checker"
IMPORT_NAME = "checker"
VERSION = "0.1.0"
# 1 January 2026: any fixed date would do; zip cannot store dates before 1980.
SOURCE_DATE_EPOCH = 1767225600
# Files of checker/ that go into the wheel: its modules but those the site's worker never imports (the invariants
# are the build's, the text output and __main__ the terminal's, the explanation's schema the tests'). The engine
# reads no data file at run time.
PACKAGE_GLOBS = ("*.py",)
NOT_IN_WHEEL = ("invariants.py", "explain_text.py", "__main__.py")
# setuptools takes seconds here; a child still running after this is stuck, and is stopped.
TOOL_TIMEOUT_S = 600

_PYPROJECT = """\
[build-system]
requires = ["setuptools>=69"]
build-backend = "setuptools.build_meta"

[project]
name = "{name}"
version = "{version}"
description = "The confidentiality policy checker's decision engine (standard library only)."
requires-python = ">=3.12"

[tool.setuptools]
packages = ["{package}"]
"""


def wheel_name(version: str = VERSION) -> str:
    return f"{DIST_NAME}-{version}-py3-none-any.whl"


def checker_source_files() -> list[Path]:
    """The files the wheel is made from (and its cache key reads): the checker package's modules the worker imports."""
    return sorted(p for pattern in PACKAGE_GLOBS for p in CHECKER_SOURCES.glob(pattern) if p.name not in NOT_IN_WHEEL)


def _copy_sources(project: Path) -> None:
    package = project / IMPORT_NAME
    package.mkdir(parents=True)
    files = checker_source_files()
    if not any(p.name == "__init__.py" for p in files):
        raise BuildError(f"cannot build the checker wheel: {CHECKER_SOURCES}/__init__.py is missing")
    for source in files:
        target = package / source.name
        target.write_text(lightened(source.read_text(encoding="utf-8"), source.name), encoding="utf-8")
        os.chmod(target, 0o644)
    (project / "pyproject.toml").write_text(
        _PYPROJECT.format(name=DIST_NAME, version=VERSION, package=IMPORT_NAME), encoding="utf-8")


def _docstrings(tree: ast.Module) -> list[tuple[list, ast.Expr]]:
    """(the body, its docstring) for the module, each class and each function that has one."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.append((node.body, first))
    return found


def lightened(source: str, name: str) -> str:
    """The module's source without its docstrings and comments, every other line as it was and where it was.

    A docstring's lines are left empty (a body that was only a docstring gets `pass` in its first line), and a
    comment is cut from its line. The result must parse to the same code, every node starting at the same line and
    column, as the original without its docstrings; otherwise the original is returned as it is."""
    lines = source.splitlines(keepends=True)
    tree = ast.parse(source, name)
    blank: set[int] = set()
    passes: dict[int, int] = {}   # line -> column of a `pass` standing for a body that was only a docstring
    for body, doc in _docstrings(tree):
        # ast's columns count UTF-8 bytes
        before = lines[doc.lineno - 1].encode("utf-8")[:doc.col_offset]
        after = lines[doc.end_lineno - 1].encode("utf-8")[doc.end_col_offset:]
        if before.strip() or after.strip():
            return source  # something else shares a docstring's line
        blank.update(range(doc.lineno, doc.end_lineno + 1))
        if len(body) == 1:
            passes[doc.lineno] = doc.col_offset
        body.remove(doc)
        if not body:
            body.append(ast.Pass(lineno=doc.lineno, col_offset=doc.col_offset, end_lineno=doc.lineno,
                                 end_col_offset=doc.col_offset + 4))
    comments = {token.start[0]: token.start[1] for token in tokenize.generate_tokens(io.StringIO(source).readline)
                if token.type == tokenize.COMMENT}
    out = []
    for number, line in enumerate(lines, 1):
        ending = "\n" if line.endswith("\n") else ""
        if number in passes:
            line = " " * passes[number] + "pass"
        elif number in blank:
            line = ""
        elif number in comments:
            line = line[:comments[number]].rstrip()
        else:
            line = line.rstrip("\n")
        out.append(line + ending)
    result = "".join(out)
    try:
        same = _code_and_places(ast.parse(result, name)) == _code_and_places(tree)
    except SyntaxError:
        same = False
    return result if same else source


def _code_and_places(tree: ast.AST) -> tuple[str, list]:
    """The tree's code, and where each of its nodes starts (a body that ended with a docstring ends sooner)."""
    return ast.dump(tree), [(getattr(n, "lineno", None), getattr(n, "col_offset", None)) for n in ast.walk(tree)]


def _normalise(wheel: Path) -> None:
    """Rewrite the wheel with fixed timestamps, permissions and entry order (RECORD last, as the spec asks)."""
    with zipfile.ZipFile(wheel) as zin:
        entries = [(info.filename, zin.read(info)) for info in zin.infolist()]
    record = [e for e in entries if e[0].endswith(".dist-info/RECORD")]
    others = sorted(e for e in entries if not e[0].endswith(".dist-info/RECORD"))
    date_time = time.gmtime(SOURCE_DATE_EPOCH)[:6]
    tmp = wheel.with_suffix(".tmp")
    # Stored, not deflated: the site's server compresses the whole wheel with brotli or gzip (the .br and .gz
    # files the build writes): 8.4 KB with brotli, where deflating each file inside it sends 11 KB.
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as zout:
        for name, data in others + record:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = (0o100644 << 16)
            info.create_system = 3  # Unix, so the permission bits mean what they say
            zout.writestr(info, data)
    tmp.replace(wheel)


def build_checker_wheel(out_dir: Path) -> Path:
    """Build policy_checker-<version>-py3-none-any.whl into out_dir and return its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(SOURCE_DATE_EPOCH), PIP_NO_INPUT="1",
               PIP_DISABLE_PIP_VERSION_CHECK="1", PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryDirectory(prefix="checker-wheel-") as tmp:
        project, dist = Path(tmp) / "project", Path(tmp) / "dist"
        _copy_sources(project)
        dist.mkdir()
        # What `pip wheel --no-build-isolation` would call (PEP 517), without pip; the backend's own
        # messages go to stderr, so that stdout holds only the wheel's name.
        build = ("import contextlib, sys; from setuptools import build_meta\n"
                 "with contextlib.redirect_stdout(sys.stderr): name = build_meta.build_wheel(sys.argv[1])\n"
                 "print(name)")
        command = [sys.executable, "-c", build, str(dist)]
        try:
            result = child_processes.run(command, timeout=TOOL_TIMEOUT_S, env=env, cwd=project)
        except subprocess.TimeoutExpired:
            raise BuildError(f"setuptools did not build the checker wheel within {TOOL_TIMEOUT_S} s (stopped it)") from None
        built = sorted(dist.glob("*.whl")) if dist.is_dir() else []
        if result.returncode != 0 or len(built) != 1:
            raise BuildError("cannot build the checker wheel with setuptools "
                             f"(exit {result.returncode}, {counted(len(built), 'wheel')} made): "
                             + ((result.stderr.strip() or result.stdout.strip() or "no output").splitlines() or [""])[-1]
                             + " (expected setuptools installed in this Python: pip install setuptools)")
        if built[0].name != wheel_name():
            raise BuildError(f"the checker wheel came out as {built[0].name} "
                             f"(expected {wheel_name()}: pure Python, no compiled code)")
        _normalise(built[0])
        target = out_dir / built[0].name
        shutil.copyfile(built[0], target)
    return target


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def add_wheel_to_lock(lock_in: Path, lock_out: Path, wheel: Path) -> None:
    """Write lock_out: lock_in plus the wheel, named relative to lock_out's folder.

    The wheel must sit in lock_out's folder (or below it), where the site serves it
    beside the lock file, so Pyodide finds it by the lock file's `file_name`.

    This is what `pyodide lockfile add-wheels` does (pyodide-build's command is pyodide-lock's), called in
    this process: pyodide-lock is a dependency of the generator; pyodide-build is not used at all.
    """
    lock_in, lock_out, wheel = Path(lock_in).resolve(), Path(lock_out).resolve(), Path(wheel).resolve()
    if not lock_in.is_file():
        raise BuildError(f"cannot add the checker wheel: Pyodide lock file {lock_in} not found "
                         "(expected node_modules/pyodide/pyodide-lock.json: run npm ci, or set the plugin option "
                         "`pyodide_dir`)")
    if not wheel.is_file():
        raise BuildError(f"cannot add the checker wheel: {wheel} not found (expected a file build_checker_wheel made)")
    base = lock_out.parent.resolve()
    try:
        wheel.resolve().relative_to(base)
    except ValueError:
        raise BuildError(f"cannot add {wheel.name} to {lock_out}: the wheel is in {wheel.resolve().parent}, "
                         f"not beside the lock file (expected it under {base})") from None
    lock_out.parent.mkdir(parents=True, exist_ok=True)
    try:
        from pyodide_lock import PyodideLockSpec
        from pyodide_lock.utils import add_wheels_to_spec
    except ImportError as err:
        raise BuildError(f"cannot add the checker wheel to Pyodide's lock file: {err} "
                         "(expected pyodide-lock installed with the generator: pip install 'pyodide-lock[wheel]')") from None
    try:
        spec = add_wheels_to_spec(PyodideLockSpec.from_json(lock_in), [wheel], base_path=base, base_url="")
        spec.to_json(lock_out)
    except Exception as err:  # pyodide-lock's own errors name the wheel or the package at fault
        raise BuildError(f"adding {wheel.name} to Pyodide's lock file {lock_in} failed: "
                         f"{type(err).__name__}: {err}") from None
    entry = json.loads(lock_out.read_text(encoding="utf-8"))["packages"].get(DIST_NAME.replace("_", "-"))
    if entry is None or entry.get("sha256") != sha256(wheel):
        raise BuildError(f"{lock_out} does not name {wheel.name} with its sha256 after add-wheels "
                         f"(found {entry!r})")
