"""The same checker in Pyodide: every YAML case, and every answer set, gives byte for byte CPython's JSON.

The checker is built as a wheel (generator.live_checker.checker_bundle), added to a copy of
Pyodide's lock file with pyodide-lock, and imported from its zip, as the site's worker does, in Node
(`loadPyodide` from node_modules/pyodide, local files only), with each policy's checker data as the browser gets
it. Each policy's answer sets run once, in two Node processes for all the policies:

- the recording run (tests/pyodide/node_runner.py's record_runs, which `make stdlib-list` records from), with
  Pyodide's whole standard library but for what the site leaves out on purpose (LEFT_OUT): the policy's cases
  (tests/checker_cases/<policy>/) compared with CPython's to_json byte for byte, and every answer set by the digest
  of its compact JSON (tests/pyodide/run_cases.py says why), and the files they all loaded:
  generator/live_checker/pyodide-stdlib.txt must hold exactly those;
- the site's run, with the site's trimmed standard library (generator.live_checker.pyodide_stdlib): the cases,
  compared with CPython byte for byte, and the files they loaded.

Why every answer set need not run again with the trimmed library (until this file ran them in both): the
trimmed zip holds exactly the list's files (test_the_trimmed_standard_library_holds_the_list...), which are
exactly what the recording run loaded over every answer set, so no import can fail or fall back under the
trimmed library on any answer set; and the site's run, on the cases alone, imports every one of those files
from the trimmed zip (the same test), so each is shown to load and run there. What trimming changes in a file
is only its docstrings and comments, or its form (bytecode compiled from that same source): the code that runs
for an answer set is the same, and the engine itself is the wheel's in both runs (its docstrings and comments
taken out too, each line of code where it is: test_the_wheel_carries_the_code_...). A difference the
trimming made to a module's behaviour would have to show on every use of that module, which the cases make.
"""

from __future__ import annotations

import ast
import io
import json
import shutil
import sys
import tokenize
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from checker import AnswerError, evaluate, to_json
from checker.engine import Evaluator
from checker.invariants import answer_sets
from checker_cases.load import (browser_json_text, case_folders, checker_data, explanation_digest, load_cases,
                                translated_browser_json_text, translated_examples)
from generator.live_checker.checker_bundle import DIST_NAME, IMPORT_NAME, add_wheel_to_lock, build_checker_wheel, sha256, wheel_name
from generator.errors import BuildError
from generator.source.checker_data import CHECKER_SOURCES
from generator.live_checker.pyodide_stdlib import LIST_FILE, compiled_files, listed_files, make_trimmed_stdlib

sys.path.insert(0, str(Path(__file__).resolve().parent / "pyodide"))
from node_runner import (PACKAGE, PYODIDE_DIR, STDLIB, NodeRunError, prepare_bundle, record_runs,  # noqa: E402
                         recorded_files, run_in_pyodide, runs_in_pyodide)

CASES = load_cases()
POLICIES = [folder.name for folder in case_folders()]
# Every answer set of a policy is run too; no more than this many would mean answer_sets lost some.
FEWEST_ANSWER_SETS = {"respect-phoneline": 10_000,
                      # Harbour Crisis Line asks three short questions (one only after a "yes"): 39 answer sets.
                      "harbour-crisis-line": 30,
                      # one question of yes, no and not sure: 4 answer sets in all (with none answered)
                      "lighthouse-text": 3}


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """A folder as the site serves it: the wheel beside a copy of Pyodide's lock file that names it."""
    return prepare_bundle(tmp_path_factory.mktemp("pyodide-bundle"))


@pytest.fixture(scope="session")
def data_files(bundle) -> dict[str, Path]:
    """Each policy's checker data as the site serves it to the browser (without what only the build reads)."""
    paths = {}
    for name in POLICIES:
        paths[name] = bundle / f"checker-data-{name}.json"
        paths[name].write_text(browser_json_text(name), encoding="utf-8")
    return paths


@pytest.fixture(scope="session")
def site_runs(bundle, data_files) -> dict[str, dict]:
    """Each policy's cases with the site's trimmed standard library, in one Node process (Pyodide takes seconds to
    start), once a session. Every answer set runs in whole_runs (the module's docstring says why once is enough).
    The first run records what the worker loads before it is ready (run_cases.py's startup_files, checker_modules)."""
    runs = [{"data": data_files[name], "answers": [case.answers for case in CASES if case.policy == name]}
            for name in POLICIES]
    return dict(zip(POLICIES, runs_in_pyodide(bundle, runs, record_stdlib=True)))


@pytest.fixture(scope="session")
def pyodide_runs(site_runs) -> Callable[[str], dict]:
    """pyodide_runs(name): that policy's run of its cases with the site's trimmed standard library."""
    return site_runs.__getitem__


@pytest.fixture(scope="session")
def pyodide_run(site_runs) -> dict:
    """The first run of the site's Node process: it also holds what the worker loads before it is ready."""
    return site_runs[POLICIES[0]]


@pytest.fixture(scope="session")
def data_file(data_files) -> Path:
    return data_files["respect-phoneline"]


@pytest.fixture(scope="session")
def whole_runs(tmp_path_factory) -> dict[str, dict]:
    """Each policy's cases and every answer set, run once a session in Node with Pyodide's whole standard library
    but for what the site leaves out on purpose: the runs `make stdlib-list` records from."""
    return record_runs(tmp_path_factory.mktemp("stdlib-record"))


def cpython_result(data: dict, answers) -> dict:
    try:
        return {"json": to_json(evaluate(data, answers))}
    except AnswerError as err:
        return {"error": str(err)}


def test_runs_python_3_14_from_the_wheel(pyodide_run):
    assert pyodide_run["python"].startswith("3.14.")
    # Imported from the wheel's zip, as the site's worker does, not from a copy installed beside it.
    assert pyodide_run["checker_file"] == "/lib/policy_checker.whl/checker/__init__.py"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_the_same_bytes_in_pyodide(case, pyodide_runs, whole_runs):
    """Pyodide on the browser's data gives what CPython gives on the build's whole data, with the site's trimmed
    standard library and with the whole one."""
    index = [c for c in CASES if c.policy == case.policy].index(case)
    expected = cpython_result(checker_data(case.policy), case.answers)
    assert pyodide_runs(case.policy)["results"][index] == expected, f"{case.where}: Pyodide differs from CPython"
    assert whole_runs[case.policy]["results"][index] == expected, \
        f"{case.where}: Pyodide with the whole standard library differs from CPython"


@pytest.mark.parametrize("policy", POLICIES)
def test_every_answer_set_gives_the_same_bytes_in_pyodide(policy, whole_runs):
    """In the recording run (the whole standard library but for LEFT_OUT); the module's docstring says why this
    also holds with the trimmed one."""
    data = checker_data(policy)
    sets = list(answer_sets(data))
    explain = Evaluator(data).evaluate   # one for every answer set, as Pyodide's run holds one
    ours = [explanation_digest(explain(a)) for a in sets]   # compact JSON: run_cases.py's docstring says why
    theirs = whole_runs[policy]["all_digests"]
    assert len(theirs) == len(ours) > FEWEST_ANSWER_SETS.get(policy, 100)
    for answers, a, b in zip(sets, ours, theirs):
        assert a == b, f"Pyodide's JSON differs from CPython's for {answers}"


@pytest.mark.parametrize("name, language", translated_examples())
def test_every_answer_set_of_a_translation_gives_cpythons_explanation_in_pyodide(name, language, whole_runs):
    """The translated checker data (as the language's checker page loads it) in the recording run. With
    test_translations.py's test that every answer set gives the original's explanation but for its words (in
    CPython), each answer set has the same outcome, statuses, recipients, telling, records and dates in every
    language in Pyodide too."""
    data = json.loads(translated_browser_json_text(name, language))
    original = json.loads(browser_json_text(name))
    assert data["questions"][0]["label"] != original["questions"][0]["label"], "the data is not the translation's"
    sets = list(answer_sets(data))
    explain = Evaluator(data).evaluate
    ours = [explanation_digest(explain(a)) for a in sets]
    theirs = whole_runs[f"{name}.{language}"]["all_digests"]
    assert len(theirs) == len(ours) > 100
    wrong = [a for a, x, y in zip(sets, ours, theirs) if x != y]
    assert not wrong, f"Pyodide differs from CPython on {name}'s {language} data for {len(wrong)} answer sets: {wrong[:1]}"


def test_the_standard_library_list_is_what_the_engine_loads(whole_runs):
    """A module the engine (or Pyodide's start-up, or loading the wheel) comes to import must be in the site's
    standard library, and a file no longer imported must leave it. The files imported before the worker is
    ready ship compiled, and only they: nothing of the library is compiled at start-up."""
    recorded, startup = recorded_files(whole_runs)
    listed = set(listed_files())
    missing, unused = sorted(set(recorded) - listed), sorted(listed - set(recorded))
    assert not missing and not unused, (
        f"{LIST_FILE.name} is not what the checker loads in Pyodide: missing {missing}, no longer loaded {unused} "
        "(run `make stdlib-list` to record it again)")
    before_ready = {f for f in startup if f.endswith(".py")}
    assert set(compiled_files()) == before_ready, (
        f"{LIST_FILE.name} compiles {sorted(set(compiled_files()) - before_ready)} not imported before ready and "
        f"leaves {sorted(before_ready - set(compiled_files()))} source (run `make stdlib-list` to record it again)")


def shipped_names() -> list[str]:
    """The names in the site's zip, in its order: each listed path by name, then the compiled ones, .pyc for .py."""
    compiled = set(compiled_files())
    return ([p for p in sorted(listed_files()) if p not in compiled]
            + [p.removesuffix(".py") + ".pyc" for p in sorted(compiled)])


def test_the_trimmed_standard_library_holds_the_list_stored_without_docstrings(bundle, pyodide_runs):
    """And the site's runs (the cases alone) load every file of it: each file the recording run loaded over every
    answer set was loaded, trimmed, and ran its module's code under the trimmed library."""
    with zipfile.ZipFile(bundle / STDLIB) as z:
        infos = z.infolist()
        assert [i.filename for i in infos] == shipped_names()
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}  # the server compresses it whole
    # The runs above loaded nothing that is not in it (a missing module would have failed them), each compiled
    # file as its bytecode, and every file of it.
    loaded = set().union(*(pyodide_runs(name)["stdlib_files"] for name in POLICIES))
    assert {p.removesuffix(".py") + ".pyc" for p in compiled_files()} <= loaded
    assert loaded == set(shipped_names()), f"not loaded by the cases: {sorted(set(shipped_names()) - loaded)}"


def test_a_file_imported_after_ready_would_go_as_source_without_docstrings_or_comments():
    """Every file of the site's list is imported before the checker is ready (since the engine finds a wrong
    answer's suggestion itself, without difflib), so the site's zip is all bytecode; a file imported later would
    go as source, stripped, and before the compiled ones. Made here from a list of two, as the build makes it."""
    made = make_trimmed_stdlib(PYODIDE_DIR, ["textwrap.py", "keyword.py"], ["keyword.py"])
    with zipfile.ZipFile(io.BytesIO(made)) as z:
        assert z.namelist() == ["textwrap.py", "keyword.pyc"]
        source = z.read("textwrap.py").decode("utf-8")
        header = z.read("keyword.pyc")[:16]
    assert '"""' not in source and "\n#" not in source and "\ndef dedent(" in source
    ast.parse(source)
    assert header[4:8] == b"\x01\0\0\0" and header[8:] == bytes(8)  # unchecked hash-based, hash left as zeros


def test_lock_file_names_the_wheel_with_its_hash(bundle):
    lock = json.loads((bundle / "pyodide-lock.json").read_text(encoding="utf-8"))
    entry = lock["packages"][PACKAGE]
    assert entry["file_name"] == wheel_name()
    assert entry["sha256"] == sha256(bundle / wheel_name())
    assert entry["imports"] == [IMPORT_NAME] and entry["depends"] == []
    assert PACKAGE == DIST_NAME.replace("_", "-")
    original = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert set(lock["packages"]) - set(original["packages"]) == {PACKAGE}


def test_wheel_holds_only_the_checker_and_is_reproducible(bundle, tmp_path):
    again = build_checker_wheel(tmp_path)
    assert again.read_bytes() == (bundle / wheel_name()).read_bytes()
    with zipfile.ZipFile(again) as z:
        names = z.namelist()
        stamps = {info.date_time for info in z.infolist()}
        methods = {info.compress_type for info in z.infolist()}
    assert methods == {zipfile.ZIP_STORED}  # the server compresses it whole
    assert all(n.startswith((f"{IMPORT_NAME}/", f"{DIST_NAME}-")) for n in names), names
    assert f"{IMPORT_NAME}/engine.py" in names and not any(n.startswith("generator/") for n in names)
    assert names[-1].endswith(".dist-info/RECORD") and len(stamps) == 1


def test_the_wheel_holds_just_the_modules_the_worker_imports(bundle, pyodide_run):
    """What the worker does before it is ready (one Evaluator, one explanation) imports every module the wheel
    carries, and nothing it lacks (checker_bundle.NOT_IN_WHEEL leaves the build's and the terminal's out)."""
    with zipfile.ZipFile(bundle / wheel_name()) as z:
        carried = sorted(n.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
                         for n in z.namelist() if n.endswith(".py"))
    assert carried == pyodide_run["checker_modules"]
    assert "checker.invariants" not in carried and "checker.engine" in carried


def test_the_wheel_carries_the_code_without_docstrings_or_comments_each_line_where_it_is(bundle):
    """The browser downloads and compiles the engine's code alone, and a traceback from the site's engine names
    the line of checker/ in the repository: each line of the wheel's modules is that line of the repository's
    file without its comment, or empty where a docstring or a whole-line comment was (checker_bundle.lightened;
    that the code runs the same is the rest of this file: every case and answer set against CPython)."""
    with zipfile.ZipFile(bundle / wheel_name()) as z:
        modules = {Path(n).name: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".py")}
    assert modules
    for name, text in modules.items():
        shipped, original = text.splitlines(), (CHECKER_SOURCES / name).read_text(encoding="utf-8").splitlines()
        assert len(shipped) == len(original), name
        for number, (line, was) in enumerate(zip(shipped, original), 1):
            assert was.startswith(line) or line.strip() == "pass", f"{name}:{number}: {line!r} (was {was!r})"
        tree = ast.parse(text, name)
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))
                    and ast.get_docstring(n, clean=False) is not None], name
        tokens = tokenize.generate_tokens(io.StringIO(text).readline)
        assert not [t for t in tokens if t.type == tokenize.COMMENT], name
    assert sum(map(len, modules.values())) < 0.8 * sum(len((CHECKER_SOURCES / n).read_bytes()) for n in modules)


def test_a_wheel_that_does_not_match_its_hash_is_refused(bundle, data_file, tmp_path):
    tampered = tmp_path / "bundle"
    shutil.copytree(bundle, tampered)
    with open(tampered / wheel_name(), "ab") as f:
        f.write(b"\0")
    with pytest.raises(NodeRunError, match="does not match the lock file"):
        run_in_pyodide(tampered, data_file, [{}])


def test_add_wheel_to_lock_says_what_is_missing(tmp_path):
    with pytest.raises(BuildError, match=r"Pyodide lock file .*nope\.json not found"):
        add_wheel_to_lock(tmp_path / "nope.json", tmp_path / "out.json", tmp_path / "x.whl")
    wheel = build_checker_wheel(tmp_path / "elsewhere")
    with pytest.raises(BuildError, match="not beside the lock file"):
        add_wheel_to_lock(PYODIDE_DIR / "pyodide-lock.json", tmp_path / "lock" / "pyodide-lock.json", wheel)
