"""The site's own scripts and stylesheets as the browser gets them: without their comments.

The checker's scripts and stylesheet (checker/web/, which pyodide_assets puts in the site) and the theme's
(generator/mkdocs/overrides/assets/, which the MkDocs adapter's theme module sends) say in comments why they do
what they do, which is most of their text: 6 KB of the checker page's bytes with brotli. The
build sends them without: a stylesheet without its comments, a script without its whole-line comments (`// …`
and `/* … */` blocks on lines of their own) and blank lines. Nothing else is changed: every other line is sent as
it is written, so a line the browser names in an error is found in the source by its text. The inline scripts of
the checker page are shortened further (pyodide_assets.inline_script).

Stripping is done only where it is certain: a script whose strings, template literals or regular expressions
this reader cannot follow is sent as it is.
"""

from __future__ import annotations

import re

_KEYWORDS_BEFORE_EXPRESSION = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw",
                               "case", "do", "else", "yield", "await"}
_PUNCTUATION_BEFORE_EXPRESSION = set("(,=:[!&|?{};+-*%<>~^")
_WORD = re.compile(r"[\w$]+")


class _Unsure(Exception):
    """A script this reader cannot follow for certain."""


def _code_lines(text: str) -> list[bool]:
    """For each line of a script, whether it starts in code: not inside a string, a template literal's text, a
    comment or a regular expression."""
    starts = [True]
    frames = [0]          # a code frame's open braces; a template literal's ${ } is a code frame of its own
    in_template = []      # for each frame above the first: the template it returns to
    i, n, previous = 0, len(text), ""
    state = "code"

    while i < n:
        c = text[i]
        if c == "\n":
            starts.append(state == "code")
            i += 1
            continue
        if state == "template":
            if c == "\\":
                if i + 1 < n and text[i + 1] == "\n":
                    starts.append(False)
                i += 2
            elif c == "`":
                state, previous, i = "code", "`", i + 1
            elif text.startswith("${", i):
                frames.append(0)
                in_template.append(True)
                state, previous, i = "code", "{", i + 2
            else:
                i += 1
            continue
        # code
        if c in " \t\r":
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise _Unsure
            starts.extend(False for _ in range(text.count("\n", i, end)))
            i = end + 2
        elif c in "'\"":
            j = i + 1
            while j < n and text[j] != c:
                if text[j] == "\n" or text.startswith("\\\n", j):
                    raise _Unsure  # a string over two lines
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise _Unsure
            previous, i = c, j + 1
        elif c == "`":
            state, i = "template", i + 1
        elif c == "/" and (previous in _PUNCTUATION_BEFORE_EXPRESSION or previous in _KEYWORDS_BEFORE_EXPRESSION
                           or previous == ""):
            j, in_class = i + 1, False
            while j < n and (in_class or text[j] != "/"):
                if text[j] in "\n`'\"":
                    raise _Unsure
                in_class = (in_class and text[j] != "]") or text[j] == "["
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise _Unsure
            previous, i = "/", j + 1
        elif c == "{":
            frames[-1] += 1
            previous, i = c, i + 1
        elif c == "}":
            if frames[-1] == 0 and in_template:
                frames.pop()
                in_template.pop()
                state, i = "template", i + 1
            else:
                frames[-1] -= 1
                previous, i = c, i + 1
        elif c.isalnum() or c in "_$":
            word = _WORD.match(text, i).group(0)
            previous, i = word, i + len(word)
        else:
            previous, i = c, i + 1
    if state != "code" or len(frames) != 1:
        raise _Unsure
    return starts


def script(text: str) -> str:
    """A script without its whole-line comments and blank lines, every other line as written; the script as it
    is when it cannot be read for certain."""
    try:
        code = _code_lines(text)
    except _Unsure:
        return text
    lines = text.split("\n")
    kept, block = [], False
    for line, starts_in_code in zip(lines, code):
        bare = line.strip()
        if block:
            block = "*/" not in bare
            if not block and not bare.endswith("*/"):
                return text  # code after a block comment's end: not a line of its own
            continue
        if not starts_in_code:
            kept.append(line)
        elif bare.startswith("/*") and "*/" not in bare[2:]:
            block = True
        elif not bare or bare.startswith("//") or (bare.startswith("/*") and bare.endswith("*/")
                                                    and bare.count("*/") == 1):
            continue
        else:
            kept.append(line)
    return "\n".join(kept) + ("\n" if text.endswith("\n") else "")


def stylesheet(text: str) -> str:
    """A stylesheet without its comments and the blank lines they leave; strings are left as they are."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    lines = [line.rstrip() for line in "".join(out).split("\n")]
    return "\n".join(line for line in lines if line) + ("\n" if text.endswith("\n") else "")
