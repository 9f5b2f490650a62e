"""What the tests and the bench share, without pytest: the checkout's paths, the policy with one edit, a site
built (once a run for all test processes), Debian's Chromium with flags that keep it off the network, a local
HTTP server for a built site, `policy-site` run in this process (cli_here), and stopping a process that was
started. tests/conftest.py makes fixtures of them;
test modules and the browser tests' helpers import them from here."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from generator import build_cache

ROOT = Path(__file__).resolve().parent.parent   # the checkout: the one name for it in the tests and the bench
POLICY_FILE = ROOT / "policy" / "respect-phoneline.yaml"
# The made-up helplines: tests/examples/<name>.yaml, each built by tests/examples/<name>-mkdocs.yml.
EXAMPLES = ROOT / "tests" / "examples"
EXAMPLE_NAMES = ["lantern-line", "nightjar", "kite-line", "harbour-crisis-line", "lighthouse-text", "cedar-helpline"]
# Beside them, not a site: the small policy with every kind of invariant that tests/test_checker_invariants.py
# breaks (Respect's policy has 34,020 answer sets to check each time; it has 480).
INVARIANTS_PROBE = EXAMPLES / "invariants-probe.yaml"
# The build cache the run's sites are built with, read once: a test of the cache points POLICY_SITE_CACHE at a
# folder of its own, and seeds that folder from this one.
RUN_CACHE = build_cache.cache_dir()

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
                      ".json": "application/json", ".whl": "application/zip", ".woff2": "font/woff2"}

    def log_message(self, *args) -> None:  # keep test output quiet
        pass


def serve(directory: Path, handler_class: type = _Handler):
    """A local HTTP server for directory on 127.0.0.1; returns (base_url, server)."""
    handler = functools.partial(handler_class, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


def stop_process(process: subprocess.Popen, timeout: float = 20) -> None:
    """End a server process the caller started: ask it to stop, and kill it if it has not within timeout."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()

def cli_here(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """`policy-site ARGS` through generator.cli.main in this process, from cwd: its exit code and what it wrote to
    each stream, as subprocess.run gives them (a process of its own costs a second of Python's start-up)."""
    import contextlib
    import io
    from generator.cli import main
    before = Path.cwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out, contextlib.redirect_stderr(io.StringIO()) as err:
            code = main(args)
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["policy-site", *args], code, out.getvalue(), err.getvalue())


def edited_policy(old: str, new: str) -> str:
    """The real policy's text with one edit: `old`, found exactly once, becomes `new`."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the policy no longer has {old!r} exactly once: update this test's edit"
    return text.replace(old, new)

def lantern_with_a_fuzzy_entry(folder: Path, language: str = "cy") -> Path:
    """A copy of Lantern Line in `folder` with one clause's words changed ("except when:" to "except if:") and its
    translation into `language` updated (generator/source/translations.py, `update`): that clause's entry fuzzy,
    every other as translated. Returns the copy's path."""
    from generator.source.policy_model import load_policy
    from generator.source.translations import po_path, update
    text = (EXAMPLES / "lantern-line.yaml").read_text(encoding="utf-8")
    assert text.count("except when:") == 1, "lantern-line.yaml no longer has this edit's words: update this helper"
    copy = folder / "lantern-line.yaml"
    copy.write_text(text.replace("except when:", "except if:"), encoding="utf-8")
    (folder / "translations").mkdir(exist_ok=True)
    (folder / "translations" / f"{language}.po").write_bytes(po_path(EXAMPLES / "lantern-line.yaml", language).read_bytes())
    update(load_policy(copy), language)
    return copy

# Respect's file gives its organisation, but no version and no dates: each fact (given, not given) as written.
FACTS = {"organisation": ("  organisation: Respect\n", "  organisation: {not_given: true}\n"),
         "version": ('  version: "2.0"\n', "  version: {not_given: true}\n"),
         "effective_date": ('  effective_date: "2026-01-05"\n', "  effective_date: {not_given: true}\n")}


def policy_giving(*given: str) -> str:
    """The real policy's text giving exactly the named facts of FACTS (version 2.0, in force from 5 January 2026),
    and saying that it does not give the others."""
    text = POLICY_FILE.read_text(encoding="utf-8")
    for key, (as_given, not_given) in FACTS.items():
        old, new = (not_given, as_given) if key in given else (as_given, not_given)
        assert text.count(old) + text.count(new) == 1, f"the policy no longer writes {key} as {old!r}: update FACTS"
        text = text.replace(old, new)
    return text


def build_site(dest: Path, config: Path = ROOT / "mkdocs.yml") -> Path:
    """Run `mkdocs build` into dest; fail the test run with MkDocs' own output if it fails."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
                             "--config-file", str(config), "--site-dir", str(dest)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise AssertionError(f"mkdocs build failed:\n{result.stdout}\n{result.stderr}")
    return dest

def seed_compressed(cache: Path, *more_kinds: str) -> Path:
    """A build cache (a fresh folder) given the run cache's precompressed copies, which are keyed by the bytes they
    compress: brotli 11 of Pyodide's wasm takes a minute, and is not what a test of the cache is about. A test
    that seeds asks for `built_site` first, whose build fills the run cache (on a fresh clone it is empty).
    more_kinds: other kinds of entry to seed as well ("leaflets", "checker-wheel", ...), for a test whose subject
    is not their cold work either. Entries are keyed by what they are made from, so a seeded one is used only
    where the very same work would have made it."""
    for kind in ("compressed-br", "compressed-gz", *more_kinds):
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
    from filelock import FileLock   # a test extra: the bench never builds this way
    with FileLock(shared.with_suffix(".lock")):
        if not (shared / "complete").exists():
            shutil.rmtree(shared / "site", ignore_errors=True)   # what a failed build left
            build_site(shared / "site", config)
            (shared / "complete").touch()
    return shared / "site"
