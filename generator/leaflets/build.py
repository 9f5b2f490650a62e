"""Make every leaflet once, and write them all or none.

`make_leaflets` renders in memory; `write_leaflets` writes each file beside its final name and swaps them in
only once every leaflet rendered, so a broken template or a missing font leaves the previous PDFs in place.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

from generator import typeface
from generator.errors import BuildError
from generator.source.policy_model import Policy
from generator.leaflets.render import FONT_FAMILY, FONT_PACKAGE, TEMPLATES, Layout, render_pdf

A5 = Layout("a5", "A5")
PRINT_SHOP = Layout("print-shop", "A5", bleed="3mm", crop_marks=True)
LARGE_PRINT = Layout("large-print", "A4", large_print=True)

# File names are a public interface: other pages link to them.
FILE_NAMES = {
    "a5": "confidentiality-policy-a5.pdf",
    "booklet": "confidentiality-policy-a5-booklet-a4.pdf",
    "large-print": "confidentiality-policy-large-print.pdf",
    "print-shop": "confidentiality-policy-a5-print-shop.pdf",
}
DOWNLOADS = "downloads"   # the folder in the site (a translation's: under its own folder, cy/downloads/)


def file_name(key: str, language: str | None = None) -> str:
    """A leaflet's file name: a translation's carries its language ("confidentiality-policy-a5-cy.pdf"), so that
    staff who download both languages get two files, not "(1)" copies of one name."""
    return FILE_NAMES[key] if language is None else FILE_NAMES[key].removesuffix(".pdf") + f"-{language}.pdf"


@dataclass(frozen=True)
class Leaflet:
    key: str          # "a5", "booklet", "large-print", "print-shop": the page template words it by this
    file_name: str
    pdf: bytes
    page_count: int
    page_size_mm: tuple[float, float]   # the trimmed page (or sheet) size, width × height

    @property
    def size_bytes(self) -> int:
        return len(self.pdf)


# The fonts of right-to-left scripts, as their names appear in a PDF (without spaces or hyphens).
RIGHT_TO_LEFT_FONTS = (typeface.ARABIC.family.replace(" ", ""),)


def make_leaflets(policy: Policy, *, templates: Path = TEMPLATES, font_package: Path = FONT_PACKAGE) -> list[Leaflet]:
    """Every leaflet, rendered once each; the booklet is imposed from the A5 file."""
    from generator.leaflets.imposition import impose   # pypdf: imported only when leaflets are made, not on a cache hit
    rtl = policy.direction == "rtl"

    def render(layout: Layout) -> bytes:
        pdf = render_pdf(policy, layout, templates=templates, font_package=font_package)
        if rtl:   # its text layer read in reading order (reading_order.py)
            from generator.leaflets.reading_order import in_reading_order
            pdf = in_reading_order(pdf, RIGHT_TO_LEFT_FONTS)
        return pdf

    a5 = render(A5)
    pdfs = {
        "a5": a5,
        "booklet": impose(a5, right_to_left=rtl),   # bound on the right in a right-to-left language
        "large-print": render(LARGE_PRINT),
        "print-shop": render(PRINT_SHOP),
    }
    leaflets = [_describe(key, pdf, policy.language if policy.original is not None else None)
                for key, pdf in pdfs.items()]
    for leaflet in leaflets:
        _check_fonts(leaflet)
    return leaflets


def write_leaflets(leaflets: list[Leaflet], dest: Path) -> list[Path]:
    """Write every leaflet into dest: all to temporary names first, then each renamed into place."""
    dest.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for leaflet in leaflets:
            temp = dest / f".{leaflet.file_name}.tmp"
            temp.write_bytes(leaflet.pdf)
            staged.append((temp, dest / leaflet.file_name))
    except OSError as err:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise BuildError(f"{dest}: cannot write the leaflets: {err}") from None
    for temp, final in staged:
        os.replace(temp, final)
    return [final for _, final in staged]


def build_leaflets(policy: Policy, dest: Path, **options) -> list[Leaflet]:
    """Render every leaflet, then write them into dest. Raises BuildError; dest is untouched on failure."""
    leaflets = make_leaflets(policy, **options)
    write_leaflets(leaflets, dest)
    return leaflets


def _describe(key: str, pdf: bytes, language: str | None = None) -> Leaflet:
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(pdf)).pages
    box = page[0].trimbox   # the print-shop file's media box includes bleed and marks
    to_mm = 25.4 / 72
    size = (round(float(box.width) * to_mm, 1), round(float(box.height) * to_mm, 1))
    return Leaflet(key, file_name(key, language), pdf, len(page), size)


def _check_fonts(leaflet: Leaflet) -> None:
    """Every font in the file is one of the typeface's files (generator/typeface.py), embedded: any other means a
    character fell back to a font of the machine's."""
    wanted = [source.family.replace(" ", "") for source in typeface.SOURCES]
    for name, embedded in pdf_fonts(leaflet.pdf):
        if not any(family in name.replace("-", "") for family in wanted):
            raise BuildError(f"{leaflet.file_name}: some text is set in {name.lstrip('/')}, a font of the machine's: "
                             f"a character the typeface lacks, in the policy or a template (expected every font to "
                             f"be one of generator/typeface.py's: {', '.join(s.family for s in typeface.SOURCES)})")
        if not embedded:
            raise BuildError(f"{leaflet.file_name}: font {name.lstrip('/')} is not embedded (expected it embedded)")


def pdf_fonts(pdf: bytes) -> list[tuple[str, bool]]:
    """(base font name, embedded?) for every font used on any page."""
    found = {}
    from pypdf import PdfReader

    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descriptors = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            embedded = any(k in d["/FontDescriptor"].get_object() for d in descriptors if "/FontDescriptor" in d
                           for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font["/BaseFont"])] = embedded
    return sorted(found.items())
