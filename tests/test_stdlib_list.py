"""The checker's standard-library list (generator/live_checker/pyodide-stdlib.txt): its format. What the list must hold,
and which of its files ship compiled, is tested in tests/test_checker_pyodide.py."""

from __future__ import annotations

import zipfile

import pytest

from generator.errors import BuildError
from generator.live_checker.pyodide_assets import NODE_PYODIDE
from generator.live_checker.pyodide_stdlib import compiled_files, is_left_out, listed_files, listed_forms, without_left_out


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
