"""The MkDocs plugin: a thin adapter from the policy model to MkDocs.

Event methods only guard and delegate; loading, checking and rendering live in the stages before this one
(source/, live_checker/, pages/, leaflets/), plain modules that the CLI and the tests share. Moving to another
site engine replaces this package's plugin, config and theme modules and the theme overrides (README,
"Another site engine"); security.py and fonts.py import no MkDocs and would serve the new adapter as they are.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from generator import build_cache, child_processes, leaflets, npm_assets, precompress
from generator.pages import checker_page
from generator.live_checker import pyodide_assets
from generator.mkdocs import security
from generator.mkdocs import fonts
from generator.mkdocs import theme
from generator.mkdocs import languages
from generator.errors import BuildError, PolicyError, counted
from generator.source import page_names
from generator.source.load_and_check import Checked, load_and_check
from generator.source.translations import languages as translation_languages
from generator.pages.render import nav_with_pages, render_pages
from generator.mkdocs.config import PolicyPluginConfig
from generator.source.policy_model import Policy


class PolicyPlugin(BasePlugin[PolicyPluginConfig]):
    """Turns the policy YAML into pages during `mkdocs build` and `mkdocs serve`."""

    def __init__(self) -> None:
        self.policy: Policy | None = None
        self.languages: list[languages.Language] = []   # the original first, then each translation (languages.py)
        self.leaflet_jobs = leaflets.LeafletJobs()  # rendered beside the checks; see its docstring

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # The theme's overrides and the site's styles are package data (overrides/ beside this file).
        _guard(theme.apply, config)
        # The npm packages the site self-hosts, found from mkdocs.yml's folder (or where the options say).
        project = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        self.pyodide_dir = _guard(npm_assets.locate, npm_assets.PYODIDE, self.config.pyodide_dir, project)
        self.font_dir = _guard(npm_assets.locate, npm_assets.FONT, self.config.font_dir, project)
        if self.leaflet_jobs.font_package != self.font_dir:
            self.leaflet_jobs.stop()
            self.leaflet_jobs = leaflets.LeafletJobs(serve=getattr(self, "live_reload", False),
                                                     font_package=self.font_dir)
        # Load and check before MkDocs cleans site_dir, so a bad policy leaves the last site in place.
        pyodide_assets.prepare_in_background(self.pyodide_dir)  # the checker's wheel, made (or read from the cache) meanwhile
        try:
            checked = _load(_as_given(Path(self.config.policy_file)), self.config.check_invariants,
                            self._start_leaflets, publish=self.config.publish, docs_dir=config.docs_dir)
        except PluginError:
            self.leaflet_jobs.stop()  # a policy that does not build needs no leaflets
            raise
        self.policy = checked.policy
        self.languages = languages.site_languages(checked.policy,
                                                  checked.translations if self.config.translations else ())
        # Every language's words have their letters in the site's typeface (a phone may have no font for them).
        _guard(fonts.check_letters, [lang.policy for lang in self.languages], self.font_dir)
        if len(self.languages) > 1:
            # Only so that the theme's header shows the switcher: partials/alternate.html links each page itself.
            config.extra["alternate"] = [{"lang": lang.code} for lang in self.languages]
        _name_site(config, self.policy)
        return config

    def _start_leaflets(self, policy: Policy) -> None:
        """The leaflets of the original and of each translation the site will take, rendered in one separate process."""
        self.leaflet_jobs.start(policy, translation_languages(policy.path) if self.config.translations else ())

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        # The theme's script bundle, changed so that the search starts only when the reader opens it.
        _guard(theme.defer_search, files, config)
        # The shipped theme's scripts and stylesheets, without their comments.
        theme.without_comments(files, config)
        # The "Print leaflets" page and its PDFs (downloads/*.pdf), as files MkDocs writes and serves.
        for path, content in _guard(self.leaflet_jobs.site_files, self.policy):
            files.append(File.generated(config, path, content=content))
        # The checker page and what its live checker loads: Pyodide's runtime, the wheel, the data, the scripts.
        for path, content, source in _guard(checker_page.site_files, self.policy, config.use_directory_urls,
                                            self.pyodide_dir):
            files.append(File.generated(config, path, content=content) if source is None
                         else File.generated(config, path, abs_src_path=str(source)))
        # The policy's pages come after the other generated pages, so that links to those exist when made.
        present = {f.src_uri for f in files.documentation_pages()}
        for page in _guard(render_pages, self.policy, present, config.use_directory_urls):
            files.append(File.generated(config, page.path, content=page.markdown))
        # The typeface, from the npm package found in on_config.
        for dest, src in _guard(fonts.site_assets, self.font_dir):
            files.append(File.generated(config, dest, abs_src_path=str(src)))
        # The menu follows the policy: its pages in its order, whatever mkdocs.yml's nav names (README, "Decisions").
        not_in_nav = config.not_in_nav
        config.nav, missing, added = nav_with_pages(
            config.nav, [f.src_uri for f in files.documentation_pages()], page_names.menu(self.policy),
            leave_out=lambda path: bool(not_in_nav and not_in_nav.match_file(path)))
        if missing:
            log.info("nav: left out %s (not built)", ", ".join(missing))
        if added:
            log.info("nav: added %s, which mkdocs.yml's nav does not name, at %s place in the policy's page order",
                     ", ".join(added), "its" if len(added) == 1 else "their")
        # Each translation's pages, under its folder, after the menu is made: its menu is the original's (on_nav).
        for lang in self.languages[1:]:
            for path, content, source in _guard(list, self._translated_pages(lang, config)):
                if files.get_file_from_path(path) is None:   # the live checker's files: one copy for every language
                    files.append(File.generated(config, path, inclusion=InclusionLevel.NOT_IN_NAV,
                                                **({"content": content} if source is None
                                                   else {"abs_src_path": str(source)})))
        return files

    def _translated_pages(self, lang: languages.Language, config: MkDocsConfig):
        """(site path, content, source file) of a translation's pages: every page the original's generator makes, from the
        translated model; its "Print leaflets" page lists its own PDFs, in its folder (cy/downloads/)."""
        policy, folder = lang.policy, lang.folder
        available = {page_names.CHECKER}
        if leaflets.has_leaflets(policy):
            available.add(page_names.PRINT_LEAFLETS)
            for path, content in self.leaflet_jobs.site_files(policy):
                yield folder + path, content, None
        yield from checker_page.site_files(policy, config.use_directory_urls, self.pyodide_dir, folder)
        for page in render_pages(policy, available, config.use_directory_urls):
            yield folder + page.path, page.markdown, None

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        for lang in self.languages[1:]:
            lang.nav = languages.mirror_nav(nav, lang, files)
        return nav

    def on_page_context(self, context, *, page, config: MkDocsConfig, nav):
        if len(self.languages) < 2:
            return context
        lang = languages.language_of(self.languages, page.file.src_uri)
        alternates = languages.alternates(self.languages, page, self.files)
        original = next((a["href"] for a in alternates if a["lang"] == self.languages[0].code), None)
        context.update(alternates=alternates, page_language=languages.theme_language(lang),
                       search_index=languages.search_index(lang),
                       translation_notice=languages.notice(lang, original),
                       labels=_with_direction(lang.policy), safety=security.theme_values(lang.policy))
        if lang.nav is not None:
            context["nav"] = lang.nav
        # The header's and the tab's site name: the theme reads config.site_name, one per build; pages are rendered
        # one after another, each after this event, so each gets its language's service name.
        config.site_name = lang.policy.metadata["service"]
        return context

    def on_startup(self, *, command: str, dirty: bool) -> None:
        child_processes.end_with_sigterm()  # a build stopped by SIGTERM ends its children too, as with Ctrl-C
        self.live_reload = command == "serve"
        self.leaflet_jobs = leaflets.LeafletJobs(serve=self.live_reload, font_package=self.leaflet_jobs.font_package)

    def on_shutdown(self) -> None:
        self.leaflet_jobs.stop()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        _guard(security.check_theme, config.theme.get("features") or [],
               security.theme_values(self.policy)["replace_history"])
        self.security = security.SiteSecurity(live_reload=getattr(self, "live_reload", False))

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self.files = files   # the alternates of each page are looked up in them (on_page_context)
        env.globals["safety"] = security.theme_values(self.policy)  # quick exit, neutral title
        # The interface text: the quick exit's words, the 404 page's, and the theme's own (partials/language.html).
        env.globals["labels"] = _with_direction(self.policy)
        env.bytecode_cache = build_cache.jinja_bytecode_cache(Path(__file__))  # the theme's templates compiled once
        return env

    @event_priority(-100)  # last: the CSP hashes must be of the final HTML
    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str:
        config.site_name = self.policy.metadata["service"]   # back to the original's (on_page_context), for 404.html
        where = page.file.src_uri
        return _guard(self.security.secure_page, output, page.file.dest_uri,
                      _guard(security.profile_of, page.meta.get("csp"), where))

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        # Theme pages with no source page (404.html) need their CSP too.
        if not template_name.endswith(".html"):
            return output_content
        return _guard(self.security.secure_page, output_content, template_name)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # The typeface's core files, made from the text the built pages show (a page then fetches only those).
        _guard(fonts.split_faces, Path(config.site_dir), theme.SITE_CSS)
        languages.write_sitemaps(self.languages, Path(config.site_dir))
        languages.split_search_index(self.languages, Path(config.site_dir))
        if not getattr(self, "live_reload", False):  # the preview's server would not use them
            written = precompress.precompress_site(Path(config.site_dir))
            log.info("precompressed: %d gzip and %d brotli files", written["gz"], written["br"])
        _guard(self.security.write_server_files, Path(config.site_dir))

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        # Rebuild when the policy changes, not only the docs folder.
        server.watch(str(Path(self.config.policy_file).parent))
        if self.leaflet_jobs.marker is not None:
            self.leaflet_jobs.marker.parent.mkdir(parents=True, exist_ok=True)
            server.watch(str(self.leaflet_jobs.marker.parent))  # new leaflets ready: build again
        return server


def _guard(step, *args):
    try:
        return step(*args)
    except BuildError as err:
        raise PluginError(str(err)) from None


def _name_site(config: MkDocsConfig, policy: Policy) -> None:
    """The site is named after the policy's metadata.service, whatever mkdocs.yml's site_name says (MkDocs
    requires one): the policy is the one source, so a volunteer who writes their own policy over the starter's
    gets their service's name in the header and every tab title without editing mkdocs.yml (README, "Decisions")."""
    service = policy.metadata["service"]
    if config.site_name != service:
        log.info("site_name: the site is named %r, the policy's metadata.service (mkdocs.yml's %r is not used)",
                 service, config.site_name)
    config.site_name = service


def _as_given(path: Path) -> Path:
    """The policy file as `policy-site check` run here names it: relative to the current folder when inside it
    (MkDocs makes the option absolute), so that the build's messages name the file as check's do."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _load(path: Path, invariants: bool, loaded=None, *, publish: bool = False, docs_dir: str | None = None) -> Checked:
    # The same checks as `policy-site check` (generator/source/load_and_check.py), so that the two never disagree.
    try:
        return load_and_check(path, docs_dir=docs_dir, invariants=invariants, publish=publish,
                              loaded=None if loaded is None else lambda policy: _guard(loaded, policy))
    except PolicyError as err:
        raise PluginError(f"The policy has {counted(len(err.problems), 'problem')}:\n{err}") from None


log = logging.getLogger("mkdocs.plugins.policy")


def _with_direction(policy: Policy) -> dict:
    """The interface text for a page, its theme words saying which way the page's language is written: the theme
    sets `dir` from its own language file's "direction", which has no file for some right-to-left languages
    (Pashto, Sindhi) and would give a policy written in Arabic left-to-right pages while its leaflets are right to
    left. One source, Policy.direction (Babel's), for both. mkdocs.yml's `theme.direction`, where set, still wins."""
    wording = policy.data["wording"]
    return {**wording, "theme": {**wording["theme"], "direction": policy.direction}}
