"""An explanation as text for a person at a terminal: wrapped, with the quotes."""

from __future__ import annotations

import textwrap
from typing import Any, Mapping


def explanation_text(policy: Mapping[str, Any], explanation: Mapping[str, Any], width: int = 78) -> str:
    wording = policy["wording"]
    recipients = {r["id"]: r["label"] for r in policy["recipients"]}
    out: list[str] = []

    def para(text: str, indent: str = "", first: str | None = None) -> None:
        out.append(textwrap.fill(text, width, initial_indent=first if first is not None else indent,
                                 subsequent_indent=indent, break_on_hyphens=False, break_long_words=False))

    def quotes(citations: list) -> None:
        for c in citations:
            para(f"“{c['quote']}” [{c['clause']}]", indent="      ", first="    > ")

    para(explanation["headline"])
    if explanation["perpetrator_never_told"] is True:
        out.append("")
        para(wording["perpetrator_never_told"])
    if explanation["exceptions"]:
        out += ["", wording["exceptions_heading"], "-" * len(wording["exceptions_heading"])]
        texts = {p["id"]: p["text"] for p in explanation["points"]}
        for e in explanation["exceptions"]:
            status = wording["applies"] if e["status"] == "applies" else wording["would_apply_if"].format(condition=e["condition"])
            para(texts[e["id"]], indent="  ", first="* ")
            para(status, indent="  ")
            if e["shared_with"]:
                para(wording["shared_with"] + " " + "; ".join(recipients[r] for r in e["shared_with"]) + ".", indent="  ")
            else:
                para(wording["nobody_named"], indent="  ")
            if e["caller_told_first"]:  # the promise goes with the exception, applying or not yet
                para(wording["caller_told_first"], indent="  ")
            quotes(e["citations"])
    out += ["", wording["points_heading"], "-" * len(wording["points_heading"])]
    exception_ids = {e["id"] for e in explanation["exceptions"]}
    for point in explanation["points"]:
        if point["id"] in exception_ids:
            continue
        para(point["text"], indent="  ", first="* ")
        quotes(point["citations"])
    return "\n".join(out) + "\n"
