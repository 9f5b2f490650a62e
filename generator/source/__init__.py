"""The first stage: the policy YAML read, checked against the schema and the rules, and turned into the model
(`Policy`) and the checker's data; the invariants, the previous versions and their diff.
"""
