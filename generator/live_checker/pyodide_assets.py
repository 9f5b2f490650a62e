"""The files the live checker needs in the built site, and nothing more.

From the npm package `pyodide` (pinned by package-lock.json) only the runtime that
`loadPyodide()` fetches is copied: the two modules and the wasm binary. The standard library
is the checker's own, trimmed to what it imports (generator/live_checker/pyodide_stdlib.py). Pyodide's lock
file is cut down to the one package the checker loads, its own wheel, so the site neither serves
nor names the other 357. The checker's data (the policy as compact JSON, without what only the
build reads) and the browser scripts from `checker/web/` come with them.

Every file except the runtime is named by a hash of its content, and the runtime sits in a
folder named by Pyodide's version: a browser may cache any of them for good, and a new
policy or checker is a new name, never a stale copy that no longer matches its lock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from generator import build_cache, npm_assets, precompress
from generator.live_checker.checker_bundle import (CHECKER_SOURCES, DIST_NAME, add_wheel_to_lock,
                                                   build_checker_wheel, checker_source_files)
from generator.source.checker_data import checker_data_json
from generator.errors import BuildError
from generator.source.policy_model import Policy
from generator.live_checker import shipped_code
from generator.live_checker.pyodide_stdlib import trimmed_stdlib

# Where the npm package pyodide is when no mkdocs.yml says (generator/npm_assets.py); the plugin finds its own.
NODE_PYODIDE = npm_assets.default_folder(npm_assets.PYODIDE)
WEB_DIR = CHECKER_SOURCES / "web"
# What loadPyodide() fetches in a module worker besides the standard library: nothing else of the npm package.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
WEB_FILES = {"page_script": "checker-page.mjs", "worker": "checker-worker.mjs", "stylesheet": "checker.css"}
# Written into the checker page itself rather than fetched: the first starts the worker from the page's head,
# before the stylesheets; the second lays the checker out before the first paint.
START_SCRIPT = "checker-start.js"
LAYOUT_SCRIPT = "checker-layout.js"
CHECKER_DIR = "assets/checker"
PYODIDE_DIR = "assets/pyodide"
# The lock file's name for the checker's distribution (pyodide-lock normalises _ to -).
PACKAGE = DIST_NAME.replace("_", "-")
log = logging.getLogger("mkdocs.plugins.policy")


@dataclass(frozen=True)
class Asset:
    path: str                    # where it goes in the site, relative to the site's root
    content: bytes | None = None
    source: Path | None = None   # a file copied as it is (the large runtime files)


@dataclass(frozen=True)
class CheckerAssets:
    files: list[Asset]
    # Site paths (relative to the root) that the checker page hands to its scripts.
    urls: dict[str, str]
    # What the live checker downloads once the page is open, gzipped as a server sends it (the size a caller
    # who asked to save data is told before starting it).
    download_bytes: int = 0
    # The wheel's Subresource Integrity value ("sha256-…"), from its lock file entry: the worker fetches the
    # wheel itself and the browser refuses one whose hash differs.
    wheel_integrity: str = ""
    # The page's inline scripts (START_SCRIPT, LAYOUT_SCRIPT), as the page carries them (inline_script).
    start_script: str = ""
    layout_script: str = ""


def inline_script(source: str) -> str:
    """A script as a page carries it: without its whole-line comments, indentation and blank lines (its
    statements, and the lines they are on, as written: nothing else is changed)."""
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def _shipped(name: str, content: bytes) -> bytes:
    """A script or stylesheet of checker/web/ as the site sends it: without its comments (shipped_code)."""
    text = content.decode("utf-8")
    return (shipped_code.stylesheet(text) if name.endswith(".css") else shipped_code.script(text)).encode("utf-8")


def _web_file(name: str) -> bytes:
    source = WEB_DIR / name
    if not source.is_file():
        raise BuildError(f"the checker's browser file {source} is missing (expected it in the installed checker package)")
    return source.read_bytes()


def _hashed(name: str, content: bytes) -> str:
    stem, dot, ext = name.partition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:12]}{dot}{ext}"


def pyodide_version(node_pyodide: Path = NODE_PYODIDE) -> str:
    package_json = node_pyodide / "package.json"
    try:
        return json.loads(package_json.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as err:
        raise BuildError(f"cannot read Pyodide's version from {package_json}: {err} "
                         f"(expected the npm package pyodide {npm_assets.PYODIDE.version}: run npm ci, or "
                         f"`{npm_assets.PYODIDE.install}`, or set the plugin option `pyodide_dir`)") from None


def trimmed_lock(full_lock: dict, keep: str) -> dict:
    """The lock with only `keep` and what it depends on, and Pyodide's `info` unchanged."""
    packages = full_lock["packages"]
    wanted, todo = {}, [keep]
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        if name not in packages:
            raise BuildError(f"the Pyodide lock file has no package {name!r} "
                             f"(needed by the checker; found {len(packages)} others)")
        wanted[name] = packages[name]
        todo.extend(packages[name].get("depends", []))
    return {**full_lock, "packages": dict(sorted(wanted.items()))}


_wheel_cache: dict[str, tuple[str, bytes, bytes]] = {}
_wheel_lock = threading.Lock()


def prepare_in_background(node_pyodide: Path = NODE_PYODIDE) -> None:
    """Start making the wheel, the lock and the standard library in a thread: their work is subprocesses (setuptools,
    Node), so a cold build overlaps them with the policy's checks. checker_assets waits for
    it; should it fail here, it is made again there and its error reported there."""
    def run() -> None:
        try:
            _wheel_and_lock(node_pyodide)
            trimmed_stdlib(node_pyodide)
        except Exception as err:  # made again by the build's own call, whose error stops the build
            log.info("checker: making the wheel, lock and standard library beside the checks failed (%s: %s); "
                     "the build makes them itself", type(err).__name__, err)
    threading.Thread(target=run, name="checker-wheel", daemon=True).start()


def _wheel_and_lock(node_pyodide: Path) -> tuple[str, bytes, bytes]:
    """(wheel file name, wheel bytes, trimmed lock bytes naming it as <hash>/<name>); cached per checker source.

    Kept in memory for `mkdocs serve` and on disk (build_cache) across builds: the key is every file the
    wheel and the lock are made from, the code that makes them and the tools' versions.
    """
    key = build_cache.digest("checker-wheel", *build_cache.files_parts(
        checker_source_files() + [node_pyodide / "pyodide-lock.json", Path(__file__).with_name("checker_bundle.py"), Path(__file__)]),
        *build_cache.versions("setuptools", "pyodide-lock"))
    with _wheel_lock:
        if key not in _wheel_cache:
            payload = build_cache.cached("checker-wheel", key, lambda: _pack(*_make_wheel_and_lock(node_pyodide)))
            _wheel_cache.clear()
            _wheel_cache[key] = _unpack(payload)
        return _wheel_cache[key]


def _make_wheel_and_lock(node_pyodide: Path) -> tuple[str, bytes, bytes]:
    with tempfile.TemporaryDirectory(prefix="checker-assets-") as tmp:
        built = build_checker_wheel(Path(tmp) / "build")
        wheel_bytes = built.read_bytes()
        # The wheel lives in a folder named by its hash, beside the lock file that names it.
        wheel = Path(tmp) / "out" / hashlib.sha256(wheel_bytes).hexdigest()[:12] / built.name
        wheel.parent.mkdir(parents=True)
        wheel.write_bytes(wheel_bytes)
        lock_out = Path(tmp) / "out" / "pyodide-lock.json"
        add_wheel_to_lock(node_pyodide / "pyodide-lock.json", lock_out, wheel)
        lock = trimmed_lock(json.loads(lock_out.read_text(encoding="utf-8")), PACKAGE)
    lock_bytes = (json.dumps(lock, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
    return lock["packages"][PACKAGE]["file_name"], wheel_bytes, lock_bytes


def _pack(name: str, wheel: bytes, lock: bytes) -> bytes:
    return json.dumps({"file_name": name, "wheel_size": len(wheel)}).encode() + b"\n" + wheel + lock


def _unpack(payload: bytes) -> tuple[str, bytes, bytes]:
    header, _, rest = payload.partition(b"\n")
    head = json.loads(header)
    return head["file_name"], rest[:head["wheel_size"]], rest[head["wheel_size"]:]


def checker_assets(policy: Policy, node_pyodide: Path = NODE_PYODIDE) -> CheckerAssets:
    """Every file the checker page needs, with the site paths its scripts are given."""
    version = pyodide_version(node_pyodide)
    runtime_dir = f"{PYODIDE_DIR}/{version}"
    files: list[Asset] = []
    for name in RUNTIME_FILES:
        source = node_pyodide / name
        if not source.is_file():
            raise BuildError(f"Pyodide file {source} not found (expected the npm package pyodide {version}: "
                             "run npm ci, or set the plugin option `pyodide_dir`)")
        files.append(Asset(f"{runtime_dir}/{name}", source=source))

    urls = {"pyodide": f"{runtime_dir}/"}
    wheel_path, wheel_bytes, lock_bytes = _wheel_and_lock(node_pyodide)
    lock_path = f"{CHECKER_DIR}/{_hashed('pyodide-lock.json', lock_bytes)}"
    urls["wheel"] = f"{CHECKER_DIR}/{wheel_path}"
    files += [Asset(urls["wheel"], content=wheel_bytes), Asset(lock_path, content=lock_bytes)]
    urls["lock"] = lock_path
    integrity = "sha256-" + base64.b64encode(bytes.fromhex(json.loads(lock_bytes)["packages"][PACKAGE]["sha256"])).decode()

    stdlib = trimmed_stdlib(node_pyodide)
    urls["stdlib"] = f"{CHECKER_DIR}/{_hashed('python_stdlib.zip', stdlib)}"
    files.append(Asset(urls["stdlib"], content=stdlib))

    data = checker_data_json(policy.checker_data, browser=True).encode("utf-8")
    urls["data"] = f"{CHECKER_DIR}/{_hashed('checker-data.json', data)}"
    files.append(Asset(urls["data"], content=data))

    for key, name in WEB_FILES.items():
        content = _shipped(name, _web_file(name))
        urls[key] = f"{CHECKER_DIR}/{_hashed(name, content)}"
        files.append(Asset(urls[key], content=content))
    # Loaded once the live checker starts: everything but the page's own script and stylesheet.
    later = [a for a in files if a.path not in (urls["page_script"], urls["stylesheet"])]
    download = sum(precompress.gzip_size(a.content if a.content is not None else a.source.read_bytes()) for a in later)
    return CheckerAssets(files=files, urls=urls, download_bytes=download, wheel_integrity=integrity,
                         start_script=inline_script(_web_file(START_SCRIPT).decode("utf-8")),
                         layout_script=inline_script(_web_file(LAYOUT_SCRIPT).decode("utf-8")))
