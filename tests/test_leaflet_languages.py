"""The leaflets in each language (issue 28), read from Lantern Line's built site (example_site: built once a run,
its translations' leaflets with it): each translation's "Print leaflets" page links its own PDFs, the Welsh
leaflet is in Welsh with the notice that the original counts, a preview's say so on their covers, and the typeface
has every letter of Welsh, Polish, Arabic and Urdu (tests/test_leaflet_rtl.py: the right-to-left leaflets)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.leaflets import FILE_NAMES, file_name
from generator.leaflets.render import FONT_PACKAGE
from generator.source.policy_model import load_policy
from generator.source.translations import load_translation
from generator.source.yaml_source import normalise_space
from harness import EXAMPLES, cli_here, lantern_with_a_fuzzy_entry
from test_leaflets import page_texts
from test_site_pages import parse

TRANSLATIONS = ("cy", "pl")
# Each language's letters beyond ASCII that Lantern's translations may not happen to use: Welsh's circumflexes
# (ŵ, ŷ are in Latin Extended-A, the rest in Latin-1), Polish's ogoneks, acutes, dot and stroke, Arabic's
# alphabet, and Urdu's (no translation of Lantern is in Urdu: this says one would build).
LETTERS = {"cy": "âêîôûŵŷÂÊÎÔÛŴŶäëïöüÿáéíóú", "pl": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
           # Arabic's letters, its hamza forms, its comma, semicolon and question mark, and its short vowels.
           "ar": "ءآأؤإئابةتثجحخدذرزسشصضطظعغفقكلمنهوىي،؛؟ًٌٍَُِّْ",
           # Urdu's letters beyond Arabic's (ٹ ڈ ڑ ں ے ہ ھ ک گ پ چ ژ ی ۓ) and its full stop.
           "ur": "ٹڈڑںےہھکگپچژیۓ۔"}


@pytest.fixture(scope="module")
def site(example_site) -> Path:
    return example_site("lantern-line")


@pytest.fixture(scope="module")
def models():
    english = load_policy(EXAMPLES / "lantern-line.yaml")
    return {"en": english, **{code: load_translation(english, code) for code in TRANSLATIONS}}


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_each_translations_print_leaflets_page_links_its_own_four_pdfs(site, code):
    links = [a.get("href") for a in parse(site, f"{code}/print-leaflets.html").iter("a")
             if (a.get("href") or "").endswith(".pdf")]
    assert links == [f"downloads/{file_name(key, code)}" for key in FILE_NAMES]
    for link in links:
        pdf = PdfReader(site / code / link)
        assert pdf.trailer["/Root"]["/Lang"] == code   # tagged in its language (PDF/UA), from <html lang>


def _leaves(node, keys=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, keys + (key,))
    elif isinstance(node, str):
        yield keys, node


def _at(node, keys):
    for key in keys:
        node = node[key]
    return node


def test_the_welsh_a5_leaflet_is_in_welsh_with_the_notice_that_the_original_counts(site, models):
    english = " ".join(page_texts(site / "downloads" / FILE_NAMES["a5"]))
    welsh = " ".join(page_texts(site / "cy" / "downloads" / file_name("a5", "cy")))
    cy = models["cy"]
    clause = cy.clauses["never-recorded"]
    assert normalise_space(clause["text"]) in welsh and normalise_space(clause["summary"]) in welsh
    notice = cy.data["wording"]["translation"]["leaflet_notice"]
    assert notice.startswith("Cyfieithiad yw hwn") and notice in welsh
    # Every interface or leaflet text the English leaflet prints is, in the Welsh one, the Welsh text: none is left
    # in English (a text the Welsh model gives the same words, a name, is not one to look for).
    printed = [(("wording",) + keys, text) for keys, text in _leaves(models["en"].data["wording"])]
    printed += [(("leaflet",) + keys, text) for keys, text in _leaves(models["en"].data["leaflet"])]
    looked = 0
    for keys, text in printed:
        if len(text) >= 8 and "{" not in text and text in english and _at(cy.data, keys) != text:
            assert text not in welsh, keys
            looked += 1
    assert looked >= 5, "the English leaflet's interface texts were not found: update this test"
    assert "https://lantern.example.net/cy/" in welsh   # the address and its code lead to the Welsh pages


@pytest.mark.parametrize("code", LETTERS)
def test_the_typeface_the_leaflets_embed_has_every_letter_of_each_language(code):
    """The build refuses a character the typeface lacks (test_a_letter_no_file_draws_is_refused_…); this says that
    Welsh and Polish never meet that refusal, whatever letters their next translation uses: every weight the
    leaflets embed draws each letter from one of its files (Welsh ŵ ŷ from Atkinson Hyperlegible Next's,
    generator/typeface.py)."""
    from generator import typeface
    for weight in (400, 700):
        drawn = typeface.drawn(FONT_PACKAGE, ((weight, "normal"),))
        assert not [c for c in LETTERS[code] if ord(c) not in drawn], (code, weight)


def test_a_welsh_leaflet_draws_w_and_y_with_a_circumflex_from_the_typefaces_successor(tmp_path):
    """Atkinson Hyperlegible has no ŵ ŷ Ŵ Ŷ; its successor by the same designers has, and draws them alone (a file
    of its own in the PDF), every other letter still the typeface's. Lantern's Welsh leaflets print none, so a
    copy of its Welsh model prints them."""
    from generator.leaflets.build import A5
    from generator.leaflets.render import render_pdf
    welsh = load_translation(load_policy(EXAMPLES / "lantern-line.yaml"), "cy")
    welsh.clauses["never-recorded"]["summary"] = "Ŵyr, ŷd, ŵy, hŷn. " + welsh.clauses["never-recorded"]["summary"]
    (tmp_path / "a5.pdf").write_bytes(render_pdf(welsh, A5))
    fonts = _fonts_of_letters(tmp_path / "a5.pdf")
    assert {letter: fonts[letter] for letter in "Ŵŷŵ"} == {letter: {"Atkinson-Hyperlegible-Next-latin-ext"}
                                                          for letter in "Ŵŷŵ"}
    assert all("Next" not in name for letter, names in fonts.items() if letter not in "Ŵŷŵ" for name in names)


def test_a_letter_no_file_of_the_typeface_draws_is_refused_naming_it_and_the_language():
    """Before WeasyPrint would draw it in some font of the machine's: the character, its code point, the leaflet
    and the language, in the error."""
    from generator.errors import BuildError
    from generator.leaflets.build import A5
    from generator.leaflets.render import render_pdf
    welsh = load_translation(load_policy(EXAMPLES / "lantern-line.yaml"), "cy")
    welsh.clauses["never-recorded"]["summary"] += " ☎ ऄ"
    with pytest.raises(BuildError) as err:
        render_pdf(welsh, A5)
    assert "the a5 leaflet in cy has ऄ (U+0904), ☎ (U+260E), which no font of the leaflets draws" \
        in str(err.value)


def test_each_languages_leaflets_are_cached_under_a_key_of_their_own(site, models):
    """The build (its separate process) put each language's PDFs in the build cache: a second build renders none."""
    from generator import build_cache
    from generator.leaflets import leaflets_key, site_leaflets
    if build_cache.cache_dir() is None:
        pytest.skip("the build cache is off (POLICY_SITE_CACHE=off)")
    keys = {code: leaflets_key(model) for code, model in models.items()}
    assert len(set(keys.values())) == 3
    for code in TRANSLATIONS:
        assert build_cache.load("leaflets", keys[code]) is not None, code
        a5 = next(leaflet for leaflet in site_leaflets(models[code]) if leaflet.key == "a5")
        assert a5.pdf == (site / code / "downloads" / a5.file_name).read_bytes()


def _fonts_of_letters(path: Path) -> dict[str, set[str]]:
    """Each letter of the file's first two pages, and the embedded fonts that draw it (pdfium's font of each character)."""
    import ctypes
    import pypdfium2
    import pypdfium2.raw as raw
    pdf = pypdfium2.PdfDocument(path)
    found: dict[str, set[str]] = {}
    for number in range(2):
        text = pdf[number].get_textpage()
        for i in range(text.count_chars()):
            letter = chr(raw.FPDFText_GetUnicode(text, i))
            if letter.isalpha():
                size = raw.FPDFText_GetFontInfo(text, i, None, 0, None)
                name = ctypes.create_string_buffer(size)
                raw.FPDFText_GetFontInfo(text, i, name, size, None)
                found.setdefault(letter, set()).add(name.value.decode().split("+", 1)[-1])
    return found


def test_each_polish_letter_is_drawn_from_the_typeface_file_that_has_it(site):
    """The typeface comes in two files a weight (basic Latin, and Latin Extended with ł ą ę ś ź ż): each must be a
    font of its own in the PDF. Under one name, WeasyPrint embedded one file and drew the other's glyph numbers from
    it: ł printed as i, ę as ˆ, while the text layer (and so every text test) still read right."""
    fonts = _fonts_of_letters(site / "pl" / "downloads" / file_name("large-print", "pl"))
    extended = {letter: names for letter, names in fonts.items() if ord(letter) > 0xFF}
    assert len(extended) >= 3, sorted(fonts)   # the cover and the first page have ł, ę, ś and more
    for letter, names in fonts.items():
        assert all(("latin-ext" in name) == (ord(letter) > 0xFF) for name in names), (letter, names)


def test_a_policys_own_statement_of_which_text_counts_takes_the_place_of_ours_unmarked():
    """The HTML alone (no PDF): Lantern gives no statement, so one is put in a fresh copy of its Welsh model."""
    from generator.leaflets.build import A5
    from generator.leaflets.render import font_faces, render_sources
    welsh = load_translation(load_policy(EXAMPLES / "lantern-line.yaml"), "cy")
    ours = welsh.data["wording"]["translation"]
    html, _ = render_sources(welsh, A5, font_faces())
    assert ours["leaflet_notice"] in html and ours["ours_mark"] in html
    welsh.metadata["original"] = {"language": "en-GB", "statement": "Y fersiwn Saesneg sy’n cyfrif."}
    html, _ = render_sources(welsh, A5, font_faces())
    assert "Y fersiwn Saesneg sy’n cyfrif." in html and ours["leaflet_notice"] not in html
    assert '<html lang="cy" dir="ltr">' in html


def test_a_previews_leaflets_say_on_their_cover_what_its_pages_say(site, models, tmp_path):
    """Lantern's Welsh and Polish interface catalogs are not reviewed: its (preview) site's leaflets say so on the
    cover, in their language, as its pages do; the English leaflets say nothing of it. A translation with a fuzzy
    entry says it is incomplete (the HTML alone: no PDF is needed to see the words)."""
    from generator.leaflets.build import A5
    from generator.leaflets.render import font_faces, render_sources
    english = " ".join(page_texts(site / "downloads" / FILE_NAMES["a5"]))
    for code in TRANSLATIONS:
        words = models[code].data["wording"]["translation"]
        assert models[code].unfinished == ("unreviewed",), code
        cover = normalise_space(page_texts(site / code / "downloads" / file_name("a5", code))[0])
        assert normalise_space(words["unreviewed"]) in cover and words["incomplete"] not in cover, code
    assert models["en"].data["wording"]["translation"]["unreviewed"] not in english
    fuzzy = load_translation(load_policy(lantern_with_a_fuzzy_entry(tmp_path)), "cy", preview=True)
    assert fuzzy.unfinished == ("incomplete", "unreviewed")
    html, _ = render_sources(fuzzy, A5, font_faces())
    cover = unescape(html[:html.index("<main>")])
    assert all(fuzzy.data["wording"]["translation"][key] in cover for key in ("incomplete", "unreviewed"))


def test_the_command_line_makes_a_translations_leaflets_as_the_site_has_them(site, tmp_path):
    """`policy-site leaflets --language cy`: the four Welsh files, by their Welsh names, with the text of the built
    site's (an unreviewed interface catalog is a warning on stderr, as `check` gives it)."""
    made = cli_here(["leaflets", "--policy", str(EXAMPLES / "lantern-line.yaml"), "--language", "cy",
                     "-o", str(tmp_path)])
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == sorted(file_name(key, "cy") for key in FILE_NAMES)
    assert "X-Reviewed-By: warning: " in made.stderr
    for key in FILE_NAMES:
        name = file_name(key, "cy")
        assert f"{tmp_path / name}: " in made.stdout
        assert page_texts(tmp_path / name) == page_texts(site / "cy" / "downloads" / name), name


def test_the_command_line_refuses_an_incomplete_translations_leaflets_at_the_po_line(tmp_path):
    """A leaflet has no notice of an incomplete translation, and would mix two languages: refused, before any is
    made, at the fuzzy entry's line."""
    lantern = lantern_with_a_fuzzy_entry(tmp_path)
    refused = cli_here(["leaflets", "--policy", str(lantern), "--language", "cy", "-o", str(tmp_path / "out")])
    assert refused.returncode == 2
    assert any(line.startswith(f"{tmp_path / 'translations' / 'cy.po'}:") and ": fuzzy: " in line
               for line in refused.stderr.splitlines()), refused.stderr
    assert not (tmp_path / "out").exists()
