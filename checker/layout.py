"""An explanation's layout as one tree: what a reader meets, in order, with its headings and its folds.

`layout(explanation, wording)` builds it once from the engine's explanation (`evaluate(...)`, whose `summary`
decides what goes where) and the checker data's `wording` (the headings' words). A caller page's overview
(`caller_page`: that page's own words) leads with its own headline rather than the checker's "From your answers"
verdict, and shows what could change it under its own heading, not folded, right after what applies: the page
answers for a kind of caller, who has answered nothing, and must say when what they tell us could be passed on
within its first screen; a worked example on that page (`verdicts`) keeps the checker's layout and has only its
verdict in words for an example's answers. Every rendering only walks
it: the pages' `explanation` macro (generator/pages/templates/_macros.j2), the checker page's script
(checker/web/checker-page.mjs, which the worker sends the tree as JSON) and the terminal's text
(checker/explain_text.py); the tests read a page back and compare it with the tree. A heading, a fold or an
order is decided here and nowhere else.

The tree is plain data (dicts, lists, strings, booleans, None), the same as JSON:

    {"type": "explanation", "outcome", "in_short", "children": [...]}   the whole, answer first (DESIGN.md):
      {"type": "verdict", "text"}                                        the answer in one sentence
      {"type": "section", "kind", "heading", "fold", "count", "id", "children"}
          a part under its heading; with "fold": true, folded (`<details>`) with the heading as its summary,
          "count" (e.g. "(3)") beside it. Kinds: applies, records, could_change, general, and records_if (a fold
          inside "general" whose heading is the records' own lead sentence, "id" that point's id)
      {"type": "list", "of": "exceptions" | "points", "kind", "children"}   items side by side
      {"type": "exception", "id", "status", "text", "status_text", "judgement", "recipients", "limit", "told_first",
       "quotes"}
          "status_text" only for an exception no answer decides; "judgement", the sentence that the helpline
          decides it (its words quoted first among the quotes); "recipients" only where it applies:
          {"lead", "names": [{"id", "label"}], "separator"} (no names: "lead" is the sentence that none is named;
          a name with id None is the policy's words for someone it does not name; "separator" goes between names:
          "; ", or the policy's " or " for one or more of them); "limit": what is passed on, where it applies;
          "told_first": {"telling", "text"} or None: what it says of telling wherever the exception is listed;
          "the policy does not say" (not_stated) only in a list beside one that promises something
      {"type": "protection", "id", "kind", "text", "unless", "quotes"}   a promise that protects the caller;
          "unless": a line for each exception that could undo it (its condition), or does (it does not hold;
          "may not hold" where that exception only may share or the helpline decides)
      {"type": "lead", "id", "text"}                                     the sentence that leads the records
      {"type": "note", "kind", "text"}                                   a sentence of the policy's wording with no
          quotes: kind records_not_stated, under the records' heading, when the policy says nothing about what is kept
      {"type": "point", "id", "status", "kind", "text", "quotes"}        one point (a record, a general one)
    "quotes": {"summary", "citations": [{"clause", "quote"}]}            the policy's words, folded under "summary"
"""

from __future__ import annotations

from typing import Any, Mapping

from .engine import will_share



def layout(explanation: Mapping[str, Any], wording: Mapping[str, Any],
           caller_page: Mapping[str, Any] | None = None,
           verdicts: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The explanation as one tree, answer first; `wording` is the checker data's (data["wording"]), and
    `caller_page`, for a caller page's overview, that page's words (`headline` by outcome, `when_heading`).
    `verdicts` (by outcome) replace the checker's verdict alone, as a caller page's worked example does: "From your
    answers" is for a caller who answered, not for an example's answers."""
    s = explanation["summary"]
    points = {p["id"]: p for p in explanation["points"]}
    exceptions = {e["id"]: e for e in explanation["exceptions"]}

    def quotes(citations: list) -> dict[str, Any]:
        return {"summary": wording["quotes_label"],
                "citations": [{"clause": c["clause"], "quote": c["quote"]} for c in citations]}

    def promising(ids: list[str]) -> bool:
        """Whether an exception among these says what it promises about telling the caller."""
        return any(exceptions[i]["telling"] != "not_stated" and exceptions[i]["telling_text"] for i in ids)

    def exception(item_id: str, full: bool, beside_promise: bool) -> dict[str, Any]:
        e = exceptions[item_id]
        recipients = None
        if full:
            names = [{"id": r, "label": label} for r, label in zip(e["shared_with"], e["shared_with_labels"])]
            if e["recipients"]["unnamed"]:  # the policy's words for someone it does not name
                names.append({"id": None, "label": e["recipients"]["unnamed"]})
            # "the police or Social Services" is one or more of them, not both: joined with the policy's "or".
            separator = wording["in_short"]["list_or"] if e["recipients"]["join"] == "one_of" else "; "
            # It applies here (full): "It will be passed to" for an exception that will be used, as the verdict says.
            lead = wording["will_share_with"] if will_share(e) else wording["shared_with"]
            recipients = ({"lead": lead, "names": names, "separator": separator}
                          if names else {"lead": wording["nobody_named"], "names": [], "separator": separator})
        judgement, citations = e["judgement"], e["citations"]
        if judgement and not any(c["clause"] == judgement["citation"]["clause"]
                                 and judgement["citation"]["quote"] in c["quote"] for c in citations):
            citations = [judgement["citation"]] + citations   # the words that say the helpline decides, quoted first
        return {"type": "exception", "id": item_id, "status": e["status"], "text": points[item_id]["text"],
                "status_text": e["status_text"] if e["status"] == "always_possible" else None,
                "judgement": judgement["text"] if judgement else None,
                "recipients": recipients,
                "limit": e["limit"] if full else None,
                # Whether it applies now or only could, what it says of telling the caller goes with it; that the
                # policy does not say is shown only in a list beside an exception that promises something, so
                # that their promise is not taken for its own.
                "told_first": {"telling": e["telling"], "text": e["telling_text"]} if e["telling_text"] and (
                    e["telling"] != "not_stated" or beside_promise) else None,
                "quotes": quotes(citations)}

    def point(item_id: str) -> dict[str, Any]:
        p = points[item_id]
        return {"type": "point", "id": item_id, "status": p["status"], "kind": p["kind"], "text": p["text"],
                "quotes": quotes(p["citations"])}

    def section(kind: str, heading: str, children: list, *, fold: bool = False, count: str | None = None,
                item_id: str | None = None) -> dict[str, Any]:
        return {"type": "section", "kind": kind, "heading": heading, "fold": fold, "count": count, "id": item_id,
                "children": children}

    def items(of: str, kind: str | None, children: list) -> dict[str, Any]:
        return {"type": "list", "of": of, "kind": kind, "children": children}

    verdicts = caller_page["headline"] if caller_page else verdicts
    # "will" where an exception that must share applies, as the engine's own verdict (the headline) says.
    will = any(will_share(exceptions[i]) for i in s["applies"])
    verdict = (verdicts["will_be_shared" if will else explanation["outcome"]] if verdicts else s["verdict"])
    children: list[dict[str, Any]] = [{"type": "verdict", "text": verdict}]
    if s["applies"]:
        children.append(section("applies", wording["applies_heading"],
                                [items("exceptions", "applies", [exception(i, True, promising(s["applies"]))
                                                                 for i in s["applies"]])]))
    could_promise = promising(s["could_change"])
    could = [items("exceptions", "could_change", [exception(i, False, could_promise) for i in s["could_change"]])]
    if s["could_change"] and caller_page:
        # On a caller page these cases are the answer itself: right after what applies, before the promises.
        children.append(section("could_change", caller_page["when_heading"], could))
    promises = {p["id"]: p for p in explanation["protections"]}
    for item_id in s["protections"]:
        p = points[item_id]
        children.append({"type": "protection", "id": item_id, "kind": p["kind"], "text": p["text"],
                         "unless": unless_lines(promises[item_id], exceptions, wording), "quotes": quotes(p["citations"])})
    if s["records"]:
        lead = [{"type": "lead", "id": s["records_lead"], "text": points[s["records_lead"]]["text"]}
                ] if s["records_lead"] else []
        children.append(section("records", wording["records_heading"],
                                lead + [items("points", "records", [point(i) for i in s["records"]])]))
    if explanation["records_not_stated"]:  # retention: not_stated: said where the records would be, every time
        children.append(section("records", wording["records_heading"], [
            {"type": "note", "kind": "records_not_stated", "text": explanation["records_not_stated"]}]))
    if s["could_change"] and not caller_page:
        children.append(section("could_change", wording["could_change_heading"], could,
                                fold=True, count=f"({len(s['could_change'])})"))
    if s["general"] or s["records_if"]:
        general = [items("points", None, [point(i) for i in s["general"]])]
        if s["records_if"]:
            lead_id = s["records_if_lead"]
            general.append(section("records_if", points[lead_id]["text"],
                                   [items("points", "records", [point(i) for i in s["records_if"]])],
                                   fold=True, item_id=lead_id))
        children.append(section("general", wording["points_heading"], general))
    return {"type": "explanation", "outcome": explanation["outcome"], "in_short": s["in_short"],
            "children": children}


def unless_lines(protection: Mapping[str, Any], exceptions: Mapping[str, Mapping[str, Any]],
                 wording: Mapping[str, Any]) -> list[str]:
    """The exceptions that could undo a promise, as they stand in its explanation (`exceptions`: its exceptions
    by id), each as a line: "does not hold" where one applies; "may not hold" (`…_may`) where that exception only
    may share or the helpline decides whether it applies (the layout shows them under the promise; `policy-site
    diff` compares them)."""
    return [wording[("undone" if u["status"] == "applies" else "unless")
                    + ("" if will_share(exceptions[u["id"]]) else "_may")].replace("{condition}", u["condition"])
            for u in protection["unless"]]
