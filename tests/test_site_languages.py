"""The site in each language the policy has a translation for (generator/mkdocs/languages.py), read on Lantern Line's
built site, which has a Welsh and a Polish translation (tests/examples/translations/lantern-line/): built once a run
(example_site), all its pages read together here. The browser's side (the switcher, requests, storage, search,
the live checker in Welsh) is tests/browser_checker/test_checker_languages.py."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from generator.source.policy_model import load_policy
from harness import EXAMPLES, lantern_with_a_fuzzy_entry
from test_site_pages import parse, text, with_class

TRANSLATIONS = ("cy", "pl", "ar")
ORIGINAL = "en-GB"   # Lantern Line's metadata.language


@pytest.fixture(scope="module")
def site(example_site):
    return example_site("lantern-line")


@pytest.fixture(scope="module")
def pages(site) -> dict[str, list[str]]:
    """Each language's pages ("" the original's), as paths from the site's root."""
    original = sorted(p.name for p in site.glob("*.html") if p.name != "404.html")
    return {"": original, **{code: sorted(f"{code}/{p.name}" for p in (site / code).glob("*.html"))
                             for code in TRANSLATIONS}}


def alternates(site, path: str) -> dict[str, str]:
    """hreflang → the page it links, as a path from the site's root."""
    tree = parse(site, path)
    links = [e for e in tree.iter("link") if e.get("rel") == "alternate" and e.get("hreflang")]
    return {e.get("hreflang"): posixpath.normpath(posixpath.join(posixpath.dirname(path), e.get("href")))
            for e in links}


def test_each_translation_has_every_page_of_the_original(pages):
    for code in TRANSLATIONS:
        assert [p.removeprefix(code + "/") for p in pages[code]] == pages[""]


def test_lang_is_the_pages_on_html_and_the_originals_on_each_clauses_original_words(site, pages):
    for code in TRANSLATIONS:
        for path in pages[code]:
            assert parse(site, path).get("lang") == code, path
        tree = parse(site, f"{code}/policy.html")
        clauses = with_class(tree, "clause__text")
        folds = with_class(tree, "clause__original")
        assert clauses and len(folds) == len(clauses)
        original = parse(site, "policy.html")
        for fold, english in zip(folds, with_class(original, "clause__text")):
            (words,) = fold.iter("p")
            footnotes = "".join(text(sup) for sup in english.iter("sup"))
            assert words.get("lang") == ORIGINAL and text(words) + footnotes == text(english)
    assert parse(site, "index.html").get("lang") == "en"
    assert not with_class(parse(site, "policy.html"), "clause__original")


def test_each_quote_on_a_translated_page_opens_to_the_originals_words_of_it(site, pages):
    """A caller page's explanations and worked examples, and the checker page's static ones: every translated quote
    is followed by a fold with the original's words of the same quote (in the original's clause, with its `lang`);
    the original's pages have no such fold."""
    from generator.source.translations import load_translation
    from generator.source.yaml_source import normalise_space
    english = load_policy(EXAMPLES / "lantern-line.yaml")
    for code in TRANSLATIONS:
        translated = load_translation(english, code).clauses
        seen = 0
        for path in pages[code]:
            for fold in (e for e in parse(site, path).iter("details") if "quotes" in e.get("class", "").split()):
                children = list(fold)
                for i, quote in enumerate(children):
                    if quote.tag != "blockquote":
                        continue
                    after = children[i + 1]
                    assert after.tag == "details" and after.get("class") == "quote__original", path
                    (words,) = after.iter("p")
                    clause = quote.get("data-clause")
                    said = text(words).removeprefix("“").removesuffix("”")
                    assert words.get("lang") == ORIGINAL, path
                    assert normalise_space(said) in normalise_space(english.clauses[clause]["text"]), (path, said)
                    quoted = text(with_class(quote, "quote__text")[0]).removeprefix("“").removesuffix("”")
                    assert normalise_space(quoted) in normalise_space(translated[clause]["text"]), (path, quoted)
                    seen += 1
        assert seen > 20, code
    assert not any(with_class(parse(site, path), "quote__original") for path in pages[""])


def test_each_language_has_a_search_index_of_its_own_pages(site, pages):
    """split_search_index: each translation's pages in its folder's index, without lunr's English stop words (lunr
    has none for Welsh or Polish; Arabic gets lunr's own), named in its pages' head; the theme's index keeps the
    original's pages alone."""
    import json
    root = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert root["docs"] and not [d for d in root["docs"] if d["location"].split("/")[0] in TRANSLATIONS]
    assert not any(e.get("name") == "search-index" for e in parse(site, "policy.html").iter("meta"))
    for code in TRANSLATIONS:
        index = json.loads((site / code / "search" / "search_index.json").read_text(encoding="utf-8"))
        if code == "ar":
            assert index["config"]["lang"] == ["ar"] and index["config"]["pipeline"] == ["stopWordFilter"]
        else:
            assert index["config"]["pipeline"] == [] and index["config"]["lang"] == ["en"]
        assert {d["location"].split("#")[0] for d in index["docs"]} == set(pages[code])
        for path in pages[code]:
            (meta,) = [e for e in parse(site, path).iter("meta") if e.get("name") == "search-index"]
            assert meta.get("content") == f"{code}/search/search_index.json", path


def test_hreflang_links_are_complete_and_reciprocal(site, pages):
    every = {ORIGINAL, *TRANSLATIONS}
    for path in [p for paths in pages.values() for p in paths]:
        found = alternates(site, path)
        assert set(found) == every, path
        assert found[ORIGINAL if "/" not in path else path.split("/")[0]] == path   # itself, as hreflang asks
        for target in found.values():
            assert alternates(site, target) == found, (path, target)


def test_every_translated_page_says_the_original_counts_and_links_the_same_page_in_it(site, pages):
    for code in TRANSLATIONS:
        for path in pages[code]:
            (notice,) = with_class(parse(site, path), "translation-notice")
            (link,) = notice.iter("a")
            assert posixpath.normpath(posixpath.join(code, link.get("href"))) == path.removeprefix(code + "/")
            assert link.get("hreflang") == ORIGINAL
            assert with_class(notice, "ours-mark"), "the policy gives no statement of its own: ours is marked"
            assert not with_class(notice, "translation-notice__incomplete"), "Lantern's translations are whole"
            # Built as a preview, and the interface catalogs (generator/source/locale/) are not yet reviewed.
            (unreviewed,) = with_class(notice, "translation-notice__unreviewed")
            assert text(unreviewed).startswith({"cy": "Nid yw geiriau’r wefan", "pl": "Własne słowa tej witryny",
                                                "ar": "كلمات هذا الموقع"}[code])
    for path in pages[""]:
        assert not with_class(parse(site, path), "translation-notice"), path


def test_the_switcher_links_the_same_page_in_each_language_in_its_own_name(site):
    tree = parse(site, "cy/checker.html")
    links = {a.get("hreflang"): (text(a), a.get("href")) for a in with_class(tree, "md-select__link")}
    assert links == {ORIGINAL: ("English", "../checker.html"), "cy": ("Cymraeg", "checker.html"),
                     "pl": ("Polski", "../pl/checker.html"), "ar": ("العربية", "../ar/checker.html")}
    # Each name in its own direction (the Arabic one is right to left on a Welsh page).
    assert {a.get("hreflang"): a.get("dir") for a in with_class(tree, "md-select__link")} == \
        {ORIGINAL: "ltr", "cy": "ltr", "pl": "ltr", "ar": "rtl"}


def _data(site, path: str) -> dict:
    (name,) = set(re.findall(r"checker-data\.[0-9a-f]+\.json", (site / path).read_text(encoding="utf-8")))
    (file,) = site.rglob(name)   # one copy, at the site's root, whichever page loads it
    return json.loads(file.read_text(encoding="utf-8"))


def _differences(a, b, keys=()):
    """The key paths where a and b differ, refusing any difference that is not between two strings."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b), keys
        return [d for k in a for d in _differences(a[k], b[k], keys + (k,))]
    if isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), keys
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _differences(x, y, keys + (i,))]
    if a != b:
        assert isinstance(a, str) and isinstance(b, str), keys
        return [keys]
    return []


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_each_checker_page_loads_its_languages_data_which_differs_only_in_string_leaves(site, code):
    english, translated = _data(site, "checker.html"), _data(site, f"{code}/checker.html")
    assert len(_differences(english, translated)) > 50


def test_respects_site_stays_in_english(built_site):
    assert not (built_site / "cy").exists() and not (built_site / "pl").exists()
    tree = parse(built_site, "policy.html")
    assert not [e for e in tree.iter("link") if e.get("rel") == "alternate" and e.get("hreflang")]
    assert not with_class(tree, "md-select")


def test_a_preview_of_an_incomplete_translation_says_so(tmp_path):
    """A translation with a fuzzy entry: built by a preview, every page of it says it is incomplete (the
    language's notice). Rendered through the plugin's own helper, without a second whole build."""
    from generator.mkdocs.languages import Language, notice
    from generator.source.translations import translate
    whole = translate(load_policy(EXAMPLES / "lantern-line.yaml"), "cy")
    assert notice(Language("cy", whole.policy), "../index.html")["incomplete"] is None
    fuzzy = translate(load_policy(lantern_with_a_fuzzy_entry(tmp_path)), "cy")
    shown = notice(Language("cy", fuzzy.policy), "../index.html")
    assert shown["incomplete"].startswith("Mae’r cyfieithiad hwn yn anghyflawn")


STATEMENT = "If this statement in English and a translation of it differ, the English statement is the one that counts."
STATEMENT_CY = "Os yw’r datganiad hwn yn Saesneg a chyfieithiad ohono’n wahanol, y datganiad Saesneg sy’n cyfrif."


def _with_statement(tmp_path, language: str = "en-GB"):
    """Lantern Line alone in a folder with its Welsh catalog, its metadata giving the policy's own statement of which
    text counts (metadata.original), that statement translated in cy.po as every other entry is."""
    import shutil
    from generator.source.translations import po_path
    policy = tmp_path / "lantern-line.yaml"
    text = (EXAMPLES / "lantern-line.yaml").read_text(encoding="utf-8")
    policy.write_text(text.replace("  promise: ", f"  original:\n    language: {language}\n    statement: {STATEMENT}\n"
                                   "  promise: ", 1), encoding="utf-8")
    (tmp_path / "translations").mkdir()
    shutil.copy(po_path(EXAMPLES / "lantern-line.yaml", "cy"), tmp_path / "translations" / "cy.po")
    return policy


def test_a_translated_page_shows_the_policys_own_statement_translated_not_marked_as_ours(tmp_path):
    """metadata.original.statement is the policy's words: an entry of the PO like every other (translations
    update adds it), and the notice on every translated page, followed by the link to the same page in the
    original, without "(our words)". Rendered through the plugin's own helper, without a second whole build."""
    from generator.mkdocs.languages import Language, notice
    from generator.source.catalogs import read_catalog, write_catalog
    from generator.source.translations import translate, update
    english = load_policy(_with_statement(tmp_path))
    path, merged = update(english, "cy")
    assert merged.untranslated == 1
    catalog = read_catalog(path)
    (entry,) = [m for m in catalog if m.context == "metadata.original.statement"]
    assert entry.id == STATEMENT and entry.string == ""
    entry.string = STATEMENT_CY
    write_catalog(path, catalog)
    welsh = translate(english, "cy")
    assert welsh.refused == [] and welsh.incomplete == []
    shown = notice(Language("cy", welsh.policy), "../index.html")
    assert (shown["before"], shown["link"], shown["after"]) == (STATEMENT_CY + " ",
                                                                "Darllenwch y dudalen hon yn Saesneg.", "")
    assert shown["ours_mark"] is None and shown["original_lang"] == ORIGINAL
    # Without a statement, ours, marked as ours (Lantern Line's own, as its built site shows).
    ours = notice(Language("cy", translate(load_policy(EXAMPLES / "lantern-line.yaml"), "cy").policy), "x")
    assert ours["ours_mark"] == "(ein geiriau ni)"
    assert "[" not in ours["before"] + ours["link"] + ours["after"]


def test_check_refuses_a_statement_that_names_another_language_as_the_original(tmp_path):
    from generator.errors import PolicyError
    policy = _with_statement(tmp_path, language="cy")
    with pytest.raises(PolicyError) as err:
        load_policy(policy)
    (problem,) = err.value.problems
    assert str(problem).startswith(f"{policy}:")
    assert ('metadata.original.language: "cy" is not this file\'s language: the translated pages link this file '
            'as the text that counts ("en-GB", as metadata.language gives it)') in str(problem)


def test_publishing_refuses_a_language_whose_interface_catalog_is_not_reviewed(tmp_path, monkeypatch):
    """--publish (load_and_check's publish) refuses Welsh while generator/source/locale/cy.po says it is not yet
    reviewed, naming that file's header line and what would be right; a reviewed catalog, or a policy whose own
    `wording` supplies every interface text in Welsh, is published. No catalog at all is refused too."""
    import shutil
    from generator.errors import PolicyError
    from generator.source import labels
    from generator.source.load_and_check import load_and_check
    from generator.source.translations import interface_problem
    policy = tmp_path / "lantern-line.yaml"
    policy.write_text((EXAMPLES / "lantern-line.yaml").read_text(encoding="utf-8").replace(
        'review_date: {value: "2032-04-01", example: true}', 'review_date: "2032-04-01"'), encoding="utf-8")
    (tmp_path / "translations").mkdir()
    po = tmp_path / "translations" / "cy.po"
    shutil.copy(EXAMPLES / "translations" / "lantern-line" / "cy.po", po)
    with pytest.raises(PolicyError) as err:
        load_and_check(policy, docs_dir=None, invariants=False, publish=True)
    catalog = labels.LOCALE_DIR / "cy.po"
    line = next(n for n, t in enumerate(catalog.read_text(encoding="utf-8").splitlines(), 1)
                if t.startswith('"X-Reviewed-By:'))
    (problem,) = err.value.problems
    assert str(problem) == (
        f'{catalog}:{line}:1: X-Reviewed-By: the interface text in "cy" is not reviewed: "not yet reviewed by a '
        'native speaker" (the name of the native speaker who reviewed it, in this header; or else the policy\'s own '
        f"`wording` for every interface text, translated in {po}: it supplies 5 of {len(labels.catalog_entries())}, the first missing "
        "wording.ours_mark)")
    # A preview builds it, each page saying so (the plugin's Language, from the same Translation).
    from generator.mkdocs.languages import notice, site_languages
    checked = load_and_check(policy, docs_dir=None, invariants=False)
    (welsh,) = site_languages(checked.policy, checked.translations)[1:]
    assert welsh.unreviewed and notice(welsh, "x")["unreviewed"].startswith("Nid yw geiriau’r wefan")
    # Reviewed: published, with no notice.
    reviewed = tmp_path / "locale"
    reviewed.mkdir()
    (reviewed / "cy.po").write_text(catalog.read_text(encoding="utf-8").replace(
        "X-Reviewed-By: not yet reviewed by a native speaker", "X-Reviewed-By: Ffion Jones"), encoding="utf-8")
    monkeypatch.setattr(labels, "LOCALE_DIR", reviewed)
    labels.catalog.cache_clear()
    try:
        checked = load_and_check(policy, docs_dir=None, invariants=False, publish=True)
        assert checked.translations[0].interface is None
        # The policy's own wording for every interface text, in a language the generator has no catalog for.
        every = {("wording",) + entry.keys: "…" for entry in labels.catalog_entries()}
        assert interface_problem("fr", tmp_path / "fr.po", every) is None
        missing = interface_problem("fr", tmp_path / "fr.po", {})
        assert missing.file == str(tmp_path / "fr.po") and missing.message == (
            f'the generator has no interface text in "fr" (no {reviewed / "fr.po"}), so this translation\'s pages '
            "would show English words")
        assert interface_problem("en-US", tmp_path / "en-US.po", {}) is None   # the interface text's own language
    finally:
        monkeypatch.undo()
        labels.catalog.cache_clear()


def test_a_pages_direction_is_its_policys_even_where_the_theme_has_no_file_for_the_language():
    """The theme sets `dir` from its language file's "direction"; it has none for Pashto, which Babel knows is
    written right to left. The plugin hands every page its policy's direction (plugin._with_direction), the one
    the leaflets use too."""
    import material
    from generator.mkdocs.plugin import _with_direction
    from generator.source.policy_model import text_direction
    from generator.source.translations import load_translation
    english = load_policy(EXAMPLES / "lantern-line.yaml")
    assert _with_direction(english)["theme"]["direction"] == "ltr"
    assert _with_direction(load_translation(english, "ar"))["theme"]["direction"] == "rtl"
    assert not (Path(material.__file__).parent / "templates" / "partials" / "languages" / "ps.html").exists()
    assert [text_direction(code) for code in ("ps", "ur", "ar", "cy", "en-GB", "zz")] == \
        ["rtl", "rtl", "rtl", "ltr", "ltr", "ltr"]
