"""Which file of the typeface draws which character (generator/typeface.py), against the installed packages' own
files, and the site's stylesheet that names them (a new version of either package, or an edit of one rule, shows
here rather than as a letter drawn in another font)."""

from __future__ import annotations

import json
import re

import pytest

from generator import npm_assets, typeface
from generator.leaflets.render import FONT_PACKAGE
from generator.mkdocs import fonts
from generator.mkdocs.theme import SITE_CSS

STYLESHEET = fonts.__file__.rsplit("/", 1)[0] + "/overrides/" + SITE_CSS


@pytest.mark.parametrize("weight,style", fonts.STYLES)
def test_the_gap_is_every_character_the_successor_has_and_the_typeface_lacks(weight, style):
    main, successor = (
        set().union(*(typeface.characters(typeface.face_file(typeface.Face(source, subset, weight, style,
                                                                            frozenset()), FONT_PACKAGE))
                      for subset in source.subsets))
        for source in (typeface.TYPEFACE, typeface.GAP_SOURCE))
    assert successor - main == typeface.GAP
    assert {0x0174, 0x0175, 0x0176, 0x0177} <= typeface.GAP   # Welsh Ŵ ŵ Ŷ ŷ


@pytest.mark.parametrize("source", typeface.SOURCES, ids=lambda s: s.family)
def test_the_subsets_ranges_are_the_packages_own(source):
    folder = FONT_PACKAGE if source is typeface.TYPEFACE else npm_assets.locate(source.package, None, FONT_PACKAGE)
    given = json.loads((folder / "unicode.json").read_text(encoding="utf-8"))
    assert {subset: given[subset] for subset in source.subsets} == source.subsets


def test_the_gap_is_drawn_by_the_successors_files_alone_and_arabic_by_its_own():
    """(The typeface's own two files share three combining marks, as its package gives them.)"""
    faces = typeface.faces(((400, "normal"),))
    gap = [f.points for f in faces if f.fills_gap]
    assert set().union(*gap) == typeface.GAP and not gap[0] & gap[1]
    assert not [f.file_name for f in faces if not f.fills_gap and f.points & typeface.GAP]
    (arabic,) = [f for f in faces if f.source is typeface.ARABIC]
    assert not [f.file_name for f in faces if f is not arabic and f.points & arabic.points]
    assert {ord(c) for c in "ابتثجحخدذرزسشصضطظعغفقكلمنهوي،؛؟"} <= arabic.points
    assert not {ord(c) for c in "0123456789 .,:"} & arabic.points   # figures and Latin punctuation: the typeface's


def test_the_arabic_files_draw_every_letter_of_the_arabic_alphabet():
    for face in typeface.faces(((400, "normal"), (700, "normal"))):
        if face.source is typeface.ARABIC:
            drawn = typeface.characters(typeface.face_file(face, FONT_PACKAGE))
            assert set(range(0x0621, 0x064B)) <= drawn, face.file_name


def test_the_sites_stylesheet_names_every_face_with_its_range():
    css = open(STYLESHEET, encoding="utf-8").read()
    rules = re.findall(r"@font-face\s*\{([^{}]*)\}", css)
    found = set()
    for rule in rules:
        values = dict(re.findall(r"([a-z-]+):\s*([^;]+);", rule))
        name = re.fullmatch(r'url\("\.\./fonts/([^"]+)"\) format\("woff2"\)', values["src"]).group(1)
        assert values["font-family"] == f'"{typeface.FAMILY}"', name
        found.add((name, int(values["font-weight"]), values["font-style"], values["unicode-range"]))
    assert found == {(f.file_name, f.weight, f.style, f.unicode_range) for f in fonts.FACES}
    assert len(rules) == len(fonts.FACES) == 15


def test_the_build_refuses_a_language_whose_words_have_a_letter_no_font_of_the_site_draws():
    """generator/mkdocs/fonts.py, check_letters (the plugin calls it before it builds a page): Lantern's four
    languages pass; its Arabic with one Devanagari letter more is refused, naming the letter and the language."""
    from generator.errors import BuildError
    from generator.source.policy_model import load_policy
    from generator.source.translations import load_translation
    from harness import EXAMPLES
    english = load_policy(EXAMPLES / "lantern-line.yaml")
    models = [english, *(load_translation(english, code) for code in ("cy", "pl", "ar"))]
    fonts.check_letters(models, FONT_PACKAGE)
    arabic = models[-1]
    arabic.clauses["never-recorded"]["summary"] += " ऄ"
    with pytest.raises(BuildError) as err:
        fonts.check_letters(models, FONT_PACKAGE)
    assert "the site's pages in ar would show ऄ (U+0904), which no font file of the site draws" in str(err.value)
