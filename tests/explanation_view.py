"""An explanation as a page shows it, read back from the page and compared with its one layout tree.

`expected_view(data, answers)` is what a page must show for these answers: the tree of checker/layout.py, as HTML
shows it (`page_view`). `read_explanation(element)` reads a built page's explanation back into that shape, and the
browser tests read the live page with the same rules, in JavaScript (READ_EXPLANATION in
browser_checker/checker_helpers.py). Nothing here decides an order, a heading or a fold: the tree does, and a page
that drifts from it (a heading, the records' fold, an item out of place) reads back different.

What a page shows of the tree: a section that is not folded is its heading (`{"type": "heading", "text"}`)
followed by its children, side by side with them; a folded one is a `<details>` that holds them. Quotes read
`[clause, "“quote”"]`, as printed. The one-line answer (`in_short`) is not inside the explanation's box.
"""

from __future__ import annotations

from typing import Any, Iterator

from checker import evaluate
from checker.layout import layout
from generator.source.yaml_source import normalise_space


def expected_view(data: dict, answers: dict, caller_page: dict | None = None, verdicts: dict | None = None) -> dict:
    """What a page must show for these answers: their layout tree, as a page shows it (a caller page's overview
    with that page's words, the interface text's caller_page; a worked example with its verdicts)."""
    return page_view(layout(evaluate(data, answers), data["wording"], caller_page, verdicts))


def page_view(tree: dict) -> dict:
    """The layout tree as a page shows it, in the shape read_explanation and READ_EXPLANATION read."""
    return {"outcome": tree["outcome"], "children": _shown(tree["children"])}


def _shown(nodes: list[dict]) -> list[dict]:
    out: list[dict] = []
    for node in nodes:
        node = dict(node)
        if node.get("recipients"):  # a page shows what goes between names only where there are two
            node["recipients"] = dict(node["recipients"], separator=node["recipients"]["separator"]
                                      if len(node["recipients"]["names"]) > 1 else None)
        if "quotes" in node:
            node["quotes"] = {"summary": node["quotes"]["summary"],
                              "citations": [[c["clause"], f"“{c['quote']}”"] for c in node["quotes"]["citations"]]}
        if node["type"] == "section" and not node["fold"]:
            out.append({"type": "heading", "text": node["heading"]})
            out += _shown(node["children"])
            continue
        if "children" in node:
            node["children"] = _shown(node["children"])
        out.append(node)
    return out


def view_items(view: dict) -> Iterator[dict]:
    """Every exception, protection, lead and point of a view, in the order the reader meets them."""
    def walk(nodes: list[dict]) -> Iterator[dict]:
        for node in nodes:
            if node["type"] in ("section", "list"):
                yield from walk(node["children"])
            elif node["type"] not in ("verdict", "heading"):
                yield node
    return walk(view["children"])


def _classes(node) -> list[str]:
    return (node.get("class") or "").split()


def _first(node, name: str):
    return next((e for e in node.iter() if name in _classes(e)), None)


def _text(node) -> str | None:
    return normalise_space("".join(node.itertext())) if node is not None else None


def _kind(node, base: str) -> str | None:
    """The modifier of a class, `exceptions--could-change` → could_change."""
    return next((c[len(base) + 2:].replace("-", "_") for c in _classes(node) if c.startswith(base + "--")), None)


def _quotes(node) -> dict[str, Any] | None:
    """The node's own fold of quotes (a direct child details.quotes), not the folds of items inside it."""
    fold = next((child for child in node if child.tag == "details" and "quotes" in _classes(child)), None)
    if fold is None:
        return None
    return {"summary": _text(next(fold.iter("summary"))),
            "citations": [[q.get("data-clause"), _text(_first(q, "quote__text"))]
                          for q in fold.iter("blockquote") if q.get("data-clause")]}


def _exception(node) -> dict[str, Any]:
    recipients = _first(node, "exception__recipients")
    if recipients is not None:
        spans = [r for r in recipients if r.tag == "span"]   # a name without data-recipient: someone not named
        names = [{"id": r.get("data-recipient"), "label": _text(r)} for r in spans]
        recipients = {"lead": normalise_space(recipients.text or "") if names else _text(recipients), "names": names,
                      "separator": spans[0].tail if len(spans) > 1 else None}
    told = _first(node, "exception__told-first")
    return {"type": "exception", "id": node.get("data-exception"), "status": node.get("data-status"),
            "text": _text(_first(node, "exception__text")), "status_text": _text(_first(node, "exception__status")),
            "judgement": _text(_first(node, "exception__judgement")),
            "recipients": recipients, "limit": _text(_first(node, "exception__limit")),
            "told_first": None if told is None else {"telling": told.get("data-telling"), "text": _text(told)},
            "quotes": _quotes(node)}


def _point(node) -> dict[str, Any]:
    return {"type": "point", "id": node.get("data-point"), "status": node.get("data-status"),
            "kind": node.get("data-kind"), "text": _text(_first(node, "point__text")), "quotes": _quotes(node)}


def _node(node) -> dict[str, Any] | None:
    classes = _classes(node)
    if "checker-changed" in classes:  # the live page's note of a recent change: not the explanation's
        return None
    if "explanation__headline" in classes:
        return {"type": "verdict", "text": _text(node)}
    if "explanation__heading" in classes:
        return {"type": "heading", "text": _text(node)}
    if "explanation__protection" in classes:
        return {"type": "protection", "id": node.get("data-protection"), "kind": node.get("data-kind"),
                "text": _text(_first(node, "protection__text")),
                "unless": [_text(e) for e in node.iter() if "protection__unless" in _classes(e)], "quotes": _quotes(node)}
    if "records__lead" in classes:
        return {"type": "lead", "id": node.get("data-point"), "text": _text(node)}
    if "explanation__note" in classes:
        return {"type": "note", "kind": node.get("data-kind"), "text": _text(node)}
    if "exceptions" in classes:
        return {"type": "list", "of": "exceptions", "kind": _kind(node, "exceptions"),
                "children": [_exception(child) for child in node]}
    if "points" in classes:
        return {"type": "list", "of": "points", "kind": _kind(node, "points"), "children": [_point(c) for c in node]}
    if node.tag == "details" and classes:
        name = classes[0]
        summary, *rest = list(node)
        count = _first(summary, f"{name}__count")
        return {"type": "section", "kind": name.replace("-", "_"),
                "heading": normalise_space(summary.text or "") if count is not None else _text(summary),
                "fold": True, "count": _text(count), "id": node.get("data-point"), "children": _children(rest)}
    return {"type": "unknown", "tag": node.tag, "class": node.get("class")}


def _children(nodes) -> list[dict]:
    return [read for read in map(_node, nodes) if read is not None]


def read_explanation(root) -> dict | None:
    """The first explanation inside root (a tinyhtml5 element), read like READ_EXPLANATION reads the live page."""
    box = _first(root, "explanation")
    if box is None:
        return None
    return {"outcome": box.get("data-outcome"), "children": _children(box)}
