"""An explanation as text for a person at a terminal: wrapped, with the quotes."""

from __future__ import annotations

import textwrap
from typing import Any, Mapping


def explanation_text(policy: Mapping[str, Any], explanation: Mapping[str, Any], width: int = 78) -> str:
    wording = policy["wording"]
    out: list[str] = []

    def para(text: str, indent: str = "", first: str | None = None) -> None:
        out.append(textwrap.fill(text, width, initial_indent=first if first is not None else indent,
                                 subsequent_indent=indent, break_on_hyphens=False, break_long_words=False))

    def quotes(citations: list) -> None:
        for c in citations:
            para(f"“{c['quote']}” [{c['clause']}]", indent="      ", first="    > ")

    para(explanation["headline"])
    # The promises that protect the caller come straight after the verdict.
    shown = {p["id"] for p in explanation["protections"] if p["status"] == "applies"}
    for protection in explanation["protections"]:
        if protection["id"] in shown:
            out.append("")
            para(protection["text"])
            quotes(protection["citations"])
    if explanation["exceptions"]:
        out += ["", wording["exceptions_heading"], "-" * len(wording["exceptions_heading"])]
        texts = {p["id"]: p["text"] for p in explanation["points"]}
        for e in explanation["exceptions"]:
            para(texts[e["id"]], indent="  ", first="* ")
            para(e["status_text"], indent="  ")
            if e["shared_with"]:
                para(wording["shared_with"] + " " + "; ".join(e["shared_with_labels"]) + ".", indent="  ")
            else:
                para(wording["nobody_named"], indent="  ")
            if e["telling_text"]:  # the promise goes with the exception, applying or not yet
                para(e["telling_text"], indent="  ")
            quotes(e["citations"])
    out += ["", wording["points_heading"], "-" * len(wording["points_heading"])]
    skip = {e["id"] for e in explanation["exceptions"]} | shown
    for point in explanation["points"]:
        if point["id"] in skip:
            continue
        para(point["text"], indent="  ", first="* ")
        quotes(point["citations"])
    return "\n".join(out) + "\n"
