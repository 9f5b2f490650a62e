"""Booklet imposition: A5 pages two to a side of A4 landscape, so a double-sided print folds into the leaflet.

`booklet_sheets(n)` is the pure part (page count → which page goes where); `impose(pdf)` applies it with pypdf.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject, NullObject,
                           NumberObject, TextStringObject)

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


def booklet_sheets(page_count: int, right_to_left: bool = False) -> list[Sheet]:
    """Sheets in print order. Folded in half, with the first sheet outermost, the pages read in order.

    Sheet k (from 0) carries on its front the k-th page from the end (left) and the k-th from the start
    (right); on its back the next from the start (left) and the next from the end (right). A booklet in a
    right-to-left language is bound on the right, so it opens the other way: each side's two pages swap places
    (the cover on the left of the outer sheet's front, the second page on the right of its back).
    """
    seq = booklet_sequence(page_count)
    last = len(seq) - 1
    sheets = [Sheet(front=(seq[last - 2 * k], seq[2 * k]), back=(seq[2 * k + 1], seq[last - 2 * k - 1]))
              for k in range(len(seq) // 4)]
    if right_to_left:
        return [Sheet(front=sheet.front[::-1], back=sheet.back[::-1]) for sheet in sheets]
    return sheets


def impose(pdf: bytes, right_to_left: bool = False) -> bytes:
    """The A5 leaflet as A4 landscape sheets in booklet order, front then back of each sheet (bound on the
    right for a right-to-left language: booklet_sheets).

    The A5 file's tags come along: each A5 page's marked content keeps its structure element, so the
    imposed file stays a tagged PDF that reads in the leaflet's order, whatever the sheet order.
    """
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    width, height = A4_LANDSCAPE
    placed: dict[int, tuple[int, int]] = {}   # A5 page → (sheet side, offset added to its MCIDs)
    for sheet in booklet_sheets(len(reader.pages), right_to_left):
        for side in (sheet.front, sheet.back):
            target = PageObject.create_blank_page(width=width, height=height)
            next_mcid = 0
            for slot, index in enumerate(side):
                if index is None:
                    continue
                page = reader.pages[index]
                # Two A5 pages share one sheet side: number the second's marked content after the first's.
                placed[index] = (len(writer.pages), next_mcid)
                next_mcid = _shift_mcids(page, reader, next_mcid)
                box = page.mediabox
                # Centre each A5 page in its half of the sheet, so the fold falls between them.
                x = slot * width / 2 + (width / 2 - float(box.width)) / 2 - float(box.left)
                y = (height - float(box.height)) / 2 - float(box.bottom)
                target.merge_transformed_page(page, Transformation().translate(x, y))
            writer.add_page(target).compress_content_streams()   # merging leaves them uncompressed
    writer.add_metadata({k: v for k, v in (reader.metadata or {}).items() if isinstance(k, str)})
    _carry_catalog(reader, writer)
    if "/StructTreeRoot" in reader.trailer["/Root"]:
        _carry_structure(reader, writer, placed)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _shift_mcids(page: PageObject, reader: PdfReader, offset: int) -> int:
    """Add offset to every MCID in the page's content; return the next free MCID."""
    content = ContentStream(page.get_contents(), reader)
    operations = content.operations
    top = offset - 1
    for operands, operator in operations:
        if operator == b"BDC" and len(operands) == 2 and isinstance(operands[1], DictionaryObject) \
                and "/MCID" in operands[1]:
            mcid = int(operands[1]["/MCID"]) + offset
            operands[1][NameObject("/MCID")] = NumberObject(mcid)
            top = max(top, mcid)
    content.operations = operations
    page[NameObject("/Contents")] = content   # the reader is ours alone: change its page in place
    return top + 1


def _carry_catalog(reader: PdfReader, writer: PdfWriter) -> None:
    """Title display, language and the XMP metadata (with its PDF/UA claim) from the A5 file."""
    source = reader.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences", "/Metadata", "/MarkInfo"):
        if key in source:
            writer._root_object[NameObject(key)] = source[key].clone(writer) if key != "/Lang" \
                else TextStringObject(source[key])


def _carry_structure(reader: PdfReader, writer: PdfWriter, placed: dict[int, tuple[int, int]]) -> None:
    """Copy the structure tree, pointing each marked-content reference at its new page and MCID."""
    page_number = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    new_pages = [page.indirect_reference for page in writer.pages]
    parents: dict[int, dict[int, IndirectObject]] = {}   # sheet side → MCID → structure element
    copied: dict[int, IndirectObject] = {}               # source element's object number → its copy

    def reference(page_ref: IndirectObject, mcid: int, element: IndirectObject) -> DictionaryObject:
        side, offset = placed[page_number[page_ref.idnum]]
        parents.setdefault(side, {})[mcid + offset] = element
        return DictionaryObject({NameObject("/Type"): NameObject("/MCR"), NameObject("/Pg"): new_pages[side],
                                 NameObject("/MCID"): NumberObject(mcid + offset)})

    def copy(source_ref: IndirectObject, parent: IndirectObject) -> IndirectObject:
        source = source_ref.get_object()
        element = DictionaryObject()
        ref = writer._add_object(element)
        copied[source_ref.idnum] = ref
        for key, value in source.items():
            if key not in ("/K", "/P", "/Pg"):
                element[NameObject(key)] = value.clone(writer)
        element[NameObject("/P")] = parent
        new_kids = ArrayObject()
        for kid_ref in _kids(source):
            kid = kid_ref.get_object() if isinstance(kid_ref, IndirectObject) else kid_ref
            if isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
                page_ref = kid.raw_get("/Pg") if "/Pg" in kid else source.raw_get("/Pg")
                new_kids.append(reference(page_ref, int(kid["/MCID"]), ref))
            elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/OBJR":
                continue   # a link's annotation: the leaflet has none, and an imposed sheet keeps none
            elif isinstance(kid, DictionaryObject):
                new_kids.append(copy(kid_ref, ref))
            else:
                new_kids.append(reference(source.raw_get("/Pg"), int(kid), ref))
        element[NameObject("/K")] = new_kids
        return ref

    source_root = reader.trailer["/Root"]["/StructTreeRoot"]
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    root_ref = writer._add_object(root)
    root[NameObject("/K")] = ArrayObject(copy(kid, root_ref) for kid in _kids(source_root))
    # WeasyPrint keeps the page footers (margin boxes) out of the tree on purpose, reachable only from
    # the parent tree, as pagination that a reader skips: copy them the same way, unlinked.
    nums = source_root["/ParentTree"]["/Nums"]
    for elements in (nums[i + 1] for i in range(0, len(nums), 2)):
        for element_ref in elements:
            if not isinstance(element_ref, IndirectObject) or element_ref.idnum in copied:
                continue
            top = element_ref
            while top.get_object().raw_get("/P").idnum not in copied:
                top = top.get_object().raw_get("/P")
            copy(top, copied[top.get_object().raw_get("/P").idnum])
    for key in ("/RoleMap", "/ClassMap"):
        if key in source_root:
            root[NameObject(key)] = source_root[key].clone(writer)
    tree = ArrayObject()
    for side, page in enumerate(writer.pages):
        page[NameObject("/StructParents")] = NumberObject(side)
        page[NameObject("/Tabs")] = NameObject("/S")
        by_mcid = parents.get(side, {})
        tree += [NumberObject(side),
                 ArrayObject(by_mcid.get(m, NullObject()) for m in range(max(by_mcid, default=-1) + 1))]
    root[NameObject("/ParentTree")] = DictionaryObject({NameObject("/Nums"): tree})
    root[NameObject("/ParentTreeNextKey")] = NumberObject(len(writer.pages))
    writer._root_object[NameObject("/StructTreeRoot")] = root_ref


def _kids(element: DictionaryObject) -> list:
    kids = element.raw_get("/K") if "/K" in element else None
    if isinstance(kids, IndirectObject):
        kids = kids.get_object() if isinstance(kids.get_object(), ArrayObject) else kids
    if kids is None:
        return []
    return list(kids) if isinstance(kids, ArrayObject) else [kids]
