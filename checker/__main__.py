"""python -m checker DATA.json [question=value ...] [--json]: explain answers from a checker-data file."""

from __future__ import annotations

import argparse
import json
import sys

from . import AnswerError, evaluate, to_json
from .answers import example_answer
from .explain_text import explanation_text


def parse_answers(data: dict, pairs: list[str]) -> dict[str, str]:
    answers: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise AnswerError(f'Cannot read "{pair}" (expected question=value, e.g. {example_answer(data)})')
        if key in answers:
            raise AnswerError(f'Question "{key}" is answered twice (expected each question once)')
        answers[key] = value
    return answers


def run_explain(data: dict, pairs: list[str], as_json: bool) -> int:
    """Print the explanation; exit 2 with the message for bad answers."""
    try:
        explanation = evaluate(data, parse_answers(data, pairs))
    except AnswerError as err:
        print(f"Error: {err}", file=sys.stderr)
        return AnswerError.exit_code
    sys.stdout.write(to_json(explanation) + "\n" if as_json else explanation_text(data, explanation))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m checker", description=__doc__)
    parser.add_argument("data", help="checker data JSON, as the generator writes it (policy-site checker-data)")
    parser.add_argument("answers", nargs="*", metavar="question=value")
    parser.add_argument("--json", action="store_true", help="print the contract's JSON")
    args = parser.parse_args(argv)
    try:
        with open(args.data, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as err:
        print(f"Error: cannot read checker data {args.data}: {err}", file=sys.stderr)
        return 2
    return run_explain(data, args.answers, args.json)


if __name__ == "__main__":
    sys.exit(main())
