"""Booklet imposition: A5 pages two to a side of A4 landscape, so a double-sided print folds into the leaflet.

`booklet_sheets(n)` is the pure part (page count → which page goes where); `impose(pdf)` applies it with pypdf.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import NameObject, TextStringObject

A4_LANDSCAPE = (841.8898, 595.2756)   # points


@dataclass(frozen=True)
class Sheet:
    """One A4 sheet: the A5 pages (0-based; None is a blank) on each side, left then right."""

    front: tuple[int | None, int | None]
    back: tuple[int | None, int | None]


def booklet_sequence(page_count: int) -> list[int | None]:
    """The leaflet's pages padded with blanks to a multiple of four.

    The blanks go just before the last page, so the back cover stays on the outside of the fold.
    """
    if page_count < 1:
        raise ValueError(f"a booklet needs at least one page, not {page_count}")
    blanks = -page_count % 4
    pages: list[int | None] = list(range(page_count))
    if page_count == 1:
        return pages + [None] * blanks
    return pages[:-1] + [None] * blanks + pages[-1:]


def booklet_sheets(page_count: int) -> list[Sheet]:
    """Sheets in print order. Folded in half, with the first sheet outermost, the pages read in order.

    Sheet k (from 0) carries on its front the k-th page from the end (left) and the k-th from the start
    (right); on its back the next from the start (left) and the next from the end (right).
    """
    seq = booklet_sequence(page_count)
    last = len(seq) - 1
    return [Sheet(front=(seq[last - 2 * k], seq[2 * k]), back=(seq[2 * k + 1], seq[last - 2 * k - 1]))
            for k in range(len(seq) // 4)]


def impose(pdf: bytes) -> bytes:
    """The A5 leaflet as A4 landscape sheets in booklet order, front then back of each sheet."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    width, height = A4_LANDSCAPE
    for sheet in booklet_sheets(len(reader.pages)):
        for side in (sheet.front, sheet.back):
            target = PageObject.create_blank_page(width=width, height=height)
            for slot, index in enumerate(side):
                if index is None:
                    continue
                page = reader.pages[index]
                box = page.mediabox
                # Centre each A5 page in its half of the sheet, so the fold falls between them.
                x = slot * width / 2 + (width / 2 - float(box.width)) / 2 - float(box.left)
                y = (height - float(box.height)) / 2 - float(box.bottom)
                target.merge_transformed_page(page, Transformation().translate(x, y))
            writer.add_page(target).compress_content_streams()   # merging leaves them uncompressed
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if isinstance(k, str)})
    # The reading copy is the A5 file; this one is for the printer, but it keeps the title and language.
    if "/Lang" in reader.trailer["/Root"]:
        writer._root_object[NameObject("/Lang")] = TextStringObject(reader.trailer["/Root"]["/Lang"])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
