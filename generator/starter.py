"""`policy-site new FOLDER`: a starter policy site that checks and builds as it is.

It writes a small format-3 policy whose words are placeholders (`policy/policy.yaml`, from
`generator/starter/`), the format's schema beside it for editors, the site's `mkdocs.yml`, a `package.json`
pinning the npm packages the build self-hosts (generator/npm_assets.py), a `.gitignore` and an empty `docs/`
for the helpline's own pages. It refuses a folder that exists and is not empty: nothing is overwritten.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator import npm_assets
from generator.source.schema_check import SCHEMA_PATH
from generator.source.yaml_source import parse

STARTER = Path(__file__).resolve().parent / "starter"
POLICY_NAME = "policy.yaml"
GITIGNORE = "# Built and installed: made again by `npm ci` and `mkdocs build`\n/site/\n/node_modules/\n"


class StarterError(Exception):
    pass


def starter_service() -> str:
    """The starter policy's `metadata.service`: mkdocs.yml's site_name, which MkDocs needs; the build names the
    site after whatever the policy's metadata.service then is (generator/mkdocs/plugin.py)."""
    data, _ = parse(STARTER / "policy.yaml")
    return data["metadata"]["service"]


def write_starter(folder: Path) -> list[Path]:
    """Write the starter into folder (created); the files written, in order. Raises StarterError."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise StarterError(f"{folder} exists and is not a folder (expected a new or empty folder)")
    if folder.is_dir() and any(folder.iterdir()):
        found = sorted(p.name for p in folder.iterdir())
        raise StarterError(f"{folder} is not empty (it holds {', '.join(found[:5])}{', …' if len(found) > 5 else ''}): "
                           "`policy-site new` writes only into a new or empty folder, so that nothing is overwritten")
    files = {
        Path("policy") / POLICY_NAME: (STARTER / "policy.yaml").read_text(encoding="utf-8"),
        Path("policy") / "schema.json": SCHEMA_PATH.read_text(encoding="utf-8"),
        Path("mkdocs.yml"): (STARTER / "mkdocs.yml").read_text(encoding="utf-8")
        .replace("{site_name}", json.dumps(starter_service(), ensure_ascii=False)).replace("{policy_name}", POLICY_NAME),
        Path("package.json"): npm_assets.package_json(),
        # Made by npm from that package.json (tests/test_installed_package.py checks they agree): `npm ci`
        # installs exactly these files, hash-checked.
        Path("package-lock.json"): (STARTER / "package-lock.json").read_text(encoding="utf-8"),
        Path(".gitignore"): GITIGNORE,
        Path("docs") / ".gitkeep": "",
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
