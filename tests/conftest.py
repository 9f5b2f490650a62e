"""Shared fixtures: the policy, its checker data, a site built once per run, a local server and Chromium.

The site is built into a temporary folder (never ./site), so tests can run while
someone previews, and parallel work never collides.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# The plain helpers (paths, builds, the server, Chromium's flags) live in harness.py, which test modules, the
# browser tests' helpers and the bench import; this file makes pytest fixtures of them.
from harness import CHROMIUM, CHROMIUM_ARGS, EXAMPLES, POLICY_FILE, built_once, serve


@pytest.fixture(scope="session")
def policy():
    from generator.source.policy_model import load_policy
    return load_policy(POLICY_FILE)


@pytest.fixture(scope="session")
def checker_data(policy):
    """The checker data (the build's whole copy) through JSON, so no Python-only types slip in; the browser's
    copy leaves out what only the build and the page read (generator.source.checker_data: BUILD_ONLY,
    PAGE_ONLY)."""
    import json
    return json.loads(policy.checker_data_json)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    return built_once(tmp_path_factory, worker_id, "site")


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


# The files that take longest, started first: `make test` hands whole files to its processes in the order they are
# collected (pytest-xdist, --dist loadfile, with --no-loadscope-reorder: otherwise it hands out the files with the
# most tests first), and a long file started late ran on alone at the end of the run (the installed generator's
# 50 s). Measured with each file's span in a run of `make test`; the rest keep their order (the browser tests come
# before the others).
LONG_FILES = ("test_installed_package.py", "test_checker_live.py", "test_checker_pyodide.py", "test_quick_exit.py",
              "test_every_page_at_360.py", "test_leaflets.py", "test_changes_page.py", "test_checker_faults.py",
              "test_checker_failure_and_exit.py", "test_checker_languages.py", "test_every_page_at_1280.py")


def pytest_collection_modifyitems(items):
    first = {name: i for i, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: first.get(item.path.name, len(LONG_FILES)))
