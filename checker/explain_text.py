"""An explanation as text for a person at a terminal: wrapped, with the quotes, answer first.

It walks the explanation's one layout tree (checker/layout.py), which decides the order, the headings and the
folds; this module only lays it out as text: a section's heading underlined (a folded one with its count), a
fold inside a section as an item with its own items under it, the quotes after each thing they ground.
"""

from __future__ import annotations

import textwrap
from typing import Any, Mapping

from .layout import layout


def explanation_text(data: Mapping[str, Any], explanation: Mapping[str, Any], width: int = 78) -> str:
    return layout_text(layout(explanation, data["wording"]), width)


def layout_text(tree: Mapping[str, Any], width: int = 78) -> str:
    """The text of an explanation's layout tree."""
    out: list[str] = []

    def para(text: str, indent: str = "", first: str | None = None) -> None:
        out.append(textwrap.fill(text, width, initial_indent=first if first is not None else indent,
                                 subsequent_indent=indent, break_on_hyphens=False, break_long_words=False))

    def quotes(node: Mapping) -> None:
        for c in node["quotes"]["citations"]:
            para(f"“{c['quote']}” [{c['clause']}]", indent="      ", first="    > ")

    def item(node: Mapping, indent: str = "  ", first: str = "* ") -> None:
        para(node["text"], indent=indent, first=first)
        if node["type"] == "exception":
            if node["status_text"]:
                para(node["status_text"], indent=indent)
            if node["judgement"]:
                para(node["judgement"], indent=indent)
            if node["recipients"]:
                names = [n["label"] for n in node["recipients"]["names"]]
                para(node["recipients"]["lead"] + (" " + node["recipients"]["separator"].join(names) + "." if names else ""),
                     indent=indent)
            if node["limit"]:
                para(node["limit"], indent=indent)
            if node["told_first"]:
                para(node["told_first"]["text"], indent=indent)
        quotes(node)

    def part(node: Mapping, nested: bool) -> None:
        kind = node["type"]
        if kind == "verdict":
            para(node["text"])
        elif kind == "protection":
            out.append("")
            para(node["text"])
            for line in node["unless"]:
                para(line)
            quotes(node)
        elif kind in ("lead", "note"):
            para(node["text"])
        elif kind == "list":
            for child in node["children"]:
                item(child, *(("    ", "  - ") if nested else ()))
        elif kind == "section" and nested:  # a fold inside a section: an item, its own items under it
            para(node["heading"], indent="  ", first="* ")
            for child in node["children"]:
                part(child, True)
        elif kind == "section":
            heading = node["heading"] + (f" {node['count']}" if node["count"] else "")
            out.extend(["", heading, "-" * len(heading)])
            for child in node["children"]:
                part(child, child["type"] == "section")
        else:
            raise ValueError(f"unknown layout node {kind!r}")

    for node in tree["children"]:
        part(node, False)
    return "\n".join(out) + "\n"
