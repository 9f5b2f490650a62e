"""Print leaflets from the policy model: an A5 leaflet, the same imposed as an A4 booklet, large print,
and a print-shop file with bleed.

One job a module: `render` (templates → PDF with WeasyPrint), `qr` (the QR code), `imposition` (booklet
order with pypdf), `build` (render each once, write all or none). This module adds the "Print leaflets"
page and a cache (in memory for `mkdocs serve`, on disk through build_cache across builds), so that the
leaflets are re-rendered only when something they are made from changed.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from checker import dates

from generator import CHECKOUT, build_cache, child_processes
from generator.source import page_names
from generator.pages.render import Page, environment, policy_context
from generator.source.policy_model import Policy
from generator.leaflets.build import (DOWNLOADS, FILE_NAMES, Leaflet, build_leaflets, file_name, make_leaflets,
                                      write_leaflets)
from generator.leaflets.render import FONT_PACKAGE, TEMPLATES, font_faces, render_template
from generator.pages import facts

__all__ = ["DOWNLOADS", "FILE_NAMES", "Leaflet", "build_leaflets", "file_name", "make_leaflets", "write_leaflets",
           "print_leaflets_page", "has_leaflets", "site_files", "site_leaflets", "LeafletJobs"]

PAGE_PATH = page_names.PRINT_LEAFLETS

_cache: dict[str, list[Leaflet]] = {}
# One set a language: the original's and each translation's are held together (a site in three languages asks for three).
CACHE_SETS = 8
SERVE_NICENESS = 10
# The separate render takes under a minute here; one that takes longer than this is stopped, and the build
# renders the leaflets itself (POLICY_SITE_LEAFLET_TIMEOUT, in seconds, to change it).
LEAFLET_TIMEOUT_S = 600


def time_limit() -> float:
    return float(os.environ.get("POLICY_SITE_LEAFLET_TIMEOUT") or LEAFLET_TIMEOUT_S)
log = logging.getLogger("mkdocs.plugins.policy")


def site_leaflets(policy: Policy, font_package: Path = FONT_PACKAGE) -> list[Leaflet]:
    """make_leaflets, remembered for as long as everything the PDFs are made from is unchanged."""
    key = leaflets_key(policy, font_package)
    if key not in _cache:
        payload = build_cache.cached("leaflets", key, lambda: _pack(make_leaflets(policy, font_package=font_package)))
        while len(_cache) >= CACHE_SETS:
            del _cache[next(iter(_cache))]   # the oldest
        # Stored only once rendered and font-checked; the entry's hash vouches that these are those bytes.
        _cache[key] = _unpack(payload)
    return _cache[key]


def leaflets_key(policy: Policy, font_package: Path = FONT_PACKAGE) -> str:
    """A hash of what the PDFs are made from: the policy (a translation's model, in its language), the templates,
    the fonts, this code, the tools, and the native libraries WeasyPrint renders with. Made once for a loaded
    model (a build asks three times)."""
    held = _last_key.get(id(policy))
    if held is not None and held[0] is policy and held[1] == font_package:
        return held[2]
    key = _leaflets_key(policy, font_package)
    if len(_last_key) >= CACHE_SETS:
        _last_key.clear()
    _last_key[id(policy)] = (policy, font_package, key)
    return key


# The last models' keys, by id (the model is kept in the value, so an id is not reused while held): a build
# loads its policy and each translation once.
_last_key: dict[int, tuple[Policy, Path, str]] = {}


def _leaflets_key(policy: Policy, font_package: Path) -> str:
    here = Path(__file__).resolve().parent
    sources = ([p for p in TEMPLATES.rglob("*")] + [face["file"] for face in font_faces(font_package)]
               + list(here.glob("*.py"))
               + [here.parent / "source" / "policy_model.py", here.parent / "errors.py", Path(dates.__file__),
                  here.parent / "pages" / "facts.py", here.parent / "typeface.py"])
    # The day of the build is printed on each leaflet ("Printed on …"): a new day is a new key.
    return build_cache.digest("leaflets", str(policy.path.name), policy.language or "", " ".join(policy.unfinished),
                              facts.printed(policy),
                              json.dumps(policy.data, ensure_ascii=False, default=str),
                              *build_cache.files_parts(sources),
                              *build_cache.versions("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2",
                                                    "pypdf", "segno", "jinja2", "Pillow"),
                              *build_cache.native_versions())


def _pack(leaflets: list[Leaflet]) -> bytes:
    head = [{"key": leaflet.key, "file_name": leaflet.file_name, "size": len(leaflet.pdf),
             "page_count": leaflet.page_count, "page_size_mm": leaflet.page_size_mm} for leaflet in leaflets]
    return json.dumps(head).encode() + b"\n" + b"".join(leaflet.pdf for leaflet in leaflets)


def _unpack(payload: bytes) -> list[Leaflet]:
    header, _, rest = payload.partition(b"\n")
    leaflets, at = [], 0
    for item in json.loads(header):
        leaflets.append(Leaflet(item["key"], item["file_name"], rest[at:at + item["size"]], item["page_count"],
                                tuple(item["page_size_mm"])))
        at += item["size"]
    return leaflets


def site_files(policy: Policy, font_package: Path = FONT_PACKAGE) -> list[tuple[str, str | bytes]]:
    """(path in the site, content) for the "Print leaflets" page and every PDF under downloads/; none for a
    policy without a `leaflet:` block (README, "Decisions")."""
    if not has_leaflets(policy):
        return []
    return _site_files(policy, site_leaflets(policy, font_package))


def has_leaflets(policy: Policy) -> bool:
    """Whether the site has leaflets: the `leaflet:` block is optional, and without it there are none, nor their
    page, rather than a build that fails on a policy `check` passed."""
    return "leaflet" in policy.data


def _site_files(policy: Policy, leaflets: list[Leaflet]) -> list[tuple[str, str | bytes]]:
    """The page and the PDFs, as paths in the language's folder (a translation's are under cy/: the caller's to add)."""
    page = print_leaflets_page(policy, leaflets)
    return [(page.path, page.markdown)] + [(f"{DOWNLOADS}/{leaflet.file_name}", leaflet.pdf) for leaflet in leaflets]


def print_leaflets_page(policy: Policy, leaflets: list[Leaflet], downloads: str = DOWNLOADS) -> Page:
    """The "Print leaflets" page: each PDF with its paper, page count, size and what it is for. `downloads` is the
    PDFs' folder as the page links it (each language's page links its own folder's)."""
    context = {**policy_context(policy), "leaflets": leaflets, "downloads": downloads,
               "printed": facts.printed(policy)}
    markdown = render_template(environment(), "print-leaflets.md.j2", context)
    return Page(PAGE_PATH, markdown)


class LeafletJobs:
    """The leaflets, rendered in a separate process started as soon as the policy is loaded, so that the
    rendering runs beside the invariant check and the pages instead of after them. The process puts the PDFs
    in the build cache; the build takes them from there.

    `mkdocs build` (serve=False) waits for that process: its PDFs are always complete and fresh. Under
    `mkdocs serve` (serve=True), once a first build has made PDFs, a build does not wait: the preview keeps
    the previous PDFs, the pages show the edit at once, and when the new PDFs are ready the process touches
    `marker`, which `mkdocs serve` watches, so the preview builds again and takes them from the cache.

    A render that fails in the separate process is done again in the build itself, so that its error stops
    the build as it always did. Without a cache (POLICY_SITE_CACHE=off) everything is rendered in the build.
    The process has a time limit (time_limit), what it prints goes to the build's log, and it ends with the
    build (generator/child_processes.py, and it watches its parent).
    """

    def __init__(self, serve: bool = False, font_package: Path = FONT_PACKAGE) -> None:
        self.serve = serve
        self.font_package = Path(font_package)
        root = build_cache.cache_dir()
        self.marker = root / "serve" / "leaflets-ready" if root is not None else None
        self.previous: dict[str, list[Leaflet]] = {}   # by language ("" the original's): what serve shows meanwhile
        self.attempted: set[str] = set()
        self.process: subprocess.Popen | None = None
        self.keys: set[str] = set()

    def start(self, policy: Policy, languages: list[str] | tuple[str, ...] = ()) -> None:
        """Start rendering in a separate process, unless these leaflets are made or being made: the original's,
        then each of languages' (translations/LANG.po beside the policy) whose translation makes a model."""
        if not has_leaflets(policy):
            return
        from generator.source.translations import translate
        # A translation's model is quick to make (some hundredths of a second): its key needs it.
        models = [policy, *(t.policy for t in map(lambda code: translate(policy, code), languages)
                            if t.policy is not None)]
        keys = {leaflets_key(model, self.font_package) for model in models}
        if (self.marker is None or keys <= self.attempted
                or all(key in _cache or build_cache.load("leaflets", key) is not None for key in keys)):
            return
        self.stop()
        self.attempted |= keys
        self.marker.parent.mkdir(parents=True, exist_ok=True)
        # Under serve the preview's own rebuild comes first: the separate render yields the processor to it.
        code = (f"import os, sys; os.nice({SERVE_NICENESS if self.serve else 0}); "
                "from generator.leaflets import render_into_cache; "
                "sys.exit(render_into_cache(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))")
        # Its errors reach the build's log under the leaflets' name (collect); a failed render is also redone
        # in the build, whose error then stops it. This Python imports the same generator, installed or from
        # its checkout, whatever the current folder.
        self.log_file = tempfile.NamedTemporaryFile(prefix="leaflets-", suffix=".log", dir=self.marker.parent,
                                                    delete=False)
        self.process = child_processes.start([sys.executable, "-c", code, str(Path(policy.path).resolve()),
                                              str(self.marker), str(self.font_package), *languages], cwd=CHECKOUT,
                                             stdout=self.log_file, stderr=subprocess.STDOUT)
        self.started = time.monotonic()
        self.keys = keys
        if self.serve and self.previous:
            log.info("leaflets: rendering in a separate process; this preview keeps the previous PDFs until "
                     "they are ready, then reloads")

    def site_files(self, policy: Policy) -> list[tuple[str, str | bytes]]:
        if not has_leaflets(policy):
            return []
        key = leaflets_key(policy, self.font_package)
        language = policy.language if policy.original is not None else ""
        if key in self.keys and self.process is not None:
            waited = time.monotonic() - self.started
            held = self.previous.get(language)
            if self.serve and held is not None and self.process.poll() is None and waited < time_limit():
                return _site_files(policy, held)   # the new PDFs are still being made
            try:
                self.process.wait(max(0.0, time_limit() - waited))
            except subprocess.TimeoutExpired:
                log.info("leaflets: the separate process took more than %g s; stopped it, rendering here",
                         time_limit())
            self.collect()
        leaflets = site_leaflets(policy, self.font_package)   # from the cache; rendered here if the process failed
        self.previous[language] = leaflets
        return _site_files(policy, leaflets)

    def collect(self) -> None:
        """End the process if it runs still, and put what it printed in the build's log."""
        if self.process is None:
            return
        child_processes.end(self.process)
        status, self.process = self.process.returncode, None
        self.log_file.close()
        said = Path(self.log_file.name).read_text(encoding="utf-8", errors="replace").strip()
        Path(self.log_file.name).unlink(missing_ok=True)
        if said:
            log.info("leaflets (separate process, exit %s): %s", status, said)

    def stop(self) -> None:
        self.collect()


def render_into_cache(policy_file: str, marker: str, font_package: str | None = None,
                      languages: list[str] | tuple[str, ...] = ()) -> int:
    """The background render's work: the leaflets into the build cache, the original's first, then each
    language's (one after another: the build beside it has the other core); then the marker, done or failed."""
    from generator.errors import BuildError, PolicyError
    from generator.source.load_and_check import load_and_check

    _end_with_parent()
    status = 0
    try:
        # Loaded and checked as the build does; the invariants, the page names and the translations are the
        # build's to report.
        from generator.source.translations import translate
        policy = load_and_check(policy_file, docs_dir=None, invariants=False, languages=[]).policy
        fonts = Path(font_package) if font_package else FONT_PACKAGE
        site_leaflets(policy, fonts)
        for language in languages:
            translated = translate(policy, language).policy   # None when refused: the build says why
            if translated is not None:
                site_leaflets(translated, fonts)
    except (BuildError, PolicyError) as err:
        print(f"leaflets (background): {err}", file=sys.stderr)
        status = 1
    finally:
        Path(marker).write_text(f"{time.time_ns()} {status}\n", encoding="utf-8")
    return status


def _end_with_parent() -> None:
    """The separate render ends when the build that started it has gone, even if killed outright (it would
    otherwise be adopted by init and run on): a thread watches the parent's id."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)
    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
