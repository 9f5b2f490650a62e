"""A policy in other languages (issue 28): its words as gettext catalogs, and the translated model.

- Words are what the schema gives as text: ids, enum values, dates, numbers and conditions are never entries,
  and an entry's key path names list items by id, so that moving a clause keeps its translation.
- extract → update is a round trip; a clause whose English changes becomes fuzzy, that entry alone, with its old
  words as #| msgid, and `check` names it at its PO line (and `--publish` refuses it).
- Every answer set of Lantern Line gives the same explanation in English, Welsh, Polish and Arabic once the words are set
  aside (the explanation's schema says which strings are words): outcome, statuses, ids, recipients, telling,
  records and dates. The translated checker data differ from the English in string leaves alone.
- A translation that changes a placeholder, a number, or a quote not in its clause is refused at its line.
- The interface text's catalogs (generator/source/locale/) are complete, in step with labels.yaml, and say who
  reviewed them.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from checker import evaluate
from checker.invariants import answer_sets
from generator.source import labels
from generator.source.catalogs import read_catalog
from generator.source.policy_model import load_policy
from generator.source.translations import (entries, extract, load_translation, po_path, translate, update,
                                           word_paths)
from harness import EXAMPLES, ROOT, cli_here

LANTERN = EXAMPLES / "lantern-line.yaml"
LANGUAGES = ("cy", "pl", "ar")
EXPLANATION_SCHEMA = json.loads((ROOT / "checker" / "explanation.schema.json").read_text(encoding="utf-8"))
WORDS = "<words>"


@pytest.fixture(scope="module")
def lantern():
    return load_policy(LANTERN)


@pytest.fixture(scope="module")
def translated(lantern):
    return {language: load_translation(lantern, language) for language in LANGUAGES}


@pytest.fixture
def copied(tmp_path):
    """Lantern Line alone in a folder, with its Welsh catalog in translations/ beside it."""
    shutil.copy(LANTERN, tmp_path / LANTERN.name)
    (tmp_path / "translations").mkdir()
    shutil.copy(po_path(LANTERN, "cy"), tmp_path / "translations" / "cy.po")
    return tmp_path / LANTERN.name


def line_of(po, context: str) -> int:
    return next(m.lineno for m in read_catalog(po) if m.context == context)


def set_translation(po, context: str, words: str) -> None:
    text = po.read_text(encoding="utf-8")
    entry = re.compile(rf'(msgctxt "{re.escape(context)}"\nmsgid (?:".*"\n)+)msgstr (?:".*"\n)+')
    assert len(entry.findall(text)) == 1, context
    po.write_text(entry.sub(lambda m: m.group(1) + f"msgstr {json.dumps(words, ensure_ascii=False)}\n", text),
                  encoding="utf-8")


# ---- which strings are words

def test_entries_are_the_words_a_reader_meets_keyed_by_ids(lantern):
    contexts = {e.context: e.text for e in entries(lantern.raw, lantern.source)}
    for words in ("metadata.title", "safety.tab_title", "wording.official_label", "leaflet.footer",
                  "sections.our-promise.clauses.you-ask-us.text", "sections.our-promise.clauses.you-ask-us.summary",
                  "checker.rules.you-ask-us.cites[0].quote", "checker.rules.you-ask-us.exception.condition",
                  "checker.questions.role.values[0].label", "checker.month_names[0]", "checker.date_format",
                  "checker.wording.in_short.list_and", "retention.emails.kept_for.words",
                  "audiences.being-harmed.examples.by-chat.title"):
        assert words in contexts, words
    # Data: ids, enum values, dates, versions, addresses, conditions and answers, and the invariants.
    data = [c for c in contexts if re.search(r"\.(id|value|strength|telling|kind|limit|type|clause|version|"
                                             r"effective_date|review_date|site_url|language|phone)$", c)
            or re.search(r"\.(when|asked_when|answers|roles|shared_with|records)[.\[]|^checker\.invariants", c)]
    assert data == []
    assert len(contexts) == len(entries(lantern.raw, lantern.source))   # each key path once


def test_moving_a_clause_keeps_every_key_path(lantern):
    raw = {**lantern.raw, "sections": list(reversed(lantern.raw["sections"]))}
    assert ({e.context: e.text for e in entries(raw, lantern.source)}
            == {e.context: e.text for e in entries(lantern.raw, lantern.source)})


# ---- the catalogs: extract, update, fuzzy

def test_extract_then_update_is_a_round_trip(tmp_path, lantern):
    shutil.copy(LANTERN, tmp_path / LANTERN.name)
    moved = load_policy(tmp_path / LANTERN.name)
    pot, count = extract(moved)
    assert pot == tmp_path / "translations" / "policy.pot"
    template = [(m.context, m.id) for m in read_catalog(pot) if m.id]
    assert template == [(e.context, e.text) for e in entries(lantern.raw, lantern.source)] and count == len(template)
    po, merged = update(moved, "cy")
    assert (merged.translated, merged.fuzzy, merged.untranslated) == (0, 0, count)
    # The example's own translation merged into a fresh file's place: every entry kept as translated, none fuzzy.
    shutil.copy(po_path(LANTERN, "cy"), po)
    before = [(m.context, m.id, m.string, m.flags) for m in read_catalog(po) if m.id]
    assert update(moved, "cy")[1].translated == count
    assert [(m.context, m.id, m.string, m.flags) for m in read_catalog(po) if m.id] == before


def test_a_changed_clause_is_fuzzy_alone_and_check_names_it_at_its_line(copied):
    context = "sections.our-promise.clauses.conversations-private.text"
    old = "Everything you say to Lantern Line stays between you and us, except when:"
    text = copied.read_text(encoding="utf-8")
    copied.write_text(text.replace(old, old.replace("except when", "except if")), encoding="utf-8")
    po = copied.parent / "translations" / "cy.po"
    before = {m.context: m for m in read_catalog(po) if m.id}
    path, merged = update(load_policy(copied), "cy")
    assert (merged.fuzzy, merged.untranslated) == (1, 0)
    after = {m.context: m for m in read_catalog(path) if m.id}
    assert [c for c in after if after[c].fuzzy] == [context]
    assert after[context].previous_id == [old] and after[context].string == before[context].string
    assert all(after[c].string == before[c].string and not after[c].fuzzy for c in after if c != context)
    line = line_of(po, context)
    warned = cli_here(["check", str(copied)])
    assert warned.returncode == 0, warned.stderr
    # Problems are listed in the order of their files' paths, and the interface catalog's path sorts before or
    # after a temporary folder's depending on where the project is checked out: the line is looked for, not placed.
    assert (f'{po}:{line}:1: {context}: warning: fuzzy: the original changed since this was translated (it was '
            f'"{old[:59]}…") (the translation brought into line with the original, and the fuzzy flag taken off)'
            ) in warned.stderr.splitlines()
    assert f"{po}: OK — cy, 176 entries, 1 still to translate or bring up to date (listed above)" in warned.stdout
    refused = cli_here(["check", "--publish", str(copied)])   # after Lantern's own example value, its review date
    assert refused.returncode == 2
    assert any(e.startswith(f"{po}:{line}:1: {context}: fuzzy: ") for e in refused.stderr.splitlines())


def test_an_incomplete_translation_keeps_a_clause_and_its_quotes_in_the_original(copied):
    """A preview of a fuzzy clause shows the original's clause and the original's quotes of it, never a translated
    quote of an untranslated clause."""
    text = copied.read_text(encoding="utf-8")
    copied.write_text(text.replace("except when:", "except if:"), encoding="utf-8")
    english = load_policy(copied)
    update(english, "cy")
    translation = translate(english, "cy")
    assert translation.refused == [] and len(translation.incomplete) == 1
    preview = translation.policy
    assert preview.clauses["conversations-private"]["text"] == english.clauses["conversations-private"]["text"]
    assert preview.checker["rules"][0]["cites"] == english.checker["rules"][0]["cites"]
    assert preview.clauses["never-recorded"]["text"] == "Nid ydym byth yn recordio galwadau na sgyrsiau."
    with pytest.raises(Exception) as refused:
        load_translation(english, "cy")
    assert "fuzzy" in str(refused.value)


def test_an_entry_the_policy_has_no_longer_is_listed(copied):
    po = copied.parent / "translations" / "cy.po"
    text = copied.read_text(encoding="utf-8")
    copied.write_text(text.replace("  tab_title: Lantern\n", ""), encoding="utf-8")
    translation = translate(load_policy(copied), "cy")
    assert [str(p) for p in translation.incomplete] == [
        f"{po}:{line_of(po, 'safety.tab_title')}:1: safety.tab_title: no such words in the original now (run "
        "`policy-site translations update cy`: it keeps the entry as obsolete (#~))"]


# ---- the same explanation in every language

def words_set_aside(value, schema: dict):
    """value with each string its schema gives as text replaced by one mark: what is left is data."""
    out = json.loads(json.dumps(value))
    for keys in word_paths(value, schema):
        node = out
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = WORDS
    return out


def test_every_answer_set_gives_the_same_explanation_in_every_language(lantern, translated):
    sets = list(answer_sets(lantern.checker_data))
    assert len(sets) == 360
    for answers in sets:
        english = evaluate(lantern.checker_data, answers)
        expected = words_set_aside(english, EXPLANATION_SCHEMA)
        for language, policy in translated.items():
            explanation = evaluate(policy.checker_data, answers)
            assert words_set_aside(explanation, EXPLANATION_SCHEMA) == expected, (language, answers)
            assert explanation["headline"] != english["headline"], (language, answers)   # translated words


def test_the_comparison_sees_a_changed_date_and_a_changed_status(lantern):
    answers = {"contact_method": "webchat", "chat_date": "2031-05-09"}
    english = evaluate(lantern.checker_data, answers)
    expected = words_set_aside(english, EXPLANATION_SCHEMA)
    for change in (lambda e: e["records"][0].update(until="2031-08-10"),
                   lambda e: e["exceptions"][0].update(status="applies"),
                   lambda e: e["records"][0].update(months=2),
                   lambda e: e.update(perpetrator_never_told=False)):
        changed = json.loads(json.dumps(english))
        change(changed)
        assert words_set_aside(changed, EXPLANATION_SCHEMA) != expected


def shape(value):
    """value with every string leaf the same: its structure and every other leaf."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return WORDS if isinstance(value, str) else value


@pytest.mark.parametrize("language", LANGUAGES)
def test_translated_checker_data_differ_only_in_string_leaves(lantern, translated, language):
    policy = translated[language]
    assert shape(policy.checker_data) == shape(lantern.checker_data)
    assert policy.checker_data != lantern.checker_data
    assert shape(policy.data) == shape(lantern.data)
    assert policy.our_reference == lantern.our_reference and policy.original is lantern


# ---- what a translation may not change

@pytest.mark.parametrize("context, words, message", [
    ("retention.emails.says.with_date", "Rydyn ni'n cadw eich e-bost o {chat_date} ymlaen. Yna rydyn ni'n ei ddileu.",
     "the translation has the placeholders {chat_date} where the original has {chat_date}, {until} (the same "
     "placeholders as the original, each kept as it is: {chat_date}, {until})"),
    ("audiences.being-harmed.examples.by-chat.title", "Os byddwch chi'n sgwrsio â ni ar 19 Mai 2031",
     "the translation has the numbers 19, 2031 where the original has 2031, 9 (the same numbers as the original, "
     "a number or a date in figures is not translated: 2031, 9)"),
    ("retention_page.checker_prompt", "Rhowch gynnig ar y gwiriwr.",
     "the translation has 0 links in [brackets] where the original has 1 (the link's words in [brackets], as in the "
     "original)"),
])
def test_a_changed_placeholder_number_or_link_is_refused_at_its_line(copied, context, words, message):
    po = copied.parent / "translations" / "cy.po"
    set_translation(po, context, words)
    result = cli_here(["check", str(copied)])
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{po}:{line_of(po, context)}:1: {context}: {message}",
                                          f"1 problem in {copied}"]


def test_a_quote_not_in_its_translated_clause_is_refused_at_its_line(copied):
    po = copied.parent / "translations" / "cy.po"
    context = "checker.rules.never-told.cites[0].quote"
    set_translation(po, context, "Ni fyddwn ni byth yn dweud wrth y person sy'n eich brifo")
    clause = line_of(po, "sections.when-a-carer-harms-you.clauses.carer-never-told.text")
    [problem] = translate(load_policy(copied), "cy").refused
    assert str(problem) == (
        f"{po}:{line_of(po, context)}:1: {context}: the quote is not in the translation of its clause (line {clause}): "
        "after \"…byth yn dweud wrth y person sy'n eich\", the quote has \"brifo\" where the clause has "
        "\"niweidio\" (words copied exactly from the clause's translation)")


def test_check_language_checks_that_one_and_names_a_missing_file(copied):
    assert cli_here(["check", "--language", "cy", str(copied)]).returncode == 0
    missing = cli_here(["check", "--language", "pl", str(copied)])
    po = copied.parent / "translations" / "pl.po"
    assert missing.returncode == 2
    assert missing.stderr.splitlines()[0] == (f"{po}: (top): cannot read the file: No such file or directory (a PO "
                                              "file, as `policy-site translations update LANG` writes)")


# ---- the interface text

@pytest.mark.parametrize("language", (*LANGUAGES, "ur"))   # Urdu: a catalog, no example translated
def test_interface_catalogs_are_complete_in_step_and_say_who_reviewed_them(language):
    catalog = labels.catalog(language)
    assert catalog.problems == []
    assert len(catalog.words) == len(labels.catalog_entries())
    assert catalog.reviewed_by == "not yet reviewed by a native speaker"
    words = labels.merged({"home_page": {"title": "Ours"}}, language)
    assert words["home_page"]["title"] == "Ours"   # the policy's own wording over the catalog
    english = labels.defaults()["quick_exit"]["button"]
    assert words["quick_exit"]["button"] == catalog.words[("quick_exit", "button")] != english
    assert shape(words) == shape(labels.defaults())


# ---- a page named like a translation's folder ----------------------------------------------------------

def test_check_refuses_a_page_named_like_a_translations_folder(copied, tmp_path):
    """A caller page "cy" would be served at "cy/", the Welsh translation's home page; a hand-written page under
    "cy/" would take the place of one of its pages. Both are refused, saying where and what would be right."""
    from generator.errors import PolicyError
    from generator.source.load_and_check import load_and_check
    copied.write_text(copied.read_text(encoding="utf-8").replace("  - id: others\n", "  - id: cy\n"),
                      encoding="utf-8")
    docs = tmp_path / "docs"
    (docs / "cy").mkdir(parents=True)
    (docs / "cy" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_and_check(copied, docs_dir=docs, invariants=False)
    said = [str(p) for p in err.value.problems]
    assert any('audiences[1].id: this id would name the page "cy.md", which is already the folder "cy/" of the '
               "translation translations/cy.po" in line for line in said), said
    assert any(line.startswith(f"{docs}: cy/notes.md: this hand-written page is in the place of the "
                               "translation translations/cy.po") and 'nor under "cy/"' in line for line in said), said


def test_each_quote_the_translated_checker_cites_maps_to_the_originals_words_of_it():
    """translations.original_quotes: the table behind each translated quote's fold (the pages' and the live
    checker's; tests/test_site_languages.py and the live checker's test read the folds)."""
    from generator.source.translations import original_quotes
    from generator.source.yaml_source import normalise_space
    english = load_policy(LANTERN)
    assert original_quotes(english) == {}
    welsh = load_translation(english, "cy")
    found = original_quotes(welsh)
    cited = {(c["clause"], c["quote"]) for r in english.checker_data["rules"] for c in r["cites"]}
    assert {(clause, o) for clause, quotes in found.items() for o in quotes.values()} >= cited
    for clause, quotes in found.items():
        for translated, original in quotes.items():
            assert normalise_space(translated) in normalise_space(welsh.clauses[clause]["text"])
            assert normalise_space(original) in normalise_space(english.clauses[clause]["text"])
