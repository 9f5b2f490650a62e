"""The typeface the site and the leaflets set their text in, and which file draws which letter.

Atkinson Hyperlegible (the npm package @fontsource/atkinson-hyperlegible) is the typeface, in two files a style:
Latin and Latin Extended. It lacks 22 characters that its successor by the same designers, Atkinson Hyperlegible
Next (@fontsource/atkinson-hyperlegible-next), has: Welsh ŵ ŷ ẁ ẃ ẅ ỳ and their capitals among them, and the thin
space. Those characters, and only those (GAP), are drawn from Next's files; everything else stays in the
typeface the site has always had (decision: DESIGN.md, "Languages"). It has no Arabic script: IBM Plex Sans Arabic
(@fontsource/ibm-plex-sans-arabic) draws that, and only that (issue 29). Both the site's stylesheet and the leaflets'
take their faces from here (`faces`), so that one list says which file has which character.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from generator import npm_assets
from generator.errors import BuildError

FAMILY = "Atkinson Hyperlegible"
# Every character Next's Latin and Latin Extended files have and the typeface's lack, the same in each style
# (tests/test_typeface.py works it out again from the files, so a new version of either package shows here).
GAP_RANGE = "U+0130,U+0132-0133,U+0139-013A,U+0174-0177,U+0237,U+02C9,U+1E80-1E85,U+1E9E,U+1EF2-1EF3,U+2009,U+20B9"


def code_points(unicode_range: str) -> set[int]:
    """The code points a CSS unicode-range names ("U+0000-00FF,U+0131")."""
    points: set[int] = set()
    for part in unicode_range.replace(" ", "").split(","):
        first, _, last = part.upper().removeprefix("U+").partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def unicode_range(points: set[int]) -> str:
    """A CSS unicode-range naming exactly these code points, in runs."""
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ",".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in runs)


GAP = frozenset(code_points(GAP_RANGE))


_LATIN = {
    "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,"
             "U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
    "latin-ext": "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,"
                 "U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF",
}


@dataclass(frozen=True)
class Source:
    """An npm package of font files, its family's own name, and the subsets used with their unicode-ranges as the
    package's unicode.json gives them (written out here, so that a stylesheet needs no package read;
    tests/test_typeface.py compares them)."""

    package: npm_assets.NpmPackage
    family: str
    subsets: dict[str, str]
    italic: bool = True      # Arabic script has no italic: its text stays upright in an <em>

    def __hash__(self) -> int:
        return hash(self.package.name)


TYPEFACE = Source(npm_assets.FONT, FAMILY, _LATIN)
# Every character Next's Latin and Latin Extended files have and the typeface's lack, the same in each style.
GAP_SOURCE = Source(npm_assets.FONT_GAPS, "Atkinson Hyperlegible Next", _LATIN)
# The Arabic script, which the typeface does not have: IBM Plex Sans Arabic, a sans serif like the typeface, whose
# letters are whole glyphs (Noto Naskh Arabic builds them from shared parts, and WeasyPrint's text layer then read
# one letter for another: DESIGN.md, issue 29).
ARABIC = Source(npm_assets.FONT_ARABIC, "IBM Plex Sans Arabic", {"arabic": (
        "U+0600-06FF,U+0750-077F,U+0870-088E,U+0890-0891,U+0897-08E1,U+08E3-08FF,U+200C-200E,U+2010-2011,"
        "U+204F,U+2E41,U+FB50-FDFF,U+FE70-FE74,U+FE76-FEFC,U+102E0-102FB,U+10E60-10E7E,U+10EC2-10EC4,"
        "U+10EFC-10EFF,U+1EE00-1EE03,U+1EE05-1EE1F,U+1EE21-1EE22,U+1EE24,U+1EE27,U+1EE29-1EE32,U+1EE34-1EE37,"
        "U+1EE39,U+1EE3B,U+1EE42,U+1EE47,U+1EE49,U+1EE4B,U+1EE4D-1EE4F,U+1EE51-1EE52,U+1EE54,U+1EE57,U+1EE59,"
        "U+1EE5B,U+1EE5D,U+1EE5F,U+1EE61-1EE62,U+1EE64,U+1EE67-1EE6A,U+1EE6C-1EE72,U+1EE74-1EE77,"
        "U+1EE79-1EE7C,U+1EE7E,U+1EE80-1EE89,U+1EE8B-1EE9B,U+1EEA1-1EEA3,U+1EEA5-1EEA9,U+1EEAB-1EEBB,"
        "U+1EEF0-1EEF1")}, italic=False)
SOURCES = (TYPEFACE, GAP_SOURCE, ARABIC)


@dataclass(frozen=True)
class Face:
    """One file of the typeface: which source, subset and style, and the characters it draws."""

    source: Source
    subset: str          # "latin", "latin-ext", "arabic"
    weight: int
    style: str           # "normal", "italic"
    points: frozenset[int]

    @property
    def file_name(self) -> str:
        style = self.style if self.source.italic else "normal"
        return f"{self.source.package.name.rsplit('/', 1)[1]}-{self.subset}-{self.weight}-{style}.woff2"

    @property
    def fills_gap(self) -> bool:
        return self.source is GAP_SOURCE

    @property
    def unicode_range(self) -> str:
        return unicode_range(set(self.points))


def faces(styles: tuple[tuple[int, str], ...]) -> list[Face]:
    """The files for these (weight, style) pairs: the typeface's own, each drawing its subset's range but the gap;
    Next's, each drawing the gap's part of its subset's range; then the Arabic script's, drawing its range but
    what the typeface's files draw (the digits, the Latin letters and punctuation of an Arabic page stay the
    typeface's). A source without italic gives its upright file for the italic style."""
    found = []
    typeface = set().union(*(code_points(r) for r in TYPEFACE.subsets.values())) - GAP
    for source in SOURCES:
        for subset, covered in source.subsets.items():
            points = code_points(covered)
            if source is TYPEFACE:
                points -= GAP
            elif source is GAP_SOURCE:
                points &= GAP
            else:
                points -= typeface | GAP
            if points:
                found.extend(Face(source, subset, weight, style, frozenset(points)) for weight, style in styles)
    return found


def face_file(face: Face, font_package: Path) -> Path:
    """The woff2 file of a face: in the typeface's package folder, or in the package of its source found beside
    it (npm installs them together; else where npm_assets looks). Raises BuildError naming the npm command when it
    is not there."""
    if face.source is TYPEFACE:
        folder = Path(font_package)
    else:
        folder = npm_assets.locate(face.source.package, None, Path(font_package))
    return folder / "files" / face.file_name


@functools.lru_cache(maxsize=64)
def characters(file: Path) -> frozenset[int]:
    """The code points a font file has a glyph for."""
    from fontTools.ttLib import TTFont
    try:
        return frozenset(TTFont(file).getBestCmap())
    except (OSError, ValueError) as err:
        raise BuildError(f"{file}: cannot read the font ({err}); run `npm ci` to install it again") from None


def drawn(font_package: Path, styles: tuple[tuple[int, str], ...]) -> set[int]:
    """Every character some face of these styles draws: a glyph in its file and within its range."""
    points: set[int] = set()
    for face in faces(styles):
        points |= characters(face_file(face, font_package)) & face.points
    return points


def undrawn(text: str, drawn: set[int]) -> list[str]:
    """The characters of a text that none of `drawn` covers, each once, in order of code point, as "ŵ (U+0175)".
    The text is taken composed (NFC), as a browser's or WeasyPrint's shaping draws "e" with a combining acute as
    "é"; white space, control characters and invisible marks need no glyph."""
    return [f"{c} (U+{ord(c):04X})" for c in sorted(set(unicodedata.normalize("NFC", text)))
            if ord(c) not in drawn and not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf")]
