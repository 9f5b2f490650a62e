"""The policy's facts (organisation, version, dates) as a reader meets them, on the pages and on the leaflets, and
the facts of a retention entry that the tables of what is kept print (record_fact, period_notes).

A fact is printed as given (a date in words; a month the document gives without a day as that month), followed by `example_mark` when it is a placeholder
({value, example: true}); when the document does not give it ({not_given: true}) the words of `not_given` say so
in its place, in one sentence for all the facts not given side by side (not_given_sentence). Where the generator
needs a version and the document gives none, it prints our reference (Policy.our_reference) followed by
`ours_version_mark`, never as the organisation's. The pages get markup (each mark in its span, as the site styles
it), the leaflets plain text: both from the same labels.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from checker.dates import document_date_in_words
from generator.source.policy_model import Policy
from generator.source.versions import build_date

# The name in `not_given` of each fact that may be not given (both dates are "a date").
_NOT_GIVEN_WORDS = {"organisation": "organisation", "version": "version", "effective_date": "date",
                    "review_date": "date"}


def in_words(policy: Policy, iso: str) -> str:
    """A date as the policy writes dates for readers (the checker's pattern and month names); a month the
    document gives without a day (YYYY-MM) as `date_month_year` writes it ("March 2025")."""
    checker = policy.checker
    return document_date_in_words(iso, checker["date_format"], policy.data["wording"]["date_month_year"],
                                  checker["month_names"])


def fact(policy: Policy, key: str, html: bool = False) -> str:
    """metadata[key] as printed: its value (a date in words), marked when a placeholder; or the words that say
    the document does not give it."""
    node, labels = policy.metadata[key], policy.data["wording"]
    if node["not_given"]:
        return not_given_sentence(policy, (key,), html)
    text = in_words(policy, node["value"]) if key.endswith("date") else node["value"]
    return _marked(text, labels["example_mark"] if node["example"] else None, "example-value", html)


def not_given_sentence(policy: Policy, keys: tuple[str, ...], html: bool = False) -> str | None:
    """One sentence naming each fact of keys that the document does not give ("… a version number or a date"),
    a name said once (both dates are "a date"); None when it gives them all."""
    words = policy.data["wording"]["not_given"]
    names = list(dict.fromkeys(words[_NOT_GIVEN_WORDS[key]] for key in keys if not policy.given("metadata", key)))
    if not names:
        return None
    listed = names[-1] if len(names) == 1 else ", ".join(names[:-1]) + words["list_or"] + names[-1]
    return _span(words["sentence"].replace("{facts}", listed), "not-given", html)


def record_fact(policy: Policy, item: dict, key: str, html: bool = False) -> str:
    """A retention entry's `where` or `destroyed` as the tables of what is kept print it: the policy's words, or
    the words that say the policy does not say it ({not_given: true})."""
    if key in item["not_given"]:
        return _span(policy.data["wording"]["retention_table"][f"{key}_not_given"], "not-given", html)
    return escape(item[key]) if html else item[key]


def period_notes(policy: Policy, item: dict, html: bool = False) -> str:
    """The lines under an entry's period: kept only if something happens (" Only if …"), deleted sooner if
    something happens (" Sooner if …"), each after a space, read as its own sentence without the page's styles;
    "" for an entry with neither."""
    words = policy.data["wording"]["retention_table"]
    lines = [_span(words[key].replace("{condition}", item[key]), key.replace("_", "-"), html)
             for key in ("only_if", "sooner_if") if item[key]]
    return Markup("").join(Markup(" ") + line for line in lines) if html else "".join(" " + line for line in lines)


def version(policy: Policy, html: bool = False) -> str:
    """The version where the generator needs one: the document's (marked when a placeholder), or our reference,
    marked as ours."""
    if policy.given("metadata", "version"):
        return fact(policy, "version", html)
    return _marked(policy.our_reference, policy.data["wording"]["ours_version_mark"], "ours-mark", html)


def meta_line(policy: Policy, keys: tuple[str, ...], html: bool = True) -> str:
    """The facts under the policy page's heading (policy_page.meta): each key's part with its value in place,
    joined by the separator; the facts the document does not give are one sentence, where the first of them
    would be (three parts each saying "The policy does not give …" would fill a phone's screen)."""
    words = policy.data["wording"]["policy_page"]["meta"]
    missing = tuple(key for key in keys if not policy.given("metadata", key))
    parts = []
    for key in keys:
        if key in missing:
            if key == missing[0]:
                parts.append(not_given_sentence(policy, missing, html))
            continue
        pattern = str(escape(words[key])) if html else words[key]
        parts.append(pattern.replace("{" + key + "}", fact(policy, key, html)))
    joined = (str(escape(words["separator"])) if html else words["separator"]).join(parts)
    return Markup(joined) if html else joined


def printed(policy: Policy) -> str:
    """The day the leaflets are made (the build's date, or SOURCE_DATE_EPOCH's), in words."""
    return in_words(policy, build_date().isoformat())


def _marked(text: str, mark: str | None, css_class: str, html: bool) -> str:
    if not html:
        return f"{text} {mark}" if mark else text
    return Markup(f'{escape(text)} <span class="{css_class}">{escape(mark)}</span>' if mark else escape(text))


def _span(text: str, css_class: str, html: bool) -> str:
    return Markup(f'<span class="{css_class}">{escape(text)}</span>') if html else text
