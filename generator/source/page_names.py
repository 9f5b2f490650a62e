"""Every page name the site gives out, in one registry, so that a page made from the YAML (a caller page, the
retention page) can never take the name of another and silently replace it.

A name is a path in the docs folder ("checker.md"). The pages the generator makes itself, and those it ships
(every helpline's site has them, unless its docs folder has a page of the same name), are named here and only
here; the hand-written pages (whatever Markdown files the site's docs folder holds) are found when the policy
is checked, by `policy-site check` and by the build alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from generator.errors import Problem
from generator.source.versions import previous_versions

if TYPE_CHECKING:
    from generator.source.policy_model import Policy

# The generator's own pages, and what each is (said in an error when a YAML id would take its name).
HOME = "index.md"
POLICY = "policy.md"
ABOUT = "about.md"
CHECKER = "checker.md"
PRINT_LEAFLETS = "print-leaflets.md"
# The theme writes 404.html from no page of ours: a page named 404 would be overwritten by it, or overwrite it.
NOT_FOUND = "404.md"

GENERATED = {
    HOME: "the home page",
    POLICY: "the policy in full",
    ABOUT: "the page about this policy",
    CHECKER: "the checker",
    PRINT_LEAFLETS: "the print leaflets page",
    NOT_FOUND: "the theme's page for an address that does not exist",
}

# The pages every helpline's site has, made from the interface text (a page of the same path in the docs folder
# replaces one).
STAYING_SAFE = "staying-safe-online.md"
SHIPPED = (STAYING_SAFE,)


def markdown_pages(folder: Path | str | None) -> list[str]:
    """The Markdown pages under a folder, each named as MkDocs names it (a path with / under the folder)."""
    if folder is None or not Path(folder).is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in sorted(Path(folder).rglob("*.md"))]


def reserved(docs_dir: Path | str | None, languages: Iterable[str] = ()) -> dict[str, str]:
    """Every name a page made from the YAML must not take: the generator's own pages, the pages it ships, the
    hand-written ones of the docs folder (None: no site to look at), and each translation's folder (languages:
    the codes of translations/LANG.po beside the policy). A page "cy.md" is served at "cy/", the address of the
    Welsh translation's home page, so the one would replace the other."""
    return {**{name: f"the page {name} that comes with the generator" for name in SHIPPED},
            **{name: f"the hand-written page {name}" for name in markdown_pages(docs_dir)},
            **{f"{code}.md": f'the folder "{code}/" of the translation translations/{code}.po' for code in languages},
            **GENERATED}


def language_folder_problems(docs_dir: Path | str | None, languages: Iterable[str]) -> Iterable[Problem]:
    """A hand-written page that would take a translation's place: "cy.md", or any page under "cy/" (the folder
    where the Welsh translation's pages are made)."""
    for code in languages:
        for name in markdown_pages(docs_dir):
            if name == f"{code}.md" or name.startswith(f"{code}/"):
                yield Problem(str(docs_dir), None, None, name,
                              f'this hand-written page is in the place of the translation translations/{code}.po, '
                              f'whose pages are made under "{code}/"',
                              f'a page named neither "{code}.md" nor under "{code}/": rename or move it')


def audience_path(audience: dict) -> str:
    return f"{audience['id']}.md"


def retention_path(policy: Policy) -> str | None:
    """None with `retention: not_stated`: the policy says nothing about what is kept, so the site has no such page."""
    return f"{policy.retention_page['id']}.md" if policy.retention_page else None


def changes_path(policy: Policy) -> str | None:
    """The "What changed" page's name, made only while a previous version is kept."""
    words = policy.data.get("changes_page")
    return f"{words['id']}.md" if words and previous_versions(policy) else None


def menu(policy: Policy) -> list[str]:
    """Every page the generator makes or ships, in the policy's page order, which is the menu's: the home page, the
    caller pages (in the order of `audiences`), the checker, the policy in full, the retention page, what changed,
    the shipped pages, the print leaflets, about. A page a site does not have (no leaflets, say) is named all the
    same: the menu leaves out what is not built."""
    changes = changes_path(policy)
    retention = retention_path(policy)
    return [HOME, *(audience_path(a) for a in policy.audiences), CHECKER, POLICY, *([retention] if retention else []),
            *([changes] if changes else []), *SHIPPED, PRINT_LEAFLETS, ABOUT]


def page_problems(policy: Policy, reserved: dict[str, str]) -> Iterable[Problem]:
    """What would make a page wrong: a YAML id that would name a page the site already has (reserved: name →
    what that page is, from reserved()), or an example outside its audience's roles. (Answers the checker
    refuses are the loader's to report: policy_checks runs the checker's own answer check on every example.)"""
    taken = dict(reserved)

    def claim(path: str, keys: tuple, what: str) -> Iterable[Problem]:
        if path in taken:
            yield policy.source.problem(keys, f'this id would name the page "{path}", which is already {taken[path]}',
                                        "an id that names no other page; taken: "
                                        + ", ".join(p.removesuffix(".md") for p in sorted(taken)))
        else:
            taken[path] = what

    if retention_path(policy):
        yield from claim(retention_path(policy), ("retention_page", "id"), "the retention page")
    if changes_path(policy):
        yield from claim(changes_path(policy), ("changes_page", "id"), "the page of what changed")
    for i, audience in enumerate(policy.audiences):
        yield from claim(audience_path(audience), ("audiences", i, "id"), f'the caller page "{audience["id"]}"')
        for k, example in enumerate(audience["examples"]):
            where = ("audiences", i, "examples", k, "answers")
            role = example["answers"].get(policy.audiences_by)
            if role is not None and role not in audience["roles"]:
                yield policy.source.problem(where + (policy.audiences_by,), f'"{role}" is not one of this page\'s roles',
                                            "one of: " + ", ".join(f'"{r}"' for r in audience["roles"]))
