"""The site's theme, shipped with the generator and supplied by the plugin.

`generator/mkdocs/overrides/` holds mkdocs-material's overrides (the quick exit, no storage, a neutral tab,
CSP-ready scripts, the theme's words from the interface text) and the site's stylesheets and scripts. (The pages
every helpline's site has are generated, generator/pages/.) They are package data, not copied into a helpline's folder: they work
hand in hand with the plugin (its `safety` values, its CSP hashes), so an upgrade of the generator upgrades
them too. A helpline's mkdocs.yml needs no `custom_dir` and no `extra_css` for them:

- the theme folder is placed after the helpline's own `custom_dir` (if any), so a helpline's own template
  of the same name wins;
- the stylesheets and scripts are the theme's static files, so a file of the same path in the docs folder wins.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from generator.errors import BuildError

THEME_DIR = Path(__file__).resolve().parent / "overrides"
SITE_CSS = "assets/stylesheets/site.css"


def apply(config: MkDocsConfig) -> None:
    """Put the shipped theme folder into the theme's search path and the site's stylesheet into extra_css.
    Raises BuildError for a theme the overrides are not written for, or one that would load web fonts."""
    theme = config.theme
    if theme.name != "material":
        raise BuildError(f"mkdocs.yml: theme.name is {theme.name!r}; the policy site's theme overrides (quick exit, "
                         "no storage) are written for mkdocs-material: set `theme: {name: material, font: false}`")
    if theme.get("font") is not False:
        raise BuildError("mkdocs.yml: theme.font is not false, so the theme would load its fonts from Google, "
                         "another site, on every page; set `font: false` under `theme:` (the site serves its own "
                         "typeface)")
    dirs = [Path(d).resolve() for d in theme.dirs]
    if THEME_DIR not in dirs:
        custom = theme.custom_dir
        # The helpline's own custom_dir (first in the list) keeps priority; ours comes before the theme's own.
        at = 1 if custom and dirs and dirs[0] == Path(custom).resolve() else 0
        theme.dirs.insert(at, str(THEME_DIR))
    if SITE_CSS not in [str(css) for css in config.extra_css]:
        config.extra_css.insert(0, SITE_CSS)

