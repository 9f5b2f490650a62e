"""An explanation as a reader meets it, and as the engine says it must be: one shape for both.

`expected_view(data, answers)` is what any rendering of an explanation must show, in the engine's answer-first
order (its `summary`). `read_explanation(element)` reads a built page's explanation back into that shape (the
browser tests read the live page with the same rules, in JavaScript: READ_EXPLANATION in
browser_checker/checker_helpers.py).
"""

from __future__ import annotations

from checker import evaluate
from generator.source.yaml_source import normalise_space


def _quotes(citations: list[dict]) -> list[list[str]]:
    return [[c["clause"], f"“{c['quote']}”"] for c in citations]


def expected_view(data: dict, answers: dict) -> dict:
    """What the page must show for these answers, from checker.evaluate, in the engine's answer-first order: the same
    shape as READ_EXPLANATION."""
    ex = evaluate(data, answers)
    s = ex["summary"]
    points = {p["id"]: p for p in ex["points"]}
    exceptions = {e["id"]: e for e in ex["exceptions"]}

    def exception(item_id, full):
        e = exceptions[item_id]
        return {"type": "exception", "id": item_id, "status": e["status"], "text": points[item_id]["text"],
                "status_text": e["status_text"] if e["status"] == "always_possible" else None,
                "recipients": e["shared_with"] if full else [],
                # Whether the exception applies now or only could, its promise to tell the caller first is shown.
                "told_first": e["telling_text"], "quotes": _quotes(e["citations"])}

    def point(item_id, lead=False):
        p = points[item_id]
        return {"type": "point", "id": item_id, "status": None if lead else p["status"], "text": p["text"],
                "quotes": [] if lead else _quotes(p["citations"])}

    items = [exception(i, True) for i in s["applies"]]
    items += [{"type": "protection", "id": i, "text": points[i]["text"], "quotes": _quotes(points[i]["citations"])}
              for i in s["protections"]]
    if s["records"]:
        items += ([point(s["records_lead"], lead=True)] if s["records_lead"] else []) + [point(i) for i in s["records"]]
    items += [exception(i, False) for i in s["could_change"]]
    items += [point(i) for i in s["general"]]
    if s["records_if"]:
        items += [point(s["records_if_lead"], lead=True)] + [point(i) for i in s["records_if"]]
    return {"outcome": ex["outcome"], "headline": s["verdict"],
            "could_change": f"({len(s['could_change'])})" if s["could_change"] else None, "items": items}



def _classes(node) -> list[str]:
    return (node.get("class") or "").split()


def _first(node, name: str):
    return next((e for e in node.iter() if name in _classes(e)), None)


def _text(node) -> str | None:
    return normalise_space("".join(node.itertext())) if node is not None else None


def _own_quotes(node) -> list[list[str]]:
    """The quotes in the node's own fold (a direct child details.quotes), not in the folds of items inside it."""
    folds = [child for child in node if child.tag == "details" and "quotes" in _classes(child)]
    return [[q.get("data-clause"), _text(_first(q, "quote__text"))]
            for fold in folds for q in fold.iter("blockquote") if q.get("data-clause")]


def read_explanation(root) -> dict | None:
    """The first explanation inside root (a tinyhtml5 element), read like READ_EXPLANATION reads the live page."""
    box = _first(root, "explanation")
    if box is None:
        return None
    items = []
    for node in box.iter():
        if node.get("data-exception"):
            items.append({"type": "exception", "id": node.get("data-exception"), "status": node.get("data-status"),
                          "text": _text(_first(node, "exception__text")),
                          "status_text": _text(_first(node, "exception__status")),
                          "recipients": [r.get("data-recipient") for r in node.iter() if r.get("data-recipient")],
                          "told_first": _text(_first(node, "exception__told-first")), "quotes": _own_quotes(node)})
        elif node.get("data-protection"):
            items.append({"type": "protection", "id": node.get("data-protection"),
                          "text": _text(_first(node, "protection__text")), "quotes": _own_quotes(node)})
        elif node.get("data-point"):
            own = (_first(node, "point__text") if node.tag == "li"
                   else next(node.iter("summary")) if node.tag == "details" else node)
            items.append({"type": "point", "id": node.get("data-point"), "status": node.get("data-status"),
                          "text": _text(own), "quotes": _own_quotes(node)})
    return {"outcome": box.get("data-outcome"), "headline": _text(_first(box, "explanation__headline")),
            "could_change": _text(_first(box, "could-change__count")), "items": items}
