"""Where the npm packages the site self-hosts are found: Pyodide (the live checker's runtime) and the typeface.

The generator is a Python package; these two are npm packages, installed with `npm` in the helpline's own
folder (`policy-site new` writes a package.json that pins them; `npm ci` installs them). A build finds each:

1. in the folder the plugin option names (`pyodide_dir`, `font_dir` in mkdocs.yml, relative to mkdocs.yml);
2. else in `node_modules/<name>` of the folder holding mkdocs.yml or one of its parents, as Node looks;
3. else the same from the current folder;
4. else in the generator's own checkout, when it runs from one (its `make site` runs `npm ci` there).

When none has it, the error names the option and the `npm install <name>@<version>` command.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

# The generator's own checkout, when it runs from one; in an installed package this is site-packages, which
# has no node_modules.
from generator import CHECKOUT
from generator.errors import BuildError


@dataclass(frozen=True)
class NpmPackage:
    name: str       # the npm package's name
    version: str    # the version the generator is made and tested with (the project's package.json pins it)
    option: str     # the plugin option that names its folder; "" for one found beside the typeface's package
    needed_for: str
    exact: bool     # a folder with another version is refused

    @property
    def install(self) -> str:
        return f"npm install --save-exact {self.name}@{self.version}"


# Pinned as in the project's package.json (tests/test_installed_package.py compares them).
PYODIDE = NpmPackage("pyodide", "314.0.7", "pyodide_dir", "the live checker's runtime", exact=True)
FONT = NpmPackage("@fontsource/atkinson-hyperlegible", "5.3.0", "font_dir", "the site's and the leaflets' typeface",
                  exact=False)
# The letters the typeface lacks (Welsh ŵ ŷ among them; generator/typeface.py): found beside the typeface's package,
# so it has no option of its own.
FONT_GAPS = NpmPackage("@fontsource/atkinson-hyperlegible-next", "5.3.0", "",
                       "the letters the typeface lacks, Welsh ŵ and ŷ among them", exact=False)
# Arabic script (generator/typeface.py): found beside the typeface's package too.
FONT_ARABIC = NpmPackage("@fontsource/ibm-plex-sans-arabic", "5.3.0", "", "the Arabic script's letters", exact=False)
PACKAGES = (PYODIDE, FONT, FONT_GAPS, FONT_ARABIC)


def package_json(name: str = "policy-site-assets") -> str:
    """A package.json for a helpline's folder: the npm packages the build self-hosts, pinned exactly."""
    return json.dumps({
        "name": name, "private": True,
        "description": "Browser assets the policy site self-hosts (Pyodide, the typeface). Install with `npm ci` "
                       "(or `npm install` the first time).",
        "dependencies": {p.name: p.version for p in PACKAGES},
    }, indent=2) + "\n"


def _candidates(package: NpmPackage, start: Path | None) -> list[Path]:
    found: list[Path] = []
    for base in ([start] if start is not None else []) + [Path.cwd()]:
        base = base.resolve()
        for folder in [base, *base.parents]:
            found.append(folder / "node_modules" / package.name)
    found.append(CHECKOUT / "node_modules" / package.name)
    return list(dict.fromkeys(found))


def installed_version(folder: Path) -> str | None:
    try:
        return json.loads((folder / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def locate(package: NpmPackage, setting: str | Path | None = None, start: Path | None = None) -> Path:
    """The package's folder: the setting (relative to start) if given, else the first node_modules that has it.
    Raises BuildError naming the option and the npm command when it is not there, or is another version."""
    where = f"in {start}" if start is not None else "in this folder"
    if setting:
        folder = Path(setting)
        if not folder.is_absolute() and start is not None:
            folder = start / folder
        tried = [folder]
    else:
        tried = _candidates(package, start)
    for folder in tried:
        version = installed_version(folder)
        if version is None:
            continue
        if package.exact and version != package.version:
            raise BuildError(f"{folder} holds {package.name} {version}, but this generator is made for "
                             f"{package.version} ({package.needed_for}): run `{package.install}` {where}"
                             + (f", or point the plugin option `{package.option}` at version {package.version}"
                                if setting else ""))
        return folder.resolve()
    looked = str(tried[0]) if setting else ", ".join(str(p) for p in tried[:2]) + (", …" if len(tried) > 2 else "")
    raise BuildError(f"the npm package {package.name} {package.version} ({package.needed_for}) was not found "
                     f"(looked in {looked}): run `npm ci` {where} if its package.json lists it (`policy-site new` "
                     f"writes one), or `{package.install}`"
                     + (f"; or set the policy plugin's option `{package.option}` in mkdocs.yml to the folder that "
                        "holds it" if package.option else f" in the node_modules that holds {FONT.name}"))


def default_folder(package: NpmPackage) -> Path:
    """Where a command without mkdocs.yml looks (the current folder up, then the checkout); never raises, so
    that importing a module does not need the package: its use reports what is missing."""
    for folder in _candidates(package, None):
        if (folder / "package.json").is_file():
            return folder.resolve()
    return Path.cwd() / "node_modules" / package.name
