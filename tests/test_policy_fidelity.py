"""The organisation's words, all of them and in order: in the YAML and on the built policy page.

The source is policy/source/respect-phoneline-confidentiality-policy.txt, a text export of
the organisation's document. Its `�` and `HYPERLINK "…"` debris are the remains of two
footnotes ("Exceptions apply, please read below", and the Home Office tool's address); its
lines that hold only "." or ";" are the ends of sentences that a footnote mark broke.
Only white space is normalised: typographic quotes and dashes must be kept as they are.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from generator.source.yaml_source import normalise_space
from harness import ROOT

SOURCE = ROOT / "policy" / "source" / "respect-phoneline-confidentiality-policy.txt"


def source_paragraphs() -> list[str]:
    """The document's paragraphs, debris removed, in order."""
    text = SOURCE.read_text(encoding="utf-8")
    text = re.sub(r'HYPERLINK "[^"]*"', "", text).replace("\ufffd", "")
    paragraphs: list[str] = []
    for line in text.splitlines():
        line = line.strip().removeprefix("·").strip()
        if not line:
            continue
        if re.fullmatch(r"[.;:,]", line):  # the end of a sentence that a footnote mark broke
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def sentences(paragraphs: list[str]) -> list[str]:
    return [s for p in paragraphs for s in re.split(r"(?<=[.?!])\s+", normalise_space(p)) if s]


PARAGRAPHS = source_paragraphs()
ORGANISATION, *BODY = PARAGRAPHS   # the document opens with the organisation's name
SENTENCES = sentences(BODY)


def assert_in_order(haystack: str, where: str) -> None:
    position = 0
    for number, sentence in enumerate(SENTENCES, 1):
        found = haystack.find(sentence, position)
        if found == -1:
            earlier = haystack.find(sentence)
            why = "it is there, but before the sentence above it" if earlier != -1 else "it is not there at all"
            pytest.fail(f"sentence {number} of {len(SENTENCES)} of the source is missing from {where} "
                        f"after character {position} ({why}):\n  {sentence}")
        position = found + len(sentence)


def yaml_text(policy) -> str:
    """The YAML's wording in reading order: title, each section's title and clauses, then the footnotes."""
    parts = [policy.metadata["title"]]
    for section in policy.sections:
        parts.append(section["title"])
        parts.extend(clause["text"] for clause in section["clauses"])
    parts.extend(note["text"] for note in policy.data["footnotes"])
    return normalise_space(" ".join(parts))


class _Text(HTMLParser):
    """The visible text of the page's main article: no scripts, styles or templates."""

    SKIP = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0          # inside <article>
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        if tag in self.SKIP:
            self.skipping -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return normalise_space(" ".join(parser.parts))


def test_the_source_is_read_into_sentences_with_its_debris_removed():
    # Guards the reading above: if the export changed shape, the tests below would test nothing.
    assert ORGANISATION == "Respect"
    assert SENTENCES[0] == "Confidentiality Policy – Respect Phoneline"
    assert "a caller has requested or consented on information being passed on;" in SENTENCES
    assert "Respect will act within the current legal framework with regard to information sharing and data " \
           "protection, with reference to the Home Office tool for practitioners ‘Sharing Personal and Sensitive " \
           "Data in Domestic Violence Contexts’." in SENTENCES
    assert SENTENCES[-2:] == ["Exceptions apply, please read below", "http://www.crimereduction.gov.uk/isp01.htm"]
    assert not any("\ufffd" in s or "HYPERLINK" in s for s in SENTENCES)
    assert len(SENTENCES) >= 30


def test_the_yaml_names_the_organisation(policy):
    assert policy.value("metadata", "organisation") == ORGANISATION   # normalised as {value, example, not_given}


def test_every_sentence_of_the_source_is_in_the_yaml_in_order(policy):
    assert_in_order(yaml_text(policy), "the YAML")


def test_the_yaml_adds_no_word_to_the_official_wording(policy):
    # Title, section titles, clauses and footnotes together are the document's text, no more and no less.
    assert yaml_text(policy) == normalise_space(" ".join(SENTENCES))


def test_typographic_quotes_and_dashes_are_kept(policy):
    text = yaml_text(policy)
    for mark in ("’", "‘", "–"):
        assert text.count(mark) == normalise_space(" ".join(SENTENCES)).count(mark) > 0


@pytest.fixture(scope="module")
def policy_page(built_site) -> str:
    return page_text((built_site / "policy.html").read_text(encoding="utf-8"))


def test_every_sentence_of_the_source_is_on_the_policy_page_in_order(policy_page):
    assert_in_order(policy_page, "policy.html")


def test_the_policy_page_names_the_organisation(policy_page):
    assert re.search(rf"\b{re.escape(ORGANISATION)}\b", policy_page)
