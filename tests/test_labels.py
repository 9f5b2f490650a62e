"""The interface text: the schema's `wording` is the defaults' (labels.yaml), and a policy's `wording` overrides
any key, leaving the others as the defaults say."""

from __future__ import annotations

import json

from generator.source import labels
from generator.source.schema_check import SCHEMA_PATH


def test_the_schemas_wording_is_made_from_the_defaults():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$defs"]["wording"] == labels.wording_schema(), \
        "labels.yaml changed: run `python -m generator.source.labels` to write the schema's wording"


def test_a_policys_wording_overrides_a_key_and_keeps_the_rest():
    given = {"official_label": "What our statement says", "home_page": {"policy_link": "Read the whole statement"}}
    merged = labels.merged(given)
    defaults = labels.defaults()
    assert merged["official_label"] == "What our statement says"
    assert merged["home_page"] == {**defaults["home_page"], "policy_link": "Read the whole statement"}
    assert {k: v for k, v in merged.items() if k not in given} == {k: v for k, v in defaults.items() if k not in given}


def test_the_readme_lists_every_interface_text_that_says_policy():
    """A service whose document is a "statement" overrides every text that says "policy": policy/README.md lists
    them, and the list is the defaults' (a volunteer who followed an older list left one saying "policy")."""
    import re
    from harness import ROOT
    readme = (ROOT / "policy" / "README.md").read_text(encoding="utf-8")
    (listed,) = re.findall(r"<!-- policy-words -->(.*?)<!-- /policy-words -->", readme, re.S)
    found = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + (key,))
        elif "policy" in node.lower():
            found.append(".".join(path))
    walk(labels.defaults(), ())
    assert re.findall(r"`([a-z_.]+)`", listed) == found
