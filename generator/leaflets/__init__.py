"""Print leaflets from the policy model: an A5 leaflet, the same imposed as an A4 booklet, large print,
and a print-shop file with bleed.

One job a module: `render` (templates → PDF with WeasyPrint), `qr` (the QR code), `imposition` (booklet
order with pypdf), `build` (render each once, write all or none). This module adds the "Print leaflets"
page and a cache (in memory for `mkdocs serve`, on disk through build_cache across builds), so that the
leaflets are re-rendered only when something they are made from changed.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import build_cache
from ..pages import Page, environment
from ..policy_model import Policy
from .build import DOWNLOADS, FILE_NAMES, Leaflet, build_leaflets, describe_leaflets, make_leaflets, write_leaflets
from .render import FONT_PACKAGE, TEMPLATES, format_date, render_template

__all__ = ["DOWNLOADS", "FILE_NAMES", "Leaflet", "build_leaflets", "make_leaflets", "write_leaflets",
           "print_leaflets_page", "site_files", "site_leaflets"]

PAGE_PATH = "print-leaflets.md"

_cache: dict[str, list[Leaflet]] = {}


def site_leaflets(policy: Policy) -> list[Leaflet]:
    """make_leaflets, remembered for as long as everything the PDFs are made from is unchanged."""
    key = leaflets_key(policy)
    if key not in _cache:
        payload = build_cache.cached("leaflets", key, lambda: _pack(make_leaflets(policy)))
        _cache.clear()
        # From the cache the PDFs are described again, fonts checked, exactly as when they were rendered.
        _cache[key] = describe_leaflets(_unpack(payload))
    return _cache[key]


def leaflets_key(policy: Policy) -> str:
    """A hash of what the PDFs are made from: the policy, the templates, the fonts, this code, the tools."""
    here = Path(__file__).resolve().parent
    sources = ([p for p in TEMPLATES.rglob("*")] + [FONT_PACKAGE / "unicode.json"]
               + list((FONT_PACKAGE / "files").glob("*.woff2")) + list(here.glob("*.py"))
               + [here.parent / "policy_model.py", here.parent / "errors.py", build_cache.ROOT / "checker" / "dates.py"])
    return build_cache.digest("leaflets", str(policy.path.name),
                              json.dumps(policy.data, ensure_ascii=False, default=str),
                              *build_cache.files_parts(sources),
                              *build_cache.versions("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2",
                                                    "pypdf", "segno", "jinja2", "Pillow"))


def _pack(leaflets: list[Leaflet]) -> bytes:
    head = [{"key": leaflet.key, "size": len(leaflet.pdf)} for leaflet in leaflets]
    return json.dumps(head).encode() + b"\n" + b"".join(leaflet.pdf for leaflet in leaflets)


def _unpack(payload: bytes) -> dict[str, bytes]:
    header, _, rest = payload.partition(b"\n")
    pdfs, at = {}, 0
    for item in json.loads(header):
        pdfs[item["key"]] = rest[at:at + item["size"]]
        at += item["size"]
    return pdfs


def site_files(policy: Policy) -> list[tuple[str, str | bytes]]:
    """(path in the site, content) for the "Print leaflets" page and every PDF under downloads/."""
    leaflets = site_leaflets(policy)
    page = print_leaflets_page(policy, leaflets)
    return [(page.path, page.markdown)] + [(f"{DOWNLOADS}/{leaflet.file_name}", leaflet.pdf) for leaflet in leaflets]


def print_leaflets_page(policy: Policy, leaflets: list[Leaflet]) -> Page:
    """The "Print leaflets" page: each PDF with its paper, page count, size and what it is for."""
    context = {"policy": policy, "meta": policy.metadata, "value": policy.value, "leaflets": leaflets,
               "downloads": DOWNLOADS,
               "effective_date": format_date(policy, policy.value("metadata", "effective_date"))}
    markdown = render_template(environment(), "print-leaflets.md.j2", context)
    return Page(PAGE_PATH, markdown)
