"""Every page name the site gives out, in one registry, so that a page made from the YAML (a caller page, the
retention page) can never take the name of another and silently replace it.

A name is a path in the docs folder ("checker.md"). The pages the generator makes itself are named here and
only here; the pages it ships (generator/site/pages/, supplied by generator/theme.py) and the hand-written
pages (whatever Markdown files the site's docs folder holds) are found when the policy is checked, by
`policy-site check` and by the build alike.
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

# The pages every helpline's site has, shipped with the generator (a page of the same path in the docs folder
# replaces one).
SHIPPED_PAGES_DIR = Path(__file__).resolve().parent / "site" / "pages"


def markdown_pages(folder: Path | str | None) -> list[str]:
    """The Markdown pages under a folder, each named as MkDocs names it (a path with / under the folder)."""
    if folder is None or not Path(folder).is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in sorted(Path(folder).rglob("*.md"))]


def reserved(docs_dir: Path | str | None) -> dict[str, str]:
    """Every name a page made from the YAML must not take: the generator's own pages, the pages it ships, and the
    hand-written ones of the docs folder (None: no site to look at)."""
    return {**{name: f"the page {name} that comes with the generator" for name in markdown_pages(SHIPPED_PAGES_DIR)},
            **{name: f"the hand-written page {name}" for name in markdown_pages(docs_dir)},
            **GENERATED}
