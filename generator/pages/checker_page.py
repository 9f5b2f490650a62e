"""The checker page, rendered at build time: the questions as a form, and a static explanation per kind of caller.

The static explanation is the engine's own answer for each value of the question that groups callers
(`audiences_by`, "role" by default) with nothing else answered, or, for a policy that treats every caller alike,
its one answer to a caller who has answered nothing: a reader without scripts learns what the live checker would
tell them first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.answers import latest_date

from generator.source import page_names
from generator.pages.render import Page, PageView, policy_context, environment, page_url, relative_url, render_template
from generator.source.policy_model import Policy
from generator.source.translations import original_quotes
from generator.live_checker.pyodide_assets import CheckerAssets, checker_assets

PAGE = page_names.CHECKER
POLICY_PAGE = page_names.POLICY
# The earliest day a date input offers; the latest is the engine's own (checker.answers.latest_date).
DATE_MIN = "1900-01-01"
# The live checker's own limit for starting: a wasm file served with the wrong type can stall
# loadPyodide instead of failing, and the page must then say so rather than wait for ever.
START_TIMEOUT_MS = 60_000
# Once started, the engine answers in well under a second; a worker that has not replied in this long has
# stopped (closed, or killed by the browser: nothing tells the page), and the page says so.
REPLY_TIMEOUT_MS = 10_000


def static_explanations(policy: Policy) -> list[dict[str, Any]]:
    """For each value of the question that groups callers: its label and the engine's explanation with only that
    answered (made once, with the policy's checker data: the caller pages show the same); [] without one."""
    if policy.audiences_by is None:
        return []
    by = next(q for q in policy.checker_data["questions"] if q["id"] == policy.audiences_by)
    return [{"value": v["value"], "label": v["label"], "explanation": policy.audience_explanations[v["value"]]}
            for v in by["values"]]


def download_size(assets: CheckerAssets) -> str:
    """What the live checker downloads, in megabytes with one decimal (1 MB = 1,000,000 bytes): "3.9"."""
    return f"{assets.download_bytes / 1_000_000:.1f}"


def render_checker_page(policy: Policy, assets: CheckerAssets, use_directory_urls: bool = False,
                        folder: str = "") -> Page:
    """The checker page, at `folder` + checker.md (a translation's pages are under its language's folder, "cy/");
    the live checker's files stay at the site's root, one copy for every language."""
    # The build's whole checker data (checker_data_json read back); the browser's engine gets it less BUILD_ONLY and
    # the page's own words (wording.widget, which the page's config carries).
    data = policy.checker_data
    here = page_url(folder + PAGE, use_directory_urls)

    def href(site_path: str) -> str:
        return relative_url(site_path, here)

    def page_href(path: str) -> str:   # a page of the same language
        return href(page_url(folder + path, use_directory_urls))

    config = {
        "worker": href(assets.urls["worker"]), "pyodide": href(assets.urls["pyodide"]),
        "lock": href(assets.urls["lock"]), "data": href(assets.urls["data"]),
        "wheel": href(assets.urls["wheel"]), "wheel_integrity": assets.wheel_integrity, "stdlib": href(assets.urls["stdlib"]),
        "timeout_ms": START_TIMEOUT_MS, "reply_timeout_ms": REPLY_TIMEOUT_MS,
        "policy_href": page_href(POLICY_PAGE),
        "questions": [{"id": q["id"], "type": q["type"], "asked_when": q["asked_when"]} for q in data["questions"]],
        # Only the words the page script shows itself; the explanation's come from the worker, in its tree.
        "widget": data["wording"]["widget"], "quote_link": policy.data["wording"]["quote_link"],
        "changed": _changed(policy, page_href),
        # A translation's quotes open to the original's words (the static pages' macro does the same).
        "original": ({"lang": policy.original.metadata["language"], "dir": policy.original.direction,
                      "quotes": original_quotes(policy),
                      "label": policy.data["wording"]["translation"]["original_words"]}
                     if policy.original is not None else None),
    }
    context = {
        **policy_context(policy),
        "widget": data["wording"]["widget"], "wording": data["wording"], "questions": data["questions"],
        "roles": static_explanations(policy), "config": config,
        # Every caller alike: one explanation, for a caller who has answered nothing.
        "unanswered": policy.unanswered_explanation if policy.audiences_by is None else None,
        # What the caller pages' macros ask of the page, so the static explanations are rendered by the
        # same `explanation` macro (generator/pages/templates/_macros.j2) as the rest of the site.
        "view": PageView(policy, data, {PAGE, POLICY_PAGE}, use_directory_urls, PAGE),
        "page_script": href(assets.urls["page_script"]), "stylesheet": href(assets.urls["stylesheet"]),
        "start_script": assets.start_script, "layout_script": assets.layout_script,
        "date_min": DATE_MIN,
        "date_max": {q["id"]: latest_date(data, q["id"]).isoformat() for q in data["questions"] if q["type"] == "date"},
        "start_live": data["wording"]["widget"]["start_live"].replace("{size}", download_size(assets)),
    }
    return Page(PAGE, render_template(environment(), "checker.md.j2", context))


def _changed(policy: Policy, page_href) -> dict[str, Any] | None:
    """While a change is recent: the note for an explanation that differs from the previous version's (its
    sentence split at its [link]), and the answers whose explanation differs, as the diff's cubes."""
    from generator.pages.changes_page import checker_changes
    found = checker_changes(policy)
    if found is None:
        return None
    before, rest = found["note"].split("[", 1)
    words, after = rest.split("]", 1)
    return {"before": before, "words": words, "after": after,
            "href": page_href(page_names.changes_path(policy)), "when": found["when"]}


def site_files(policy: Policy, use_directory_urls: bool = False,
               node_pyodide: Path | None = None, folder: str = "") -> list[tuple[str, str | bytes | None, Path | None]]:
    """The checker page and every file its live checker loads, as (site path, content, source file):
    what a site engine adds to the site. Exactly one of content and source is given. `node_pyodide` is the
    npm package pyodide's folder (default: generator/npm_assets.py's search from the current folder)."""
    assets = checker_assets(policy) if node_pyodide is None else checker_assets(policy, node_pyodide)
    page = render_checker_page(policy, assets, use_directory_urls, folder)
    return [(folder + page.path, page.markdown, None)] + [(a.path, a.content, a.source) for a in assets.files]
