"""Precompressed copies of the site's text and WebAssembly files: `name.gz` and `name.br` beside `name`.

A server that can serve them (nginx's gzip_static, and brotli_static where its brotli module is loaded;
site/nginx.conf switches gzip_static on) sends the smallest form at no cost per request, made once at the
highest settings: gzip level 9 and brotli quality 11, which a server compressing each request could not
afford. Brotli at quality 11 takes about a minute for Pyodide's 9.6 MB wasm, so every result is kept in the
build cache, keyed by the file's content: a file that has not changed is never compressed again.

A copy is written only when it saves at least a tenth of the file: already compressed files (fonts, images)
are left alone. `mkdocs serve` writes none (its own server does not use them).
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from pathlib import Path

import brotli

from generator import build_cache

# Text, scripts, data, WebAssembly, and the checker's standard library and wheel (zips stored uncompressed on purpose).
SUFFIXES = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".txt", ".wasm", ".zip", ".whl")
# Worth a second file only when it saves this share of the bytes.
MIN_SAVING = 0.10
GZIP_LEVEL = 9
BROTLI_QUALITY = 11
ENCODINGS = {"gz": "gzip", "br": "br"}


def _compress(data: bytes, encoding: str) -> bytes:
    if encoding == "gz":
        return gzip.compress(data, GZIP_LEVEL, mtime=0)  # no date inside: the same file, the same bytes
    return brotli.compress(data, quality=BROTLI_QUALITY)


def compressed(data: bytes, encoding: str) -> bytes:
    """data gzipped ("gz") or brotli-compressed ("br"), from the build cache when it was made before."""
    # zlib writes the gzip bytes: its version is in the key as brotli's is.
    settings = f"{encoding} gzip-{GZIP_LEVEL} zlib-{zlib.ZLIB_RUNTIME_VERSION} brotli-{BROTLI_QUALITY} {brotli.__version__}"
    key = build_cache.digest("compressed", settings, hashlib.sha256(data).digest())
    return build_cache.cached(f"compressed-{encoding}", key, lambda: _compress(data, encoding))


def gzip_size(data: bytes) -> int:
    """The bytes a gzip-compressing server sends for data (the smaller of gzip and as it is)."""
    return min(len(data), len(compressed(data, "gz")))


def precompress_site(site_dir: Path) -> dict[str, int]:
    """Write name.gz and name.br beside each file of the built site that they shrink; counts by encoding."""
    written = {encoding: 0 for encoding in ENCODINGS}
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES:
            continue
        data = path.read_bytes()
        for encoding in ENCODINGS:
            packed = compressed(data, encoding)
            target = path.with_name(f"{path.name}.{encoding}")
            if len(packed) <= len(data) * (1 - MIN_SAVING):
                target.write_bytes(packed)
                written[encoding] += 1
            elif target.exists():
                target.unlink()
    return written
