"""Shared fixtures: the policy, its checker data, a site built once per run, a local server and Chromium.

The site is built into a temporary folder (never ./site), so tests can run while
someone previews, and parallel work never collides.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Chromium's path and offline flags, the local server and stopping a process live in harness.py, which the
# bench imports too (without pytest); tests import them from here as before.
from harness import CHROMIUM, CHROMIUM_ARGS, _Handler, serve, stop_process  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILE = ROOT / "policy" / "respect-phoneline.yaml"


def edited_policy(old: str, new: str) -> str:
    """The real policy's text with one edit: `old`, found exactly once, becomes `new`."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the policy no longer has {old!r} exactly once: update this test's edit"
    return text.replace(old, new)


@pytest.fixture(scope="session")
def policy():
    from generator.policy_model import load_policy
    return load_policy(POLICY_FILE)


@pytest.fixture(scope="session")
def checker_policy(policy):
    """The checker data (the build's whole copy) through JSON, so no Python-only types slip in; the browser's
    copy leaves out what only the build reads (generator.checker_data.BUILD_ONLY)."""
    import json
    return json.loads(policy.checker_json)


def build_site(dest: Path, config: Path = ROOT / "mkdocs.yml") -> Path:
    """Run `mkdocs build` into dest; fail the test run with MkDocs' own output if it fails."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--config-file", str(config), "--site-dir", str(dest)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return dest


def seed_compressed(cache: Path) -> Path:
    """A build cache (a fresh folder) given the project cache's precompressed copies, which are keyed by the bytes
    they compress: brotli 11 of Pyodide's wasm takes a minute, and is not what a test of the cache is about."""
    from generator import build_cache
    source = build_cache.cache_dir()
    for kind in ("compressed-br", "compressed-gz"):
        if source is not None and (source / kind).is_dir() and not (cache / kind).exists():
            shutil.copytree(source / kind, cache / kind)
    cache.mkdir(parents=True, exist_ok=True)
    return cache


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("site") / "site")


# The made-up helplines: tests/examples/<name>.yaml, each built by tests/examples/<name>-mkdocs.yml.
EXAMPLES = ROOT / "tests" / "examples"
EXAMPLE_NAMES = ["lantern-line", "nightjar", "kite-line"]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """example_site(name): the named example's site, built once a run whichever test asks first."""
    sites: dict[str, Path] = {}

    def site(name: str) -> Path:
        if name not in sites:
            sites[name] = build_site(tmp_path_factory.mktemp(name) / "site", EXAMPLES / f"{name}-mkdocs.yml")
        return sites[name]
    return site


@pytest.fixture(scope="session")
def site_url(built_site):
    url, server = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium with flags that keep it off the network."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
