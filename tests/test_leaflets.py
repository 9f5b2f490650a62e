"""The print leaflets as staff meet them: the PDF files' pages, words, order, QR code, fonts and tags.

The four PDFs are built once per run, through the command line, into a temporary folder.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from generator.cli import main as cli
from generator.errors import BuildError
from generator.leaflets import build_leaflets
from generator.leaflets.build import A5, LARGE_PRINT
from generator.leaflets.imposition import booklet_sheets, impose
from generator.leaflets.render import FONT_PACKAGE, TEMPLATES, render_pdf
from generator.pages import facts
from generator.source.policy_model import load_policy
from generator.source.yaml_source import normalise_space

from harness import POLICY_FILE, edited_policy, policy_giving

A5_FILE = "confidentiality-policy-a5.pdf"
BOOKLET_FILE = "confidentiality-policy-a5-booklet-a4.pdf"
LARGE_FILE = "confidentiality-policy-large-print.pdf"
SHOP_FILE = "confidentiality-policy-a5-print-shop.pdf"
ALL_FILES = [A5_FILE, BOOKLET_FILE, LARGE_FILE, SHOP_FILE]
MM = 72 / 25.4


@pytest.fixture(scope="session")
def leaflets(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("leaflets") / "downloads"
    assert cli(["leaflets", "--policy", str(POLICY_FILE), "-o", str(out)]) == 0
    return out


# A policy that still has placeholders and a site_url (Respect's has neither since issue 27): the made-up 1.1.
PLACEHOLDER_POLICY = Path(__file__).parent / "examples" / "respect-1.1" / "respect-phoneline.yaml"


@pytest.fixture(scope="session")
def placeholder_leaflets(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("placeholder-leaflets") / "downloads"
    assert cli(["leaflets", "--policy", str(PLACEHOLDER_POLICY), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def placeholder_policy():
    return load_policy(PLACEHOLDER_POLICY)


def reader(folder: Path, name: str) -> PdfReader:
    return PdfReader(folder / name)


def mm(value) -> float:
    return float(value) / MM


def as_read(text: str) -> str:
    """Text as a reader reads it: white space collapsed, a word broken at its hyphen across lines joined."""
    text = text.replace("\ufffe", "-")   # pdfium's mark for a hyphen that ends a line
    return re.sub(r"(?<=\w)-\s+(?=\w)", "-", normalise_space(text))


def page_texts(path: Path) -> list[str]:
    """Each page's text as pdfium reads it."""
    pdf = pypdfium2.PdfDocument(path)
    return [as_read(pdf[i].get_textpage().get_text_range()) for i in range(len(pdf))]


def half_texts(path: Path) -> list[tuple[str, str]]:
    """The left and the right half of each sheet side, as text."""
    pdf = pypdfium2.PdfDocument(path)
    halves = []
    for i in range(len(pdf)):
        page = pdf[i]
        width, height = page.get_size()
        text = page.get_textpage()
        halves.append((as_read(text.get_text_bounded(0, 0, width / 2, height)),
                       as_read(text.get_text_bounded(width / 2, 0, width, height))))
    return halves


def marked(policy, key: str, text: str) -> str:
    """A metadata value as printed: with the YAML's example mark when it is a placeholder."""
    return f"{text} {policy.data['wording']['example_mark']}" if policy.metadata[key]["example"] else text


def footer(policy, page: int, pages: int) -> str:
    """The foot of a page as the YAML words it: a version the document does not give is our reference, marked;
    {in_force} is the sentence of the date it is in force from, or the one that says the document gives none."""
    from generator.pages.facts import in_words
    from generator.pages.facts import printed
    words = policy.data["wording"]
    given = policy.metadata["version"]["not_given"] is False
    dated = policy.metadata["effective_date"]["not_given"] is False
    effective_date = dated and marked(policy, "effective_date",
                                      in_words(policy, policy.value("metadata", "effective_date")))
    return policy.data["leaflet"]["footer"].format(
        version=marked(policy, "version", policy.value("metadata", "version")) if given else
        f"{policy.our_reference} {words['ours_version_mark']}",
        effective_date=effective_date,
        in_force=words["policy_page"]["meta"]["effective_date"].format(effective_date=effective_date) if dated
        else words["not_given"]["sentence"].format(facts=words["not_given"]["date"]),
        printed=printed(policy), page=page, pages=pages)


def test_a_leaflet_says_when_it_was_printed_and_names_respects_text_by_our_reference(leaflets, policy):
    """Respect's document gives no version: the footer carries our reference, marked as ours, and the day the
    leaflet was made; the last page says when it was printed (SOURCE_DATE_EPOCH's day, or today)."""
    import datetime as dt
    import os
    from checker.dates import date_in_words
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch and epoch.strip().isdigit()
           else dt.date.today())
    printed = date_in_words(day, policy.checker["date_format"], policy.checker["month_names"])
    texts = page_texts(leaflets / A5_FILE)
    assert re.fullmatch(r"[0-9a-f]{7}", policy.our_reference)
    assert texts[0].endswith(f"Version {policy.our_reference} (our reference, not the policy’s version number). "
                             f"The policy does not give a date. Printed {printed}. Page 1 of {len(texts)}.")
    assert f"Printed on {printed}." in texts[-1]
    assert "QR" not in texts[-1] and "example.org" not in " ".join(texts), "no site_url: no address, no code"


# Respect's footer, "Version {version}. {in_force}. Printed {printed}. Page {page} of {pages}.", as read whether its
# document gives a version and a date or not (harness.policy_giving: version 2.0, in force from 5 January 2026).
FOOTER_READS = {
    (): "Version {reference} (our reference, not the policy’s version number). The policy does not give a date. "
        "Printed {printed}. Page {page} of {pages}.",
    ("version",): "Version 2.0. The policy does not give a date. Printed {printed}. Page {page} of {pages}.",
    ("effective_date",): "Version {reference} (our reference, not the policy’s version number). In force from "
                         "5 January 2026. Printed {printed}. Page {page} of {pages}.",
    ("version", "effective_date"): "Version 2.0. In force from 5 January 2026. Printed {printed}. Page {page} of "
                                   "{pages}.",
}


def lowest_glyph_mm(path: Path) -> float:
    """How far above the bottom edge of its page the lowest mark of text of the file is, in millimetres."""
    pdf = pypdfium2.PdfDocument(path)
    lowest = []
    for page in pdf:
        text = page.get_textpage()
        lowest += [text.get_charbox(i)[1] for i in range(text.count_chars()) if text.get_text_range(i, 1).strip()]
    return mm(min(lowest))


@pytest.mark.parametrize("given", list(FOOTER_READS), ids=lambda given: "+".join(given) or "neither")
def test_one_footer_reads_right_whether_the_document_gives_a_version_and_a_date_or_not(tmp_path, given):
    """{in_force} is a sentence either way, so the same footer says plainly what the document does not give, with
    the day the leaflet was printed; in large print its three lines are printed whole, clear of the paper's edge."""
    from generator.pages.facts import printed
    policy = load_policy(POLICY_FILE, policy_giving(*given).encode("utf-8"))
    for layout in (A5, LARGE_PRINT):
        path = tmp_path / f"{layout.name}.pdf"
        path.write_bytes(render_pdf(policy, layout))
        texts = page_texts(path)
        for number, text in enumerate(texts, start=1):
            wanted = FOOTER_READS[given].format(reference=policy.our_reference, printed=printed(policy),
                                                page=number, pages=len(texts))
            assert text.endswith(wanted), f"{layout.name}, page {number}: {text[-160:]}"
        assert lowest_glyph_mm(path) >= 5, f"{layout.name}: the footer runs off the page"


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:])\s+", normalise_space(text)) if s]


# --- Page sizes -------------------------------------------------------------------------------------------

def test_the_a5_leaflet_is_a5_portrait(leaflets):
    pages = reader(leaflets, A5_FILE).pages
    assert len(pages) >= 4
    for page in pages:
        assert (round(mm(page.mediabox.width)), round(mm(page.mediabox.height))) == (148, 210)


def test_the_booklet_is_a4_landscape_with_two_sides_per_sheet(leaflets):
    a5_pages = len(reader(leaflets, A5_FILE).pages)
    pages = reader(leaflets, BOOKLET_FILE).pages
    assert len(pages) == 2 * -(-a5_pages // 4)
    for page in pages:
        assert (round(mm(page.mediabox.width)), round(mm(page.mediabox.height))) == (297, 210)


def test_the_large_print_is_a4_portrait(leaflets):
    for page in reader(leaflets, LARGE_FILE).pages:
        assert (round(mm(page.mediabox.width)), round(mm(page.mediabox.height))) == (210, 297)


def test_the_print_shop_file_is_trimmed_to_a5_with_3mm_bleed(leaflets):
    for page in reader(leaflets, SHOP_FILE).pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert (round(mm(trim.width), 1), round(mm(trim.height), 1)) == (148.0, 210.0)
        for side in ("left", "bottom"):
            assert mm(getattr(trim, side)) - mm(getattr(bleed, side)) == pytest.approx(3, abs=0.05)
        for side in ("right", "top"):
            assert mm(getattr(bleed, side)) - mm(getattr(trim, side)) == pytest.approx(3, abs=0.05)
        assert media.left <= bleed.left and media.right >= bleed.right


def test_the_print_shop_file_has_crop_marks_outside_the_trim(leaflets):
    """The marks are drawn in the bleed of a white page; the plain A5 file has nothing there."""
    def dark_pixels_outside_trim(path: Path, margin_pt: float) -> int:
        page = pypdfium2.PdfDocument(path)[1]    # a white body page: only marks can be dark out there
        image = page.render(scale=4, may_draw_forms=True).to_pil().convert("L")
        border = int(margin_pt * 4) - 1
        width, height = image.size
        strips = [image.crop((0, 0, width, border)), image.crop((0, height - border, width, height)),
                  image.crop((0, 0, border, height)), image.crop((width - border, 0, width, height))]
        return sum(sum(1 for p in strip.get_flattened_data() if p < 128) for strip in strips)

    shop = reader(leaflets, SHOP_FILE).pages[1]
    bleed_pt = float(shop.trimbox.left - shop.mediabox.left)
    assert dark_pixels_outside_trim(leaflets / SHOP_FILE, bleed_pt) > 20
    assert dark_pixels_outside_trim(leaflets / A5_FILE, bleed_pt) == 0


# --- The words --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [A5_FILE, LARGE_FILE])
def test_every_sentence_of_the_policy_and_its_summaries_is_in_the_leaflet(leaflets, policy, name):
    pages = reader(leaflets, name).pages
    # Take each page's footer out before joining, so a clause running over a page break reads on.
    text = " ".join(as_read(page.extract_text()).replace(footer(policy, n, len(pages)), " ")
                    for n, page in enumerate(pages, start=1))
    text = as_read(text)
    missing = [s for clause in policy.clauses.values() for s in sentences(clause["text"]) + sentences(clause["summary"])
               if s not in text]
    assert not missing, f"{name} lacks: {missing}"
    for section in policy.sections:
        assert section["title"] in text
    for note in policy.data["footnotes"]:   # an address may break over lines: compare without spaces
        assert note["text"].replace(" ", "") in text.replace(" ", "")
    for item in policy.retention:   # where and how it is destroyed as printed: the words that say when not given
        for value in (item["what"], facts.record_fact(policy, item, "where"), item["kept_for"]["words"],
                      facts.record_fact(policy, item, "destroyed")):
            assert normalise_space(value) in text


def test_the_cover_names_the_service_title_and_promise(leaflets, policy):
    cover = page_texts(leaflets / A5_FILE)[0]
    assert policy.metadata["service"] in cover
    assert policy.data["leaflet"]["cover_title"] in cover
    assert normalise_space(policy.metadata["promise"]) in cover


@pytest.mark.parametrize("name", [A5_FILE, LARGE_FILE, SHOP_FILE])
def test_version_date_and_page_number_are_at_the_foot_of_every_page(leaflets, policy, name):
    texts = page_texts(leaflets / name)
    for number, text in enumerate(texts, start=1):
        assert text.endswith(footer(policy, number, len(texts))), f"page {number}: {text[-80:]}"


@pytest.mark.parametrize("name", [A5_FILE, LARGE_FILE])
def test_every_placeholder_the_leaflet_prints_carries_the_mark(placeholder_leaflets, placeholder_policy, name):
    leaflets, policy = placeholder_leaflets, placeholder_policy
    from generator.pages.facts import in_words
    mark = policy.data["wording"]["example_mark"]
    placeholders = {"version": policy.value("metadata", "version"),
                    "effective_date": in_words(policy, policy.value("metadata", "effective_date")),
                    "site_url": policy.value("metadata", "site_url")}
    assert all(policy.metadata[key]["example"] for key in placeholders), \
        "the sample no longer has these placeholders: test the mark with a policy that has"
    pages = [normalise_space(page.extract_text()) for page in reader(leaflets, name).pages]
    for number, text in enumerate(pages, start=1):   # the footers: version and effective date
        for key in ("version", "effective_date"):
            assert f"{placeholders[key]} {mark}" in text, f"page {number}: {key} unmarked in {text[-120:]}"
    # The address under the QR code: an address may break over lines, so compare without spaces.
    assert f"{placeholders['site_url']}{mark}".replace(" ", "") in pages[-1].replace(" ", "")
    assert sum(text.count(mark) for text in pages) == 2 * len(pages) + 1, "a placeholder printed unmarked, or a mark too many"


def test_every_page_of_the_booklet_keeps_its_footer(leaflets, policy):
    count = len(reader(leaflets, A5_FILE).pages)
    footers = [footer(policy, n, count) for n in range(1, count + 1)]
    seen = [f for left, right in half_texts(leaflets / BOOKLET_FILE) for f in footers if f in left or f in right]
    assert sorted(seen) == sorted(footers)


# --- Booklet order ----------------------------------------------------------------------------------------

def test_booklet_order_for_8_pages():
    order = [(s.front, s.back) for s in booklet_sheets(8)]
    assert order == [((7, 0), (1, 6)), ((5, 2), (3, 4))]


def test_booklet_order_for_10_pages_pads_with_blanks_before_the_back_cover():
    order = [(s.front, s.back) for s in booklet_sheets(10)]
    assert order == [((9, 0), (1, None)), ((None, 2), (3, 8)), ((7, 4), (5, 6))]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 8, 10, 12, 13])
def test_folded_sheets_read_in_order(count):
    """Simulate the fold: the sheets nested, first outermost, read front-right, back-left, … in order."""
    sheets = booklet_sheets(count)
    assert len(sheets) == -(-count // 4)
    # Page 1 is the outer sheet's front-right half; going in, each sheet gives its front-right then
    # its back-left; the middle spread is the inner sheet's back; going out, back-right then front-left.
    reading = []
    for sheet in sheets:
        reading += [sheet.front[1], sheet.back[0]]
    for sheet in reversed(sheets):
        reading += [sheet.back[1], sheet.front[0]]
    pages = [p for p in reading if p is not None]
    assert pages == list(range(count))
    if count > 1:
        assert reading[-1] == count - 1, "the last page stays the back cover"


def _numbered_a5(count: int) -> bytes:
    """An A5 PDF whose pages say only 'Page n'."""
    import weasyprint
    body = "".join(f'<p style="break-after: page">Page {n}</p>' for n in range(1, count + 1))
    return weasyprint.HTML(string=f"<style>@page {{ size: A5 }}</style>{body}").write_pdf()


@pytest.mark.parametrize("count, expected", [
    (8, [("Page 8", "Page 1"), ("Page 2", "Page 7"), ("Page 6", "Page 3"), ("Page 4", "Page 5")]),
    (10, [("Page 10", "Page 1"), ("Page 2", ""), ("", "Page 3"), ("Page 4", "Page 9"),
          ("Page 8", "Page 5"), ("Page 6", "Page 7")]),
])
def test_imposed_sheets_carry_the_pages_in_booklet_order(tmp_path, count, expected):
    source = _numbered_a5(count)
    assert len(PdfReader(io.BytesIO(source)).pages) == count
    path = tmp_path / "booklet.pdf"
    path.write_bytes(impose(source))
    assert half_texts(path) == expected


def test_the_real_booklet_holds_the_a5_pages_in_booklet_order(leaflets):
    # Read the A5 pages the way the halves are read (pdfium's bounded text), so the two compare.
    pdf = pypdfium2.PdfDocument(leaflets / A5_FILE)
    a5 = [as_read(pdf[i].get_textpage().get_text_bounded(0, 0, *pdf[i].get_size())) for i in range(len(pdf))]
    halves = half_texts(leaflets / BOOKLET_FILE)
    sides = [side for sheet in booklet_sheets(len(a5)) for side in (sheet.front, sheet.back)]
    assert len(halves) == len(sides)
    for (left, right), (left_page, right_page) in zip(halves, sides):
        assert left == ("" if left_page is None else a5[left_page])
        assert right == ("" if right_page is None else a5[right_page])


# --- QR code ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, page", [(A5_FILE, -1), (LARGE_FILE, -1), (BOOKLET_FILE, 0), (SHOP_FILE, -1)])
def test_the_qr_code_decodes_to_the_site_address(placeholder_leaflets, placeholder_policy, name, page):
    leaflets, policy = placeholder_leaflets, placeholder_policy
    pdf = pypdfium2.PdfDocument(leaflets / name)
    image = pdf[len(pdf) + page if page < 0 else page].render(scale=3).to_pil()
    found = [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [policy.value("metadata", "site_url")]


def test_the_qr_code_is_vector_not_a_bitmap(placeholder_leaflets):
    leaflets = placeholder_leaflets
    for page in reader(leaflets, A5_FILE).pages:
        for xobject in (page.get("/Resources", {}).get("/XObject") or {}).values():
            assert xobject.get_object().get("/Subtype") != "/Image"


# --- Fonts, tags, metadata --------------------------------------------------------------------------------

def fonts_of(path: Path) -> dict[str, bool]:
    found = {}
    for page in PdfReader(path).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            font = font.get_object()
            parts = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            found[str(font["/BaseFont"])] = any(
                key in part.get("/FontDescriptor", {}).get_object()
                for part in parts if "/FontDescriptor" in part for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_font_is_the_embedded_atkinson_hyperlegible(leaflets, name):
    fonts = fonts_of(leaflets / name)
    assert fonts, "no fonts found"
    for font, embedded in fonts.items():
        assert "Atkinson" in font and embedded, font


def test_the_large_print_has_no_italic_and_no_type_under_16_point(leaflets):
    assert not [f for f in fonts_of(leaflets / LARGE_FILE) if "Italic" in f]
    sizes = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0])
            sizes.append((round(size * scale, 2), text.strip()))

    for page in reader(leaflets, LARGE_FILE).pages:
        page.extract_text(visitor_text=visit)
    assert sizes
    small = [s for s in sizes if s[0] < 16]
    assert not small, small[:5]


def test_the_large_print_is_dark_type_on_white_paper(leaflets):
    pdf = pypdfium2.PdfDocument(leaflets / LARGE_FILE)
    page = pdf[2]
    image = page.render(scale=1).to_pil().convert("L")
    assert image.getpixel((5, 5)) == 255            # white paper
    assert min(image.get_flattened_data()) < 40                 # near-black type


@pytest.mark.parametrize("name", ALL_FILES)
def test_the_pdf_is_tagged_with_title_and_language(leaflets, policy, name):
    pdf = reader(leaflets, name)
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == policy.metadata["language"]
    assert pdf.metadata.title == policy.metadata["title"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


def structure(pdf: PdfReader) -> tuple[list[str], list[tuple[int, int]]]:
    """The structure tree in reading order: element types, and (page, MCID) of the marked content."""
    from pypdf.generic import ArrayObject, DictionaryObject
    page_of = {page.indirect_reference.idnum: i for i, page in enumerate(pdf.pages)}
    types, content = [], []

    def walk(element, page):
        element = element.get_object()
        if not isinstance(element, DictionaryObject):
            content.append((page, int(element)))
            return
        if element.get("/Type") == "/MCR":
            content.append((page_of[element.raw_get("/Pg").idnum], int(element["/MCID"])))
            return
        types.append(str(element["/S"]))
        if "/Pg" in element:
            page = page_of[element.raw_get("/Pg").idnum]
        kids = element.get("/K")
        for kid in (kids if isinstance(kids, ArrayObject) else [] if kids is None else [kids]):
            walk(kid, page)

    walk(pdf.trailer["/Root"]["/StructTreeRoot"]["/K"][0], None)
    return types, content


@pytest.mark.parametrize("name", ALL_FILES)
def test_all_marked_content_belongs_to_a_structure_element(leaflets, name):
    pdf = reader(leaflets, name)
    nums = pdf.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for number, page in enumerate(pdf.pages):
        mcids = [int(m) for m in re.findall(rb"/MCID (\d+)", page.get_contents().get_data())]
        assert mcids, f"page {number + 1} has no tagged content"
        assert len(set(mcids)) == len(mcids), f"page {number + 1} repeats an MCID"
        parents = parent_tree[int(page["/StructParents"])]
        assert all(m < len(parents) and parents[m].get_object() is not None for m in mcids)


def test_the_booklet_keeps_the_leaflets_structure_in_reading_order(leaflets):
    """Same elements in the same order as the A5 file, each A5 page's content on the sheet side it went to."""
    a5_types, a5_content = structure(reader(leaflets, A5_FILE))
    booklet_types, booklet_content = structure(reader(leaflets, BOOKLET_FILE))
    assert booklet_types == a5_types
    side_of = {}
    for n, sheet in enumerate(booklet_sheets(len(reader(leaflets, A5_FILE).pages))):
        for k, side in enumerate((sheet.front, sheet.back)):
            side_of.update({page: 2 * n + k for page in side if page is not None})
    assert [side_of[page] for page, _ in a5_content] == [page for page, _ in booklet_content]


# --- Discreet cover ---------------------------------------------------------------------------------------

ABUSE_WORDS = re.compile(r"abus|violen|domestic|perpetrat|victim|harm|phoneline|respect|risk", re.I)


def _policy_with_discreet_cover():
    return load_policy(POLICY_FILE, edited_policy("discreet_leaflet_cover: false",
                                                  "discreet_leaflet_cover: true").encode("utf-8"))


def test_a_discreet_cover_has_no_words_about_abuse_on_the_outside(tmp_path, policy):
    discreet = _policy_with_discreet_cover()
    path = tmp_path / "discreet.pdf"
    path.write_bytes(render_pdf(discreet, A5))
    texts = page_texts(path)
    outside = [texts[0], texts[-1]]   # the front and the back of the folded leaflet
    for text in outside:
        assert not ABUSE_WORDS.search(text), text
    assert discreet.data["leaflet"]["discreet_cover"]["title"] in texts[0]
    assert policy.metadata["service"] not in texts[0]
    assert ABUSE_WORDS.search(texts[1]), "the inside still carries the policy"


def test_the_ordinary_cover_names_the_service(leaflets, policy):
    """So the discreet test above is not vacuous: the same words are on an ordinary cover."""
    assert ABUSE_WORDS.search(page_texts(leaflets / A5_FILE)[0])


# --- Failures ---------------------------------------------------------------------------------------------

@pytest.fixture
def previous(tmp_path, leaflets) -> Path:
    """A downloads folder holding last build's PDFs."""
    dest = tmp_path / "downloads"
    shutil.copytree(leaflets, dest)
    return dest


def _unchanged(previous: Path, leaflets: Path) -> bool:
    return (sorted(p.name for p in previous.iterdir()) == sorted(ALL_FILES)
            and all((previous / n).read_bytes() == (leaflets / n).read_bytes() for n in ALL_FILES))


def _templates_with(tmp_path: Path, name: str, edit) -> tuple[Path, Path]:
    """A copy of the leaflet templates in which `name` is rewritten by edit(text): (the folder, that file)."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    path = templates / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return templates, path


def test_a_broken_template_names_the_file_and_line_and_keeps_the_previous_pdfs(tmp_path, policy, previous, leaflets):
    templates, html = _templates_with(tmp_path, "leaflet.html.j2",
                                      lambda text: text.replace("{% endfor %}", "{% endfo %}", 1))
    with pytest.raises(BuildError) as err:
        build_leaflets(policy, previous, templates=templates)
    assert str(html) in str(err.value)
    assert re.search(r"leaflet\.html\.j2:\d+:", str(err.value))
    assert _unchanged(previous, leaflets)


def test_an_unknown_name_in_a_template_is_named_with_its_line(tmp_path, policy, previous, leaflets):
    templates, css = _templates_with(tmp_path, "leaflet.css.j2", lambda text: text + "\n{{ no_such_value.size }}\n")
    with pytest.raises(BuildError) as err:
        build_leaflets(policy, previous, templates=templates)
    assert f"{css}:" in str(err.value) and "no_such_value" in str(err.value)
    assert _unchanged(previous, leaflets)


def test_a_css_mistake_is_an_error_not_a_silently_ignored_rule(tmp_path, policy, previous, leaflets):
    templates, css = _templates_with(tmp_path, "leaflet.css.j2", lambda text: text + "\n.cover { colour: red; }\n")
    with pytest.raises(BuildError) as err:
        build_leaflets(policy, previous, templates=templates)
    assert str(css) in str(err.value) and "colour" in str(err.value)
    assert _unchanged(previous, leaflets)


def test_a_missing_font_names_the_file_and_keeps_the_previous_pdfs(tmp_path, policy, previous, leaflets):
    fonts = tmp_path / FONT_PACKAGE.name
    shutil.copytree(FONT_PACKAGE, fonts)
    missing = fonts / "files" / f"{FONT_PACKAGE.name}-latin-700-normal.woff2"
    missing.unlink()
    with pytest.raises(BuildError) as err:
        build_leaflets(policy, previous, font_package=fonts)
    assert str(missing) in str(err.value)
    assert _unchanged(previous, leaflets)


def test_a_web_address_in_a_template_is_refused_not_fetched(tmp_path, policy, previous, leaflets):
    templates, html = _templates_with(tmp_path, "leaflet.html.j2", lambda text: text.replace(
        "</body>", '<img src="https://fonts.example.invalid/logo.png" alt=""></body>'))
    with pytest.raises(BuildError) as err:
        build_leaflets(policy, previous, templates=templates)
    assert "https://fonts.example.invalid/logo.png" in str(err.value)
    assert _unchanged(previous, leaflets)


def test_a_character_the_typeface_lacks_is_an_error_not_a_silent_fallback(tmp_path, policy, previous, leaflets):
    templates, html = _templates_with(tmp_path, "leaflet.html.j2",
                                      lambda text: text.replace("</main>", "<p>☎</p></main>"))
    with pytest.raises(BuildError) as err:
        build_leaflets(policy, previous, templates=templates)
    assert "the a5 leaflet in en-GB has ☎ (U+260E), which no font of the leaflets draws" in str(err.value)
    assert _unchanged(previous, leaflets)


def test_the_command_line_reports_a_build_error_and_exits_1(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "policy.yaml"
    text = POLICY_FILE.read_text(encoding="utf-8")
    start = text.index("\nleaflet:\n")
    end = text.index("\nfootnotes:")
    bad.write_text(text[:start] + text[end:], encoding="utf-8")
    assert cli(["leaflets", "--policy", str(bad), "-o", str(tmp_path / "out")]) == 1
    assert "leaflet:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- The site ---------------------------------------------------------------------------------------------

def test_the_site_serves_the_pdfs_and_lists_them_on_the_print_leaflets_page(built_site):
    html = (built_site / "print-leaflets.html").read_text(encoding="utf-8")
    for name in ALL_FILES:
        path = built_site / "downloads" / name
        assert path.is_file()
        assert f'href="downloads/{name}"' in html
        assert f"{round(path.stat().st_size / 1024)} KB" in html
    a5_pages = len(PdfReader(built_site / "downloads" / A5_FILE).pages)
    large_pages = len(PdfReader(built_site / "downloads" / LARGE_FILE).pages)
    sheets = len(PdfReader(built_site / "downloads" / BOOKLET_FILE).pages) // 2
    assert html.count(f"Pages: {a5_pages}<") >= 2      # the A5 leaflet and the print-shop file
    assert f"Pages: {large_pages}<" in html
    assert f"Sheets: {sheets}," in html


def test_weasyprints_notice_of_subsetting_with_fonttools_alone_does_not_stop_the_build():
    """Without Debian's libharfbuzz-subset0 (a machine without Chromium) WeasyPrint subsets the typeface with
    fontTools and says so: the leaflet is whole. Any other warning still stops the build."""
    import logging

    from generator.leaflets.render import _WarningCollector

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("weasyprint", logging.WARNING, __file__, 1, message, None, None)

    collector = _WarningCollector()
    collector.handle(record('Using fontTools instead of HarfBuzz-Subset for font "Atkinson Hyperlegible". This will '
                            "be unsupported in future versions of WeasyPrint."))
    assert collector.messages == []
    collector.handle(record("Ignored `colour: red` at 3:1, unknown property."))
    assert collector.messages == ["Ignored `colour: red` at 3:1, unknown property."]
