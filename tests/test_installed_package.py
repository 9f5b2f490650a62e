"""The generator installed, not cloned: a wheel of this checkout, installed (not editable) into a fresh virtual
environment, starts a helpline's folder outside the checkout (`policy-site new`), checks it and builds its site.

How, and why so (measured on the 2-core machine, loaded): the fresh environment is made `--without-pip` (0.1 s
against 7 s) and this project's pip installs into it with `--python`, `--no-index` from a wheelhouse and
`--no-compile` (19 s; from the registry with compiling, 62 s). The wheelhouse is `pip download` of the wheel's
own declared dependencies, pinned by requirements.lock, made once (20 s, from the registry) and kept under
.cache/policy-site/wheelhouse/ by a hash of what it is made from. A dependency the wheel does not declare is
not in it, so the build below fails: nothing of the project's own environment is borrowed. The generator's code
is asserted to come from the fresh environment. Its build cache is a fresh folder too (so the installed copy
builds the checker's wheel, its standard library and the leaflets itself), seeded only with the checkout's
precompressed copies, which are keyed by the bytes they compress: brotli 11 of Pyodide's wasm takes a minute.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import ROOT, seed_compressed
from generator import npm_assets
from generator.source import page_names
from generator.source.policy_model import load_policy
from generator.starter import write_starter
from test_new_site import menu_links

WHEELHOUSES = ROOT / ".cache" / "policy-site" / "wheelhouse"
TIMINGS: dict[str, float] = {}


def run(command: list[str], *, env: dict | None = None, cwd: Path | None = None, timeout: int = 600,
        step: str | None = None) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run([str(c) for c in command], env=env, cwd=cwd, capture_output=True, text=True,
                            timeout=timeout)
    if step:
        TIMINGS[step] = round(time.monotonic() - started, 1)
    assert result.returncode == 0, f"{' '.join(map(str, command))} exited {result.returncode}:\n" \
                                   f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


def _pip() -> list[str]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The fresh environment's folder, with the generator installed from a wheel of this checkout."""
    tmp = tmp_path_factory.mktemp("installed")
    dist = tmp / "dist"
    run(_pip() + ["wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", dist, ROOT],
        step="wheel")
    (wheel,) = dist.glob("policy_site-*.whl")
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + (ROOT / "requirements.lock").read_bytes()
                         + sys.version.encode()).hexdigest()[:16]
    wheelhouse = WHEELHOUSES / key
    if not (wheelhouse / ".complete").is_file():
        shutil.rmtree(wheelhouse, ignore_errors=True)
        run(_pip() + ["download", "--quiet", "-c", ROOT / "requirements.lock", "--dest", wheelhouse, wheel],
            step="wheelhouse (pip download, once)")
        (wheelhouse / wheel.name).unlink()   # the project's own wheel comes from dist/, freshly made
        (wheelhouse / ".complete").write_text("", encoding="utf-8")
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], step="venv")
    run(_pip() + ["--python", venv / "bin" / "python", "install", "--quiet", "--no-compile", "--no-index",
                  "--find-links", wheelhouse, wheel], step="install")
    return venv


def env_of(venv: Path, cache: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")}
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               NO_MKDOCS_2_WARNING="1", POLICY_SITE_CACHE=str(cache))
    return env


def seeded_cache(tmp: Path) -> Path:
    """A fresh build cache holding only the run cache's precompressed copies (keyed by the bytes compressed)."""
    return seed_compressed(tmp / "cache")


def test_an_installed_generator_builds_a_new_helplines_site_outside_the_checkout(installed, tmp_path, built_site):
    venv = installed
    cache = seeded_cache(tmp_path)   # built_site's build filled the run cache it is seeded from
    env = env_of(venv, cache)
    python = venv / "bin" / "python"
    # The generator's and the checker's code come from the fresh environment, not from this checkout.
    where = json.loads(run([python, "-c", "import json, generator, checker; "
                                          "print(json.dumps([generator.__file__, checker.__file__]))"],
                           env=env, cwd=tmp_path).stdout)
    for module in where:
        assert Path(module).resolve().is_relative_to(venv.resolve()), module
        assert not Path(module).resolve().is_relative_to(ROOT), module

    folder = tmp_path / "helpline"
    assert not folder.resolve().is_relative_to(ROOT)
    said = run([venv / "bin" / "policy-site", "new", folder], env=env, cwd=tmp_path, step="new").stdout
    assert "npm ci" in said and "mkdocs build" in said
    for name in ("mkdocs.yml", "package.json", "package-lock.json", "policy/policy.yaml", "policy/schema.json"):
        assert (folder / name).is_file(), name
    # The npm packages the site self-hosts, in the helpline's own folder, from the lock file `new` wrote.
    run(["npm", "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder, env=env,
        step="npm ci")
    assert npm_assets.installed_version(folder / "node_modules" / "pyodide") == npm_assets.PYODIDE.version

    checked = run([venv / "bin" / "policy-site", "check"], env=env, cwd=folder, step="check")
    assert "OK" in checked.stdout and "example values to replace" in checked.stdout

    run([venv / "bin" / "mkdocs", "build", "--strict", "--quiet"], env=env, cwd=folder, step="mkdocs build")
    site = folder / "site"
    for page in ("index.html", "policy.html", "checker.html", "print-leaflets.html", "staying-safe-online.html"):
        assert (site / page).is_file(), page
    assert "Example Helpline" in (site / "policy.html").read_text(encoding="utf-8")
    # The starter's mkdocs.yml names no page: the menu is the policy's pages in its order, leaflets included.
    menu = [p.removesuffix(".md") + ".html" for p in page_names.menu(load_policy(folder / "policy" / "policy.yaml"))]
    shown = [href for href, _ in menu_links(site)]
    assert shown == [p for p in menu if (site / p).is_file()] and "print-leaflets.html" in shown
    checker_page = (site / "checker.html").read_text(encoding="utf-8")
    assert 'id="checker-result"' in checker_page
    runtime = site / "assets" / "pyodide" / npm_assets.PYODIDE.version
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"):
        assert (runtime / name).is_file(), name
    checker_files = [p.name for p in (site / "assets" / "checker").rglob("*") if p.is_file()]
    assert any(n.startswith("policy_checker-") and n.endswith(".whl") for n in checker_files), checker_files
    assert any(n.startswith("python_stdlib.") and n.endswith(".zip") for n in checker_files), checker_files
    pdfs = sorted(p.name for p in (site / "downloads").glob("*.pdf"))
    assert len(pdfs) == 4, pdfs
    # The theme came with the plugin: the quick exit on every page, and the typeface from node_modules.
    assert "quick-exit" in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "assets" / "javascripts" / "quick-exit.js").is_file()
    assert list((site / "assets" / "fonts").glob("*.woff2"))
    print("timings (s):", TIMINGS)


def test_a_missing_pyodide_names_the_setting_and_the_npm_command(installed, tmp_path):
    env = env_of(installed, tmp_path / "cache")
    folder = tmp_path / "helpline"
    run([installed / "bin" / "policy-site", "new", folder], env=env, cwd=tmp_path)
    # No `npm ci`: the build must say what to do, before it writes anything.
    result = subprocess.run([installed / "bin" / "mkdocs", "build", "--strict", "--quiet"], env=env, cwd=folder,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    said = result.stdout + result.stderr
    assert "pyodide_dir" in said and f"npm install --save-exact pyodide@{npm_assets.PYODIDE.version}" in said, said
    assert not (folder / "site").exists()


def test_new_refuses_a_folder_that_is_not_empty(installed, tmp_path):
    env = env_of(installed, tmp_path / "cache")
    folder = tmp_path / "taken"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = subprocess.run([installed / "bin" / "policy-site", "new", folder], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert f"{folder} is not empty (it holds notes.txt)" in result.stderr
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_the_starter_pins_the_projects_npm_versions_and_its_lock_agrees(tmp_path):
    """package.json here, generator/npm_assets.py and the starter's package.json and package-lock.json agree."""
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for package in npm_assets.PACKAGES:
        assert pinned[package.name] == package.version, package.name
    write_starter(tmp_path / "new")
    starter = json.loads((tmp_path / "new" / "package.json").read_text(encoding="utf-8"))
    lock = json.loads((tmp_path / "new" / "package-lock.json").read_text(encoding="utf-8"))
    assert starter["dependencies"] == {p.name: p.version for p in npm_assets.PACKAGES}
    assert lock["packages"][""]["dependencies"] == starter["dependencies"]
    assert lock["name"] == starter["name"]
    for package in npm_assets.PACKAGES:
        assert lock["packages"][f"node_modules/{package.name}"]["version"] == package.version
    # The schema beside the starter policy is the generator's own.
    assert (tmp_path / "new" / "policy" / "schema.json").read_bytes() == \
        (ROOT / "generator" / "source" / "policy.schema.json").read_bytes()
