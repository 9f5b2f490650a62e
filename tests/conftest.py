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
from filelock import FileLock

from generator import build_cache

# Chromium's path and offline flags, the local server and stopping a process live in harness.py, which the
# bench imports too (without pytest); tests import them from here as before.
from harness import CHROMIUM, CHROMIUM_ARGS, _Handler, serve, stop_process  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
POLICY_FILE = ROOT / "policy" / "respect-phoneline.yaml"
# The build cache the run's sites are built with, read once: a test of the cache points POLICY_SITE_CACHE at a
# folder of its own, and seeds that folder from this one.
RUN_CACHE = build_cache.cache_dir()


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
    """A build cache (a fresh folder) given the run cache's precompressed copies, which are keyed by the bytes they
    compress: brotli 11 of Pyodide's wasm takes a minute, and is not what a test of the cache is about. A test
    that seeds asks for `built_site` first, whose build fills the run cache (on a fresh clone it is empty)."""
    for kind in ("compressed-br", "compressed-gz"):
        if RUN_CACHE is not None and (RUN_CACHE / kind).is_dir() and not (cache / kind).exists():
            shutil.copytree(RUN_CACHE / kind, cache / kind)
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def built_once(tmp_path_factory, worker_id: str, name: str, config: Path = ROOT / "mkdocs.yml") -> Path:
    """The site `config` builds, built once a run. Under pytest-xdist each process has its own session, so the
    first to ask builds it, holding a lock, in the folder all processes share (the run's temporary folder); the
    others wait and read it. Two builds at once would each do the same work, brotli of the wasm included on a
    fresh clone. Tests only read it."""
    base = tmp_path_factory.getbasetemp()
    shared = (base if worker_id == "master" else base.parent) / "built-once" / name
    shared.mkdir(parents=True, exist_ok=True)
    with FileLock(shared.with_suffix(".lock")):
        if not (shared / "complete").exists():
            shutil.rmtree(shared / "site", ignore_errors=True)   # what a failed build left
            build_site(shared / "site", config)
            (shared / "complete").touch()
    return shared / "site"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    return built_once(tmp_path_factory, worker_id, "site")


# The made-up helplines: tests/examples/<name>.yaml, each built by tests/examples/<name>-mkdocs.yml.
EXAMPLES = ROOT / "tests" / "examples"
EXAMPLE_NAMES = ["lantern-line", "nightjar", "kite-line"]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory, worker_id):
    """example_site(name): the named example's site, built once a run whichever test asks first."""
    def site(name: str) -> Path:
        return built_once(tmp_path_factory, worker_id, name, EXAMPLES / f"{name}-mkdocs.yml")
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
