"""The build cache: a hit skips the work and changes no byte of the site; an edit that matters misses;
a damaged entry is ignored; a broken invariant stops the build even with a passing verdict cached.

Every test uses a cache folder of its own (POLICY_SITE_CACHE), never the project's .cache/. Whether work
was skipped is read from build_cache.stats (in this process) or from the entries' files, never from time.

The invariants' verdict is keyed by the checker data whatever the policy: its tests edit the small made-up
policy with every kind of invariant (tests/examples/invariants-probe.yaml, 480 answer sets), and the build it
stops is that policy's, with Lantern Line's configuration. They were on Respect's policy, whose 34,020 answer
sets were checked six times over.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from harness import INVARIANTS_PROBE, POLICY_FILE, ROOT, build_site, edited_policy, seed_compressed
from generator import build_cache
from generator.errors import PolicyError
from generator.source.invariant_check import check_invariants
from generator.leaflets import LeafletJobs, leaflets_key, make_leaflets, site_leaflets
from generator.source.policy_model import load_policy
from generator.source.yaml_source import normalise_space
from test_checker_invariants import YAML_BREAKS

SUMMARY = "        summary: We may pass on what you tell us if you ask us to, or if you agree to it.\n"
EDITED_SUMMARY = "        summary: We may pass on what you tell us if you ask us to, or if you agree to it. Cachetest.\n"
# The same, on the invariants' probe: a summary (not checker data), and a rule that breaks an invariant.
PROBE_SUMMARY = ("        summary: If you ask us to tell someone, we can.\n",
                 "        summary: If you ask us to tell someone, we can. Cachetest.\n")
RULE_BREAK = YAML_BREAKS["never-to-the-person-harming"]
BROKEN_INVARIANT = 'breaks invariant "never-to-the-person-harming"'
LANTERN = ROOT / "tests" / "examples" / "lantern-line.yaml"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(build_cache.ENV_VAR, str(folder))
    build_cache.stats.clear()
    return folder


def edited(old: str, new: str) -> bytes:
    return edited_policy(old, new).encode("utf-8")


def probe_edited(old: str, new: str) -> bytes:
    """The invariants' probe with one edit: `old`, found exactly once, becomes `new`."""
    text = INVARIANTS_PROBE.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the probe no longer has {old!r} exactly once: update this test's edit"
    return text.replace(old, new).encode("utf-8")


def counts(kind: str) -> tuple[int, int]:
    return build_cache.stats[kind, "hit"], build_cache.stats[kind, "miss"]


def entries(folder: Path) -> dict[str, tuple[int, str]]:
    """The cache's entries (not serve/, where the separate leaflet process leaves its 'ready' marker)."""
    return {str(f.relative_to(folder)): (f.stat().st_mtime_ns, hashlib.sha256(f.read_bytes()).hexdigest())
            for f in sorted(folder.rglob("*")) if f.is_file() and f.relative_to(folder).parts[0] != "serve"}


def site_bytes(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file()}


def test_a_summary_edit_reuses_the_verdict_and_a_rule_edit_checks_again(cache):
    """On the invariants' probe (before: on Respect's policy)."""
    policy = load_policy(INVARIANTS_PROBE)
    count = check_invariants(policy)
    assert count == 480 and counts("invariants") == (0, 1)
    assert check_invariants(policy) == count and counts("invariants") == (1, 1)

    # A summary is not checker data: the same verdict, taken from the cache.
    summary = load_policy(INVARIANTS_PROBE, data=probe_edited(*PROBE_SUMMARY))
    assert summary.clauses != policy.clauses and summary.checker_data == policy.checker_data
    assert check_invariants(summary) == count and counts("invariants") == (2, 1)

    # A rule is: checked again, and the broken invariant named, with the passing verdict still cached.
    with pytest.raises(PolicyError, match=BROKEN_INVARIANT):
        check_invariants(load_policy(INVARIANTS_PROBE, data=probe_edited(*RULE_BREAK)))
    assert counts("invariants") == (2, 2)


def test_a_damaged_entry_is_ignored_and_made_again(cache):
    policy = load_policy(LANTERN)   # any policy: a small one checks in a moment, and it is checked five times
    count = check_invariants(policy)
    [entry] = (cache / "invariants").iterdir()
    whole = entry.read_bytes()
    for damaged in (whole[:-3], whole[:-3] + b"9}\n", b"", b"not a cache entry"):
        entry.write_bytes(damaged)
        build_cache.stats.clear()
        assert check_invariants(policy) == count
        assert counts("invariants") == (0, 1), f"a damaged entry was trusted: {damaged[-40:]!r}"
        assert entry.read_bytes() == whole


def test_a_passing_verdict_under_another_name_is_not_trusted(cache):
    """An entry names its own key: the good policy's 'pass', copied over the broken policy's entry, is
    refused, and the broken invariant is still found. On the invariants' probe (before: on Respect's policy)."""
    check_invariants(load_policy(INVARIANTS_PROBE))
    [good] = (cache / "invariants").iterdir()
    broken = load_policy(INVARIANTS_PROBE, data=probe_edited(*RULE_BREAK))
    with pytest.raises(PolicyError):
        check_invariants(broken)
    [bad] = set((cache / "invariants").iterdir()) - {good}
    bad.write_bytes(good.read_bytes())
    build_cache.stats.clear()
    with pytest.raises(PolicyError, match=BROKEN_INVARIANT):
        check_invariants(broken)
    assert counts("invariants") == (0, 1)


def test_a_cached_build_skips_the_work_and_writes_the_same_bytes(cache, tmp_path, built_site):
    """Lantern Line's site (before: Respect's): the same steps and the same cache, with fewer answer sets to make
    cold. Its leaflets come from the run cache when a build of this run (or before) made them: their cold render
    into the cache is test_serve_renders_edited_leaflets_in_a_separate_process_into_the_cache's subject (and an
    installed generator renders them cold, test_installed_package.py); the second build's hit is this test's.
    So does the checker's standard library (the same for every policy): its cold making (Pyodide started under
    Node to compile it, three quarters of this cold build) is test_installed_package.py's."""
    # From the run cache, which built_site's build filled; the other steps start cold. Without Lantern's Welsh
    # and Polish: what the cache does is the same in every language, and two cold builds of three would double
    # this test's time (test_leaflet_languages.py: each language's leaflets under their own key).
    seed_compressed(cache, "leaflets", "pyodide-stdlib")
    config = tmp_path / "mkdocs.yml"
    text = (ROOT / "tests" / "examples" / "lantern-line-mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (("docs_dir: ../../site_src", f"docs_dir: {ROOT}/site_src"),
                     ("policy_file: lantern-line.yaml", f"policy_file: {ROOT}/tests/examples/lantern-line.yaml\n"
                                                         "      translations: false")):
        assert text.count(old) == 1, f"lantern-line-mkdocs.yml no longer has {old!r}: update this test"
        text = text.replace(old, new)
    config.write_text(text, encoding="utf-8")
    first = build_site(tmp_path / "cold", config)
    made = entries(cache)
    assert {name.split("/")[0] for name in made} == {"invariants", "checker-wheel", "pyodide-stdlib", "leaflets",
                                                     "compressed-gz", "compressed-br", "jinja", "schema-valid",
                                                     "font-subset"}, made
    second = build_site(tmp_path / "warm", config)
    # Every step was a hit: no entry was written again, and no new one was made.
    assert entries(cache) == made
    assert site_bytes(second) == site_bytes(first)


def test_a_broken_invariant_stops_the_build_with_a_passing_verdict_cached(cache, tmp_path):
    """The invariants' probe, built with Lantern Line's configuration (before: Respect's policy and site)."""
    config = (ROOT / "tests" / "examples" / "lantern-line-mkdocs.yml").read_text(encoding="utf-8")
    broken = tmp_path / "policy.yaml"
    broken.write_bytes(probe_edited(*RULE_BREAK))
    for old, new in (("docs_dir: ../../site_src", f"docs_dir: {ROOT}/site_src"),
                     ("policy_file: lantern-line.yaml", f"policy_file: {broken}")):
        assert config.count(old) == 1, f"lantern-line-mkdocs.yml no longer has {old!r}: update this test"
        config = config.replace(old, new)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    check_invariants(load_policy(INVARIANTS_PROBE))  # the good policy's verdict, cached
    assert any((cache / "invariants").iterdir())
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--config-file",
                             str(tmp_path / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert BROKEN_INVARIANT in result.stdout + result.stderr
    assert not (tmp_path / "site").exists()


def test_serve_renders_edited_leaflets_in_a_separate_process_into_the_cache(cache, tmp_path, built_site):
    # The first build's leaflets, of the policy as it is, from the run cache (built_site's build made them): what
    # is tested is the edit's render in the separate process, which no seed can hold.
    seed_compressed(cache, "leaflets")
    policy_file = tmp_path / POLICY_FILE.name   # the file's name is part of the leaflets' key
    policy_file.write_bytes(POLICY_FILE.read_bytes())
    serve = LeafletJobs(serve=True)
    before = serve.site_files(load_policy(policy_file))   # a first build: rendered (or seeded), and waited for
    policy_file.write_bytes(edited(SUMMARY, EDITED_SUMMARY))
    policy = load_policy(policy_file)
    serve.start(policy)
    assert serve.process is not None
    assert serve.process.wait(timeout=300) == 0
    assert serve.marker.read_text(encoding="utf-8").split()[1] == "0"
    build_cache.stats.clear()
    after = serve.site_files(policy)
    assert counts("leaflets") == (1, 0), "the build rendered again what the separate process had made"
    pdfs = {path: content for path, content in after if path.endswith(".pdf")}
    assert pdfs.keys() == {path for path, _ in before if path.endswith(".pdf")}
    a5 = next(content for path, content in pdfs.items() if path.endswith("-a5.pdf"))
    text = normalise_space(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(a5)).pages))
    assert "Cachetest." in text
    assert dict(before)[next(iter(pdfs))] != pdfs[next(iter(pdfs))]
    # And what the separate process made (bytes, page counts, sizes) is what the build would make itself.
    assert site_leaflets(policy) == make_leaflets(policy)
    assert serve.keys == {leaflets_key(policy)}


def test_jinjas_compiled_templates_are_kept_apart_when_what_compiles_them_changes(tmp_path, monkeypatch):
    """Jinja checks only a template's own source; the environment's settings and filters (in the file that makes
    the environment) and the releases key the folder its compiled files are kept in."""
    monkeypatch.setenv(build_cache.ENV_VAR, str(tmp_path / "cache"))
    before, after = tmp_path / "before.py", tmp_path / "after.py"
    before.write_text("trim_blocks=True\n", encoding="utf-8")
    after.write_text("trim_blocks=False\n", encoding="utf-8")
    kept = build_cache.jinja_bytecode_cache(before).directory
    assert build_cache.jinja_bytecode_cache(before).directory == kept
    assert build_cache.jinja_bytecode_cache(after).directory != kept
    monkeypatch.setenv(build_cache.ENV_VAR, "off")
    assert build_cache.jinja_bytecode_cache(before) is None
