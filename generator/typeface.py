"""The typeface the site and the leaflets set their text in, and which file draws which letter.

Atkinson Hyperlegible (the npm package @fontsource/atkinson-hyperlegible) is the typeface, in two files a style:
Latin and Latin Extended. It lacks 22 characters that its successor by the same designers, Atkinson Hyperlegible
Next (@fontsource/atkinson-hyperlegible-next), has: Welsh ŵ ŷ ẁ ẃ ẅ ỳ and their capitals among them, and the thin
space. Those characters, and only those (GAP), are drawn from Next's files; everything else stays in the
typeface the site has always had (decision: DESIGN.md, "Languages"). Both the site's stylesheet and the leaflets'
take their faces from here (`faces`), so that one list says which file has which character.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from generator import npm_assets
from generator.errors import BuildError

FAMILY = "Atkinson Hyperlegible"
SUBSETS = ("latin", "latin-ext")
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


@dataclass(frozen=True)
class Face:
    """One file of the typeface: which package, which subset and style, and the characters it draws."""

    package: npm_assets.NpmPackage
    subset: str          # "latin", "latin-ext"
    weight: int
    style: str           # "normal", "italic"
    points: frozenset[int]

    @property
    def file_name(self) -> str:
        return f"{self.package.name.rsplit('/', 1)[1]}-{self.subset}-{self.weight}-{self.style}.woff2"

    @property
    def fills_gap(self) -> bool:
        return self.package is npm_assets.FONT_GAPS

    @property
    def unicode_range(self) -> str:
        return unicode_range(set(self.points))


def ranges(package: npm_assets.NpmPackage) -> dict[str, str]:
    """Each subset's unicode-range, as the @fontsource package gives it (its unicode.json), written out here so
    that a stylesheet needs no package to be read (tests/test_typeface.py compares them with the files)."""
    return _RANGES[package.name]


_RANGES = {
    name: {
        "latin": "U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,"
                 "U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD",
        "latin-ext": "U+0100-02BA,U+02BD-02C5,U+02C7-02CC,U+02CE-02D7,U+02DD-02FF,U+0304,U+0308,U+0329,U+1D00-1DBF,"
                     "U+1E00-1E9F,U+1EF2-1EFF,U+2020,U+20A0-20AB,U+20AD-20C0,U+2113,U+2C60-2C7F,U+A720-A7FF",
    }
    for name in (npm_assets.FONT.name, npm_assets.FONT_GAPS.name)
}


def faces(styles: tuple[tuple[int, str], ...]) -> list[Face]:
    """The typeface's files for these (weight, style) pairs: the typeface's own, each drawing its subset's range
    but the gap, then Next's, each drawing the gap's part of its subset's range."""
    found = []
    for package in (npm_assets.FONT, npm_assets.FONT_GAPS):
        for subset, covered in ranges(package).items():
            points = code_points(covered)
            points = points & GAP if package is npm_assets.FONT_GAPS else points - GAP
            if points:
                found.extend(Face(package, subset, weight, style, frozenset(points)) for weight, style in styles)
    return found


def gaps_folder(font_package: Path) -> Path:
    """Next's package folder: in the node_modules that holds the typeface's (npm installs them together), else
    where npm_assets looks. Raises BuildError naming the npm command when it is not there."""
    return npm_assets.locate(npm_assets.FONT_GAPS, None, Path(font_package))


def face_file(face: Face, font_package: Path) -> Path:
    """The woff2 file of a face, in the typeface's package folder or Next's beside it."""
    folder = gaps_folder(font_package) if face.fills_gap else Path(font_package)
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
