"""A content-addressed cache for the build's slow steps: the schema's and the invariants' verdicts, the comparison
of two versions (the diff), the checker's wheel and lock, its standard library, the precompressed copies of the
site's files, and the leaflet PDFs.

A key is the SHA-256 of everything the step's result depends on (data, source files, tool versions), so a
changed input is a new key and never a stale hit; nothing is ever invalidated by time. An entry carries its
key, its payload's length and SHA-256: one that is truncated, corrupt, of another format or under another
key's name is ignored (and removed), never trusted, and the step runs again. Entries are written to a temporary file and renamed into place, so
a build that stops half-way, or two builds at once, leave either a whole entry or none.

Jinja's compiled templates are kept here too (jinja_bytecode_cache), in Jinja's own files: Jinja names them
and checks each against its template's source itself.

Where: `.cache/policy-site/` in the generator's checkout (installed: `~/.cache/policy-site`, or under
XDG_CACHE_HOME), or the folder named by POLICY_SITE_CACHE; POLICY_SITE_CACHE=off
turns the cache off (every step runs). `make clean` removes the default folder.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import importlib.metadata
import logging
import os
import platform
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from generator import CHECKOUT

ENV_VAR = "POLICY_SITE_CACHE"


def _default_dir() -> Path:
    """`.cache/policy-site` in the generator's checkout; installed, the user's cache folder (XDG_CACHE_HOME or
    ~/.cache): entries are named by content, so the helplines' projects on one machine can share them."""
    if (CHECKOUT / "pyproject.toml").is_file() and (CHECKOUT / "generator" / "mkdocs" / "plugin.py").is_file():
        return CHECKOUT / ".cache" / "policy-site"
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "policy-site"


DEFAULT_DIR = _default_dir()
_OFF = ("off", "0", "no", "false")
_MAGIC = b"policy-site-cache 1\n"

# (kind, "hit" | "miss") → how often, in this process: what the tests observe.
stats: Counter = Counter()
log = logging.getLogger("mkdocs.plugins.policy.cache")


def cache_dir() -> Path | None:
    """The cache's folder, or None when POLICY_SITE_CACHE turns it off."""
    value = os.environ.get(ENV_VAR)
    if value is None or not value.strip():
        return DEFAULT_DIR
    if value.strip().lower() in _OFF:
        return None
    return Path(value).expanduser()


def jinja_bytecode_cache(*sources: Path):
    """Jinja's compiled templates, kept between builds, or None when the cache is off. A warm build otherwise
    parses and compiles every template again (the theme's and ours: about a third of its time). Jinja names each
    file by the template's name and path and checks only its source's checksum; what else the compiled code
    depends on (the environment's settings and filters, in `sources`, the files that make the environment; Jinja's
    and MkDocs' releases; Python's) keys the folder, so a change there is a new folder, never a stale hit. Jinja
    writes each file whole and then renames it, so two builds at once never read half of one."""
    folder = cache_dir()
    if folder is None:
        return None
    import jinja2   # only when a build asks: `policy-site check` loads no Jinja

    key = digest("jinja", *versions("jinja2", "mkdocs", "mkdocs-material", "markupsafe"), *files_parts(sources))
    try:
        (folder / "jinja" / key[:32]).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None   # a cache that cannot be written is only slower
    return jinja2.FileSystemBytecodeCache(str(folder / "jinja" / key[:32]))


def digest(*parts: bytes | str) -> str:
    """SHA-256 of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else bytes(part)
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


# Source files are named relative to CHECKOUT in a key, so the checkout and an installed copy make the same keys.
def files_parts(paths: Iterable[Path], base: Path = CHECKOUT) -> list[bytes | str]:
    """Each file's name (relative to base where it can be) and its bytes, in a fixed order."""
    parts: list[bytes | str] = []
    for path in sorted(Path(p) for p in paths):
        if path.is_file():
            try:
                name = str(path.resolve().relative_to(base))
            except ValueError:
                name = str(path)
            parts += [name, path.read_bytes()]
    return parts


def versions(*distributions: str) -> list[str]:
    """Python's full version and each installed distribution's version: a tool upgrade is a new key."""
    return [python_version()] + [_version(name) for name in distributions]


@functools.lru_cache(maxsize=None)
def _version(name: str) -> str:
    # Looked up once a process: each lookup reads the environment's list of installed packages.
    try:
        return f"{name} {importlib.metadata.version(name)}"
    except importlib.metadata.PackageNotFoundError:
        return f"{name} -"


def python_version() -> str:
    """The interpreter, its full version and its build: a patch release can change what it writes."""
    return f"{platform.python_implementation()} {sys.version}"


# The native libraries WeasyPrint lays out and writes text with, each with the function that reports its
# version where it has one: a new Pango, HarfBuzz, fontconfig or FreeType can move a glyph in a PDF.
NATIVE_LIBRARIES = {"pango-1.0": "pango_version_string", "pangoft2-1.0": None, "harfbuzz": "hb_version_string",
                    "harfbuzz-subset": None, "fontconfig": "FcGetVersion", "freetype": None}


@functools.cache
def native_versions() -> tuple[str, ...]:
    """For each of NATIVE_LIBRARIES: its name, its own version and the file it loads from, with the file's size
    (the file's name carries the full version on Debian: libharfbuzz.so.0.60830.0)."""
    found = []
    for name, version_function in NATIVE_LIBRARIES.items():
        soname = ctypes.util.find_library(name)
        if soname is None:
            found.append(f"{name} -")
            continue
        library = ctypes.CDLL(soname)
        version = ""
        if version_function is not None:
            function = getattr(library, version_function)
            function.restype = ctypes.c_char_p if version_function.endswith("_string") else ctypes.c_int
            result = function()
            version = result.decode() if isinstance(result, bytes) else str(result)
        found.append(f"{name} {version} {_loaded_file(soname)}")
    return tuple(found)


def _loaded_file(soname: str) -> str:
    """The real file behind a loaded library and its size, from this process's memory map (Linux); else the name."""
    try:
        maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return soname
    for line in maps.splitlines():
        path = line.split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
        if Path(path).name.startswith(soname):
            real = Path(path).resolve()
            return f"{real.name} {real.stat().st_size}"
    return soname


def _entry(kind: str, key: str, root: Path) -> Path:
    return root / kind / key


def load(kind: str, key: str) -> bytes | None:
    """The payload stored under key, if a whole and unaltered entry is there; else None."""
    root = cache_dir()
    if root is None:
        return None
    path = _entry(kind, key, root)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    payload = _unwrap(raw, key)
    if payload is None:
        log.info("cache: ignoring a damaged entry %s (it will be made again)", path)
        try:
            path.unlink()
        except OSError:
            pass
    return payload


def store(kind: str, key: str, payload: bytes) -> None:
    """Store payload under key, atomically; a cache that cannot be written only makes the next build slower."""
    root = cache_dir()
    if root is None:
        return
    path = _entry(kind, key, root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{key[:16]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_wrap(payload, key))
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError as err:
        log.info("cache: cannot write %s: %s (the build goes on without it)", path, err)


def cached(kind: str, key: str, make: Callable[[], bytes]) -> bytes:
    """The stored payload for key, or make()'s, stored. A failing make() stores nothing."""
    payload = load(kind, key)
    if payload is not None:
        stats[kind, "hit"] += 1
        return payload
    stats[kind, "miss"] += 1
    payload = make()
    store(kind, key, payload)
    return payload


def _wrap(payload: bytes, key: str) -> bytes:
    return _MAGIC + f"{key} {hashlib.sha256(payload).hexdigest()} {len(payload)}\n".encode("ascii") + payload


def _unwrap(raw: bytes, key: str) -> bytes | None:
    if not raw.startswith(_MAGIC):
        return None
    header, newline, payload = raw[len(_MAGIC):].partition(b"\n")
    try:
        stored_key, sha, size = header.decode("ascii").split(" ")
        size = int(size)
    except ValueError:
        return None
    if (not newline or stored_key != key or len(payload) != size
            or hashlib.sha256(payload).hexdigest() != sha):
        return None
    return payload
