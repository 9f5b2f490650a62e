"""Render the policy model into the site's generated pages (Markdown with HTML), from Jinja2 templates.

Plain functions so that any site engine can use them: the MkDocs plugin only hands the results on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from .policy_model import Policy

TEMPLATES = Path(__file__).parent / "templates" / "pages"


@dataclass(frozen=True)
class Page:
    path: str       # e.g. "policy.md", relative to the docs folder
    markdown: str


def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(
        enabled_extensions=("md", "html", "j2"), default_for_string=True), undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render_pages(policy: Policy) -> list[Page]:
    env = environment()
    context = {"policy": policy, "meta": policy.metadata, "value": policy.value}
    return [Page("policy.md", env.get_template("policy.md.j2").render(**context))]
