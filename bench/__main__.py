"""python -m bench [--record] [area ...]: run the benchmark sections, print a table, write bench/tmp/results.json.

With --record (`make bench-record`) the run also becomes the recorded one: bench/results.json, and the
tables and the run's description in BENCHMARKS.md (between its <!-- bench:… --> markers; the prose around
them is written by hand). Without it, nothing tracked by git changes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import sys
import time
from pathlib import Path

import bench

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "tmp" / "results.json"
RECORDED = HERE / "results.json"
BENCHMARKS = HERE.parent / "BENCHMARKS.md"
ROW_KEYS = ("area", "figure", "value", "unit", "anchor")


def sections() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))


def run_section(name: str) -> list[dict]:
    module = importlib.import_module(f"bench.{name}")
    if not callable(getattr(module, "run", None)):
        raise SystemExit(f"Error: bench/{name}.py has no run() (expected run() -> list of rows; see bench/__init__.py)")
    rows = module.run()
    for row in rows:
        missing = [k for k in ROW_KEYS if k not in row]
        if missing:
            raise SystemExit(f"Error: bench/{name}.py returned a row without {missing}: {row}")
    return rows


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:,.3g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(rows: list[dict]) -> None:
    table = [("area", "figure", "value", "unit")] + [(r["area"], r["figure"], _number(r["value"]), r["unit"])
                                                     for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for i, row in enumerate(table):
        print("  ".join(cell.rjust(w) if j == 2 else cell.ljust(w) for j, (cell, w) in enumerate(zip(row, widths))).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def _markdown_value(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 1000 else f"{value:,.3g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def markdown_table(rows: list[dict]) -> str:
    lines = ["| figure | value | unit | id |", "| --- | ---: | --- | --- |"]
    lines += [f"| {r['figure']} | {_markdown_value(r['value'])} | {r['unit']} | `{r['anchor']}` |" for r in rows]
    return "\n".join(lines)


def run_description(results: dict) -> str:
    m = results["machine"]
    load = m.get("load", {})
    return "\n".join([
        f"- Date: {results['measured']} (UTC; the run began at {results.get('started', '?')}).",
        f"- Machine: {m['cpus']} cores, {m['system']}, Python {m['python']}.",
        f"- Load: 1-minute load average {load.get('start', '?')} when the run began, {load.get('end', '?')} when it "
        f"ended ({m['cpus']} cores); the sections took {results.get('seconds', '?')} s in all.",
    ])


def _replace_block(text: str, name: str, content: str) -> str:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    if start not in text or end not in text:
        raise SystemExit(f"Error: {BENCHMARKS.name} has no {start} … {end} block (expected one for every section "
                         "and one for the run; add it where the table belongs)")
    before, _, rest = text.partition(start)
    _, _, after = rest.partition(end)
    return f"{before}{start}\n{content}\n{end}{after}"


def record(results: dict) -> None:
    """The run becomes the recorded one: bench/results.json and BENCHMARKS.md's tables and run block."""
    RECORDED.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    text = BENCHMARKS.read_text(encoding="utf-8")
    text = _replace_block(text, "run", run_description(results))
    for area in sorted({r["area"] for r in results["rows"]}):
        text = _replace_block(text, f"table {area}", markdown_table([r for r in results["rows"] if r["area"] == area]))
    BENCHMARKS.write_text(text, encoding="utf-8")
    print(f"Recorded the run in {RECORDED.relative_to(HERE.parent)} and {BENCHMARKS.name}")


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def main(argv: list[str] | None = None) -> int:
    available = sections()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("areas", nargs="*", metavar="area", help=f"sections to run (default: all of {', '.join(available)})")
    parser.add_argument("--record", action="store_true",
                        help="also record the run in bench/results.json and BENCHMARKS.md (make bench-record)")
    parser.add_argument("--record-last", action="store_true",
                        help="run nothing: record the last run (bench/tmp/results.json) as --record would")
    args = parser.parse_args(argv)
    if args.record_last:
        if not RESULTS.exists():
            print(f"Error: {RESULTS} not found (expected the results of a `make bench` run)", file=sys.stderr)
            return 2
        record(json.loads(RESULTS.read_text(encoding="utf-8")))
        return 0
    unknown = [a for a in args.areas if a not in available]
    if unknown:
        print(f"Error: no bench section {unknown} (expected some of: {', '.join(available)})", file=sys.stderr)
        return 2
    chosen = args.areas or available
    started, load_start, clock = dt.datetime.now(dt.timezone.utc), _load(), time.perf_counter()
    kept = []
    previous = RESULTS if RESULTS.exists() else RECORDED
    if args.areas and previous.exists():  # a partial run keeps the other sections' last figures
        kept = [r for r in json.loads(previous.read_text(encoding="utf-8"))["rows"] if r["area"] not in chosen]
    rows: list[dict] = []
    for name in chosen:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        rows += run_section(name)
        # Written after every section, so that a section that fails late keeps the figures of those before it.
        results = {
            "measured": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "started": started.strftime("%H:%M:%S"),
            "seconds": round(time.perf_counter() - clock),
            "machine": {"python": platform.python_version(), "system": platform.platform(terse=True),
                        "cpus": os.cpu_count(), "load": {"start": load_start, "end": _load()}},
            "rows": kept + rows,
        }
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(rows)
    print(f"\nWrote {RESULTS.relative_to(HERE.parent)}")
    if args.record:
        record(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
