"""python -m bench [area ...]: run the benchmark sections, print a table, write bench/results.json."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import sys
from pathlib import Path

import bench

RESULTS = Path(__file__).resolve().parent / "results.json"
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


def main(argv: list[str] | None = None) -> int:
    available = sections()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("areas", nargs="*", metavar="area", help=f"sections to run (default: all of {', '.join(available)})")
    args = parser.parse_args(argv)
    unknown = [a for a in args.areas if a not in available]
    if unknown:
        print(f"Error: no bench section {unknown} (expected some of: {', '.join(available)})", file=sys.stderr)
        return 2
    chosen = args.areas or available
    rows: list[dict] = []
    for name in chosen:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        rows += run_section(name)
    print_table(rows)
    kept = []
    if args.areas and RESULTS.exists():  # a partial run keeps the other sections' last figures
        kept = [r for r in json.loads(RESULTS.read_text(encoding="utf-8"))["rows"] if r["area"] not in chosen]
    results = {
        "measured": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"python": platform.python_version(), "system": platform.platform(terse=True),
                    "cpus": os.cpu_count()},
        "rows": kept + rows,
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
