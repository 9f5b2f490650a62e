"""The checker's standard-library list (generator/live_checker/pyodide-stdlib.txt): its format, and how `make stdlib-list`
chooses the files that ship compiled. What the list must hold is tested in tests/test_checker_pyodide.py."""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import pytest

from generator.errors import BuildError
from generator.live_checker.pyodide_assets import NODE_PYODIDE
from generator.live_checker.pyodide_stdlib import (COMPILED_BUDGET_BYTES, LIST_FILE, compiled_files, is_left_out,
                                                   listed_files, listed_forms, without_left_out)

sys.path.insert(0, str(Path(__file__).resolve().parent / "pyodide"))
from node_runner import chosen_to_compile  # noqa: E402


def test_a_line_is_a_path_or_a_path_to_ship_compiled(tmp_path):
    listed = tmp_path / "list.txt"
    listed.write_text("# a comment\nb.py compiled  # 3.0 ms\n\na/c.py\nd.py\n", encoding="utf-8")
    assert listed_forms(listed) == {"b.py": True, "a/c.py": False, "d.py": False}
    assert listed_files(listed) == ["b.py", "a/c.py", "d.py"] and compiled_files(listed) == ["b.py"]


@pytest.mark.parametrize("line", ["a.py pyc", "a.py compiled twice", "data.json compiled"])
def test_a_line_the_build_cannot_read_is_refused_with_its_place(tmp_path, line):
    listed = tmp_path / "list.txt"
    listed.write_text(f"ok.py\n{line}\n", encoding="utf-8")
    with pytest.raises(BuildError, match=rf"list.txt:2: '{line}' is not a path, or a \.py path and 'compiled'"):
        listed_forms(listed)


def test_a_list_that_names_a_file_left_out_on_purpose_is_refused(tmp_path):
    listed = tmp_path / "list.txt"
    listed.write_text("ok.py\ncompression/zstd/__init__.py\nssl.py\n", encoding="utf-8")
    with pytest.raises(BuildError, match=r"lists compression/zstd/__init__\.py, ssl\.py, which the site's library "
                                         r"leaves out on purpose \(generator/live_checker/pyodide_stdlib\.py, LEFT_OUT\)"):
        listed_forms(listed)


def test_the_library_the_list_is_recorded_with_lacks_only_what_is_left_out(tmp_path):
    whole = NODE_PYODIDE / "python_stdlib.zip"
    with zipfile.ZipFile(whole) as z:
        names = z.namelist()
    with zipfile.ZipFile(without_left_out(whole, tmp_path / "without.zip")) as z:
        kept = z.namelist()
        assert z.read("shutil.py") == zipfile.ZipFile(whole).read("shutil.py")
    assert kept == [n for n in names if not is_left_out(n)]
    gone = set(names) - set(kept)
    assert {"ssl.py", "bz2.py", "lzma.py", "compression/zstd/__init__.py"} <= gone
    assert all(n in ("ssl.py", "bz2.py", "lzma.py") or n.startswith("compression/") for n in gone), gone
    # A file whose name only starts like a folder left out stays.
    assert not is_left_out("compressionist.py") and is_left_out("compression/_common/_streams.py")


def test_the_files_that_save_most_time_for_their_bytes_are_compiled_within_the_budget():
    costs = {"slow-small.py": (0.030, 1_000), "slow-big.py": (0.040, 9_000), "quick.py": (0.001, 2_000),
             "free.py": (0.002, -10), "mid.py": (0.010, 1_500)}
    # By time saved per byte: free (no bytes), slow-small, mid, then slow-big does not fit, quick does.
    assert chosen_to_compile(costs, 5_000) == ["free.py", "mid.py", "quick.py", "slow-small.py"]
    assert chosen_to_compile(costs, 0) == ["free.py"]
    assert set(chosen_to_compile(costs, 100_000)) == set(costs)


def test_the_recorded_list_ships_some_files_compiled_within_the_budget():
    """The committed list was written by make stdlib-list with the current budget: some files compiled, and
    their recorded bytes within it (a budget changed without recording the list again fails here)."""
    added = [int(m.group(1).replace(",", "")) for m in
             re.finditer(r"^\S+ compiled +# [\d.]+ ms to compile, ([+-][\d,]+) bytes with brotli$",
                         LIST_FILE.read_text(encoding="utf-8"), re.M)]
    assert len(added) == len(compiled_files()) > 0
    assert sum(max(0, a) for a in added) <= COMPILED_BUDGET_BYTES
