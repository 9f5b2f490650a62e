"""The project's errors: one format everywhere.

Every problem found in a policy file is a `Problem`: where (file, line, column,
key path), what is wrong, and what was expected. `PolicyError` carries one or
more problems; the CLI prints them one a line and the MkDocs plugin turns them
into a `PluginError`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a policy file, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    expected: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.path or '(top)'}: {self.message}"
        if self.expected:
            text += f" ({self.expected})"
        return text


class PolicyError(Exception):
    """Raised by the loader and validator when a policy file is invalid."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(Exception):
    """Raised by the site, checker-bundle and leaflet builders when an output cannot be made."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean "x"?' for a near miss (to follow a message), else an empty string."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def counted(number: int, noun: str, plural: str | None = None) -> str:
    """"1 problem", "2 problems": a count as a reader says it (plural: for a noun that does not take an s)."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def one_of(choices: Iterable[str]) -> str:
    """The "expected" text for a closed set of values."""
    return "expected one of: " + ", ".join(f'"{c}"' for c in choices)
