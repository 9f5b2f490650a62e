"""What the built site carries for the live checker: only the Pyodide files it loads, its own standard library,
a lock file naming only its wheel (with the wheel's sha256), the checker data that the engine reads (compact,
without what only the build reads), everything named by content; and precompressed copies that unpack to
the very files."""

from __future__ import annotations

import gzip
import base64
import hashlib
import json
import re

import brotli

from checker import evaluate, to_json
from generator.source.checker_data import BUILD_ONLY, PAGE_ONLY, checker_data_json
from generator.live_checker.pyodide_assets import NODE_PYODIDE, PACKAGE, RUNTIME_FILES, pyodide_version
from generator.live_checker.pyodide_stdlib import trimmed_stdlib


def checker_config(built_site) -> dict:
    html = (built_site / "checker.html").read_text(encoding="utf-8")
    return json.loads(re.search(r'<script type="application/json" id="checker-config">(.*?)</script>', html, re.S)
                      .group(1))


def test_only_the_runtime_files_the_checker_loads_are_copied(built_site):
    runtime = built_site / "assets" / "pyodide"
    assert sorted(p.relative_to(runtime).as_posix() for p in runtime.rglob("*")
                  if p.is_file() and p.suffix not in (".gz", ".br")) == \
        sorted(f"{pyodide_version()}/{name}" for name in RUNTIME_FILES)
    # The standard library is the checker's own, not Pyodide's whole one.
    assert "python_stdlib.zip" not in RUNTIME_FILES
    stdlib = built_site / checker_config(built_site)["stdlib"]
    # By digest: pytest's diff of two 1.4 MB byte strings would take many minutes to print.
    assert hashlib.sha256(stdlib.read_bytes()).hexdigest() == hashlib.sha256(trimmed_stdlib(NODE_PYODIDE)).hexdigest()
    # Nothing else of the npm package anywhere in the site (the classic script, source maps, consoles, the full lock).
    names = {p.name for p in built_site.rglob("*") if p.is_file()}
    assert not names & {"pyodide.js", "pyodide.js.map", "pyodide.mjs.map", "console.html", "console-v2.html",
                        "pyodide-lock.json", "ffi.d.ts", "pyodide.d.ts"}


def test_the_lock_names_only_the_checker_wheel_with_its_hash(built_site):
    config = checker_config(built_site)
    lock_file = built_site / config["lock"]
    lock = json.loads(lock_file.read_text(encoding="utf-8"))
    assert list(lock["packages"]) == [PACKAGE]
    entry = lock["packages"][PACKAGE]
    wheel = lock_file.parent / entry["file_name"]
    assert wheel.is_file() and wheel == built_site / config["wheel"]
    digest = hashlib.sha256(wheel.read_bytes())
    assert digest.hexdigest() == entry["sha256"]
    # The worker fetches the wheel with the same hash as its integrity.
    assert config["wheel_integrity"] == "sha256-" + base64.b64encode(digest.digest()).decode()
    assert entry["depends"] == [] and entry["imports"] == ["checker"]
    # The runtime's own description (ABI, platform, Python) is kept, so Pyodide accepts the lock.
    assert lock["info"] == json.loads((NODE_PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))["info"]


def test_the_checker_data_is_what_the_engine_reads_and_every_asset_is_named_by_its_content(built_site, policy):
    config = checker_config(built_site)
    data_file = built_site / config["data"]
    text = data_file.read_text(encoding="utf-8")
    assert text == checker_data_json(policy.checker_data, browser=True) and "\n" not in text and ", " not in text[:200]
    served, whole = json.loads(text), json.loads(policy.checker_data_json)
    assert served == without_build_only(whole)
    # The page's own words go in the page's config alone (checker_config, above), not a second time here.
    assert "widget" not in served["wording"] and config["widget"] == whole["wording"]["widget"]
    # The engine reads nothing that was left out.
    for answers in ({}, {"role": "experiencing_abuse", "channel": "email", "contact_date": "2026-03-03"}):
        assert to_json(evaluate(served, answers)) == to_json(evaluate(whole, answers))
    for key in ("data", "lock", "worker", "stdlib"):
        path = built_site / config[key]
        digest = re.search(r"\.([0-9a-f]{12})\.", path.name).group(1)
        assert hashlib.sha256(path.read_bytes()).hexdigest().startswith(digest), path.name


def without_build_only(whole: dict) -> dict:
    """The whole checker data less each key BUILD_ONLY and PAGE_ONLY name, found by walking it."""
    def walk(node, path: tuple):
        if isinstance(node, list):
            return [walk(item, path + ("*",)) for item in node]
        if isinstance(node, dict):
            return {key: walk(value, path + (key,)) for key, value in node.items() if path + (key,) not in BUILD_ONLY + PAGE_ONLY}
        return node
    return walk(whole, ())


def keys_anywhere(node) -> set[str]:
    if isinstance(node, list):
        return set().union(*map(keys_anywhere, node))
    if isinstance(node, dict):
        return set(node).union(*map(keys_anywhere, node.values()))
    return set()


def test_the_browser_gets_none_of_what_only_the_build_reads(built_site, policy):
    """Such as `recipients_listed` in each exception (how the file wrote its recipients, for the checks' messages),
    which the build's own data keeps."""
    served = json.loads((built_site / checker_config(built_site)["data"]).read_text(encoding="utf-8"))
    whole = json.loads(policy.checker_data_json)
    build_only = {path[-1] for path in BUILD_ONLY}
    assert "recipients_listed" in build_only and build_only <= keys_anywhere(whole)
    assert not build_only & keys_anywhere(served)
    assert "shared_with" in keys_anywhere(served) and "recipients_join" in keys_anywhere(served)


def test_precompressed_copies_unpack_to_the_files(built_site):
    copies = sorted(p for p in built_site.rglob("*") if p.suffix in (".gz", ".br") and p.name != "sitemap.xml.gz")
    assert any(p.name == "pyodide.asm.wasm.br" for p in copies) and any(p.name == "checker.html.gz" for p in copies)
    for copy in copies:
        original = copy.with_suffix("").read_bytes()
        unpacked = gzip.decompress(copy.read_bytes()) if copy.suffix == ".gz" else brotli.decompress(copy.read_bytes())
        assert unpacked == original, copy
        assert len(copy.read_bytes()) <= 0.9 * len(original), f"{copy.name} saves too little to be worth a file"
    # The wheel is stored, so the server compresses it whole; already compressed files get no copy.
    assert any(p.name.endswith(".whl.br") for p in copies) and any(p.name.endswith(".whl.gz") for p in copies)
    assert not list(built_site.rglob("*.woff2.br")) and not list(built_site.rglob("*.png.gz"))
