"""Benchmarks: `python -m bench` runs every section and prints one table; figures go to bench/tmp/results.json
(`python -m bench --record`, as `make bench-record` runs it, also records them in bench/results.json and
BENCHMARKS.md).

To add a section, add a module `bench/<area>.py` with a function

    def run() -> list[dict]:
        return [{"area": "<area>", "figure": "what was measured", "value": 12.3, "unit": "ms",
                 "anchor": "<area>-what"}]  # anchor: a stable id for the row (links, comparisons)

`python -m bench` finds it by itself; `python -m bench <area> ...` runs only those sections and keeps
the other sections' rows of the last run. A new section needs a `<!-- bench:table <area> -->` block in
BENCHMARKS.md to be recorded there. Figures are printed, never asserted: the machine
is shared, so read them as this run on this machine, not as a promise.
"""

import sys
from pathlib import Path

# The sections share the tests' harness (ROOT, Chromium's flags, the local server), which needs no pytest.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
