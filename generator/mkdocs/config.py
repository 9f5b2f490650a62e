"""The MkDocs plugin's options: the schema only."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class PolicyPluginConfig(base.Config):
    # The policy source, relative to mkdocs.yml
    policy_file = c.File(exists=True)

    # Check every invariant over all answer combinations at build time
    check_invariants = c.Type(bool, default=True)

    # Build only a publishable site: refuse every example value ({value: …, example: true}). `make publish`
    # turns it on (mkdocs.yml reads POLICY_SITE_PUBLISH); `make site` builds the sample, placeholders and all.
    publish = c.Type(bool, default=False)

    # The npm package pyodide (the live checker's runtime), relative to mkdocs.yml. Unset: node_modules/pyodide in
    # mkdocs.yml's folder or a parent of it (as Node looks), then the current folder's (generator/npm_assets.py).
    pyodide_dir = c.Optional(c.Type(str))

    # The npm package @fontsource/atkinson-hyperlegible (the site's and the leaflets' typeface), found the same way.
    font_dir = c.Optional(c.Type(str))

    # The site in every language the policy has a translation for (translations/LANG.po beside it), each under its
    # own folder ("cy/"); false: the original's pages alone (the translations are checked all the same, as by `check`).
    translations = c.Type(bool, default=True)
