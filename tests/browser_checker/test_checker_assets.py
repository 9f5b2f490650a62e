"""What the built site carries for the live checker: only the Pyodide files it loads, a lock file naming only
its wheel (with the wheel's sha256), the checker data that the engine reads, everything named by content."""

from __future__ import annotations

import hashlib
import json
import re

from generator.pyodide_assets import NODE_PYODIDE, PACKAGE, RUNTIME_FILES, pyodide_version


def checker_config(built_site) -> dict:
    html = (built_site / "checker.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="checker-config">(.*?)</script>', html, re.S)
                      .group(1))


def test_only_the_runtime_files_the_checker_loads_are_copied(built_site):
    runtime = built_site / "assets" / "pyodide"
    assert sorted(p.relative_to(runtime).as_posix() for p in runtime.rglob("*") if p.is_file()) == \
        sorted(f"{pyodide_version()}/{name}" for name in RUNTIME_FILES)
    # Nothing else of the npm package anywhere in the site (the classic script, source maps, consoles, the full lock).
    names = {p.name for p in built_site.rglob("*") if p.is_file()}
    assert not names & {"pyodide.js", "pyodide.js.map", "pyodide.mjs.map", "console.html", "console-v2.html",
                        "pyodide-lock.json", "ffi.d.ts", "pyodide.d.ts"}


def test_the_lock_names_only_the_checker_wheel_with_its_hash(built_site):
    config = checker_config(built_site)
    lock_file = built_site / config["lock"]
    lock = json.loads(lock_file.read_text(encoding="utf-8"))
    assert list(lock["packages"]) == [PACKAGE] == [config["package"]]
    entry = lock["packages"][PACKAGE]
    wheel = lock_file.parent / entry["file_name"]
    assert wheel.is_file()
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    assert entry["depends"] == [] and entry["imports"] == ["checker"]
    # The runtime's own description (ABI, platform, Python) is kept, so Pyodide accepts the lock.
    assert lock["info"] == json.loads((NODE_PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]


def test_the_checker_data_is_the_policys_and_every_asset_is_named_by_its_content(built_site, policy):
    config = checker_config(built_site)
    data_file = built_site / config["data"]
    assert data_file.read_text(encoding="utf-8") == policy.checker_json
    for key in ("data", "lock", "worker"):
        path = built_site / config[key]
        digest = re.search(r"\.([0-9a-f]{12})\.", path.name).group(1)
        assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(digest), path.name
