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
        set().union(*(typeface.characters(typeface.face_file(typeface.Face(package, subset, weight, style,
                                                                            frozenset()), FONT_PACKAGE))
                      for subset in typeface.SUBSETS))
        for package in (npm_assets.FONT, npm_assets.FONT_GAPS))
    assert successor - main == typeface.GAP
    assert {0x0174, 0x0175, 0x0176, 0x0177} <= typeface.GAP   # Welsh Ŵ ŵ Ŷ ŷ


@pytest.mark.parametrize("package", [npm_assets.FONT, npm_assets.FONT_GAPS], ids=lambda p: p.name)
def test_the_subsets_ranges_are_the_packages_own(package):
    folder = typeface.gaps_folder(FONT_PACKAGE) if package is npm_assets.FONT_GAPS else FONT_PACKAGE
    given = json.loads((folder / "unicode.json").read_text(encoding="utf-8"))
    assert {subset: given[subset] for subset in typeface.SUBSETS} == typeface.ranges(package)


def test_the_gap_is_drawn_by_the_successors_files_alone():
    """(The typeface's own two files share three combining marks, as its package gives them.)"""
    faces = typeface.faces(((400, "normal"),))
    gap = [f.points for f in faces if f.fills_gap]
    assert set().union(*gap) == typeface.GAP and not gap[0] & gap[1]
    assert not [f.file_name for f in faces if not f.fills_gap and f.points & typeface.GAP]


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
    assert len(rules) == len(fonts.FACES) == 12
