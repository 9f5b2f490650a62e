"""Files the site serves that come from installed packages rather than from site_src/: the typeface.

The site loads nothing from another origin, so the font files are copied into it at build time from the
npm packages @fontsource/atkinson-hyperlegible, for the letters it lacks @fontsource/atkinson-hyperlegible-next,
and for the Arabic script @fontsource/ibm-plex-sans-arabic (generator/typeface.py; generator/npm_assets.py says where
they are found). Only the files site.css names are copied.

Each face is then split in two (split_faces): a "core" file holding only the glyphs the site's text uses, and the
whole file, which the browser now fetches only for a character the core lacks.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path

from generator import build_cache, npm_assets, typeface
from generator.typeface import code_points, unicode_range
from generator.errors import BuildError

FONT_DEST = "assets/fonts"

# Latin and Latin Extended, regular, bold and italic, of the typeface and of the file that fills its gaps: what
# site.css's @font-face rules name (tests/test_typeface.py compares them).
STYLES = ((400, "normal"), (700, "normal"), (400, "italic"))
FACES = tuple(typeface.faces(STYLES))
FONT_FILES = tuple(dict.fromkeys(face.file_name for face in FACES))   # an upright file serves an italic style too

# The text a reader can be shown lives in the built site's pages, its search index and the checker's data, and in
# the site's and the theme's scripts and stylesheets; not in Pyodide's runtime nor in the search's language files.
SHOWN_SUFFIXES = (".html", ".json", ".js", ".mjs", ".css")
NOT_SHOWN = ("assets/pyodide/", "assets/javascripts/lunr/", "assets/javascripts/workers/")
# Always in the core: what a reader may type into the search box whatever the pages hold, the control characters
# (tabs, line ends), what the browser draws itself (the ellipsis of a title cut short by text-overflow, the hyphen
# of a word broken at a soft hyphen) and the invisible marks it may write: none should fetch the whole file.
ALWAYS = frozenset([*range(0x00, 0x80), 0x00AD, 0x2010, 0x2026, *range(0x200B, 0x2010), *range(0x2028, 0x202F),
                    *range(0x2060, 0x2070), 0xFEFF])
# A character written as an escape: JSON's and JavaScript's \u2019 and \u{1F600}, CSS's \2019.
_JS_ESCAPE = re.compile(r"\\u(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))")
_ESCAPES = {".json": _JS_ESCAPE, ".js": _JS_ESCAPE, ".mjs": _JS_ESCAPE, ".css": re.compile(r"\\([0-9a-fA-F]{1,6})")}
_FACE = re.compile(r"@font-face\s*\{[^{}]*\}")
_FONT_SRC = re.compile(r'url\("\.\./fonts/((?:' + "|".join(re.escape(source.package.name.rsplit("/", 1)[1])
                                                    for source in typeface.SOURCES) + r')-[0-9a-z-]+)\.woff2"\)')
_RANGE = re.compile(r"unicode-range:\s*([^;]+);")


def site_assets(font_package: Path) -> list[tuple[str, Path]]:
    """(path in the site, source file) for each asset; `font_package` is the npm package's folder
    (generator/npm_assets.py finds it). Raises BuildError naming the missing files and how to install them."""
    found = list(dict.fromkeys((f"{FONT_DEST}/{face.file_name}", typeface.face_file(face, font_package))
                               for face in FACES))
    missing = [str(src) for _, src in found if not src.is_file()]
    if missing:
        raise BuildError(f"The site's typeface is missing: {', '.join(missing)} not found. "
                         f"Install the npm packages with 'npm ci' (or '{npm_assets.FONT.install}'), or set the policy plugin's "
                         "option `font_dir` in mkdocs.yml, and build again.")
    return found


def check_letters(policies: list, font_package: Path) -> None:
    """Every character of each language's words (its model's strings: the policy's, the interface text's and the
    theme's) has a glyph in a file of the site's typeface (generator/typeface.py): a phone has no font to fall back
    on that the site can count on. Raises BuildError naming the characters, the language and what would be right."""
    drawn = typeface.drawn(font_package, STYLES)
    for policy in policies:
        shown: list[str] = []
        _strings(policy.data, shown)
        missing = typeface.undrawn("\n".join(shown), drawn)
        if missing:
            listed = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
            raise BuildError(f"{policy.path}: the site's pages in {policy.language_code} would show {listed}, which no "
                             f"font file of the site draws (generator/typeface.py lists them); write the words "
                             f"without it, or add a font that has it there")


def _strings(node, into: list[str]) -> None:
    if isinstance(node, str):
        into.append(node)
    elif isinstance(node, dict):
        for value in node.values():
            _strings(value, into)
    elif isinstance(node, list):
        for value in node:
            _strings(value, into)


def characters_shown(site_dir: Path) -> set[int]:
    """Every code point in the built site's text (SHOWN_SUFFIXES, outside NOT_SHOWN), written out or escaped (an
    HTML character reference, a JSON, JavaScript or CSS escape). One missed costs bytes, never a glyph: the whole
    file still has it."""
    seen: set[int] = set()
    for path in site_dir.rglob("*"):
        relative = path.relative_to(site_dir).as_posix()
        if path.suffix not in SHOWN_SUFFIXES or not path.is_file() or relative.startswith(NOT_SHOWN):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        seen.update(map(ord, html.unescape(text) if path.suffix == ".html" else text))
        if path.suffix in _ESCAPES:
            for found in _ESCAPES[path.suffix].findall(text):
                point = int("".join(found) if isinstance(found, tuple) else found, 16)
                if point <= 0x10FFFF:
                    seen.add(point)
    # A stylesheet's text-transform shows letters the text does not have: the clause labels' uppercase drew Polish
    # "ś" as "Ś", and every Polish page fetched the whole Latin Extended bold file for it.
    return seen | {ord(c) for point in seen for c in chr(point).upper() + chr(point).lower()}


def subset(font: bytes, points: set[int]) -> bytes:
    """The woff2 font with only the glyphs for these code points (and those its layout features reach from them),
    everything else about them kept: outlines, hinting, kerning and the other features, names. Kept in the build
    cache: fontTools takes about half a second a file."""
    def make() -> bytes:
        from fontTools import subset as fonttools_subset
        from fontTools.ttLib import TTFont
        options = fonttools_subset.Options(layout_features=["*"], name_IDs=["*"], name_languages=["*"],
                                           notdef_outline=True, hinting=True, flavor="woff2")
        face = TTFont(io.BytesIO(font))
        subsetter = fonttools_subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(points))
        subsetter.subset(face)
        out = io.BytesIO()
        face.flavor = "woff2"
        face.save(out)
        return out.getvalue()

    key = build_cache.digest("font-subset", hashlib.sha256(font).digest(), unicode_range(points),
                             *build_cache.versions("fonttools", "brotli"))
    return build_cache.cached("font-subset", key, make)


def split_faces(site_dir: Path, stylesheet: str) -> list[str]:
    """Split each face of the built site's stylesheet in two: a core file, and the whole file for the rest.

    The Latin files hold 241 glyphs each (every accented letter of Western European languages, and more), of
    which a site in English shows about a hundred. For each @font-face rule of `stylesheet` (a path in the site)
    that names one of the typeface's files, a core file is written beside it with only the glyphs of its range
    that the site's text uses (characters_shown, and ALWAYS), named by its content, and a rule for it comes
    first; the whole file's rule keeps the rest of the range. A browser fetches a face only for characters of its
    range that a page shows, so a page whose text the core covers fetches the core alone (Latin: about 11 KB a
    weight, not 17), and one that shows another character of the range, typed into the search box say, still
    gets it from the whole file: nothing is lost (only the kerning between a core letter and one from the whole
    file). A face the site's text does not use at all (Latin Extended, here) is left as it is, as is a
    stylesheet without such rules (a helpline's own site.css). Returns the files written (paths in the site)."""
    css_path = site_dir / stylesheet
    if not css_path.is_file():
        return []
    css = css_path.read_text(encoding="utf-8")
    shown = characters_shown(site_dir) | ALWAYS
    written: list[str] = []

    def split(match: re.Match) -> str:
        face = match.group(0)
        source, covered = _FONT_SRC.search(face), _RANGE.search(face)
        if not source or not covered:
            return face
        whole = code_points(covered.group(1))
        core, rest = whole & shown, whole - shown
        font_file = css_path.parent / "../fonts" / f"{source.group(1)}.woff2"
        if not core or not rest or not font_file.is_file():
            return face
        data = subset(font_file.read_bytes(), core)
        name = f"{source.group(1)}.{hashlib.sha256(data).hexdigest()[:12]}.woff2"
        (font_file.parent / name).write_bytes(data)
        written.append((font_file.parent / name).resolve().relative_to(site_dir.resolve()).as_posix())
        core_face = _RANGE.sub(f"unicode-range: {unicode_range(core)};",
                               face.replace(source.group(0), f'url("../fonts/{name}")'))
        return core_face + "\n" + _RANGE.sub(f"unicode-range: {unicode_range(rest)};", face)

    changed = _FACE.sub(split, css)
    if changed != css:
        css_path.write_text(changed, encoding="utf-8")
    return written
