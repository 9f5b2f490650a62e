"""Render the policy model into the site's generated pages (Markdown with HTML), from Jinja2 templates.

Plain functions so that any site engine can use them: the MkDocs plugin only hands the results on.
Every word a reader sees comes from the YAML or from the generator's interface text (`labels`,
generator/source/labels.py), never from a template; this module only chooses and orders.
The worked examples on the caller pages are explained here, at build time, by the checker engine itself,
so an example can never say something the rules do not.
"""

from __future__ import annotations

import posixpath
import re
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import jinja2
from markupsafe import Markup, escape

from checker import evaluate
from checker.layout import layout

from generator import build_cache
from generator.source import page_names
from generator.pages import facts
from generator.pages.changes_page import ChangesView, changes_view
from generator.errors import BuildError
from generator.source.policy_model import Policy

TEMPLATES = Path(__file__).resolve().parent / "templates"

# Characters that Python-Markdown treats as syntax unless escaped with a backslash.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>])")


@dataclass(frozen=True)
class Page:
    path: str       # e.g. "policy.md", relative to the docs folder
    markdown: str


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(
        enabled_extensions=("md", "html", "j2"), default_for_string=True), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        bytecode_cache=build_cache.jinja_bytecode_cache(Path(__file__)))
    env.filters["md"] = markdown_text
    env.globals["page_names"] = page_names   # the generator's own pages, named once (source/page_names.py)
    env.globals["fill"] = fill
    return env


def policy_context(policy: Policy) -> dict[str, Any]:
    """What every page's template reads of the policy: the model, its metadata, a value by its key path, and the
    interface text (`labels`: the generator's defaults with the YAML's top-level `wording` over them)."""
    return {"policy": policy, "meta": policy.metadata, "value": policy.value, "labels": policy.data["wording"],
            # A fact as printed, or the words that say the document does not give it (generator/pages/facts.py).
            "fact": lambda key: facts.fact(policy, key, html=True),
            "meta_line": lambda *keys: facts.meta_line(policy, keys, html=True),
            # A retention entry's where and destroyed, and its only_if and sooner_if, as the tables print them.
            "record_fact": lambda item, key: facts.record_fact(policy, item, key, html=True),
            "period_notes": lambda item: facts.period_notes(policy, item, html=True)}


def render_template(env: jinja2.Environment, name: str, context: dict) -> str:
    """A template rendered, or a BuildError naming the template file and line at fault (a page's, a leaflet's):
    a broken template stops the build like any other error, located, instead of a raw traceback."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as err:
        raise BuildError(f"{err.filename or name}:{err.lineno}: {err.message}") from None
    except jinja2.TemplateNotFound as err:
        raise BuildError(f"{Path(env.loader.searchpath[0]) / err.name}: template not found") from None
    except jinja2.TemplateError as err:
        # Jinja2 rewrites the traceback so that template frames carry the template's file and line.
        frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.endswith(".j2")]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else name
        raise BuildError(f"{where}: {err.message or type(err).__name__}") from None


def fill(text: str, **values: Any) -> Markup:
    """An interface text with its {name}s filled in: the text escaped, each value escaped unless it is markup
    already (a value followed by its example mark)."""
    out = str(escape(text))
    for name, value in values.items():
        out = out.replace("{" + name + "}", str(escape(value)))
    return Markup(out)


def markdown_text(text: str) -> Markup:
    """Text placed where Markdown is parsed (a heading), shown exactly as written. Quotes stay as they are: a
    heading's entity would be escaped again in the table of contents ("sy&#39;n" for Welsh "sy'n")."""
    out = str(escape(text)).replace("&#39;", "'").replace("&#34;", '"')
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", out))


def render_pages(policy: Policy, available: Iterable[str] = (), directory_urls: bool = False) -> list[Page]:
    """Every generated page. `available` names other pages the site has (e.g. "checker.md"): links to
    pages made elsewhere appear only when those pages exist, so a site without them still builds."""
    env = environment()
    data = policy.checker_data
    # (path, template, extra context), in the order a reader meets them
    specs: list[tuple[str, str, dict]] = [
        (page_names.HOME, "index.md.j2", {}),
        (page_names.POLICY, "policy.md.j2", {}),
        *((page_names.audience_path(a), "audience.md.j2", {"audience": a}) for a in policy.audiences),
        (page_names.retention_path(policy), "retention.md.j2", {}),
        (page_names.ABOUT, "about.md.j2", {}),
    ]
    specs = [spec for spec in specs if spec[0]]  # no retention page when the policy says nothing about what is kept
    # A page every site has, unless the docs folder has its own of that name.
    specs += [(path, path + ".j2", {}) for path in page_names.SHIPPED if path not in set(available)]
    changes = changes_view(policy)  # what changed since the previous version kept in versions/, if one is
    if changes is not None:
        specs.insert(-1, (changes.path, "changes.md.j2", {"changes": changes}))
    present = set(available) | {path for path, _, _ in specs}
    pages = []
    for path, template, extra in specs:
        view = PageView(policy, data, present, directory_urls, path, changes)
        pages.append(Page(path, render_template(env, template, dict(
            view=view, **policy_context(policy), **extra))))
    return pages


def nav_with_pages(nav: list | None, present: Sequence[str], menu: Sequence[str] = (),
                   leave_out: Callable[[str], bool] = lambda path: False) -> tuple[list, list[str], list[str]]:
    """The site's menu: (nav, the paths a hand-written nav names that are not built, the generated pages added to it).

    Without a nav (None), the menu is every page of `menu` the site has (`present`, the site's pages), in that order,
    then the site's own pages in the order of `present`. A hand-written nav loses its entries for pages the site
    does not have (yet), so that pages other parts of the build add (the leaflets) never break a strict build; and
    each page of `menu` it does not name is added at its place: after the page before it in `menu` that the nav
    names (in that page's section), or at the top when none is, as the home page. `leave_out` names pages kept
    out of the menu on purpose (MkDocs' not_in_nav)."""
    have, ours = set(present), set(menu)
    generated = [path for path in menu if path in have]
    if nav is None:
        return [path for path in [*generated, *(p for p in present if p not in ours)] if not leave_out(path)], [], []
    missing: list[str] = []

    def keep(item: Any) -> Any:
        if isinstance(item, dict):
            (title, target), = item.items()
            kept = keep(target)
            return None if kept is None else {title: kept}
        if isinstance(item, list):
            return [k for k in (keep(i) for i in item) if k is not None] or None
        if isinstance(item, str) and item.endswith(".md") and "://" not in item and item not in have:
            missing.append(item)
            return None
        return item

    kept = [k for k in (keep(i) for i in nav) if k is not None]
    added: list[str] = []
    for k, path in enumerate(generated):
        if leave_out(path) or _nav_place(kept, path) is not None:
            continue
        before = next((p for p in (_nav_place(kept, g) for g in reversed(generated[:k])) if p), None)
        items, at = (before[0], before[1] + 1) if before else (kept, 0)
        items.insert(at, path)
        added.append(path)
    return kept, missing, added


def _nav_place(items: list, path: str) -> tuple[list, int] | None:
    """(the list holding the nav's entry for path, its index there), looking into sections; None if not named."""
    for i, item in enumerate(items):
        target = next(iter(item.values())) if isinstance(item, dict) else item
        if target == path:
            return items, i
        if isinstance(target, list) and (found := _nav_place(target, path)):
            return found
    return None


class PageView:
    """What a page's template asks of the policy and the site (as `view`): links, dates, explanations, labels."""

    def __init__(self, policy: Policy, data: dict, present: set[str], directory_urls: bool, here: str,
                 changes: ChangesView | None = None):
        self.policy = policy
        # The page's language, and for a translation the original (whose words each clause opens to).
        self.language = policy.language_code
        self.original = policy.original
        self.changes = changes
        self.data = data
        self.wording = data["wording"]           # the explanation's words (the YAML's checker.wording)
        self.labels = policy.data["wording"]     # the words every page shares (the YAML's top-level wording)
        self.present = present
        self.directory_urls = directory_urls
        self.here = here
        self.questions = {q["id"]: q for q in data["questions"]}
        self.footnote_numbers = {note["id"]: n for n, note in enumerate(policy.data["footnotes"], start=1)}
        self.audience_paths = {a["id"]: page_names.audience_path(a) for a in policy.audiences}
        self.retention_path = page_names.retention_path(policy)

    # Links ------------------------------------------------------------------------------------------
    def has(self, path: str) -> bool:
        return path in self.present

    def link(self, path: str, anchor: str | None = None) -> str:
        """The URL of a page (and anchor) relative to the page being rendered."""
        url = relative_url(page_url(path, self.directory_urls), page_url(self.here, self.directory_urls))
        return f"{url}#{anchor}" if anchor else url

    def clause_link(self, clause_id: str) -> str:
        return f"#{clause_id}" if self.here == page_names.POLICY else self.link(page_names.POLICY, clause_id)

    def original_quote(self, clause_id: str, quote: str) -> str | None:
        """For a translation's page, the original's words of a quote (the explanation shows them one fold away)."""
        if self.original is None:
            return None
        if not hasattr(self, "_original_quotes"):
            from generator.source.translations import original_quotes
            self._original_quotes = original_quotes(self.policy)
        return self._original_quotes.get(clause_id, {}).get(quote)

    def changes_prompt(self, audience: dict) -> tuple[str, str] | None:
        """(sentence, link) to what changed for this audience's callers, while the change is recent."""
        if self.changes is None or not self.changes.recent:
            return None
        return (self.changes.fill(self.changes.words["caller_prompt"]),
                self.link(self.changes.path, self.changes.anchor(audience)))

    # Values -----------------------------------------------------------------------------------------
    def date(self, node: Any) -> str:
        """A date (text or {value, example}) in words, as the checker writes dates."""
        return facts.in_words(self.policy, node["value"] if isinstance(node, dict) else node)

    def examples_used(self) -> bool:
        return bool(self.policy.examples())

    # The policy's structure -------------------------------------------------------------------------
    @staticmethod
    def blocks(section: dict) -> list[tuple[str, Any]]:
        """A section's clauses with consecutive list items grouped: [("clause", c) | ("list", [c, …])]; a numbered
        list (list_item: numbered) is a list of its own beside a list of points."""
        out: list[tuple[str, Any]] = []
        for clause in section["clauses"]:
            if clause["list_item"]:
                if out and out[-1][0] == "list" and (out[-1][1][-1]["list_item"] == clause["list_item"]):
                    out[-1][1].append(clause)
                else:
                    out.append(("list", [clause]))
            else:
                out.append(("clause", clause))
        return out

    def clauses_cited_by_retention(self) -> list[dict]:
        ids = list(dict.fromkeys(c["clause"] for item in self.policy.retention for c in item["cites"]))
        return [self.policy.clauses[i] for i in ids]

    # Explanations -----------------------------------------------------------------------------------
    def explain(self, answers: dict) -> dict:
        return evaluate(self.data, answers)

    def role_overviews(self, audience: dict) -> list[dict]:
        """What holds for each of the audience's roles (answers to the `audiences_by` question) with nothing else
        answered; roles whose explanations are the same are shown once."""
        seen: list[dict] = []
        for role in audience["roles"]:
            explanation = self.policy.audience_explanations[role]
            comparable = {k: v for k, v in explanation.items() if k != "answers"}
            for entry in seen:
                if entry["comparable"] == comparable:
                    entry["roles"].append(role)
                    break
            else:
                seen.append({"roles": [role], "comparable": comparable, "explanation": explanation})
        return seen

    def layout(self, explanation: dict, caller_page: bool = False, example: bool = False) -> dict:
        """The explanation's one layout tree (checker/layout.py), which the `explanation` macro renders; for a
        caller page's overview, with that page's words (the interface text's caller_page); for a worked example,
        with the example's verdict (caller_page.example_headline) in place of the checker's."""
        words = self.labels["caller_page"]
        return layout(explanation, self.wording, words if caller_page else None,
                      words["example_headline"] if example else None)

    def answer_label(self, question_id: str, value: str) -> str:
        question = self.questions[question_id]
        if question["type"] == "date":
            return self.date(value)
        return next(v["label"] for v in question["values"] if v["value"] == value)

    def question_label(self, question_id: str) -> str:
        return self.questions[question_id]["label"]

    def role_label(self, role: str) -> str:
        return self.answer_label(self.policy.audiences_by, role)


def page_url(md_path: str, directory_urls: bool) -> str:
    """The URL of a page relative to the site's root, as MkDocs makes it ("" for the home page in folders)."""
    stem = md_path[:-3] if md_path.endswith(".md") else md_path
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def relative_url(target: str, from_url: str) -> str:
    """target (a URL relative to the site's root) as seen from the page at from_url (likewise)."""
    folder = from_url if from_url.endswith("/") else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath("/" + target, "/" + folder.lstrip("/"))
    if target == "" or target.endswith("/"):  # a folder: the link keeps its slash
        rel = "./" if rel == "." else rel.rstrip("/") + "/"
    return rel
