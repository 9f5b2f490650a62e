"""Security headers for the built site: a CSP meta tag per page, `_headers` for static hosts, an nginx snippet.

The pages promise that nothing leaves the reader's device. The Content-Security-Policy makes the browser keep
that promise too: everything from this origin only, and inline scripts and styles only when their SHA-256 hash,
computed here from each page's final HTML, is listed. A page asks for the checker's extra rights (WebAssembly
and a worker) with `csp: checker` in its front matter.

Plain functions and one small collector class, so that any site engine can call them: the MkDocs plugin only
hands each page's HTML in and asks for the server files at the end.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from generator.errors import BuildError, did_you_mean, one_of

# The rights every page gets. `data:` images: the theme draws its icons as inline SVG in CSS (mask-image).
BASE_POLICY: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

# Extra rights a page may ask for with `csp: <name>` in its front matter.
PROFILES: dict[str, dict[str, list[str]]] = {
    "default": {},
    # Pyodide compiles WebAssembly in a module worker; 'wasm-unsafe-eval' allows that, not JavaScript eval.
    "checker": {"script-src": ["'wasm-unsafe-eval'"], "worker-src": ["'self'"]},
}

# Only a header can carry these: a browser ignores them in a meta tag (and says so in the console).
HEADER_ONLY = {"frame-ancestors": ["'none'"]}

COMMON_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": ", ".join(f"{feature}=()" for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb")),
}

# Served with the right type whatever the server's own table says: Chromium refuses the first two otherwise,
# and a host decides what to compress by type (the checker's data, its standard library and its wheel, stored zips).
CONTENT_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".json": "application/json",
                 ".zip": "application/zip", ".whl": "application/zip"}
# What nginx compresses, from the precompressed .gz files the build writes (generator/precompress.py) or,
# for any file without one, as it sends it.
GZIP_TYPES = ("text/css", "text/javascript", "application/javascript", "application/json", "application/wasm",
              "application/zip", "image/svg+xml", "text/plain")

# Pyodide's files are large and change only with its version: cache them long, by the folder they sit in.
PYODIDE_MARKER = "pyodide.asm.wasm"
LONG_CACHE = "public, max-age=31536000, immutable"

JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript",
            "application/ecmascript"}


def profile_of(requested: object, where: str) -> str:
    """The profile a page asked for (front matter `csp:`), checked against the known ones."""
    if requested is None:
        return "default"
    if not isinstance(requested, str) or requested not in PROFILES:
        raise BuildError(f'{where}: front matter "csp: {requested}" names no known page profile'
                         f"{did_you_mean(str(requested), PROFILES)} ({one_of(PROFILES)})")
    return requested


class _InlineFinder(HTMLParser):
    """Collects the exact text of inline scripts (that run) and inline style elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self._open: tuple[str, list[str]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if "style" in names:
            self.style_attributes.append(tag)
        self.handlers += [f"{tag} {name}" for name in names if name.startswith("on")]
        if tag == "script":
            kind = (dict(attrs).get("type") or "").strip().lower()
            runs = "src" not in names and kind in JS_TYPES
            self._open = ("script", self.scripts if runs else [])
            self._text = []
        elif tag == "style":
            self._open = ("style", self.styles)
            self._text = []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_entityref(self, name):
        if self._open:  # raw text elements: keep the characters as written
            self._text.append(f"&{name}")

    def handle_charref(self, name):
        if self._open:
            self._text.append(f"&#{name}")

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self._open[1].append("".join(self._text))
            self._open = None


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def page_policy(html: str, profile: str, where: str) -> dict[str, list[str]]:
    """The CSP directives for one page's final HTML: base rights, the profile's, and its inline hashes."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    if finder.handlers:
        raise BuildError(f"{where}: inline event handler attributes ({', '.join(sorted(set(finder.handlers)))}) "
                         "cannot be allowed by hash; move the code into a script file")
    directives = {name: list(values) for name, values in BASE_POLICY.items()}
    for name, values in PROFILES[profile].items():
        directives[name] = _merged(directives.get(name, ["'self'"]), values)
    directives["script-src"] = _merged(directives["script-src"], sorted({_sha256(s) for s in finder.scripts}))
    directives["style-src"] = _merged(directives["style-src"], sorted({_sha256(s) for s in finder.styles}))
    return directives


def _merged(values: list[str], extra: list[str]) -> list[str]:
    return values + [v for v in extra if v not in values]


def serialise(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


_CHARSET = re.compile(r"<meta\s+charset=[\"']?[\w-]+[\"']?\s*/?>", re.IGNORECASE)
_HEAD = re.compile(r"<head(\s[^>]*)?>", re.IGNORECASE)


def insert_meta(html: str, csp: str, where: str) -> str:
    """Put the CSP meta tag first in the head (after the charset), before any script it must govern."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if not anchor:
        raise BuildError(f"{where}: the page has no <head> to put its Content-Security-Policy in")
    if "Content-Security-Policy" in html[:anchor.start()]:
        raise BuildError(f"{where}: the page already carries a Content-Security-Policy")
    return html[:anchor.end()] + tag + html[anchor.end():]


@dataclass
class SiteSecurity:
    """Secures each page as it is written and remembers its policy for the server files."""

    pages: dict[str, str] = field(default_factory=dict)  # path in the site -> header CSP
    # `mkdocs serve` adds an inline live-reload script to each page as it serves it, different every time, so
    # no hash can allow it: the preview's pages allow inline scripts. The server files stay strict.
    live_reload: bool = False

    def secure_page(self, html: str, dest_path: str, profile: str = "default") -> str:
        directives = page_policy(html, profile, dest_path)
        self.pages[PurePosixPath(dest_path).as_posix()] = serialise({**directives, **HEADER_ONLY})
        if self.live_reload:
            kept = [v for v in directives["script-src"] if not v.startswith("'sha256-")]
            directives["script-src"] = kept + ["'unsafe-inline'"]  # a hash would switch 'unsafe-inline' off
        return insert_meta(html, serialise(directives), dest_path)

    def write_server_files(self, site_dir: Path) -> None:
        """`_headers` (Netlify, Cloudflare Pages and alike) and `nginx.conf` (include it in a server block)."""
        if not self.pages:
            raise BuildError("no page went through the security step: the plugin's page event did not run")
        files = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file())
        (site_dir / "_headers").write_text(headers_file(self.pages, files), encoding="utf-8")
        (site_dir / "nginx.conf").write_text(nginx_snippet(self.pages, files), encoding="utf-8")


def _long_cache_folders(files: list[str]) -> list[str]:
    return sorted({str(PurePosixPath(f).parent) for f in files if PurePosixPath(f).name == PYODIDE_MARKER})


def _urls_of(page: str) -> list[str]:
    """The addresses a page answers at: as written, and as static hosts serve it (no .html, folder index)."""
    path = PurePosixPath(page)
    if path.name == "index.html":
        folder = "" if str(path.parent) == "." else f"{path.parent}/"
        return [f"/{folder}", f"/{page}"]
    return [f"/{page}", f"/{path.with_suffix('')}"]


def headers_file(pages: dict[str, str], files: list[str]) -> str:
    lines = ["# Generated by the build from the pages' final HTML: security headers for static hosts.",
             "/*"]
    lines += [f"  {name}: {value}" for name, value in COMMON_HEADERS.items()]
    for page, csp in sorted(pages.items()):
        for url in _urls_of(page):
            lines += [url, f"  Content-Security-Policy: {csp}"]
    for folder in _long_cache_folders(files):
        lines += [f"/{folder}/*", f"  Cache-Control: {LONG_CACHE}"]
    for name in files:
        kind = CONTENT_TYPES.get(PurePosixPath(name).suffix)
        if kind:
            lines += [f"/{name}", f"  Content-Type: {kind}"]
    return "\n".join(lines) + "\n"


def _nginx_headers(extra: dict[str, str], indent: str) -> list[str]:
    # add_header in a location drops every add_header inherited from outside it: each block repeats the set.
    return [f'{indent}add_header {name} "{value}" always;' for name, value in {**COMMON_HEADERS, **extra}.items()]


def nginx_snippet(pages: dict[str, str], files: list[str]) -> str:
    """Locations for a server block whose root is the built site: the full header set on every answer."""
    usual, _ = Counter(pages.values()).most_common(1)[0]
    out = ["# Generated by the build from the pages' final HTML. Include it inside a server { } block whose",
           "# root is the built site, with no location of its own: it serves the whole site.",
           "index index.html;",
           "error_page 404 /404.html;" if "404.html" in pages else "",
           "",
           "# Compressed: the .gz file the build wrote beside a file (gzip level 9), else gzip as it is sent.",
           "# With nginx's brotli module loaded, add `brotli_static on;` to the server block: .br files are there too.",
           "gzip on;",
           "gzip_static on;",
           "gzip_vary on;",
           "gzip_comp_level 6;",
           f"gzip_types {' '.join(GZIP_TYPES)};",
           "",
           "location / {",
           "    try_files $uri $uri/ =404;",
           *_nginx_headers({}, "    "),
           "}",
           "",
           "# Pages: the Content-Security-Policy goes on documents only (a worker takes its own from its script).",
           r"location ~* \.html$ {",
           *_nginx_headers({"Content-Security-Policy": usual}, "    "),
           "}"]
    for page, csp in sorted(pages.items()):
        if csp != usual:
            out += [f"location = /{page} {{", *_nginx_headers({"Content-Security-Policy": csp}, "    "), "}"]
    for suffix, kind in CONTENT_TYPES.items():
        out += [f"location ~* \\{suffix}$ {{", f"    types {{ }} default_type {kind};",
                *_nginx_headers({}, "    "), "}"]
    for folder in _long_cache_folders(files):
        out += ["", f"location ^~ /{folder}/ {{", *_nginx_headers({"Cache-Control": LONG_CACHE}, "    ")]
        for suffix, kind in CONTENT_TYPES.items():
            out += [f"    location ~* \\{suffix}$ {{ types {{ }} default_type {kind}; }}"]
        out += ["}"]
    out += ["", "# The server files themselves are not part of the site.",
            "location = /_headers { return 404; }", "location = /nginx.conf { return 404; }"]
    return "\n".join(out) + "\n"


def check_theme(features: list[str], replace_history: bool) -> None:
    """Instant navigation adds history entries with pushState: it would undo `safety.replace_history`."""
    if replace_history and any(f.startswith("navigation.instant") for f in features):
        raise BuildError('mkdocs.yml: theme.features has "navigation.instant", which adds a history entry '
                         "for every page and so defeats safety.replace_history in the policy file; remove "
                         "it (or set safety.replace_history: false)")


def theme_values(policy) -> dict:
    """What the theme templates need from the policy's `safety` settings."""
    return {
        "quick_exit_url": policy.value("safety", "quick_exit_url"),
        "replace_history": bool(policy.value("safety", "replace_history")),
        "tab_title": policy.value("safety", "tab_title"),
        "description": policy.value("safety", "description"),
    }
