"""Format 3's retention (issue 27, point 7), as a caller meets it: a record kept until an event, and a policy that
says nothing about what is kept (`retention: not_stated`).

Both are Lantern Line (tests/examples/lantern-line.yaml) edited as its writer would: its chats kept until the chat
has closed; or its statement with nothing about what is kept. The engine's explanation, its one layout tree, the
terminal's text and the built site are read back.
"""

from __future__ import annotations

import json
import re
import shutil

import jsonschema
import pytest

from checker import evaluate
from checker.explain_text import explanation_text
from checker.layout import layout
from generator.source.policy_model import load_policy
from harness import EXAMPLES, ROOT, build_site
from explanation_view import expected_view, read_explanation
from test_site_pages import parse, text

LANTERN = EXAMPLES / "lantern-line.yaml"
SCHEMA = json.loads((ROOT / "checker" / "explanation.schema.json").read_text(encoding="utf-8"))
NOTHING_KEPT = "Our statement does not say what we keep after you get in touch."


def replaced(text_: str, old: str, new: str) -> str:
    assert text_.count(old) == 1, f"lantern-line.yaml no longer has {old!r} once: update this test"
    return text_.replace(old, new)


def without_lines(text_: str, start: str, end: str) -> str:
    """The text less the lines from the one that starts with `start` up to (not with) the one that starts with `end`."""
    lines = text_.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i, line in enumerate(lines) if i > first and line.startswith(end))
    return "".join(lines[:first] + lines[last:])


def until_event_text() -> str:
    """Lantern Line whose chat transcripts are deleted when the chat has closed."""
    text_ = LANTERN.read_text(encoding="utf-8")
    text_ = text_.replace("Chat transcripts are kept on our secure server for three months and then deleted.",
                          "Chat transcripts are kept on our secure server until the chat has closed, and then deleted.")
    text_ = replaced(text_, """    counted_from: chat_date
    what: The transcript of your chat
    where: Our secure server
    kept_for: {months: 3, words: three months}
    destroyed: Deleted
    says:
      applies: We keep the transcript of your chat for three months. Then we delete it.
      with_date: We keep the transcript of your chat from {chat_date} until {until}. Then we delete it.
      would_apply_if: If you chat with us, we keep the transcript for three months. Then we delete it.
""", """    what: The transcript of your chat
    where: Our secure server
    kept_for: {limit: until_event, event: the chat has closed, words: until the chat has closed}
    destroyed: Deleted
    says:
      applies: We keep the transcript of your chat until the chat has closed. Then we delete it.
      would_apply_if: If you chat with us, we keep the transcript until the chat has closed. Then we delete it.
""")
    return text_


def not_stated_text() -> str:
    """Lantern Line whose statement says nothing about what is kept: no section on it, no entries, no page."""
    text_ = LANTERN.read_text(encoding="utf-8")
    text_ = without_lines(text_, "  - id: what-we-keep\n", "retention:")   # the statement's section
    text_ = without_lines(text_, "retention:", "checker:")                   # the entries and their page
    text_ = replaced(text_, "checker:\n", "retention: not_stated\n\nchecker:\n")
    text_ = without_lines(text_, "    - id: what-we-keep", "  invariants:")  # the rule that showed them
    text_ = replaced(text_, "    records_heading: What we keep\n",
                     f"    records_heading: What we keep\n    records_not_stated: {NOTHING_KEPT}\n")
    return text_


@pytest.fixture(scope="module")
def not_stated(tmp_path_factory):
    path = tmp_path_factory.mktemp("not-stated") / "lantern-line.yaml"
    path.write_text(not_stated_text(), encoding="utf-8")
    return load_policy(path)


@pytest.fixture(scope="module")
def until_event(tmp_path_factory):
    path = tmp_path_factory.mktemp("until-event") / "lantern-line.yaml"
    path.write_text(until_event_text(), encoding="utf-8")
    return load_policy(path)


def answer_sets(data: dict) -> list[dict]:
    roles = next(q for q in data["questions"] if q["id"] == "role")["values"]
    return [{}] + [{"role": v["value"]} for v in roles] + [
        {"role": "being_harmed", "contact_method": "webchat", "chat_date": "2031-05-09", "life_in_danger": "yes"}]


# ---------------------------------------------------------------- the engine


def test_a_record_kept_until_an_event_carries_the_event_and_no_date(until_event):
    data = until_event.checker_data
    explanation = evaluate(data, {"role": "being_harmed", "contact_method": "webchat", "chat_date": "2031-05-09"})
    jsonschema.validate(explanation, SCHEMA)
    (record,) = explanation["records"]
    assert (record["id"], record["limit"], record["event"], record["kept_for"], record["months"], record["until"]) == (
        "chat-transcripts", "until_event", "the chat has closed", "until the chat has closed", None, None)
    assert record["text"] == "We keep the transcript of your chat until the chat has closed. Then we delete it."
    # An entry with a period carries no event.
    email = evaluate(data, {"role": "being_harmed", "contact_method": "email", "chat_date": "2031-05-09"})["records"]
    assert [(r["limit"], r["event"], r["until"]) for r in email] == [("for", None, "2031-06-09")]


def test_a_policy_that_states_nothing_kept_says_so_in_every_explanation(not_stated):
    data = not_stated.checker_data
    assert data["retention"] == [] and data["retention_not_stated"] is True
    for answers in answer_sets(data):
        explanation = evaluate(data, answers)
        jsonschema.validate(explanation, SCHEMA)
        assert explanation["records"] == [] and explanation["records_not_stated"] == NOTHING_KEPT
        tree = layout(explanation, data["wording"])
        records = [n for n in tree["children"] if n["type"] == "section" and n["kind"] == "records"]
        assert records == [{"type": "section", "kind": "records", "heading": "What we keep", "fold": False,
                            "count": None, "id": None,
                            "children": [{"type": "note", "kind": "records_not_stated", "text": NOTHING_KEPT}]}]
        assert f"What we keep\n------------\n{NOTHING_KEPT}\n" in explanation_text(data, explanation)


def test_a_policy_that_lists_what_is_kept_has_no_such_sentence():
    data = load_policy(LANTERN).checker_data
    explanation = evaluate(data, {"contact_method": "webchat"})
    assert explanation["records_not_stated"] is None and explanation["records"]
    assert "note" not in json.dumps(layout(explanation, data["wording"]))


# ---------------------------------------------------------------- the site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The site of the Lantern Line that states nothing kept, built as the example sites are."""
    folder = tmp_path_factory.mktemp("not-stated-site")
    (folder / "lantern-line.yaml").write_text(not_stated_text(), encoding="utf-8")
    config = (EXAMPLES / "lantern-line-mkdocs.yml").read_text(encoding="utf-8")
    (folder / "mkdocs.yml").write_text(config.replace("docs_dir: ../../site_src", f"docs_dir: {ROOT / 'site_src'}"),
                                       encoding="utf-8")
    return build_site(folder / "site", folder / "mkdocs.yml")


def test_the_site_has_no_retention_page_and_no_link_to_one(site):
    assert not (site / "chats-and-emails.html").exists()
    pages = sorted(p.name for p in site.glob("*.html"))
    assert "index.html" in pages and "being-harmed.html" in pages
    for name in pages:
        html = (site / name).read_text(encoding="utf-8")
        assert "chats-and-emails" not in html and "overview__records" not in html, name


def test_the_home_page_says_the_policy_does_not_say_what_is_kept(site, not_stated):
    tree = parse(site, "index.html")
    (note,) = [p for p in tree.iter("p") if "retention-not-stated" in (p.get("class") or "")]
    assert text(note) == not_stated.data["wording"]["home_page"]["retention_not_stated"] == (
        "The policy does not say what is kept after you get in touch, or for how long.")
    links = [text(a) for nav in tree.iter("nav") if "next-steps" in (nav.get("class") or "") for a in nav.iter("a")]
    assert links and not any("keep" in link.lower() or "chats" in link.lower() for link in links)


def test_every_explanation_on_the_pages_says_it(site, not_stated):
    data = not_stated.checker_data
    tree = parse(site, "being-harmed.html")
    caller_page = not_stated.data["wording"]["caller_page"]
    overview = next(e for e in tree.iter() if "overview" in (e.get("class") or "").split())
    assert read_explanation(overview) == expected_view(data, {"role": "being_harmed"}, caller_page)
    notes = [e for e in tree.iter("p") if "explanation__note" in (e.get("class") or "")]
    # The overview and each worked example's full explanation.
    examples = not_stated.audiences[0]["examples"]
    assert [text(n) for n in notes] == [NOTHING_KEPT] * (1 + len(examples))
    assert all(n.get("data-kind") == "records_not_stated" for n in notes)
