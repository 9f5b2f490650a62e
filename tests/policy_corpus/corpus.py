"""The corpus of broken policy files (corpus.yaml): make each file and resolve the line it must produce.

As a script, writes every case into a folder so that a person can read and check them:
    .venv/bin/python tests/policy_corpus/corpus.py /tmp/corpus
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from harness import POLICY_FILE

HERE = Path(__file__).resolve().parent
_LINE_OF = re.compile(r"\{line:([^}]*)\}")


@dataclass(frozen=True)
class Case:
    file: str
    about: str
    replace: tuple[tuple[str, str], ...]   # empty: the file of that name in this folder
    expect: str                            # may hold {line:TEXT}

    def make(self, folder: Path) -> Path:
        """Write this case's file into folder; return its path."""
        target = folder / self.file
        if not self.replace:
            shutil.copyfile(HERE / self.file, target)
            return target
        text = POLICY_FILE.read_text(encoding="utf-8")
        for old, new in self.replace:
            count = text.count(old)
            if count != 1:
                raise ValueError(f"{self.file}: the text to replace occurs {count} times in {POLICY_FILE}, "
                                 f"not once: {old!r}")
            text = text.replace(old, new)
        target.write_text(text, encoding="utf-8")
        return target

    def expected_line(self, made: Path) -> str:
        """The expected message with each {line:TEXT} replaced by the number of the first line holding TEXT."""
        lines = made.read_bytes().decode("utf-8", errors="replace").splitlines()

        def number(match: re.Match) -> str:
            for i, line in enumerate(lines, 1):
                if match.group(1) in line:
                    return str(i)
            raise ValueError(f"{self.file}: no line contains {match.group(1)!r} (in the expected message)")
        return _LINE_OF.sub(number, self.expect)


def load_cases() -> list[Case]:
    # The project's own YAML reader: duplicate keys are an error, `yes` stays text.
    from generator.source.yaml_source import parse
    data, _ = parse(HERE / "corpus.yaml")
    known = {"file", "about", "replace", "expect"}
    cases = []
    for entry in data:
        unknown = set(entry) - known
        if unknown or not {"file", "about", "expect"} <= set(entry):
            raise ValueError(f"corpus.yaml: case {entry.get('file')!r} has keys {sorted(entry)}; "
                             f"expected file, about, expect and optionally replace")
        replace = tuple((r["old"], r["new"]) for r in entry.get("replace", []))
        cases.append(Case(entry["file"], entry["about"], replace, entry["expect"]))
    return cases


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for case in load_cases():
        made = case.make(out)
        print(f"{case.file}: {case.about}\n  expect: {case.expected_line(made)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: corpus.py FOLDER  (writes every case of corpus.yaml into FOLDER)")
    main(sys.argv[1])
