"""What the made-up examples say that Respect's policy does not, as a reader meets it on the built site and leaflets.

Nightjar (tests/examples/nightjar.yaml) has no title or headings of its own, a court order no answer
decides, callers always told first, email deleted within a year and a message log deleted 48 hours after the end
of the conversation. Kite Line (tests/examples/kite-line.yaml) tells a child afterwards when it acts to
keep them safe, keeps safeguarding notes no longer than necessary and a chat's copy for 6 years only if a concern
is raised; neither says where records are kept. Every expectation is computed
from the example's YAML and the checker engine.
"""

from __future__ import annotations

import pytest

from checker import evaluate
from checker_cases.load import checker_data
from generator.source.yaml_source import normalise_space
from generator.source.policy_model import load_policy
from harness import EXAMPLES, serve
from test_site_pages import by_id, caller_pages_lead_with_the_answer, content, parse, text, with_class

TITLES_OF_OURS = {"nightjar": 4, "kite-line": 0}   # the policy's title and its section titles


def load(name: str):
    from generator.source.policy_model import load_policy
    return load_policy(EXAMPLES / f"{name}.yaml")


def heading(element) -> str:
    """A heading's words, without the "#" of its permalink."""
    return text(element).removesuffix("#").strip()


def exception_blocks(element) -> dict:
    return {e.get("data-exception"): e for e in element.iter() if e.get("data-exception")}


def examples(policy):
    for audience in policy.audiences:
        for example in audience["examples"]:
            yield audience, example


@pytest.mark.parametrize("name", sorted(TITLES_OF_OURS))
def test_a_title_of_ours_is_shown_with_its_mark_on_the_policy_page_and_the_organisations_without(name, example_site):
    policy = load(name)
    article = content(parse(example_site(name), "policy.html"))
    mark = policy.data["wording"].get("ours_mark")

    def expected(node) -> str:
        return f"{node['title']} {mark}" if node["title_ours"] else node["title"]
    (h1,) = article.iter("h1")
    assert heading(h1) == expected(policy.metadata)
    for section in policy.sections:
        assert heading(by_id(article, section["id"])) == expected(section)
    marks = with_class(article, "ours-mark")
    assert len(marks) == TITLES_OF_OURS[name]
    assert all(text(m) == mark for m in marks)


def test_an_exception_no_answer_decides_is_shown_as_always_possible_in_a_caller_pages_examples(example_site):
    policy, data = load("nightjar"), checker_data("nightjar")
    wording = data["wording"]
    site = example_site("nightjar")
    shown_outcomes = set()
    for audience, example in examples(policy):
        explanation = evaluate(data, example["answers"])
        block = by_id(parse(site, f"{audience['id']}.html"), f"example-{example['id']}-result")
        shown = exception_blocks(block)
        always = [e for e in explanation["exceptions"] if e["status"] == "always_possible"]
        assert always, example["id"]
        for e in always:
            item = shown[e["id"]]
            assert "exception--always-possible" in item.get("class").split()
            (status,) = with_class(item, "exception__status")
            assert text(status) == wording["always_possible"].format(condition=e["condition"])
            assert not set(e["shared_with"]) & set(block.get("data-shared-with").split())
        if explanation["outcome"] == "confidential_except_always_possible":
            assert policy.data["wording"]["caller_page"]["example_headline"]["confidential_except_always_possible"] \
                in text(block)
            assert wording["outcome"]["confidential_except_always_possible"] not in text(block)
        shown_outcomes.add(block.get("data-outcome"))
    assert shown_outcomes == {"confidential_except_always_possible", "could_be_shared"}


def test_the_checker_pages_static_explanation_shows_an_exception_no_answer_decides_as_always_possible(example_site):
    data = checker_data("nightjar")
    tree = parse(example_site("nightjar"), "checker.html")
    static = by_id(tree, "checker-static")
    roles = [q for q in data["questions"] if q["id"] == "role"][0]["values"]
    for role in roles:
        (details,) = [d for d in static.iter("details") if d.get("data-role") == role["value"]]
        explanation = evaluate(data, {"role": role["value"]})
        always = [e for e in explanation["exceptions"] if e["status"] == "always_possible"]
        assert always
        for e in always:
            (status,) = with_class(exception_blocks(details)[e["id"]], "exception__status")
            assert text(status) == data["wording"]["always_possible"].format(condition=e["condition"])


@pytest.mark.parametrize("name, tellings", [("nightjar", {"first", "not_told"}), ("kite-line", {"first", "afterwards"})])
def test_the_telling_sentence_appears_with_its_exception_in_every_example(name, tellings, example_site):
    policy, data = load(name), checker_data(name)
    sentences = data["wording"]["telling"]
    seen = set()
    for audience, example in examples(policy):
        block = by_id(parse(example_site(name), f"{audience['id']}.html"), f"example-{example['id']}-result")
        shown = exception_blocks(block)
        explanation = evaluate(data, example["answers"])
        differ = explanation["telling"] and not explanation["telling"]["same"]
        for e in explanation["exceptions"]:
            told = with_class(shown[e["id"]], "exception__told-first")
            # "The policy does not say" is shown only where it applies beside a promise (checker/layout.py).
            if sentences.get(e["telling"]) and (e["telling"] != "not_stated" or e["status"] == "applies" and differ):
                (sentence,) = told
                assert (sentence.get("data-telling"), text(sentence)) == (e["telling"], sentences[e["telling"]])
                seen.add(e["telling"])
            else:
                assert not told, (example["id"], e["id"])
    assert seen == tellings


@pytest.mark.parametrize("name, kinds", [("nightjar", {"at_most", "event"}),
                                         ("kite-line", {"as_long_as_necessary", "at_least"})])
def test_a_retention_row_shows_the_words_of_its_period(name, kinds, example_site):
    policy = load(name)
    site = example_site(name)
    tree = parse(site, f"{policy.retention_page['id']}.html")
    (table,) = [t for t in tree.iter("table") if "retention" in (t.get("class") or "")]
    rows = {r.get("id"): [text(c) for c in r] for r in table.find("tbody").findall("tr")}
    found = set()
    for entry in policy.retention:
        kind = "event" if (entry["counted_from"] or {}).get("event") else entry["kept_for"]["limit"]
        if kind in kinds:
            assert rows[entry["id"]][2].lower() == entry["kept_for"]["words"].lower(), entry["id"]
            found.add(kind)
    assert found == kinds


def test_a_caller_pages_example_gives_the_latest_day_of_an_email_kept_at_most_a_year(example_site):
    policy, data = load("nightjar"), checker_data("nightjar")
    checked = 0
    for audience, example in examples(policy):
        block = by_id(parse(example_site("nightjar"), f"{audience['id']}.html"), f"example-{example['id']}-result")
        for record in evaluate(data, example["answers"])["records"]:
            (item,) = [li for li in block.iter("li") if li.get("data-point") == record["id"]]
            (sentence,) = [p for p in item.iter("p") if "point__text" in (p.get("class") or "").split()]
            assert text(sentence) == record["text"]
            if record["until"]:
                assert "at the latest" in record["text"]
                checked += 1
    assert checked == 1


@pytest.mark.parametrize("name", ["nightjar", "kite-line"])
def test_a_retention_row_says_what_the_policy_does_not_say_and_when_a_record_is_kept_only_if(name, example_site):
    """A `where` or `destroyed` the policy does not give ({not_given: true}) is said in the interface's words (the
    policy's own override: Nightjar's "Our statement does not say"), never a made-up place; a record kept only if
    something happens has that condition under its period, on the page and in the leaflets."""
    from pypdf import PdfReader
    policy = load(name)
    site = example_site(name)
    words = policy.data["wording"]
    tree = parse(site, f"{policy.retention_page['id']}.html")
    (table,) = [t for t in tree.iter("table") if "retention" in (t.get("class") or "")]
    rows = {r.get("id"): r for r in table.find("tbody").findall("tr")}
    said = {"where": 0, "destroyed": 0, "only_if": 0}
    for entry in policy.retention:
        cells = [text(c) for c in rows[entry["id"]]]
        for key, cell in (("where", cells[1]), ("destroyed", cells[3])):
            if key in entry["not_given"]:
                assert cell == words["retention_table"][f"{key}_not_given"], (entry["id"], key)
                said[key] += 1
            else:
                assert cell == entry[key]
        only = [e for e in rows[entry["id"]].iter() if "only-if" in (e.get("class") or "").split()]
        if entry["only_if"]:
            assert [text(e) for e in only] == [words["retention_table"]["only_if"].replace("{condition}", entry["only_if"])]
            said["only_if"] += 1
        else:
            assert not only
    assert said["where"] and said["destroyed"] and (said["only_if"] > 0) == (name == "kite-line")
    printed = normalise_space(" ".join(page.extract_text() or "" for page in PdfReader(
        site / "downloads" / "confidentiality-policy-a5.pdf").pages))
    assert words["retention_table"]["where_not_given"] in printed
    for entry in policy.retention:
        if entry["only_if"]:
            assert words["retention_table"]["only_if"].replace("{condition}", entry["only_if"]) in printed


def test_a_caller_page_lists_each_record_once_and_one_kept_only_if_as_only_would_be(example_site):
    """Kite Line's page for a child: the chat's 6-year copy beside the 30-day one, under what is kept, in its own
    words ("If we raise a safeguarding concern …"), as a record that would be kept, never as one that is; each
    record once."""
    policy, data = load("kite-line"), checker_data("kite-line")
    (audience,) = [a for a in policy.audiences if "myself" in a["roles"]]
    tree = parse(example_site("kite-line"), f"{audience['id']}.html")
    overview = next(e for e in tree.iter() if "overview" in (e.get("class") or "").split())
    explanation = evaluate(data, {"role": "myself"})
    shown = [e.get("data-point") for e in overview.iter("li") if e.get("data-kind") == "record"]
    assert sorted(shown) == sorted(r["id"] for r in explanation["records"]) and len(set(shown)) == len(shown)
    (item,) = [e for e in overview.iter("li") if e.get("data-point") == "chat-copies-after-a-concern"]
    assert item.get("data-status") == "would_apply_if"
    assert text(item).startswith("If you chat with us online and we raise a safeguarding concern in the chat")


@pytest.mark.parametrize("leaflet", ["confidentiality-policy-a5.pdf", "confidentiality-policy-large-print.pdf"])
def test_the_leaflets_print_the_mark_after_each_title_of_ours(leaflet, example_site):
    from pypdf import PdfReader
    policy = load("nightjar")
    mark = policy.data["wording"]["ours_mark"]
    reader = PdfReader(example_site("nightjar") / "downloads" / leaflet)
    printed = normalise_space(" ".join(page.extract_text() or "" for page in reader.pages))
    ours = [s["title"] for s in policy.sections if s["title_ours"]]
    assert ours
    for title in ours:
        assert f"{title} {mark}" in printed
    assert printed.count(mark) == len(ours)


def test_the_organisations_contact_details_are_on_the_about_page_and_the_leaflets(example_site):
    """metadata.contact, as Lantern Line gives it (a phone number and a website, no email)."""
    from pypdf import PdfReader
    contact = load("lantern-line").metadata["contact"]
    assert contact["phone"] and contact["website"] and not contact["email"]
    site = example_site("lantern-line")
    about = parse(site, "about.html")
    assert text(by_id(about, "contact-phone")) == contact["phone"]
    assert text(by_id(about, "contact-website")) == contact["website"]
    assert not [e for e in about.iter() if e.get("id") == "contact-email"]
    for leaflet in ("confidentiality-policy-a5.pdf", "confidentiality-policy-large-print.pdf"):
        reader = PdfReader(site / "downloads" / leaflet)
        printed = normalise_space(" ".join(page.extract_text() or "" for page in reader.pages))
        assert contact["phone"] in printed and contact["website"] in printed, leaflet


@pytest.mark.parametrize("name", ["lantern-line", "nightjar", "kite-line"])
def test_each_caller_page_leads_with_the_answer_on_a_phone(name, example_site, page):
    url, server = serve(example_site(name))
    try:
        caller_pages_lead_with_the_answer(page, url, load_policy(EXAMPLES / f"{name}.yaml"))
    finally:
        server.shutdown()
