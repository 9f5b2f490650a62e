"""The site's own scripts and stylesheets go without their comments (generator/live_checker/shipped_code.py):
every line the browser gets is a line of the source as written, and only comments and blank lines are left out;
what the reader cannot follow for certain is sent as it is. The browser tests run the shipped files (the
checker, the quick exit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.live_checker import shipped_code
from generator.live_checker.pyodide_assets import WEB_DIR, WEB_FILES
from generator.mkdocs.theme import THEME_DIR

SOURCES = sorted([*(WEB_DIR / name for name in WEB_FILES.values()), *(THEME_DIR / "assets").rglob("*.js"),
                  *(THEME_DIR / "assets").rglob("*.css")])


def _lean(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return shipped_code.stylesheet(text) if path.suffix == ".css" else shipped_code.script(text)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_a_shipped_file_is_its_source_without_comments(source):
    text, lean = source.read_text(encoding="utf-8"), _lean(source)
    assert len(lean) < 0.85 * len(text), "nothing was left out: was the file read for certain?"
    assert "/*" not in lean or source.suffix != ".css"
    if source.suffix != ".css":  # each line sent is a line of the source, in order, and none is a comment's
        lines = iter(text.split("\n"))
        assert all(any(line == was for was in lines) for line in lean.split("\n")), source.name
        in_code = shipped_code._code_lines(lean)
        assert not [line for line, code in zip(lean.split("\n"), in_code) if code and line.strip().startswith("//")]


def test_the_site_sends_them_so(built_site):
    page_script = next((built_site / "assets" / "checker").glob("checker-page.*.mjs")).read_text(encoding="utf-8")
    assert page_script == shipped_code.script((WEB_DIR / "checker-page.mjs").read_text(encoding="utf-8"))
    quick_exit = (built_site / "assets" / "javascripts" / "quick-exit.js").read_text(encoding="utf-8")
    assert quick_exit == _lean(THEME_DIR / "assets" / "javascripts" / "quick-exit.js")
    assert "/*" not in (built_site / "assets" / "stylesheets" / "site.css").read_text(encoding="utf-8")


def test_only_whole_line_comments_go_and_template_literals_stay_as_written():
    script = ("// a comment\n"
              "const a = 1; // kept: it shares its line with code\n"
              "\n"
              "/* a block\n   over two lines */\n"
              "const t = `\n// not a comment: the template's text\n\n${a /* in code */}\n`;\n"
              "const r = /\\/\\//.test(a) && a / 2 / 1;\n"
              "    // indented\n"
              "end();\n")
    assert shipped_code.script(script) == (
        "const a = 1; // kept: it shares its line with code\n"
        "const t = `\n// not a comment: the template's text\n\n${a /* in code */}\n`;\n"
        "const r = /\\/\\//.test(a) && a / 2 / 1;\n"
        "end();\n")


@pytest.mark.parametrize("unsure", ["const q = /`/;\n// c\n", "const s = 'a\\\nb';\n// c\n", "const t = `open\n// c\n",
                                    "/* never closed\n"])
def test_a_script_it_cannot_follow_is_sent_as_it_is(unsure):
    assert shipped_code.script(unsure) == unsure


def test_a_stylesheet_keeps_its_strings():
    css = '/* why */\na::after {\n  content: "/* not a comment */";  /* gone */\n}\n\n'
    assert shipped_code.stylesheet(css) == 'a::after {\n  content: "/* not a comment */";\n}\n'
