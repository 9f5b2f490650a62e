"""Format 3's retention (issue 27, point 7), as a caller meets it: a record kept until an event, and a policy that
says nothing about what is kept (`retention: not_stated`).

Both are Lantern Line (tests/examples/lantern-line.yaml) edited as its writer would: its chats kept until the chat
has closed; or its statement with nothing about what is kept. The engine's explanation, its one layout tree, the
terminal's text and the built site are read back.
"""

from __future__ import annotations

import datetime as dt
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


# ---------------------------------------------------------------- periods, kept only if, not given (issue 27)

KITE = EXAMPLES / "kite-line.yaml"
ONLY_IF = "chat-copies-after-a-concern"   # Kite Line's copy of a chat kept 6 years, only if a concern is raised


def hours_text() -> str:
    """Lantern Line whose chat transcripts are deleted 48 hours after the chat, counted from the caller's day."""
    text_ = LANTERN.read_text(encoding="utf-8")
    text_ = text_.replace("Chat transcripts are kept on our secure server for three months and then deleted.",
                          "Chat transcripts are kept on our secure server for 48 hours and then deleted.")
    text_ = replaced(text_, "summary: We keep a chat for three months and an email for one month.",
                     "summary: We keep a chat for 48 hours and an email for one month.")
    return replaced(text_, """    kept_for: {months: 3, words: three months}
    destroyed: Deleted
    says:
      applies: We keep the transcript of your chat for three months. Then we delete it.
      with_date: We keep the transcript of your chat from {chat_date} until {until}. Then we delete it.
      would_apply_if: If you chat with us, we keep the transcript for three months. Then we delete it.
""", """    kept_for: {hours: 48, words: 48 hours}
    destroyed: Deleted
    says:
      applies: We keep the transcript of your chat for 48 hours. Then we delete it.
      would_apply_if: If you chat with us, we keep the transcript for 48 hours. Then we delete it.
""")


def twice_text() -> str:
    """Lantern Line as a volunteer first wrote a record kept when something is passed on: `records:` on both of
    its exceptions, naming one entry (which a caller page listed twice, under the chats' and emails' lead)."""
    text_ = LANTERN.read_text(encoding="utf-8")
    text_ = replaced(text_, "        summary: We keep a chat for three months and an email for one month. Then we delete them.\n",
                     "        summary: We keep a chat for three months and an email for one month. Then we delete them.\n"
                     "      - id: notes-kept\n        text: When we tell someone, we keep a note of what we told them "
                     "for a year.\n        summary: When we tell someone, we write down what we told them. We keep "
                     "the note for a year.\n")
    text_ = replaced(text_, "\nretention_page:\n", """  - id: passed-on-notes
    when: {}
    what: A note of what we told someone
    where: {not_given: true}
    kept_for: {years: 1, words: a year}
    destroyed: {not_given: true}
    says:
      applies: We keep a note of what we told them for a year.
      would_apply_if: If we tell someone, we keep a note of what we told them for a year.
    cites:
      - clause: notes-kept
        quote: When we tell someone, we keep a note of what we told them for a year.

retention_page:
""")
    for rule in ("you-ask-us", "life-in-danger"):
        text_ = replaced(text_, f"    - id: {rule}\n      when:", f"    - id: {rule}\n      records: [passed-on-notes]\n      when:")
    return text_


def written(tmp_path, name: str, text_: str):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text_, encoding="utf-8")
    return load_policy(path)


def test_a_period_in_hours_counted_from_the_callers_day_gets_no_date(tmp_path):
    data = written(tmp_path, "hours", hours_text()).checker_data
    explanation = evaluate(data, {"contact_method": "webchat", "chat_date": "2031-05-09"})
    jsonschema.validate(explanation, SCHEMA)
    (record,) = explanation["records"]
    assert (record["status"], record["period"], record["months"], record["until"]) == (
        "applies", {"count": 48, "unit": "hours"}, None, None)
    assert record["text"] == "We keep the transcript of your chat for 48 hours. Then we delete it."
    # The email beside it, a month from the same day, still gets its date.
    email = evaluate(data, {"contact_method": "email", "chat_date": "2031-05-09"})["records"]
    assert [(r["period"], r["until"]) for r in email] == [({"count": 1, "unit": "months"}, "2031-06-09")]


def test_a_date_question_asks_no_later_a_day_than_its_longest_period_can_count_from():
    from checker import AnswerError
    from checker.answers import latest_date
    from checker.dates import add_period, period_step
    assert add_period(dt.date(2031, 3, 14), period_step({"count": 2, "unit": "weeks"})) == dt.date(2031, 3, 28)
    assert add_period(dt.date(2024, 2, 29), period_step({"count": 6, "unit": "years"})) == dt.date(2030, 2, 28)
    data = load_policy(KITE).checker_data   # 30 days from the day of the chat: the latest is 30 days before the end
    assert latest_date(data, "chat_date") == dt.date(9999, 12, 1)
    with pytest.raises(AnswerError, match=r'"9999-12-02" is too late to count 30 days from \(expected a date up to '
                                          r'9999-12-01\)'):
        evaluate(data, {"talk_by": "online_chat", "chat_date": "9999-12-02"})


def test_a_record_kept_only_if_something_happens_never_applies_nor_has_a_date():
    """Over every answer set Kite Line's checker can be given: the 6-year copy is never kept outright, and never
    dated, even where the caller gave the day of the chat and the chat's 30-day copy has its date."""
    from checker.engine import Evaluator
    from checker.invariants import answer_sets
    data = load_policy(KITE).checker_data
    explain, seen = Evaluator(data, shared=True).evaluate, 0
    for answers in answer_sets(data):
        explanation = explain(answers)
        records = [r for r in explanation["records"] if r["id"] == ONLY_IF]
        assert len(records) <= 1
        for record in records:
            seen += 1
            assert (record["status"], record["until"], record["only_if"]) == (
                "would_apply_if", None, "we raise a safeguarding concern in the chat"), answers
            # Beside the other records of its own rule, never folded under another's "If …" lead.
            assert ONLY_IF in explanation["summary"]["records"], answers
    assert seen
    explanation = evaluate(data, {"talk_by": "online_chat", "chat_date": "2031-03-14"})
    jsonschema.validate(explanation, SCHEMA)
    tree = layout(explanation, data["wording"])
    (records,) = [n for n in tree["children"] if n["type"] == "section" and n["kind"] == "records"]
    points = [p for p in records["children"][1]["children"]]
    assert [(p["id"], p["status"]) for p in points] == [
        ("chat-copies", "applies"), (ONLY_IF, "would_apply_if"), ("counsellor-notes", "applies")]
    assert points[1]["text"] == ("If we raise a safeguarding concern in your chat, we keep the copy for 6 years from "
                                 "the day of the chat.")


def test_where_and_how_it_is_destroyed_not_given_are_null_and_named_in_the_record():
    data = load_policy(KITE).checker_data
    records = {r["id"]: r for r in evaluate(data, {"talk_by": "online_chat"})["records"]}
    assert (records["chat-copies"]["where"], records["chat-copies"]["destroyed"],
            records["chat-copies"]["not_given"]) == (None, "Deleted", ["where"])
    assert (records[ONLY_IF]["where"], records[ONLY_IF]["destroyed"], records[ONLY_IF]["not_given"]) == (
        None, None, ["where", "destroyed"])


def test_an_entry_two_exceptions_name_is_listed_once_on_a_caller_page(tmp_path):
    """The volunteer's first try: `records:` on both exceptions. With the role alone both could apply; the
    note was listed once for each, both under the lead of the chats and emails. It is listed once, with what is
    kept, in its own words ("If we tell someone, …")."""
    import markdown
    import tinyhtml5
    from generator.pages.render import render_pages
    policy = written(tmp_path, "lantern-line", twice_text())
    data = policy.checker_data
    explanation = evaluate(data, {"role": "being_harmed"})
    assert [r["id"] for r in explanation["records"]] == ["passed-on-notes", "chat-transcripts", "emails"]
    summary = explanation["summary"]
    assert (summary["records"], summary["records_if_lead"], summary["records_if"]) == (
        ["passed-on-notes"], "what-we-keep", ["chat-transcripts", "emails"])
    # Where one of them applies, the note is kept: listed once, as applying.
    applying = evaluate(data, {"role": "being_harmed", "asked_to_tell_someone": "yes"})
    assert [(r["id"], r["status"]) for r in applying["records"] if r["id"] == "passed-on-notes"] == [
        ("passed-on-notes", "applies")]
    page = {p.path: p.markdown for p in render_pages(policy)}["being-harmed.md"]
    html = markdown.markdown(page.split("---\n", 2)[2], extensions=["attr_list", "md_in_html", "toc"])
    (overview,) = [e for e in tinyhtml5.parse(html, namespace_html_elements=False).iter()
                   if "overview" in (e.get("class") or "").split()]
    assert read_explanation(overview) == expected_view(data, {"role": "being_harmed"},
                                                       policy.data["wording"]["caller_page"])
    shown = [e for e in overview.iter() if e.get("data-point") == "passed-on-notes"]
    assert len(shown) == 1 and text(shown[0]).startswith(
        "If we tell someone, we keep a note of what we told them for a year.")


def test_a_record_deleted_sooner_if_the_caller_asks_says_so_under_its_period(tmp_path):
    """"You can ask us to delete your chat as soon as it ends by typing DELETE at the end": the period is the
    longest the chat is kept, and the tables say under it when it goes sooner (`sooner_if`); the record carries
    the words, and a change of them is a change `diff` reports with the record's period."""
    import tinyhtml5
    from generator.pages.facts import period_notes
    from generator.pages.render import render_pages
    text_ = KITE.read_text(encoding="utf-8").replace(
        "    kept_for: {days: 30, limit: for, words: 30 days}\n",
        "    kept_for: {days: 30, limit: for, words: 30 days}\n    sooner_if: you type DELETE at the end of the chat\n")
    policy = written(tmp_path, "kite-line", text_)
    record = next(r for r in evaluate(policy.checker_data, {"talk_by": "online_chat"})["records"]
                  if r["id"] == "chat-copies")
    jsonschema.validate(evaluate(policy.checker_data, {"talk_by": "online_chat"}), SCHEMA)
    assert record["sooner_if"] == "you type DELETE at the end of the chat"
    item = next(i for i in policy.retention if i["id"] == "chat-copies")
    assert period_notes(policy, item) == " Sooner if you type DELETE at the end of the chat."
    only = next(i for i in policy.retention if i["id"] == ONLY_IF)
    assert period_notes(policy, only) == " Only if we raise a safeguarding concern in the chat."
    (page,) = [p.markdown for p in render_pages(policy) if p.path == policy.data["retention_page"]["id"] + ".md"]
    rows = [" ".join("".join(td.itertext()).split()) for td in
            tinyhtml5.parse(page, namespace_html_elements=False).iter("td")]
    assert "30 days Sooner if you type DELETE at the end of the chat." in rows
    from generator.source.diff import diff_policies
    changes = [c for c in diff_policies(load_policy(KITE), policy).changes if c.id == "chat-copies"]
    assert changes and {(c.kind, c.old["sooner_if"], c.new["sooner_if"]) for c in changes} == {
        ("record_period", None, "you type DELETE at the end of the chat")}
