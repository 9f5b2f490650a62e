"""The site in every language the policy has a translation for, in the one `mkdocs build` (README, "Decisions").

The original's pages are at the site's root; each translation's (translations/LANG.po beside the policy) are the
same pages, made from the translated model, under the language's folder ("cy/"). They are one build's pages, not one
build per language: the theme's own words are chosen per page (partials/language.html imports the page's
language's file of mkdocs-material, and the interface text's `theme` words over it), so nothing needs
`theme.language` set per build, and the live checker's runtime, the typeface and the server files stay one copy.
What MkDocs has only once per build is given per page here instead: the menu (the original's, its pages swapped
for the language's), the interface text and `safety` words the theme templates read (with the page's direction,
right to left for Arabic: plugin._with_direction), the site's name in the
header, each page's alternates (hreflang links and the switcher, each to the same page in that language), and the
search index it asks for (each translation's pages have one of their own: split_search_index).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import material

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section, _add_parent_links, _add_previous_and_next_links
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from generator.source.policy_model import Policy
from generator.source.translations import Translation


@dataclass
class Language:
    code: str                    # as the PO file is named: "cy"
    policy: Policy               # the model in this language
    nav: Navigation | None = field(default=None, repr=False)

    @property
    def incomplete(self) -> bool:
        """A preview of a translation with missing or fuzzy entries (the original's words in their place)."""
        return "incomplete" in self.policy.unfinished

    @property
    def unreviewed(self) -> bool:
        """A preview whose interface text no native speaker has reviewed."""
        return "unreviewed" in self.policy.unfinished

    @property
    def folder(self) -> str:
        """Where its pages are, relative to the docs folder: "" for the original, "cy/" for a translation."""
        return "" if self.policy.original is None else self.code + "/"


def site_languages(policy: Policy, translations: tuple[Translation, ...]) -> list[Language]:
    """The original first, then each translation that made a model (load_and_check refuses the rest, and, when
    publishing, an incomplete one)."""
    return [Language(policy.language_code, policy),
            *(Language(t.language, t.policy) for t in translations if t.policy is not None)]


_THEME_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"


def theme_language(lang: Language) -> str | None:
    """mkdocs-material's language for a translation's pages (its words, `<html lang>`): its code, else the code's
    language alone ("pt" for "pt-PT"); None for the original's pages, which keep mkdocs.yml's theme.language."""
    if lang.policy.original is None:
        return None
    for code in (lang.code, lang.code.split("-")[0]):
        if (_THEME_LANGUAGES / f"{code}.html").is_file():
            return code
    return None


def language_of(languages: list[Language], src_uri: str) -> Language:
    return next((lang for lang in languages[1:] if src_uri.startswith(lang.folder)), languages[0])


def mirror_nav(nav: Navigation, lang: Language, files: Files) -> Navigation:
    """The original's menu with each page swapped for the language's copy of it (left out where it has none),
    sections and links kept; its own previous/next and parent links."""
    def mirror(items: list) -> list:
        out = []
        for item in items:
            if isinstance(item, Page):
                copy = files.get_file_from_path(lang.folder + item.file.src_uri)
                if copy is not None and copy.page is not None:
                    out.append(copy.page)
            elif isinstance(item, Section):
                if children := mirror(item.children):
                    out.append(Section(item.title, children))
            else:
                out.append(item)
        return out
    items = mirror(nav.items)
    pages = [f.page for page in nav.pages if (f := files.get_file_from_path(lang.folder + page.file.src_uri))
             and f.page is not None]
    _add_previous_and_next_links(pages)   # MkDocs' own helpers, as get_navigation uses them
    _add_parent_links(items)
    mirrored = Navigation(items, pages)
    home = files.get_file_from_path(lang.folder + "index.md")
    mirrored.homepage = home.page if home is not None else None
    return mirrored


def alternates(languages: list[Language], page: Page, files: Files) -> list[dict]:
    """The same page in every language that has it (this one included, as hreflang wants): its code, its own name
    for itself, and its URL relative to this page."""
    here = language_of(languages, page.file.src_uri)
    base = page.file.src_uri[len(here.folder):]
    out = []
    for lang in languages:
        other = files.get_file_from_path(lang.folder + base)
        if other is not None:
            out.append({"lang": lang.code, "dir": lang.policy.direction,
                        "name": lang.policy.data["wording"]["translation"]["language_name"],
                        "href": get_relative_url(other.url, page.file.url), "current": lang is here})
    return out


def notice(lang: Language, original_href: str | None) -> dict | None:
    """A translated page's notice that the original counts: the policy's own statement (metadata.original) where it
    gives one, else ours, followed by its mark; split at its [link] to the same page in the original; and, in a
    preview, that the translation is incomplete or its interface text not reviewed. None on the original's pages."""
    if lang.policy.original is None:
        return None
    words = lang.policy.data["wording"]["translation"]
    original = lang.policy.metadata.get("original")
    if original is not None:   # the policy's own words (translated as every other text), not marked as ours
        before, link, after, ours_mark = original["statement"] + " ", words["original_link"], "", None
    else:
        before, rest = words["notice"].split("[", 1)
        link, after = rest.split("]", 1)
        ours_mark = words["ours_mark"]
    return {"before": before, "link": link, "after": after, "href": original_href, "ours_mark": ours_mark,
            "incomplete": words["incomplete"] if lang.incomplete else None,
            "unreviewed": words["unreviewed"] if lang.unreviewed else None,
            "original_lang": lang.policy.original.metadata["language"]}


def write_sitemaps(languages: list[Language], site_dir: Path) -> None:
    """The site's sitemap in each translation's folder too. The theme's script reads `<language>/sitemap.xml` for
    each page's hreflang link (to send the reader to the same page in that language); without one in the folder,
    every page of a translated site logged a failed request. The one sitemap lists every language's pages."""
    import shutil
    for lang in languages:
        if lang.folder:
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                if (site_dir / name).is_file():
                    shutil.copyfile(site_dir / name, site_dir / lang.folder / name)


# The languages lunr has a stemmer and stop words for in the theme (mkdocs-material's lunr/min/lunr.<code>.min.js,
# and English, lunr's own).
_LUNR = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"


def search_index(lang: Language) -> str | None:
    """A translation's search index, relative to the site's root (its pages' `<meta name="search-index">`); None
    for the original's pages, which keep the theme's."""
    return f"{lang.folder}search/search_index.json" if lang.folder else None


def split_search_index(languages: list[Language], site_dir: Path) -> None:
    """One search index per language, from the theme's one of the whole site (search/search_index.json): each
    translation's pages in `<folder>search/search_index.json` (their locations kept, relative to the site's
    root, as the theme resolves them), the original's alone left in the theme's. The theme's search neither
    stems nor trims by default (its `pipeline` keeps lunr's stop-word filter alone); a language lunr has no stop
    words for (Welsh, Polish) is indexed without any (`pipeline: []`): the English list would drop Welsh "i" and
    "a", which are words there, and Polish queries would meet English rules. One it has gets its own (`lang`).
    Without translations, nothing changes."""
    import json
    index_file = site_dir / "search" / "search_index.json"
    if len(languages) < 2 or not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    rest = index["docs"]
    for lang in languages[1:]:
        docs = [d for d in rest if d["location"].startswith(lang.folder)]
        rest = [d for d in rest if not d["location"].startswith(lang.folder)]
        code = lang.code.split("-")[0]
        config = ({**index["config"], "lang": [code]} if (_LUNR / f"lunr.{code}.min.js").is_file()
                  else {**index["config"], "lang": ["en"], "pipeline": []})
        target = site_dir / lang.folder / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
    index["docs"] = rest
    index_file.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
