"""The leaflets in a right-to-left language (issue 29), read from Lantern Line's built site, whose Arabic
translation is made up (tests/examples/translations/lantern-line/ar.po): laid out from the right, every letter
drawn from a font that has it, the text read in its order, and the booklet imposed for a binding on the right."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.leaflets import file_name
from generator.leaflets.imposition import booklet_sheets
from generator.source.policy_model import load_policy
from generator.source.translations import load_translation
from harness import EXAMPLES, ROOT
from test_leaflet_languages import _fonts_of_letters

SCREENSHOTS = ROOT / "test-results" / "screenshots"


@pytest.fixture(scope="module")
def arabic(example_site) -> tuple[Path, object]:
    site = example_site("lantern-line")
    return site / "ar" / "downloads", load_translation(load_policy(EXAMPLES / "lantern-line.yaml"), "ar")


def _words(text: str) -> list[str]:
    """The words of a text, each a run of one script's letters and figures: punctuation and spaces aside (a text
    extractor places a full stop by where it is drawn, and puts a space in or leaves one out by distances)."""
    return re.findall(r"[A-Za-z0-9]+|[\u0600-\u06FF]+", text)


def _in_order(words: list[str], within: list[str]) -> bool:
    return any(within[i:i + len(words)] == words for i in range(len(within) - len(words) + 1))


@pytest.mark.parametrize("key", ["a5", "large-print"])
def test_pypdf_reads_every_clause_and_summary_in_its_order(arabic, key):
    """Words, not characters: Arabic is drawn from right to left and "Lantern Line" inside it from left to right
    (the first clause has both), and the text layer gives both in reading order (reading_order.py)."""
    folder, model = arabic
    reader = PdfReader(folder / file_name(key, "ar"))
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    found = _words(" ".join(page.extract_text() for page in reader.pages))
    checked = 0
    for clause in model.clauses.values():
        for text in (clause["text"], clause["summary"]):
            assert _in_order(_words(text), found), text
            checked += 1
    assert checked == 2 * len(model.clauses) > 10
    # A sentence that ends with the name ends with its full stop after it, as written, not before it.
    text = " ".join(page.extract_text() for page in reader.pages)
    assert re.search(r"Lantern Line\s*\.", text) and not re.search(r"\.\s*Lantern", text)


def test_every_arabic_letter_is_drawn_from_the_arabic_file_and_every_latin_one_from_the_typeface(arabic):
    fonts = _fonts_of_letters(arabic[0] / file_name("a5", "ar"))
    arabic_letters = {letter for letter in fonts if "\u0600" <= letter <= "\u06ff"}
    assert len(arabic_letters) > 25, sorted(fonts)
    for letter, names in fonts.items():
        family = "IBM-Plex-Sans-Arabic" if letter in arabic_letters else "Atkinson-Hyperlegible"
        assert all(name.startswith(family) for name in names), (letter, names)


def test_the_leaflet_is_laid_out_from_the_right(arabic):
    """Each clause's label ("Official wording", in Arabic) ends at the right margin, far from the left one (in
    English it starts at the left). Kept as a picture for a person to look at (test-results/screenshots/)."""
    import pypdfium2
    folder, model = arabic
    pdf = pypdfium2.PdfDocument(folder / file_name("a5", "ar"))
    page = pdf[1]
    width, text = page.get_width(), page.get_textpage()
    search = text.search(model.data["wording"]["official_label"])
    found = []
    while (match := search.get_next()) is not None:
        boxes = [text.get_charbox(i) for i in range(match[0], match[0] + match[1])]
        found.append((min(b[0] for b in boxes), max(b[2] for b in boxes)))
    assert len(found) >= 3
    assert all(right > 0.85 * width and width - right < left for left, right in found), (width, found)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.render(scale=1.5).to_pil().save(SCREENSHOTS / "leaflet-a5-ar-page-2.png")


def test_the_booklet_is_imposed_for_a_binding_on_the_right(arabic):
    """Read from the imposed sheets themselves: each half of each side carries the page number its footer prints
    ("2/4"). Bound on the right, the outer sheet's front has the cover (1) on the left and the back page on the
    right, and its back page 3 on the left of page 2: mirrored from an English booklet (booklet_sheets)."""
    import pypdfium2
    pdf = pypdfium2.PdfDocument(arabic[0] / file_name("booklet", "ar"))
    sides = []
    for page in pdf:
        text = page.get_textpage()
        whole = text.get_text_range()
        halves = {}
        for match in re.finditer(r"(\d+)/(\d+)", whole):
            left = text.get_charbox(match.start())[0]
            halves["left" if left < page.get_width() / 2 else "right"] = int(match.group(1))
        sides.append((halves.get("left"), halves.get("right")))
    total = len(PdfReader(arabic[0] / file_name("a5", "ar")).pages)
    expected = [side for sheet in booklet_sheets(total, right_to_left=True) for side in (sheet.front, sheet.back)]
    assert sides == [tuple(None if i is None else i + 1 for i in side) for side in expected]
    assert sides[0] == (1, total) and sides[1][1] == 2   # the cover left of the back page; page 2 on the right


def test_reading_order_moves_no_glyph(arabic, tmp_path):
    """The rewrite of the text layer changes the order the runs are written in, never where they are drawn: the A5
    leaflet rendered before and after differs by no more than a rounding of anti-aliasing."""
    import pypdfium2
    from PIL import ImageChops
    from generator.leaflets.build import A5, RIGHT_TO_LEFT_FONTS
    from generator.leaflets.reading_order import in_reading_order
    from generator.leaflets.render import render_pdf
    drawn = render_pdf(arabic[1], A5)
    rewritten = in_reading_order(drawn, RIGHT_TO_LEFT_FONTS)
    # The rewrite did something: read before it, the first clause's words were out of order.
    first = _words(arabic[1].clauses["conversations-private"]["text"])
    assert not _in_order(first, _words(PdfReader(io.BytesIO(drawn)).pages[1].extract_text()))
    assert _in_order(first, _words(PdfReader(io.BytesIO(rewritten)).pages[1].extract_text()))
    before, after = pypdfium2.PdfDocument(drawn), pypdfium2.PdfDocument(rewritten)
    assert len(before) == len(after)
    for a, b in zip(before, after):
        difference = ImageChops.difference(a.render(scale=2).to_pil().convert("L"), b.render(scale=2).to_pil().convert("L"))
        assert difference.getextrema()[1] <= 2


def test_urdu_prints_from_the_right_and_reads_back_in_order(arabic, tmp_path):
    """No example is translated into Urdu; a copy of the Arabic model made Urdu (its language, one clause's words)
    shows that Urdu's letters print from IBM Plex Sans Arabic and read back in their order. (Decision, DESIGN.md:
    not in a Nastaliq face, whose letters WeasyPrint's text layer reads wrong, ک as گ.)"""
    import copy
    from generator.leaflets.build import A5, RIGHT_TO_LEFT_FONTS
    from generator.leaflets.reading_order import in_reading_order
    from generator.leaflets.render import render_pdf
    urdu = copy.deepcopy(arabic[1])
    urdu.language = "ur"
    sentence = "ہم آپ کی کال یا چیٹ کبھی ریکارڈ نہیں کرتے۔ کوئی بعد میں اسے سن یا پڑھ نہیں سکتا۔"
    urdu.clauses["never-recorded"]["text"] = urdu.clauses["never-recorded"]["summary"] = sentence
    assert urdu.direction == "rtl"
    path = tmp_path / "urdu.pdf"
    path.write_bytes(in_reading_order(render_pdf(urdu, A5), RIGHT_TO_LEFT_FONTS))
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "ur"
    assert _in_order(_words(sentence), _words(" ".join(page.extract_text() for page in reader.pages)))
    fonts = _fonts_of_letters(path)
    for letter in "ٹڑںےہھکپچ":   # each in the sentence
        assert letter in fonts and all(name.startswith("IBM-Plex-Sans-Arabic") for name in fonts[letter]), letter
