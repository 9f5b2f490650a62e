"""Leaflets: seconds to make all four PDFs, and each on its own, with the same steps the build uses.

`make_leaflets` renders the A5 leaflet, imposes the A4 booklet from it, renders the large-print and the
print-shop files, then checks every file's fonts; the per-PDF rows time those steps one by one
(the booklet is only the imposition: it reuses the A5 file). WeasyPrint's import is timed apart, in a
fresh process, as each build pays it once. Best of REPEAT runs: the machine is shared.
"""

from __future__ import annotations

import subprocess
import sys
import time

from harness import ROOT  # the tests' harness (bench/__init__.py puts tests/ on the path)

REPEAT = 2


def _best(step, repeat: int = REPEAT):
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        best = min(best, time.perf_counter() - started)
    return best, result


def run() -> list[dict]:
    # In a fresh process: the bench's other sections may have imported it already.
    import_seconds = float(subprocess.run(
        [sys.executable, "-c", "import time; t = time.perf_counter(); import weasyprint; print(time.perf_counter() - t)"],
        capture_output=True, text=True, check=True).stdout)
    from generator.leaflets import make_leaflets
    from generator.leaflets.build import A5, LARGE_PRINT, PRINT_SHOP
    from generator.leaflets.imposition import impose
    from generator.leaflets.render import render_pdf
    from generator.source.policy_model import load_policy

    policy = load_policy(ROOT / "policy" / "respect-phoneline.yaml")
    whole, leaflets = _best(lambda: make_leaflets(policy))
    a5_seconds, a5 = _best(lambda: render_pdf(policy, A5))
    steps = {
        "a5": a5_seconds,
        "booklet": _best(lambda: impose(a5))[0],
        "large-print": _best(lambda: render_pdf(policy, LARGE_PRINT))[0],
        "print-shop": _best(lambda: render_pdf(policy, PRINT_SHOP))[0],
    }

    def row(figure, value, unit, anchor):
        return {"area": "leaflets", "figure": figure, "value": value, "unit": unit, "anchor": anchor}

    rows = [row("import WeasyPrint (once per build process)", round(import_seconds, 2), "s", "leaflets-import"),
            row(f"all {len(leaflets)} PDFs (make_leaflets, fonts checked)", round(whole, 2), "s", "leaflets-all"),
            row("per PDF, on average", round(whole / len(leaflets), 2), "s", "leaflets-per-pdf")]
    for leaflet in leaflets:
        how = "imposed from the A5 file" if leaflet.key == "booklet" else "rendered"
        rows.append(row(f"{leaflet.file_name} ({leaflet.page_count} pages, {how})", round(steps[leaflet.key], 2),
                        "s", f"leaflets-{leaflet.key}-seconds"))
    for leaflet in leaflets:
        rows.append(row(f"{leaflet.file_name} size", leaflet.size_bytes, "bytes", f"leaflets-{leaflet.key}-bytes"))
    return rows
