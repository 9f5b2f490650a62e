"""Files the site serves that come from installed packages rather than from site_src/: the typeface.

The site loads nothing from another origin, so the font files are copied into it at build time from the
npm package @fontsource/atkinson-hyperlegible (generator/npm_assets.py says where it is found). Only the files site.css names are copied.
"""

from __future__ import annotations

from pathlib import Path

from generator import npm_assets
from generator.errors import BuildError

FONT_DEST = "assets/fonts"

# Latin and Latin Extended, regular, bold and italic: what site.css's @font-face rules name.
FONT_FILES = tuple(
    f"atkinson-hyperlegible-{subset}-{style}.woff2"
    for subset in ("latin", "latin-ext")
    for style in ("400-normal", "700-normal", "400-italic")
)


def site_assets(font_package: Path) -> list[tuple[str, Path]]:
    """(path in the site, source file) for each asset; `font_package` is the npm package's folder
    (generator/npm_assets.py finds it). Raises BuildError naming the missing files and how to install them."""
    folder = Path(font_package) / "files"
    found = [(f"{FONT_DEST}/{name}", folder / name) for name in FONT_FILES]
    missing = [str(src) for _, src in found if not src.is_file()]
    if missing:
        raise BuildError(f"The site's typeface is missing: {', '.join(missing)} not found. "
                         f"Install the npm packages with 'npm ci' (or '{npm_assets.FONT.install}'), or set the policy plugin's "
                         "option `font_dir` in mkdocs.yml, and build again.")
    return found
