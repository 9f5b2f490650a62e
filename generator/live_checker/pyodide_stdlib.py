"""The checker's own standard library for Pyodide: only the files that Pyodide's start-up and the engine import.

Pyodide's python_stdlib.zip holds the whole library (2.5 MB, deflated, so a server cannot shrink it). The
site serves instead a zip of the files listed in generator/live_checker/pyodide-stdlib.txt, without docstrings and
comments, stored uncompressed so that gzip or brotli compress it as one text; loadPyodide({stdLibURL})
loads it. The list is recorded, not guessed: `make stdlib-list` runs every YAML case in tests/checker_cases
and every answer set through the engine inside Pyodide and writes the files found in sys.modules; the tests
record again and fail when the engine imports something the list lacks.

A file marked `compiled` in the list ships as bytecode instead of source: `make stdlib-list` marks every
file imported before the checker is ready, so that nothing of the library is compiled at start-up, which is
most of the start-up's work in the browser; a file imported later would stay source (none is: the engine no
longer imports difflib for a wrong answer's suggestion, checker/answers.py). The bytecode has line
numbers but no column ranges (stdlib_trim.py), which makes it a quarter smaller with brotli than CPython's own.
Bytecode sends more bytes than source, but on a phone whose processor is 4 times slower it is ready sooner:
0.57-0.59x the bare Pyodide start against 0.69x for source with only its costliest files compiled, and any mix
that kept to 3.6 MB missed 0.6x (BENCHMARKS.md, issue 25).

Some modules that Pyodide's start-up loads are left out on purpose (LEFT_OUT): each is imported only inside
`try: ... except ImportError`, and what imports it works without it. `make stdlib-list` records the list
with them taken out of Pyodide's library, so the run that records it is also the proof that the checker
works without them; the tests record again the same way.

The zip is made at build time by Pyodide's own Python under Node (generator/live_checker/stdlib_trim.py says why), and
kept in the build cache like the checker's wheel: keyed by Pyodide's zip, the list and this code.
"""

from __future__ import annotations

import json
import logging
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path

from generator import build_cache, child_processes
from generator.errors import BuildError

HERE = Path(__file__).resolve().parent
LIST_FILE = HERE / "pyodide-stdlib.txt"
TRIM_SCRIPT = HERE / "stdlib_trim.py"
RUNNER = HERE / "run_in_pyodide.mjs"
NODE_TIMEOUT_S = 300
COMPILED = "compiled"

# Paths (a file, or a folder ending in "/") inside python_stdlib.zip that the site's library leaves out, and why.
# Without them shutil and zipfile leave those archive formats out and asyncio has no TLS: the checker reads
# neither archives nor sockets. Leaving ssl out also leaves out _ssl and base64, which only it imports.
# Together about 12 KB with brotli and 60 KB of source not compiled at start-up.
LEFT_OUT = {
    "bz2.py": "imported by shutil and zipfile under except ImportError",
    "lzma.py": "imported by shutil and zipfile under except ImportError",
    "compression/": "compression.zstd, imported by shutil and zipfile under except ImportError",
    "ssl.py": "imported by asyncio under except ImportError",
}

log = logging.getLogger("mkdocs.plugins.policy")
_made: dict[str, bytes] = {}
_lock = threading.Lock()


def listed_forms(list_file: Path = LIST_FILE) -> dict[str, bool]:
    """{path inside python_stdlib.zip: whether it ships compiled}, in the list's order. A line is a path, or a
    path and the word `compiled`; blank lines and # comments are skipped."""
    try:
        lines = list_file.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise BuildError(f"cannot read the checker's standard-library list {list_file}: {err} "
                         "(expected one path inside python_stdlib.zip a line; `make stdlib-list` writes it)") from None
    forms = {}
    for number, line in enumerate(lines, 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) > 2 or words[1:] not in ([], [COMPILED]) or (words[1:] and not words[0].endswith(".py")):
            raise BuildError(f"{list_file}:{number}: {line.strip()!r} is not a path, or a .py path and "
                             f"{COMPILED!r} (run `make stdlib-list` to write the list again)")
        forms[words[0]] = bool(words[1:])
    left_out = sorted(path for path in forms if is_left_out(path))
    if left_out:
        raise BuildError(f"{list_file} lists {', '.join(left_out)}, which the site's library leaves out on purpose "
                         "(generator/live_checker/pyodide_stdlib.py, LEFT_OUT): run `make stdlib-list` to record the list again")
    if not forms:
        raise BuildError(f"{list_file} lists no file (expected the standard library the checker imports; "
                         "run `make stdlib-list`)")
    return forms


def is_left_out(path: str) -> bool:
    return any(path == out or (out.endswith("/") and path.startswith(out)) for out in LEFT_OUT)


def without_left_out(stdlib_zip: Path, target: Path) -> Path:
    """A copy of a python_stdlib.zip without the LEFT_OUT paths: what `make stdlib-list` records with."""
    with zipfile.ZipFile(stdlib_zip) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            if not is_left_out(info.filename):
                out.writestr(info, source.read(info))
    return target


def listed_files(list_file: Path = LIST_FILE) -> list[str]:
    """The paths inside python_stdlib.zip that the checker needs."""
    return list(listed_forms(list_file))


def compiled_files(list_file: Path = LIST_FILE) -> list[str]:
    """The listed paths that ship compiled."""
    return [path for path, compiled in listed_forms(list_file).items() if compiled]


def trimmed_stdlib(node_pyodide: Path, list_file: Path = LIST_FILE) -> bytes:
    """The zip's bytes: from memory (mkdocs serve), the build cache, or made by Pyodide under Node."""
    forms = listed_forms(list_file)
    files, compiled = list(forms), [path for path, is_compiled in forms.items() if is_compiled]
    key = build_cache.digest("pyodide-stdlib", "\n".join(files), "\n".join(compiled),
                             *build_cache.files_parts([node_pyodide / "python_stdlib.zip", node_pyodide / "package.json",
                                                       TRIM_SCRIPT, RUNNER, Path(__file__)]))
    with _lock:
        if key not in _made:
            made = build_cache.cached("pyodide-stdlib", key, lambda: make_trimmed_stdlib(node_pyodide, files, compiled))
            _made.clear()
            _made[key] = made
        return _made[key]


def make_trimmed_stdlib(node_pyodide: Path, files: list[str], compiled: list[str]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="checker-stdlib-") as tmp:
        out = Path(tmp) / "stdlib.zip"
        request = Path(tmp) / "request.json"
        request.write_text(json.dumps({
            "indexURL": str(node_pyodide) + "/", "script": str(TRIM_SCRIPT),
            "globals": {"listed": json.dumps(files), "compiled": json.dumps(compiled), "out_path": "/tmp/stdlib.zip"},
            # Bytecode with line numbers but no column ranges (stdlib_trim.py checks it).
            "env": {"PYTHONNODEBUGRANGES": "1"},
            "output": {"fs": "/tmp/stdlib.zip", "to": str(out)},
        }), encoding="utf-8")
        try:
            result = child_processes.run(["node", str(RUNNER), str(request)], timeout=NODE_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise BuildError(f"cannot make the checker's standard library with Node and Pyodide: {err} "
                             "(expected `node` on the PATH and node_modules/pyodide installed: run npm ci)") from None
        if result.returncode != 0 or not out.is_file():
            said = (result.stderr.strip() or "no output").splitlines()[-3:]
            raise BuildError(f"making the checker's standard library from {node_pyodide / 'python_stdlib.zip'} "
                             f"failed (node exited {result.returncode}): {' / '.join(said)} (if a listed file is "
                             f"missing after a Pyodide upgrade, run `make stdlib-list` to record {LIST_FILE.name} again)")
        kept = json.loads(result.stdout or "{}").get("kept_as_is")
        if kept:
            log.info("standard library: kept with their docstrings (not the same program without): %s", ", ".join(kept))
        return out.read_bytes()
