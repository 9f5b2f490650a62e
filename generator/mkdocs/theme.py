"""The site's theme, shipped with the generator and supplied by the plugin.

`generator/mkdocs/overrides/` holds mkdocs-material's overrides (the quick exit, no storage, a neutral tab,
CSP-ready scripts, the theme's words from the interface text) and the site's stylesheets and scripts. (The pages
every helpline's site has are generated, generator/pages/.) They are package data, not copied into a helpline's folder: they work
hand in hand with the plugin (its `safety` values, its CSP hashes), so an upgrade of the generator upgrades
them too. A helpline's mkdocs.yml needs no `custom_dir` and no `extra_css` for them:

- the theme folder is placed after the helpline's own `custom_dir` (if any), so a helpline's own template
  of the same name wins;
- the stylesheets and scripts are the theme's static files, so a file of the same path in the docs folder wins.

One file of the theme itself is changed as the build copies it: its script bundle, so that the search starts only
when the reader opens it (search_on_demand), and a translation's pages search their own language's index
(index_per_language). The shipped scripts and stylesheets go without their comments
(without_comments).
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from generator.live_checker import shipped_code
from generator.errors import BuildError

THEME_DIR = Path(__file__).resolve().parent / "overrides"
SITE_CSS = "assets/stylesheets/site.css"
THEME_VERSION = "9.8.1"  # mkdocs-material, pinned in pyproject.toml: the version search_on_demand is written for
# The theme's script bundle, as its base.html names it.
BUNDLE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]+\.min\.js")
# In the bundle: the function that starts the search worker and sends it the index, `setupSearchWorker(url, index$)`
# in the theme's source (src/templates/assets/javascripts/integrations/search/worker), minified. It makes the worker
# at once, and sends it the index at once unless the site was opened from file://, where it waits for the search
# toggle: merge(of(location.protocol !== "file:"), watchToggle("search")).pipe(first(active => active), ...).
_NAME = r"[\w$]+"  # a name in minified JavaScript
_SEARCH_SETUP = re.compile(
    rf'(?P<head>function {_NAME}\((?P<url>{_NAME}),{_NAME}\)\{{let {_NAME}=(?P<watch>{_NAME})\((?P=url))\);'
    rf'return {_NAME}\({_NAME}\(location\.protocol!=="file:"\),(?P<toggle>{_NAME}\("search"\))\)')
# `watchWorker(url, worker = new Worker(url))`: what the first function calls to make the worker.
_WATCH_WORKER = r"function {watch}\(([\w$]+),[\w$]+=new Worker\(\1\)\)"
# What the bundle is given in the worker's place: the same events and postMessage, the worker itself made when the
# search is first opened (its toggle checked; the index is asked for at the same moment) or sent a message.
_WORKER_ON_DEMAND = (
    'new class extends EventTarget{{constructor(){{super();let s=document.querySelector("[data-md-toggle=search]"),'
    'o=()=>s.checked&&this.w();s.addEventListener("change",o);o()}}w(){{return this.r||(this.r=new Worker({url}),'
    'this.r.onmessage=v=>this.dispatchEvent(new MessageEvent("message",{{data:v.data}})),this.r)}}'
    'postMessage(m){{this.w().postMessage(m)}}}}')


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



def search_on_demand(bundle: str) -> str:
    """The theme's script bundle, changed so that the search costs nothing until the reader opens it.

    mkdocs-material starts its search on every page load: it starts the search worker (its script, about 11 KB
    with brotli) and fetches the whole site's index (search/search_index.json, 8 KB here, growing with the
    site), which most readers never use; on the checker page that is 19 KB of its allowance. The theme already
    waits for the search to be opened on a site opened from file://, but no option or template block reaches that
    script. So the bundle is changed in two places: the index is asked for when the search is first opened, as
    from file://, and the worker is made then too (an EventTarget stands in for it until then). The search then
    says "Initializing search" for a moment the first time it is opened on a page, as it does now while the index
    loads. Raises BuildError when the bundle is not the one this is written for."""
    found = _SEARCH_SETUP.findall(bundle)
    match = _SEARCH_SETUP.search(bundle)
    if len(found) != 1 or not re.search(_WATCH_WORKER.format(watch=re.escape(match["watch"])), bundle):
        raise BuildError(f"the theme's script bundle does not start its search as mkdocs-material {THEME_VERSION}'s "
                         "does, so the search cannot be made to start only when it is opened (generator/mkdocs/"
                         f"theme.py, search_on_demand): use mkdocs-material=={THEME_VERSION}, or bring "
                         "search_on_demand up to date with the theme's setupSearchWorker")
    lazy = _WORKER_ON_DEMAND.format(url=match["url"])
    return bundle[:match.start()] + f"{match['head']},{lazy});return {match['toggle']}" + bundle[match.end():]


# Where the bundle asks for the search index: `new URL("search/search_index.json", config.base)`.
_INDEX_URL = re.compile(r'new URL\("search/search_index\.json",(?P<base>[\w$]+\.base)\)')


def index_per_language(bundle: str) -> str:
    """The theme's script bundle, changed so that a page whose head names its language's search index
    (`<meta name="search-index">`, a translation's pages: generator/mkdocs/languages.py) searches that index: one
    index of the whole site would answer a Welsh reader with English and Polish pages, under English stop words. Raises
    BuildError when the bundle does not ask for its index as mkdocs-material's does."""
    found = _INDEX_URL.findall(bundle)
    if len(found) != 1:
        raise BuildError(f"the theme's script bundle does not ask for its search index as mkdocs-material "
                         f"{THEME_VERSION}'s does, so a translation's pages cannot search their own language "
                         f"(generator/mkdocs/theme.py, index_per_language): use mkdocs-material=={THEME_VERSION}")
    return _INDEX_URL.sub(lambda m: 'new URL(document.querySelector("meta[name=search-index]")?.content'
                                    f'||"search/search_index.json",{m["base"]})', bundle)


def defer_search(files: Files, config: MkDocsConfig) -> None:
    """Put the theme's bundle, as search_on_demand and index_per_language change it, in the place of the theme's
    own in files."""
    bundles = [f for f in files if BUNDLE.fullmatch(f.src_uri)]
    if len(bundles) != 1:
        raise BuildError(f"expected one script bundle of the theme (assets/javascripts/bundle.*.min.js), found "
                         f"{len(bundles)}: use mkdocs-material=={THEME_VERSION}")
    theme_bundle = bundles[0]
    changed = index_per_language(search_on_demand(Path(theme_bundle.abs_src_path).read_text(encoding="utf-8")))
    files.remove(theme_bundle)
    files.append(File.generated(config, theme_bundle.src_uri, content=changed))


def without_comments(files: Files, config: MkDocsConfig) -> None:
    """Put the shipped theme's scripts and stylesheets (THEME_DIR's assets) in files without their comments
    (generator/live_checker/shipped_code.py); a helpline's own file of the same path, which wins, is sent as it is."""
    for file in list(files):
        source = Path(file.abs_src_path) if file.abs_src_path else None
        if source is None or file.src_uri.rsplit(".", 1)[-1] not in ("js", "css") or THEME_DIR not in source.parents:
            continue
        text = source.read_text(encoding="utf-8")
        lean = shipped_code.stylesheet(text) if file.src_uri.endswith(".css") else shipped_code.script(text)
        files.remove(file)
        files.append(File.generated(config, file.src_uri, content=lean))
