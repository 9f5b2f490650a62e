"""Every page name the site gives out, in one registry, so that a page made from the YAML (a caller page, the
retention page) can never take the name of another and silently replace it.

A name is a path in the docs folder ("checker.md"). The pages the generator makes itself are named here and
only here; the hand-written pages are whatever Markdown files the site's docs folder holds (`site_src/` in
this project), found when the policy is checked, by `policy-site check` and by the build alike.
"""

from __future__ import annotations

from pathlib import Path

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

# Where this project keeps its hand-written pages, for `policy-site check` run in the project's folder.
DEFAULT_DOCS_DIR = Path("site_src")


def hand_written(docs_dir: Path | str | None) -> dict[str, str]:
    """The Markdown pages of a docs folder, each named as MkDocs names it (a path with / under the folder)."""
    if docs_dir is None or not Path(docs_dir).is_dir():
        return {}
    folder = Path(docs_dir)
    return {p.relative_to(folder).as_posix(): f"the hand-written page {p.relative_to(folder).as_posix()}"
            for p in sorted(folder.rglob("*.md"))}


def reserved(docs_dir: Path | str | None) -> dict[str, str]:
    """Every name a page made from the YAML must not take: the generator's pages and the hand-written ones."""
    return {**hand_written(docs_dir), **GENERATED}
