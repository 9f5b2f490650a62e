"""Render the policy model into leaflet PDFs with Jinja2 and WeasyPrint.

Everything a page needs is local: the typeface comes from the self-hosted
@fontsource packages (generator/typeface.py: which file draws which letter), the QR code is inline SVG, and the URL fetcher refuses any
address that is not a local file or inline data, so a stray web address in a
template stops the build instead of being fetched.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2


from generator import npm_assets, typeface
from generator.errors import BuildError
from generator.pages import facts
from generator.pages.render import policy_context, render_template
from generator.source.policy_model import Policy
from generator.leaflets.qr import qr_svg_data_uri

TEMPLATES = Path(__file__).resolve().parent / "templates"
# The npm package @fontsource/atkinson-hyperlegible when no mkdocs.yml says where (generator/npm_assets.py).
FONT_PACKAGE = npm_assets.default_folder(npm_assets.FONT)
FONT_FAMILY = "Atkinson Hyperlegible"
FONT_WEIGHTS = (400, 700)   # no italic: clear-print guidance keeps body text upright
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class Layout:
    """How one leaflet is laid out: the page and the style; the content is the same for all."""

    name: str            # a key for the templates: "a5", "large-print", "print-shop"
    page_size: str       # a CSS @page size
    bleed: str | None = None
    crop_marks: bool = False
    large_print: bool = False


def render_pdf(policy: Policy, layout: Layout, *, templates: Path = TEMPLATES,
               font_package: Path = FONT_PACKAGE) -> bytes:
    """One leaflet as PDF bytes. Raises BuildError naming the template, font or address at fault."""
    fonts = font_faces(font_package)
    html, css = render_sources(policy, layout, fonts, templates)
    shown = leaflet_characters(html, css)
    missing = missing_letters(shown, fonts)
    if missing:
        # Before WeasyPrint, which would draw them in a font of the machine's (_check_fonts refuses that after).
        language = policy.language_code
        raise BuildError(f"{policy.path}: the {layout.name} leaflet in {language} has {', '.join(missing)}, which "
                         f"no font of the leaflets draws ({FONT_FAMILY}, and the files generator/typeface.py adds "
                         "for what it lacks); write the words without it, or add a font that has it there")
    # Only the faces this leaflet's text needs: WeasyPrint reads every face its stylesheet names, and the Arabic
    # and the gaps' files made every English leaflet two thirds slower to render.
    points = set(map(ord, shown))
    used = [face for face in fonts if face["points"] & points]
    if len(used) < len(fonts):
        html, css = render_sources(policy, layout, used, templates)
    return _weasyprint(html, css, templates)


def font_faces(font_package: Path = FONT_PACKAGE) -> list[dict]:
    """The @font-face rules' data: one per file of the typeface (generator/typeface.py) and weight, the files that
    fill its gaps and draw the Arabic script after (font_stack orders the families). Raises BuildError naming a
    missing file and the npm command that installs it."""
    faces = []
    for face in typeface.faces(tuple((weight, "normal") for weight in FONT_WEIGHTS)):
        file = typeface.face_file(face, font_package)
        if not file.is_file():
            raise BuildError(f"{file}: font file missing; the leaflets embed {face.source.family} {face.weight} "
                             f"({face.subset}) from it (run `npm ci`, or `{face.source.package.install}`, or set the plugin "
                             "option `font_dir`)")
        # Each file a family of its own ("Atkinson Hyperlegible latin-ext"): WeasyPrint embeds one font per
        # family and weight, so two files under one name got one file's glyph numbers drawn from the other's
        # (Polish ł ą ę ś drawn as other glyphs, the text layer still right).
        family = (FONT_FAMILY if face.source is typeface.TYPEFACE and face.subset == "latin"
                  else f"{face.source.family} {face.subset}")
        faces.append({"url": file.as_uri(), "weight": face.weight, "unicode_range": face.unicode_range,
                      "family": family, "file": file, "points": face.points})
    return faces


def leaflet_characters(html: str, css: str) -> str:
    """The leaflet's text: its HTML's text and its stylesheet's (the footer's words, which css_string writes partly
    as escapes), comments aside."""
    import html as html_module
    css = re.sub(r"/\*.*?\*/", " ", css, flags=re.S)
    css = re.sub(r"\\([0-9a-fA-F]{1,6}) ?",
                 lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) <= 0x10FFFF else "\uFFFD", css)
    return html_module.unescape(re.sub(r"<[^>]*>", " ", html)) + css


def missing_letters(shown: str, fonts: list[dict]) -> list[str]:
    """The characters shown that no face draws (typeface.undrawn), each as "ŵ (U+0175)"."""
    drawn: set[int] = set()
    for face in fonts:
        drawn |= typeface.characters(face["file"]) & face["points"]
    return typeface.undrawn(shown, drawn)


def font_stack(fonts: list[dict]) -> str:
    """The CSS font-family list of the faces' families, the basic Latin file's first."""
    families = sorted({face["family"] for face in fonts}, key=lambda family: (family != FONT_FAMILY, family))
    return ", ".join(css_string(family) for family in families)


def render_sources(policy: Policy, layout: Layout, fonts: list[dict],
                   templates: Path = TEMPLATES) -> tuple[str, str]:
    """The leaflet's HTML and CSS from the templates."""
    if "leaflet" not in policy.data:
        raise BuildError(f"{policy.path}: no `leaflet:` block, so there are no leaflets to make (a leaflet: "
                         f"block with their headings; `policy-site schema` lists its keys)")
    env = _environment(templates)
    context = _context(policy, layout, fonts)
    return (render_template(env, "leaflet.html.j2", context), render_template(env, "leaflet.css.j2", context))


def _context(policy: Policy, layout: Layout, fonts: list[dict]) -> dict:
    words = policy.data["leaflet"]
    # A version of ours when the document gives none; a date it does not give is said in words (facts.py).
    version, effective = facts.version(policy), facts.fact(policy, "effective_date")
    site_url = policy.value("metadata", "site_url")   # None: no QR code and no address (the publisher's setting)
    translated = policy.original is not None
    if site_url and translated:
        # A translation's code and address lead to its own pages (the site's cy/ folder, generator/mkdocs/languages.py).
        site_url = site_url.rstrip("/") + f"/{policy.language}/"
    footnote_numbers = {}
    for clause in policy.clauses.values():
        for ref in clause["footnotes"]:
            footnote_numbers.setdefault(ref, len(footnote_numbers) + 1)
    return {
        **policy_context(policy), "words": words, "layout": layout, "fonts": fonts,
        "font_family": FONT_FAMILY, "font_stack": font_stack(fonts), "version": version, "effective_date": effective,
        # <html lang>: WeasyPrint tags the PDF's language from it (PDF/UA), and shapes and breaks lines by it.
        "lang": policy.language_code, "rtl": policy.direction == "rtl",
        # A translation says on its cover that the original counts: the policy's own statement, else ours, marked.
        "translation_notice": translated and (policy.metadata.get("original") or {}).get("statement"),
        "translation_ours": translated and not policy.metadata.get("original")
        and policy.data["wording"]["translation"]["leaflet_notice"],
        # A preview's leaflet says what its pages say: that the translation is not finished, not to be handed out.
        "unfinished": [policy.data["wording"]["translation"][key] for key in policy.unfinished],
        # The code itself holds the address as given; every text that prints it says when it is a placeholder.
        "site_url": site_url and marked(policy, ("metadata", "site_url"), site_url),
        # The address alone (set left to right in any language), and its example mark, if any, after it.
        "site_address": site_url, "site_mark": marked(policy, ("metadata", "site_url"), "") if site_url else "",
        "qr_uri": site_url and qr_svg_data_uri(site_url),
        "qr_alt": site_url and words["qr_alt"].format(url=marked(policy, ("metadata", "site_url"), site_url)),
        "printed": policy.data["wording"]["printed"].format(date=facts.printed(policy)),
        "organisation": facts.fact(policy, "organisation"),
        "discreet": policy.safety["discreet_leaflet_cover"],
        "footnote_numbers": footnote_numbers,
        "footer_content": footer_content(words["footer"], version=version, effective_date=effective,
                                         in_force=facts.meta_line(policy, ("effective_date",), html=False),
                                         printed=facts.printed(policy)),
    }


def marked(policy: Policy, keys: tuple[str, ...], text: str) -> str:
    """text followed by the YAML's example mark when the value at keys is a placeholder ({value, example: true})."""
    node = policy.data
    for key in keys:
        node = node[key]
    return f"{text} {policy.data['wording']['example_mark']}" if node["example"] else text


def footer_content(pattern: str, **values: str) -> str:
    """A CSS `content` value for the footer: the YAML's wording with page counters in place."""
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(css_string(piece.format(**values)))
    return " ".join(parts)


def css_string(text: str) -> str:
    """text as a quoted CSS string."""
    return '"' + "".join(c if c.isalnum() or c in " .,:;·–-’()/" else f"\\{ord(c):x} " for c in text) + '"'


def _environment(templates: Path) -> jinja2.Environment:
    if not templates.is_dir():
        raise BuildError(f"{templates}: leaflet templates folder not found")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates),
                             autoescape=lambda name: bool(name) and name.endswith(".html.j2"),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env


def _weasyprint(html: str, css: str, templates: Path) -> bytes:
    import weasyprint   # about a second to import: only when a leaflet is built
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    warnings = _WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(warnings)
    try:
        base = templates.as_uri() + "/"
        fonts = FontConfiguration()   # without it, @font-face rules are silently ignored
        document = weasyprint.HTML(string=html, base_url=base, url_fetcher=_local_fetcher())
        stylesheet = weasyprint.CSS(string=css, base_url=base, url_fetcher=_local_fetcher(), font_config=fonts)
        pdf = document.write_pdf(stylesheets=[stylesheet], font_config=fonts, pdf_variant=PDF_VARIANT,
                                 pdf_identifier=False, uncompressed_pdf=False)
    except FatalURLFetchingError as err:
        cause = err.__cause__
        raise BuildError(f"{templates}: {err}: {cause or 'refused'}") from None
    finally:
        logger.removeHandler(warnings)
    if warnings.messages:
        # WeasyPrint warns about bad CSS or a missing resource; a leaflet that silently
        # lost a style or its typeface is not one we want staff to print.
        raise BuildError(f"{templates / 'leaflet.css.j2'} (as rendered): WeasyPrint reported: "
                         + "; ".join(warnings.messages))
    return pdf


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        # Without Debian's libharfbuzz-subset0 WeasyPrint subsets the typeface with fontTools and says so:
        # the leaflet is whole either way, so a machine without the library still builds.
        if not message.startswith(HARFBUZZ_SUBSET_NOTICE):
            self.messages.append(message)


HARFBUZZ_SUBSET_NOTICE = "Using fontTools instead of HarfBuzz-Subset"



def _local_fetcher():
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Fetches local files and inline data only; anything else stops the build."""

        def fetch(self, url, headers=None):
            if not url.startswith(("file:", "data:")):
                raise ValueError(f"refused to fetch {url}: leaflets use local files only")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(fail_on_errors=True, allowed_protocols=("file", "data"))
