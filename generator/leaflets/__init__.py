"""Print leaflets from the policy model: an A5 leaflet, the same imposed as an A4 booklet, large print,
and a print-shop file with bleed.

One job a module: `render` (templates → PDF with WeasyPrint), `qr` (the QR code), `imposition` (booklet
order with pypdf), `build` (render each once, write all or none). This module adds the "Print leaflets"
page and a cache, so that `mkdocs serve` re-renders only when the policy or a template changed.
"""

from __future__ import annotations

import hashlib
import json
from ..pages import Page, environment
from ..policy_model import Policy
from .build import DOWNLOADS, FILE_NAMES, Leaflet, build_leaflets, make_leaflets, write_leaflets
from .render import FONT_PACKAGE, TEMPLATES, format_date, render_template

__all__ = ["DOWNLOADS", "FILE_NAMES", "Leaflet", "build_leaflets", "make_leaflets", "write_leaflets",
           "print_leaflets_page", "site_files", "site_leaflets"]

PAGE_PATH = "print-leaflets.md"

_cache: dict[str, list[Leaflet]] = {}


def site_leaflets(policy: Policy) -> list[Leaflet]:
    """make_leaflets, remembered for as long as the policy file, the templates and the fonts are unchanged."""
    key = _digest(policy)
    if key not in _cache:
        _cache.clear()
        _cache[key] = make_leaflets(policy)
    return _cache[key]


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


def _digest(policy: Policy) -> str:
    digest = hashlib.sha256(json.dumps(policy.data, sort_keys=True, default=str).encode())
    for path in sorted(TEMPLATES.rglob("*")) + sorted((FONT_PACKAGE / "files").glob("*.woff2")):
        if path.is_file():
            digest.update(str(path).encode() + str(path.stat().st_mtime_ns).encode())
    return digest.hexdigest()
