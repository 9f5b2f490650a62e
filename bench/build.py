"""Build: `make site` and `mkdocs build`, with an empty and with a filled build cache, against plain
mkdocs-material building the same pages, and the rebuild under `mkdocs serve` after a one-clause change to
the policy YAML (until the page shows it, and until the fresh PDFs arrive); and what each language adds to a build:
Lantern Line (tests/examples/), built with its Welsh and Polish translations and without (the plugin option
`translations: false`), with the cache filled and with its leaflets not cached (each language renders its own).

Everything happens in a copy of the project under bench/tmp/build/ (the policy, the pages, the code, the
Makefile; .venv and node_modules linked), so the real policy file and ./site are never touched.
The plain build is the anchor: the pages and files the policy plugin generates are exported once, as they
are at this moment, into a docs folder beside the hand-written pages, and built by mkdocs-material with the
same configuration minus the policy plugin and the theme overrides that need it. Every build is a fresh
process, as `make site` runs it; the best of REPEAT runs counts (the machine is shared), but for the filled cache's
build and the plain one, run in turn WARM_RUNS times, whose medians count.

The build cache (generator/build_cache.py): `.venv/bin/mkdocs` imports /work/main's generator even in the
copy, so without more the copy would share the project's `.cache/policy-site/`. Every command here runs with
POLICY_SITE_CACHE set to a folder of its own under bench/tmp/build/, cleared before each cold build, so
"cold" means nothing cached (invariants, wheel and leaflets all run) and "warm" means the previous build
left every entry (the case of an edit that changes none of their inputs).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml
from harness import ROOT, stop_process  # the tests' harness (bench/__init__.py puts tests/ on the path)

WORK = ROOT / "bench" / "tmp" / "build"
COPY = WORK / "project"
POLICY = Path("policy") / "respect-phoneline.yaml"
COPIED = ["policy", "site_src", "generator", "checker", "mkdocs.yml", "Makefile", "pyproject.toml",
          "requirements.lock", "package.json", "package-lock.json", "tests/examples"]
# The example with translations, and how many it has (tests/examples/translations/lantern-line/*.po).
LANGUAGES_CONFIG = Path("tests") / "examples" / "lantern-line-mkdocs.yml"
TRANSLATED = ("cy", "pl")
LINKED = [".venv", "node_modules"]
REPEAT = 2
WARM_RUNS = 5   # the filled cache's build and the plain one: the median of each (issue 25's aim is on it)
SERVE_START_TIMEOUT_S = 300
REBUILD_TIMEOUT_S = 120
POLL_S = 0.05
PDF_TIMEOUT_S = 60
BIN = ROOT / ".venv" / "bin"
CACHE = WORK / "cache"
# Python's bytecode is kept (under WORK) for every build, plain and ours, as pip compiles an installed package:
# with the machine's PYTHONDONTWRITEBYTECODE, the project's own modules (not installed: an editable checkout, and
# its copy here) would be compiled again in every build, mkdocs-material's never.
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
       "NO_MKDOCS_2_WARNING": "1", "POLICY_SITE_CACHE": str(CACHE), "PYTHONPYCACHEPREFIX": str(WORK / "pycache")}



def _copy_project() -> None:
    shutil.rmtree(COPY, ignore_errors=True)
    COPY.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, COPY / name, ignore=ignore, copy_function=shutil.copy2)
        else:
            shutil.copy2(source, COPY / name)
    for name in LINKED:
        (COPY / name).symlink_to(ROOT / name)


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"Error: {' '.join(command)} failed in {cwd} (exit {result.returncode}):\n"
                         f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return seconds


def _clear_cache() -> None:
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir(parents=True)


def _best(command: list[str], cwd: Path, cold: bool = False) -> float:
    """Best of REPEAT runs; cold: the cache emptied before each."""
    times = []
    for _ in range(REPEAT):
        if cold:
            _clear_cache()
        times.append(_timed(command, cwd))
    return min(times)


def _mkdocs_build(config: Path, dest: Path) -> list[str]:
    # The same command as the Makefile's site target.
    return [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--config-file", str(config), "--site-dir", str(dest)]


def export_plain(project: Path, dest: Path) -> tuple[Path, dict[str, float]]:
    """The generated pages and files as a static docs folder, and a mkdocs.yml without the policy plugin;
    also the seconds the plugins' on_config and on_files took (the first build in this process).

    The plugin's own events produce them (on_config, then on_files, as `mkdocs build` calls them), so the
    export is exactly what the build would write; hand-written pages come along, theme overrides do not.
    """
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    shutil.rmtree(dest, ignore_errors=True)
    docs = dest / "docs"
    cwd = os.getcwd()
    previous_cache = os.environ.get("POLICY_SITE_CACHE")
    os.environ["POLICY_SITE_CACHE"] = ENV["POLICY_SITE_CACHE"]  # the bench's cache here too, never the project's
    os.chdir(project)  # the policy file is named relative to mkdocs.yml's folder
    try:
        config = load_config(str(project / "mkdocs.yml"))
        started = time.perf_counter()
        config = config.plugins.on_config(config)
        steps = {"on_config": time.perf_counter() - started}
        files = get_files(config)
        # The theme's files, as `mkdocs build` adds them before on_files (the plugin changes the theme's script
        # bundle there, and stops without it); they are the plain build's own, so not exported.
        docs_files = {f.src_uri for f in files}
        files.add_files_from_theme(config.theme.get_env(), config)
        theme_files = {f.src_uri for f in files} - docs_files
        started = time.perf_counter()
        files = config.plugins.on_files(files, config=config)
        steps["on_files"] = time.perf_counter() - started
    finally:
        os.chdir(cwd)
        if previous_cache is None:
            os.environ.pop("POLICY_SITE_CACHE", None)
        else:
            os.environ["POLICY_SITE_CACHE"] = previous_cache
    for file in files:
        if file.inclusion.is_excluded() or file.src_uri in theme_files:
            continue
        target = docs / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content_bytes)
    from mkdocs.utils.yaml import yaml_load   # MkDocs' own reader: mkdocs.yml uses its !ENV tag
    with open(project / "mkdocs.yml", encoding="utf-8") as file:
        raw = yaml_load(file)
    raw.update(docs_dir=str(docs), nav=config.nav)
    raw.pop("exclude_docs", None)
    raw["theme"].pop("custom_dir", None)  # the overrides read the plugin's values (quick exit, CSP)
    raw["plugins"] = [p for p in raw.get("plugins", []) if not (isinstance(p, dict) and "policy" in p) and p != "policy"]
    plain = dest / "mkdocs.yml"
    plain.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return plain, steps


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch_bytes(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _fetch(url: str) -> str | None:
    data = _fetch_bytes(url)
    return None if data is None else data.decode("utf-8", "replace")


def _pdfs(base: str, names: list[str]) -> list[bytes | None]:
    return [_fetch_bytes(f"{base}/downloads/{name}") for name in names]


def _wait_for_new_pdfs(base: str, names: list[str], before: list[bytes | None], started: float, timeout: float,
                       server: subprocess.Popen) -> float | None:
    """Seconds from started until every PDF the preview serves differs from before; None if not within timeout."""
    while time.perf_counter() - started < timeout and server.poll() is None:
        now = _pdfs(base, names)
        if all(n is not None and n != b for n, b in zip(now, before)):
            return time.perf_counter() - started
        time.sleep(POLL_S * 4)
    return None


def _wait_for(url: str, wanted: str | None, timeout: float, server: subprocess.Popen, log: Path) -> float:
    """Seconds until url answers (and contains wanted, if given), polling."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"Error: mkdocs serve stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        text = _fetch(url)
        if text is not None and (wanted is None or wanted in text):
            return time.perf_counter() - started
        time.sleep(POLL_S)
    raise SystemExit(f"Error: {url} did not show {wanted!r} within {timeout} s; mkdocs serve said:\n"
                     f"{log.read_text()[-3000:]}")


def _edit_summary(policy_file: Path, token: str) -> str:
    """Append token to the first one-line clause summary; return the clause's summary as edited."""
    text = policy_file.read_text(encoding="utf-8")
    match = re.search(r"^(\s+summary: )(?![>|])(.+?)$", text, flags=re.M)
    if match is None:
        raise SystemExit(f"Error: {policy_file}: no one-line `summary:` to edit (expected a clause summary)")
    edited = f"{match.group(2)} {token}"
    policy_file.write_text(text[:match.start(2)] + edited + text[match.end(2):], encoding="utf-8")
    return edited


def serve_rebuilds(project: Path, edits: int = REPEAT) -> tuple[float, list[float], list[float | None]]:
    """Start `mkdocs serve` (as `make serve` does) on a free port; time its first build, then each edit → page,
    and each edit → every PDF served anew (rendered in their own process after the page is shown)."""
    port = _free_port()
    log = WORK / "serve.log"
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/policy.html"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--livereload", "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=ENV, stdout=out, stderr=subprocess.STDOUT)
    try:
        first = _wait_for(url, None, SERVE_START_TIMEOUT_S, server, log)
        # The PDFs the builds above wrote, by name: the preview serves the same ones.
        names = sorted(p.name for p in (WORK / "site-ours" / "downloads").glob("*.pdf"))
        if not names:
            raise SystemExit(f"Error: no PDFs in {WORK / 'site-ours' / 'downloads'} (expected the leaflets "
                             "`mkdocs build` wrote there)")
        rebuilds, pdfs = [], []
        for n in range(edits):
            token = f"Benchedit{n}x{os.getpid()}"
            before = _pdfs(base, names)
            _edit_summary(project / POLICY, token)
            started = time.perf_counter()
            _wait_for(url, token, REBUILD_TIMEOUT_S, server, log)
            rebuilds.append(time.perf_counter() - started)
            pdfs.append(_wait_for_new_pdfs(base, names, before, started, PDF_TIMEOUT_S, server))
    finally:
        stop_process(server, timeout=10)
    return first, rebuilds, pdfs


def languages_cost() -> dict[str, float]:
    """Lantern Line's build with its translations and without (the same mkdocs.yml plus `translations: false`):
    the best of REPEAT each, with the cache filled, and with the leaflets' entries cleared before each run."""
    config = COPY / LANGUAGES_CONFIG
    text = config.read_text(encoding="utf-8")
    english = config.with_name("lantern-line-english-mkdocs.yml")
    english.write_text(text.replace("policy_file: lantern-line.yaml",
                                    "policy_file: lantern-line.yaml\n      translations: false", 1), encoding="utf-8")
    if english.read_text(encoding="utf-8") == text:
        raise SystemExit(f"Error: {config}: no `policy_file: lantern-line.yaml` to add `translations: false` beside")
    times = {}
    for name, file in (("translated", config), ("english", english)):
        build = _mkdocs_build(file, WORK / f"site-lantern-{name}")
        _timed(build, COPY)   # fills the cache (its wheel, compressed files, invariants) for what follows
        times[f"{name}-warm"] = _best(build, COPY)
        runs = []
        for _ in range(REPEAT):
            shutil.rmtree(CACHE / "leaflets", ignore_errors=True)   # every language's leaflets rendered again
            runs.append(_timed(build, COPY))
        times[f"{name}-leaflets"] = min(runs)
    return times


def languages_rows() -> list[dict]:
    times, n = languages_cost(), len(TRANSLATED)

    def row(figure, value, anchor):
        return {"area": "build", "figure": figure, "value": round(value, 2), "unit": "s", "anchor": anchor}

    return [
        row("Lantern Line, cache filled: mkdocs build in English alone (translations: false)", times["english-warm"],
            "build-lantern-english"),
        row(f"Lantern Line, cache filled: with its {n} translations (Welsh, Polish)", times["translated-warm"],
            "build-lantern-translated"),
        row("Lantern Line, cache filled: each language adds", (times["translated-warm"] - times["english-warm"]) / n,
            "build-language-warm"),
        row("Lantern Line, leaflets not cached: each language adds (its 4 PDFs rendered, in the separate process)",
            (times["translated-leaflets"] - times["english-leaflets"]) / n, "build-language-leaflets"),
    ]


def run() -> list[dict]:
    WORK.mkdir(parents=True, exist_ok=True)
    _copy_project()
    make = ["make", "--no-print-directory", "-o", ".venv/.installed", "-o", "node_modules/.installed", "site"]
    print(f"  make site (in a copy of the project), cache {CACHE} empty, then filled", file=sys.stderr, flush=True)
    _clear_cache()
    make_cold = _timed(make, COPY)
    make_warm = _timed(make, COPY)
    print("  mkdocs build, cache empty (cleared before each run), then filled", file=sys.stderr, flush=True)
    ours_cold = _best(_mkdocs_build(COPY / "mkdocs.yml", WORK / "site-ours"), COPY, cold=True)
    print(f"  exporting the generated pages; the filled cache's build and the plain mkdocs-material build, in turn, "
          f"{WARM_RUNS} times", file=sys.stderr, flush=True)
    plain_config, steps = export_plain(COPY, WORK / "plain")
    ours_runs, plain_runs = [], []
    for _ in range(WARM_RUNS):   # in turn, so that a busy moment of the machine falls on both
        ours_runs.append(_timed(_mkdocs_build(COPY / "mkdocs.yml", WORK / "site-ours"), COPY))
        plain_runs.append(_timed(_mkdocs_build(plain_config, WORK / "site-plain"), WORK / "plain"))
    ours_warm, plain = statistics.median(ours_runs), statistics.median(plain_runs)
    pages = sum(1 for _ in (WORK / "plain" / "docs").rglob("*.md"))
    print("  mkdocs serve (cache filled): first build, then a one-clause edit until the page shows it and until "
          "the new PDFs arrive", file=sys.stderr, flush=True)
    first, rebuilds, pdfs = serve_rebuilds(COPY)
    arrived = [p for p in pdfs if p is not None]
    pdf_count = len(list((WORK / "site-ours" / "downloads").glob("*.pdf")))

    def row(figure, value, unit, anchor):
        return {"area": "build", "figure": figure, "value": value, "unit": unit, "anchor": anchor}

    rows = [
        row(f"plain mkdocs-material, the same {pages} pages from static Markdown (baseline; median of {WARM_RUNS})",
            round(plain, 2), "s",
            "build-plain"),
        row("mkdocs build, cache empty (invariants, wheel, leaflets all run)", round(ours_cold, 2), "s",
            "build-mkdocs-cold"),
        row("mkdocs build, cache empty ÷ plain build (aim ≤ 1.3)", round(ours_cold / plain, 2), "×",
            "build-mkdocs-cold-ratio"),
        row(f"mkdocs build, cache filled (nothing changed since the last build; median of {WARM_RUNS})",
            round(ours_warm, 2), "s",
            "build-mkdocs-warm"),
        row("mkdocs build, cache filled ÷ plain build (aim ≤ 1.3; the medians)", round(ours_warm / plain, 2), "×",
            "build-mkdocs-warm-ratio"),
        row("make site, cache empty (mkdocs build, then swap into site/)", round(make_cold, 2), "s",
            "build-make-site-cold"),
        row("make site, cache empty ÷ plain build (aim ≤ 1.3)", round(make_cold / plain, 2), "×",
            "build-make-site-cold-ratio"),
        row("make site, cache filled", round(make_warm, 2), "s", "build-make-site-warm"),
        row("make site, cache filled ÷ plain build (aim ≤ 1.3)", round(make_warm / plain, 2), "×",
            "build-make-site-warm-ratio"),
        row("cache filled: the plugin's on_config (load, schema, cross-checks, invariants' verdict from the cache)",
            round(steps["on_config"], 2), "s", "build-on-config"),
        row("cache filled: on_files (leaflets from the cache, checker page and wheel, policy pages)",
            round(steps["on_files"], 2), "s", "build-on-files"),
        row("mkdocs serve, cache filled: first build until the policy page is served", round(first, 2), "s",
            "build-serve-first"),
        row(f"mkdocs serve: one-clause YAML edit until the page shows it (best of {len(rebuilds)}; aim < 1)",
            round(min(rebuilds), 2), "s", "build-serve-rebuild"),
        row("mkdocs serve: the same, slowest of the edits", round(max(rebuilds), 2), "s", "build-serve-rebuild-slowest"),
    ]
    if arrived:
        rows.append(row(f"mkdocs serve: the same edit until all {pdf_count} new PDFs are served (best of {len(arrived)})",
                        round(min(arrived), 2), "s", "build-serve-pdfs"))
    if len(arrived) < len(pdfs):
        rows.append(row(f"mkdocs serve: edits whose new PDFs were not served within {PDF_TIMEOUT_S} s",
                        len(pdfs) - len(arrived), "edits", "build-serve-pdfs-missing"))
    print("  Lantern Line with its translations and without: cache filled, then its leaflets not cached",
          file=sys.stderr, flush=True)
    return rows + languages_rows()
