"""An explanation as text for a person at a terminal: wrapped, with the quotes, answer first.

The order is the engine's (`summary`): the verdict, what applies, the promises that protect the caller,
what is kept, what could change this, the rest. This module only lays it out.
"""

from __future__ import annotations

import textwrap
from typing import Any, Mapping


def explanation_text(policy: Mapping[str, Any], explanation: Mapping[str, Any], width: int = 78) -> str:
    wording = policy["wording"]
    summary = explanation["summary"]
    exceptions = {e["id"]: e for e in explanation["exceptions"]}
    points = {p["id"]: p for p in explanation["points"]}
    out: list[str] = []

    def para(text: str, indent: str = "", first: str | None = None) -> None:
        out.append(textwrap.fill(text, width, initial_indent=first if first is not None else indent,
                                 subsequent_indent=indent, break_on_hyphens=False, break_long_words=False))

    def quotes(citations: list) -> None:
        for c in citations:
            para(f"“{c['quote']}” [{c['clause']}]", indent="      ", first="    > ")

    def heading(text: str) -> None:
        out.extend(["", text, "-" * len(text)])

    def exception(e: Mapping, *, full: bool) -> None:
        para(points[e["id"]]["text"], indent="  ", first="* ")
        if e["status"] == "always_possible":
            para(e["status_text"], indent="  ")
        if full:
            if e["shared_with"]:
                para(wording["shared_with"] + " " + "; ".join(e["shared_with_labels"]) + ".", indent="  ")
            else:
                para(wording["nobody_named"], indent="  ")
        if e["telling_text"]:  # a promise goes with its exception, whether it applies now or only could
            para(e["telling_text"], indent="  ")
        quotes(e["citations"])

    def point(item_id: str) -> None:
        para(points[item_id]["text"], indent="  ", first="* ")
        quotes(points[item_id]["citations"])

    para(summary["verdict"])
    if summary["applies"]:
        heading(wording["applies_heading"])
        for item_id in summary["applies"]:
            exception(exceptions[item_id], full=True)
    for item_id in summary["protections"]:
        out.append("")
        para(points[item_id]["text"])
        quotes(points[item_id]["citations"])
    if summary["records"]:
        heading(wording["records_heading"])
        if summary["records_lead"]:
            para(points[summary["records_lead"]]["text"])
        for item_id in summary["records"]:
            point(item_id)
    if summary["could_change"]:
        heading(f"{wording['could_change_heading']} ({len(summary['could_change'])})")
        for item_id in summary["could_change"]:
            exception(exceptions[item_id], full=False)
    if summary["general"] or summary["records_if"]:
        heading(wording["points_heading"])
        for item_id in summary["general"]:
            point(item_id)
        if summary["records_if"]:
            para(points[summary["records_if_lead"]]["text"], indent="  ", first="* ")
            for item_id in summary["records_if"]:
                para(points[item_id]["text"], indent="    ", first="  - ")
                quotes(points[item_id]["citations"])
    return "\n".join(out) + "\n"
