"""Mistakes and faults in a build, each injected on purpose, each met with a clear message or a safe state.

- `policy-site check` and `mkdocs build` refuse the same policies, with the same line: a caller page that
  would take the name of the checker, or of a hand-written page.
- A broken page template stops the build with its file and line, not a traceback.
- The leaflets' separate process has a time limit, and what it says reaches the build's log.
- A build stopped early (Ctrl-C, SIGTERM, during `mkdocs serve`'s rebuild) leaves no child process behind.
- A failure of the background wheel thread is logged.
- The leaflets' cache key holds the versions of WeasyPrint's native libraries and of Python.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from harness import ROOT, stop_process
from generator import build_cache
from generator.pages import render as pages
from generator.live_checker import pyodide_assets
from generator.leaflets import LeafletJobs, leaflets_key
from generator.source.policy_model import load_policy
from test_policy_failed_build import lantern, line_of  # noqa: F401 (lantern is a fixture)

POLICY_SITE = Path(sys.executable).parent / "policy-site"


def mkdocs_env() -> dict:
    """The environment as it is now (a test may have set the cache's folder), without MkDocs' notice."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1")


def ctrl_c_as_in_a_terminal() -> None:
    """For a child to be stopped by SIGINT: Ctrl-C's default action, whatever this test process inherited (a
    process started in the background by a shell without job control ignores SIGINT, and so would the build it
    starts: it would run to its end and exit 0, as a run of this file once showed)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def mkdocs(config: Path, *args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", *args, "--config-file", str(config)], cwd=ROOT,
                          capture_output=True, text=True, env=env or mkdocs_env(), timeout=timeout)


# ---- check and build agree ------------------------------------------------------------------------------

@pytest.mark.parametrize("page_id, what", [("checker", "the checker"),
                                           ("staying-safe-online", "the page staying-safe-online.md that comes with the generator")])
def test_check_and_build_refuse_a_caller_page_that_takes_another_pages_name(lantern, tmp_path, page_id, what):
    policy, config = lantern
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("  - id: others\n", f"  - id: {page_id}\n"), encoding="utf-8")
    line = line_of(policy, f"  - id: {page_id}")
    expected = f'{policy}:{line}:9: audiences[1].id: this id would name the page "{page_id}.md", which is already {what}'

    # check, run where the site's mkdocs.yml is, finds the hand-written pages through its docs_dir
    checked = subprocess.run([str(POLICY_SITE), "check", str(policy)], cwd=config.parent, capture_output=True,
                             text=True, timeout=600)
    assert checked.returncode == 2 and checked.stdout == "", checked.stderr
    assert any(line.startswith(expected + " (") for line in checked.stderr.splitlines()), checked.stderr

    built = mkdocs(config, "build", "--strict", "--site-dir", str(tmp_path / "site"))
    assert built.returncode != 0
    assert any(line.startswith(expected + " (") for line in (built.stdout + built.stderr).splitlines()), built.stderr
    assert not (tmp_path / "site").exists()


def test_check_without_a_site_here_still_refuses_the_generators_own_page_names(lantern, tmp_path):
    policy, _ = lantern
    policy.write_text(policy.read_text(encoding="utf-8").replace("  - id: others\n", "  - id: print-leaflets\n"),
                      encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    checked = subprocess.run([str(POLICY_SITE), "check", str(policy)], cwd=elsewhere, capture_output=True,
                             text=True, timeout=600)
    assert checked.returncode == 2
    assert 'which is already the print leaflets page' in checked.stderr


# ---- templates ------------------------------------------------------------------------------------------

BUILD_WITH_TEMPLATES = ("import sys; from pathlib import Path; import generator.pages.render as pages; "
                        "pages.TEMPLATES = Path(sys.argv.pop(1)); from mkdocs.__main__ import cli; "
                        "sys.argv[0] = 'mkdocs'; cli()")


@pytest.mark.parametrize("broken, message, at_end_of_block", [
    ("{% if view.has('checker.md') %}\n", r"audience\.md\.j2:(\d+): Encountered unknown tag 'endfor'", True),
    ("{{ view.no_such_thing }}\n", r"audience\.md\.j2:(\d+): '[^']*PageView object' has no attribute 'no_such_thing'",
     False),
], ids=["syntax", "undefined"])
def test_a_broken_page_template_stops_the_build_at_its_file_and_line(lantern, tmp_path, broken, message,
                                                                     at_end_of_block):
    _, config = lantern
    templates = tmp_path / "templates"
    shutil.copytree(pages.TEMPLATES, templates)
    template = templates / "audience.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("{% for "))  # inside a loop: a block is open
    lines.insert(at + 1, broken)
    template.write_text("".join(lines), encoding="utf-8")

    result = subprocess.run([sys.executable, "-c", BUILD_WITH_TEMPLATES, str(templates), "build", "--strict",
                             "--config-file", str(config), "--site-dir", str(tmp_path / "site")], cwd=ROOT,
                            capture_output=True, text=True, env=mkdocs_env(), timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output, output
    found = re.search(re.escape(str(templates)) + "/" + message, output)
    assert found, output
    # An unclosed block is found where the loop ends; anything else at the line inserted (counted from 1).
    end = next(i for i in range(at + 2, len(lines)) if lines[i].lstrip().startswith("{% endfor"))
    assert int(found.group(1)) == (end + 1 if at_end_of_block else at + 2)


# ---- the leaflets' separate process ---------------------------------------------------------------------

@pytest.fixture
def cold_cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(build_cache.ENV_VAR, str(folder))
    return folder


def test_the_separate_leaflet_render_is_stopped_at_its_time_limit_and_the_build_renders(cold_cache, tmp_path,
                                                                                        monkeypatch, caplog):
    policy = load_policy(ROOT / "tests" / "examples" / "lantern-line.yaml")
    jobs = LeafletJobs()
    jobs.start(policy)
    process = jobs.process
    assert process is not None and process.poll() is None
    monkeypatch.setenv("POLICY_SITE_LEAFLET_TIMEOUT", "0.5")
    rendered_here = []
    monkeypatch.setattr("generator.leaflets.site_leaflets", lambda p, *font: rendered_here.append(p) or [])
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.policy"):
        jobs.site_files(policy)
    assert "leaflets: the separate process took more than 0.5 s; stopped it, rendering here" in caplog.text
    assert process.poll() is not None and jobs.process is None
    assert rendered_here == [policy]


def test_what_the_separate_leaflet_render_says_reaches_the_build_log(cold_cache, tmp_path, monkeypatch, caplog):
    policy_file = tmp_path / "lantern-line.yaml"
    shutil.copyfile(ROOT / "tests" / "examples" / "lantern-line.yaml", policy_file)
    policy = load_policy(policy_file)
    jobs = LeafletJobs()
    policy_file.unlink()   # the process finds no policy: it fails, and says why
    jobs.start(policy)
    monkeypatch.setattr("generator.leaflets.site_leaflets", lambda p, *font: [])
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.policy"):
        jobs.site_files(policy)
    (said,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith("leaflets (separate process")]
    assert said.startswith("leaflets (separate process, exit 1): leaflets (background): ")
    assert str(policy_file) in said
    assert not list(cold_cache.rglob("leaflets-*.log")), "the process's log file is left behind"


def test_a_failure_of_the_background_wheel_thread_is_logged(tmp_path, caplog):
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.policy"):
        pyodide_assets.prepare_in_background(tmp_path / "no-pyodide-here")
        for _ in range(600):
            if "beside the checks failed" in caplog.text:
                break
            time.sleep(0.1)
    assert "checker: making the wheel, lock and standard library beside the checks failed (BuildError: " in caplog.text
    assert "the build makes them itself" in caplog.text


# ---- a build stopped early ------------------------------------------------------------------------------

def descendants(pid: int) -> set[int]:
    """Every process below pid, from /proc."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_children(process: subprocess.Popen, at_least: int, timeout: float = 120) -> set[int]:
    """Every descendant seen until at least that many ran at once (the build's work under way)."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = descendants(process.pid)
        seen |= now
        if len(now) >= at_least:
            return seen
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    pytest.fail(f"the build started {len(seen)} child process(es) within {timeout} s, not {at_least}")


# How long a stopped build or serve may take to end, and its children with it. Waited for as a condition (the
# test goes on as soon as it holds), so the limit only decides when a hung process fails the test: generous,
# for a loaded machine (60 s fired in a full run beside other work; the build there had not hung).
STOP_LIMIT_S = 300


def assert_all_ended(pids: set[int]) -> None:
    deadline = time.monotonic() + STOP_LIMIT_S
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.1)
    left = sorted(pid for pid in pids if alive(pid))
    assert not left, "left running: " + "; ".join(Path(f"/proc/{p}/cmdline").read_text().replace("\0", " ")[:200]
                                                   for p in left if Path(f"/proc/{p}/cmdline").exists())


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_build_stopped_early_leaves_no_child_process(lantern, cold_cache, tmp_path, stop):
    _, config = lantern
    build = subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
                              "--site-dir", str(tmp_path / "site")], cwd=ROOT, env=mkdocs_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=ctrl_c_as_in_a_terminal)
    try:
        # A cold cache: the leaflets' process and the wheel's pip (or the standard library's Node) run at once.
        children = wait_for_children(build, at_least=2, timeout=STOP_LIMIT_S)
        build.send_signal(stop)
        build.wait(timeout=STOP_LIMIT_S)
    finally:
        stop_process(build)
    assert build.returncode != 0
    assert_all_ended(children)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_serve_rebuild_stopped_early_leaves_no_child_process(lantern, tmp_path):
    policy, config = lantern
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        serve = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--config-file",
                                  str(config), "--dev-addr", f"127.0.0.1:{port}"], cwd=ROOT, env=mkdocs_env(),
                                 stdout=out, stderr=subprocess.STDOUT, preexec_fn=ctrl_c_as_in_a_terminal)
    try:
        deadline = time.monotonic() + 600
        while "Serving on" not in log.read_text() and time.monotonic() < deadline:
            assert serve.poll() is None, log.read_text()
            time.sleep(0.2)
        assert not descendants(serve.pid), "a first build left work running"
        # An edit the leaflets show: the rebuild starts their separate render. The words are new on every run, so
        # that no cache (the run's is shared by every test and kept between runs) already holds these leaflets.
        text = policy.read_text(encoding="utf-8")
        policy.write_text(text.replace("title: If someone who looks after you is harming you",
                                       f"title: If someone who looks after you harms you ({uuid.uuid4().hex[:8]})"),
                          encoding="utf-8")
        children = wait_for_children(serve, at_least=1, timeout=STOP_LIMIT_S)
        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=STOP_LIMIT_S)
    finally:
        stop_process(serve)
    assert_all_ended(children)


# ---- cache keys -----------------------------------------------------------------------------------------

def test_the_leaflets_key_changes_with_the_native_libraries_and_python(monkeypatch):
    def key_now() -> str:   # a policy loaded afresh: leaflets_key holds its key for the policy it was given last
        return leaflets_key(load_policy(ROOT / "tests" / "examples" / "lantern-line.yaml"))
    key = key_now()
    native = build_cache.native_versions()
    assert any(n.startswith("pango-1.0 1.") for n in native) and any(n.startswith("harfbuzz ") for n in native)
    assert any(n.startswith("fontconfig ") for n in native) and any(n.startswith("freetype ") for n in native)
    for i, entry in enumerate(native):
        changed = native[:i] + (entry + " (another build)",) + native[i + 1:]
        monkeypatch.setattr(build_cache, "native_versions", lambda changed=changed: changed)
        assert key_now() != key, f"a change of {entry} keeps the leaflets' key"
    monkeypatch.setattr(build_cache, "native_versions", lambda: native)
    assert key_now() == key
    monkeypatch.setattr(sys, "version", sys.version + " (a patch release)")
    assert key_now() != key


def test_the_page_registry_holds_the_generators_pages_the_shipped_ones_and_the_docs_folders(tmp_path):
    from generator.source.page_names import reserved
    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "safety-plan.md").write_text("# A plan\n", encoding="utf-8")
    (tmp_path / "local-services.md").write_text("# Near you\n", encoding="utf-8")
    names = reserved(tmp_path)
    assert names["local-services.md"] == "the hand-written page local-services.md"
    assert names["guides/safety-plan.md"] == "the hand-written page guides/safety-plan.md"
    assert names["staying-safe-online.md"] == "the page staying-safe-online.md that comes with the generator"
    assert names["checker.md"] == "the checker" and names["print-leaflets.md"] == "the print leaflets page"
    assert set(reserved(None)) == set(names) - {"local-services.md", "guides/safety-plan.md"}
