"""The checker: from a policy's checker data and a caller's answers to an explanation.

Pure Python on the standard library, so that the same code runs in CPython (tests,
command line) and in Pyodide in the browser.
"""

from __future__ import annotations

from .answers import AnswerError, check_answers
from .engine import evaluate, to_json

__all__ = ["AnswerError", "check_answers", "evaluate", "to_json"]
