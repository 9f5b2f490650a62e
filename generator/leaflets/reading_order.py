"""A right-to-left leaflet's text layer in reading order: what copying or extracting its text reads.

WeasyPrint writes each line as one text object whose runs (one per font, and per change of text rise) follow
each other from left to right, as they are drawn. In a right-to-left line that is the reverse of the reading
order: a text extractor (pypdf, a screen reader without the tags) read "Lantern Line" before the Arabic words
that come before it, and the full stop of a sentence first. `in_reading_order` writes each such line's runs
again, group by group from the right, where a group is the runs next to each other in one direction, each group
placed where it was drawn (its own text matrix), so that the page looks the same (tests/test_leaflet_rtl.py
compares the rendered pixels) and reads in order. A run is a font's, not a direction's: the full stop of an Arabic
sentence that ends with "Lantern Line" is drawn in the typeface, in the name's run, at its left; a left-to-right
run's leading marks (ToUnicode says which glyphs they are) are split off as a group of their own, so that the
sentence reads "… Lantern Line." and not "… .Lantern Line".
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, FloatObject, NumberObject

# The operators a line's text object holds; one with any other (a colour, spacing) is left as it is.
_LINE_OPERATORS = {b"Tm", b"Tf", b"TJ", b"Ts"}


def in_reading_order(pdf: bytes, right_to_left_fonts: tuple[str, ...]) -> bytes:
    """The PDF with every line that has a run in one of these fonts (their base names contain one of
    `right_to_left_fonts`, "IBMPlexSansArabic") and more than one run written in reading order."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        fonts = {name: _Font(font.get_object()) for name, font in page["/Resources"].get("/Font", {}).items()}
        rtl = {name for name, font in fonts.items()
               if any(part in font.base_name.replace("-", "") for part in right_to_left_fonts)}
        content = ContentStream(page.get_contents(), writer)
        if any(op in (b"Tc", b"Tw", b"Tz") for _, op in content.operations):
            continue   # spacing or scaling the widths here do not count: the page is left as drawn
        operations, changed = [], False
        # The text rise is graphics state: a line starts with the one the last Ts set, as q saved and Q restored it.
        rise, saved = 0.0, []
        i = 0
        while i < len(content.operations):
            operands, operator = content.operations[i]
            if operator != b"BT":
                operations.append(content.operations[i])
                if operator == b"Ts":
                    rise = float(operands[0])
                elif operator == b"q":
                    saved.append(rise)
                elif operator == b"Q" and saved:
                    rise = saved.pop()
                i += 1
                continue
            end = next(j for j in range(i, len(content.operations)) if content.operations[j][1] == b"ET")
            line = content.operations[i + 1:end]
            reordered = _line_in_reading_order(line, fonts, rtl, rise)
            for operands, operator in line:
                rise = float(operands[0]) if operator == b"Ts" else rise
            changed |= reordered is not None
            operations.extend([content.operations[i], *(reordered or line), content.operations[end]])
            i = end + 1
        if changed:
            content.operations = operations
            page.replace_contents(content)
            page.compress_content_streams()   # written back plain otherwise: an Arabic A5 of 90 KB, not 20
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Font:
    """A Type0 font's base name and its glyphs' widths (thousandths of the font size), from its /W array. Any
    other font (one byte a code) is not measured: a line with one is left as it is."""

    def __init__(self, font) -> None:
        self.base_name = str(font.get("/BaseFont", ""))
        self.type0 = font.get("/Subtype") == "/Type0"
        # What each glyph stands for, from the font's ToUnicode map (WeasyPrint writes each glyph's text there).
        self.text: dict[int, str] = {}
        if "/ToUnicode" in font:
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, flags=re.S):
                for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
                    self.text[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be", errors="replace")
        self.widths: dict[int, float] = {}
        self.default = 1000.0
        for descendant in font.get("/DescendantFonts", []):
            descendant = descendant.get_object()
            self.default = float(descendant.get("/DW", 1000))
            spec = list(descendant.get("/W", []))
            k = 0
            while k < len(spec):
                first, rest = int(spec[k]), spec[k + 1]
                if isinstance(rest, ArrayObject):
                    self.widths.update((first + n, float(w)) for n, w in enumerate(rest))
                    k += 2
                else:
                    self.widths.update((cid, float(spec[k + 2])) for cid in range(first, int(rest) + 1))
                    k += 3

    def advance(self, shown: ArrayObject, size: float) -> float:
        """How far a TJ array moves the pen, in text space: its glyphs' widths less its adjustments."""
        total = 0.0
        for item in shown:
            if isinstance(item, (NumberObject, FloatObject, int, float)):
                total -= float(item)
            else:
                data = bytes(item.original_bytes) if hasattr(item, "original_bytes") else bytes(item)
                total += sum(self.widths.get(data[k] << 8 | data[k + 1], self.default) for k in range(0, len(data) - 1, 2))
        return total / 1000 * size


# Marks a right-to-left sentence ends or pauses with: drawn in the typeface next to a left-to-right run, they
# belong to the sentence around it, not to the run (at a sentence's end, "Lantern Line." in logical order).
_NEUTRAL = set(".,:;!?،؛؟)(")


def _items(shown: ArrayObject) -> list:
    """A TJ array's items: each glyph's two-byte code (bytes), and the adjustments between them (numbers)."""
    items: list = []
    for item in shown:
        if isinstance(item, (NumberObject, FloatObject, int, float)):
            items.append(item)
        else:
            data = bytes(item.original_bytes) if hasattr(item, "original_bytes") else bytes(item)
            items += [data[k:k + 2] for k in range(0, len(data) - 1, 2)]
    return items


def _is_neutral(code, font: _Font) -> bool:
    return isinstance(code, bytes) and font.text.get(code[0] << 8 | code[1], "") in _NEUTRAL


def _neutral_start(shown: ArrayObject, font: _Font) -> tuple[ArrayObject, ArrayObject] | None:
    """A left-to-right run's leading neutral marks (drawn at its left: the end of the right-to-left sentence
    around it), split from the rest: (marks, rest); None when it starts with a letter or is marks alone."""
    items = _items(shown)
    count = 0
    while count < len(items) and (_is_neutral(items[count], font) or not isinstance(items[count], bytes)):
        count += 1
    if count == len(items) or not any(isinstance(item, bytes) for item in items[:count]):
        return None
    return tuple(ArrayObject(ByteStringObject(i) if isinstance(i, bytes) else i for i in part)
                 for part in (items[:count], items[count:]))


def _direction(run, fonts: dict, rtl: set) -> str:
    """A run's direction for grouping: "rtl" (its font's), "neutral" (marks alone: a group of their own), "ltr"."""
    if run[1] in rtl:
        return "rtl"
    glyphs = [item for item in _items(run[4]) if isinstance(item, bytes)]
    return "neutral" if glyphs and all(_is_neutral(g, fonts[run[1]]) for g in glyphs) else "ltr"


def _line_in_reading_order(line: list, fonts: dict, rtl: set, rise: float) -> list | None:
    """The line's operators with its runs from right to left, or None when there is nothing to change. `rise`:
    the text rise it starts with; it ends with the one it ended with before."""
    if {op for _, op in line} - _LINE_OPERATORS or [op for _, op in line].count(b"Tm") != 1 or line[0][1] != b"Tm":
        return None
    a, b, c, d, x, y = (float(v) for v in line[0][0])
    # The line sets its font before its first run (a font inherited from an earlier line is not known here).
    start_rise, runs, font, size = rise, [], None, 0.0
    for operands, op in line[1:]:
        if op == b"Tf":
            font, size = operands[0], float(operands[1])
        elif op == b"Ts":
            rise = float(operands[0])
        elif op == b"TJ":
            if font not in fonts or not fonts[font].type0:
                return None
            split = None if font in rtl else _neutral_start(operands[0], fonts[font])
            for piece in (split or (operands[0],)):
                runs.append((x, font, size, rise, piece))
                x += fonts[font].advance(piece, size) * a
    if len(runs) < 2 or not any(run[1] in rtl for run in runs):
        return None
    # Reading order: the line's groups from right to left, where a group is the runs next to each other in one
    # direction (an Arabic word whose mark is raised is three runs; "Example Lantern Trust" is one or more), each
    # group's runs in the order they were, drawn on from its first one's place as before.
    groups: list[list] = []
    for run in runs:
        if groups and _direction(run, fonts, rtl) == _direction(groups[-1][-1], fonts, rtl) != "neutral":
            groups[-1].append(run)
        else:
            groups.append([run])
    out, state = [], (None, None, start_rise)
    for group in reversed(groups):
        out.append(([FloatObject(v) for v in (a, b, c, d, group[0][0], y)], b"Tm"))
        for _, name, run_size, run_rise, shown in group:
            # Only what changes: a text extractor takes each font change for the end of a piece of text.
            if (name, run_size) != state[:2]:
                out.append(([name, FloatObject(run_size)], b"Tf"))
            if run_rise != state[2]:
                out.append(([FloatObject(run_rise)], b"Ts"))
            out.append(([shown], b"TJ"))
            state = (name, run_size, run_rise)
    # The text state it leaves is the one the line left: its last font and rise.
    return (out + ([([font, FloatObject(size)], b"Tf")] if state[:2] != (font, size) else [])
            + ([([FloatObject(rise)], b"Ts")] if state[2] != rise else []))

