"""The live checker in Chromium: cold start against the bare-Pyodide floor, here and on a simulated phone network,
answer latency, bytes; and the standard library's forms against each other.

The built site (./site, or BENCH_SITE) is copied into bench/tmp/checker_browser/ and served as nginx serves
it with the generated snippet and brotli_static: the .br (or .gz) file the build wrote, to a client that
accepts it (bench.lighthouse.PrecompressedHandler). Pyodide's whole python_stdlib.zip is put back into the
copy for the floor. Beside the real checker page the copy gets variants, each a copy of checker.html whose
config names a changed worker or another standard library:

- floor: a bare page whose module worker only calls loadPyodide() on the same runtime files with Pyodide's
  whole standard library (and the same trimmed lock file), then says it is ready: what the checker was
  measured against before it had its own standard library.
- checker: the page as built (its trimmed standard library: the files imported before it is ready as
  bytecode without column ranges, the one imported later as source, stored, compressed by the server).
- whole standard library (before): the checker with Pyodide's python_stdlib.zip, as it was before.
- stdlib as source: the same files as source without docstrings and comments, nothing compiled ahead (the
  site's form before issue 25, but for 12 files it compiled).
- stdlib as source with docstrings: the same files as Pyodide ships them, stored.

Each page is opened RUNS times in a fresh browser context (empty caches), and the floor and the checker
PAIR_RUNS times, because their ratio is the target: one cold load here moves by a tenth either way, and
more runs narrow the median. The pages load in rounds, each round in its own order (_round_order). Times
run from navigation start (performance.now() in the page) to the worker's "ready" message and to the first
explanation in the page, caught by an init script that wraps Worker and watches #checker-result. The same
context then opens the page again (a repeat visit: HTTP cache and compiled code warm). The floor, the
checker and the .pyc form are also opened PHONE_RUNS times, in rounds too, under Chromium's network
emulation at Lighthouse's mobile settings (PHONE: 1.6 Mbps down, 150 ms round trip), where bytes become
seconds. They are opened PHONE_RUNS times more on the same network with a processor PHONE_CPU_RATE (4)
times slower, as Lighthouse's mobile setting has it, the phone measured whole: every renderer process is
stopped and continued so that it runs a quarter of the wall time (bench/_cpu_slowdown.py), because
Chromium's `Emulation.setCPUThrottlingRate` slows only the page's main thread and the floor's and the
checker's Python run in a module worker (a fixed busy loop in a worker: 547 ms, 648 ms with the page
throttled at rate 4, 2,349 ms with the renderer slowed; on the main thread 451, 1,895 and 1,700 ms; medians of
5, load 3-4 on 2 cores). BENCH_PHONE_RUNS sets PHONE_RUNS for a trial. Latency: 200 answer changes in one loaded page, each a click on an option that is shown and not
chosen, timed in the page from the click to the result's aria-busy turning false (the explanation is in
the DOM), and to the frame after it.
Figures are medians over the runs (and the best run beside them); printed, never asserted.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
import statistics
import sys
import zipfile
from pathlib import Path

from bench._cpu_slowdown import RendererSlowdown
from bench.lighthouse import CHROMIUM, PrecompressedHandler, chromium_args, served_site, site_dir
from harness import ROOT  # the tests' harness (bench/__init__.py puts tests/ on the path)

WORK = ROOT / "bench" / "tmp" / "checker_browser"
RUNS = 5
PAIR_RUNS = 9
PAIR = ("floor", "checker")
# BENCH_PHONE_RUNS=2 for a trial of the phone runs (both kinds); the recorded run keeps 5.
PHONE_RUNS = int(os.environ.get("BENCH_PHONE_RUNS", "5"))
PHONE_PAGES = ("floor", "checker", "stdlib as source")
# Lighthouse's mobile throttling: 1,638.4 kbit/s down, 675 kbit/s up, 150 ms round trip.
PHONE = {"offline": False, "latency": 150, "downloadThroughput": 1638.4 * 1000 / 8,
         "uploadThroughput": 675 * 1000 / 8}
# Lighthouse's mobile processor: 4 times slower. Applied to the whole renderer process, its workers included
# (bench/_cpu_slowdown.py: Chromium's own throttling slows only the page's main thread).
PHONE_CPU_RATE = 4
CHANGES = 200
TIMEOUT_MS = 120_000
PHONE_CPU_TIMEOUT_MS = 300_000

# Catches, in every page, when the checker's worker starts, when it says it is ready and when the first explanation shows.
TIMING_SCRIPT = """
(() => {
  const bench = window.__bench = {};
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      // Module workers only: the theme's search starts a classic worker of its own, later.
      if (bench.worker === undefined && args[1] && args[1].type === "module") bench.worker = performance.now();
      this.addEventListener("message", (event) => {
        const type = event.data && event.data.type;
        if (type === "ready" && bench.ready === undefined) bench.ready = performance.now();
        if (type === "explanation" && bench.explained === undefined) bench.explained = performance.now();
      });
    }
  };
  new MutationObserver(() => {
    const result = document.getElementById("checker-result");
    if (bench.shown === undefined && result && result.querySelector(".explanation")) bench.shown = performance.now();
  }).observe(document, {subtree: true, childList: true});
})();
"""

FLOOR_PAGE = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>loadPyodide floor</title>
<body data-state="loading"><p>Only loadPyodide(), in a module worker, on the checker's files.</p>
<script type="module">
const config = JSON.parse(document.getElementById("config").textContent);
const worker = new Worker(new URL("floor-worker.mjs", document.baseURI), {type: "module"});
worker.addEventListener("message", (event) => { document.body.dataset.state = event.data.type; });
worker.postMessage({pyodide: new URL(config.pyodide, document.baseURI).href, lock: new URL(config.lock, document.baseURI).href});
</script>
<script type="application/json" id="config">CONFIG</script>
</body></html>
"""

FLOOR_WORKER = """
self.addEventListener("message", async (event) => {
  const cfg = event.data;
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", cfg.pyodide).href);
    await loadPyodide({ indexURL: cfg.pyodide, lockFileURL: cfg.lock });
    self.postMessage({ type: "ready" });
  } catch (err) {
    self.postMessage({ type: "failed", message: String(err) });
  }
});
"""

# Answer changes timed inside the page, so that no round trip to the test driver is counted.
LATENCY_SCRIPT = """
async (n) => {
  const form = document.getElementById("checker-form");
  const result = document.getElementById("checker-result");
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const dom = [], frame = [];
  for (let i = 0; i < n; i++) {
    const options = [...form.querySelectorAll("input[type=radio]")].filter((r) => !r.checked && !r.closest("[hidden]"));
    const option = options[Math.floor(random() * options.length)];
    const idle = new Promise((done) => {
      const watch = new MutationObserver(() => {
        if (result.getAttribute("aria-busy") === "false") { watch.disconnect(); done(performance.now()); }
      });
      watch.observe(result, {attributes: true, attributeFilter: ["aria-busy"]});
    });
    const start = performance.now();
    option.click();
    const rendered = await idle;
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    dom.push(rendered - start);
    frame.push(performance.now() - start);
  }
  return {dom, frame};
}
"""


def _config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="checker-config">(.*?)</script>', html, re.S)
    if not match:
        raise SystemExit("Error: checker.html has no #checker-config block (expected the checker page as built)")
    return json.loads(match.group(1))


def _with_config(html: str, config: dict) -> str:
    return re.sub(r'(<script type="application/json" id="checker-config">)(.*?)(</script>)',
                  lambda m: m.group(1) + json.dumps(config, ensure_ascii=False) + m.group(3), html, flags=re.S)


def _replace_once(text: str, old: str, new: str, what: str) -> str:
    if text.count(old) != 1:
        raise SystemExit(f"Error: cannot make the {what} variant: the worker no longer contains {old!r}")
    return text.replace(old, new)


def prepare(site: Path) -> dict[str, str]:
    """Copy the site and write the variants; {variant name: page path}."""
    from generator.live_checker.pyodide_assets import NODE_PYODIDE
    copy = WORK / "site"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy)
    html = (copy / "checker.html").read_text(encoding="utf-8")
    config = _config(html)
    shutil.copy(NODE_PYODIDE / "python_stdlib.zip", copy / config["pyodide"] / "python_stdlib.zip")
    worker_src = (copy / config["worker"]).read_text(encoding="utf-8")
    pages = {"floor": "floor.html", "checker": "checker.html"}

    floor_config = {"pyodide": config["pyodide"], "lock": config["lock"]}
    (copy / "floor.html").write_text(FLOOR_PAGE.replace("CONFIG", json.dumps(floor_config)), encoding="utf-8")
    (copy / "floor-worker.mjs").write_text(FLOOR_WORKER, encoding="utf-8")

    def variant(name: str, page: str, worker: str | None = None, extra_config: dict | None = None) -> None:
        new_config = dict(config, **(extra_config or {}))
        if worker is not None:
            path = str(Path(config["worker"]).with_name(f"bench-{page.removesuffix('.html')}.mjs"))
            (copy / path).write_text(worker, encoding="utf-8")
            new_config["worker"] = path
        _served_compressed(copy / page, _with_config(html, new_config).encode("utf-8"))
        pages[name] = page

    variant("whole standard library (before)", "checker-whole-stdlib.html", worker=_replace_once(
        worker_src, "stdLibURL: cfg.stdlib,", "", "whole standard library"))
    for name, form in (("stdlib as source", "source"), ("stdlib as source with docstrings", "docstrings")):
        path = f"assets/checker/bench-stdlib-{form}.zip"
        _served_compressed(copy / path, _stdlib_form(form))
        variant(name, f"checker-stdlib-{form}.html", extra_config={"stdlib": path})
    return pages


def _served_compressed(target: Path, data: bytes) -> None:
    """A file of a variant, with the .gz and .br that the build writes beside the site's own: a variant page
    served uncompressed sent 72 KB more than the checker page it copies."""
    from generator import precompress
    target.write_bytes(data)
    for encoding in ("gz", "br"):
        target.with_name(f"{target.name}.{encoding}").write_bytes(precompress.compressed(data, encoding))


def _stdlib_form(form: str) -> bytes:
    """The checker's standard-library files in another form: "source" (stripped, none compiled: made as the build
    makes the site's) or "docstrings" (as Pyodide ships them, stored)."""
    from generator.live_checker.pyodide_assets import NODE_PYODIDE
    from generator.live_checker.pyodide_stdlib import listed_files, make_trimmed_stdlib
    if form == "source":
        return make_trimmed_stdlib(NODE_PYODIDE, listed_files(), [])
    out = io.BytesIO()
    with zipfile.ZipFile(NODE_PYODIDE / "python_stdlib.zip") as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(listed_files()):
            target.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), source.read(name))
    return out.getvalue()


def _cold_and_repeat(browser, url: str, floor: bool, phone: bool = False, cpu_rate: float = 1) -> dict:
    """Cold load (and, but on the phone, a repeat visit); cpu_rate > 1 slows the renderer during the cold load
    until the page is ready (the phone with its processor)."""
    timeout = PHONE_CPU_TIMEOUT_MS if cpu_rate > 1 else TIMEOUT_MS
    context = browser.new_context(viewport={"width": 412, "height": 823})
    context.add_init_script(TIMING_SCRIPT)
    page = context.new_page()
    if phone:  # the page's network, its worker's fetches included
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", PHONE)
    sizes: list[int] = []
    page.on("requestfinished", lambda r: sizes.append(_transferred(r)))
    done = "body[data-state=ready], body[data-state=failed]" if floor else "#checker-result:not([data-state=loading])"
    figures = {}
    for visit in ("cold",) if phone else ("cold", "repeat"):
        sizes.clear()
        with RendererSlowdown(cpu_rate) as slow:
            page.goto(url, timeout=timeout)
            page.wait_for_selector(done, state="attached", timeout=timeout)
            if not floor:
                page.wait_for_selector("#checker-result[data-state=ready][aria-busy=false]", state="attached",
                                       timeout=timeout)
            else:
                state = page.get_attribute("body", "data-state")
                if state != "ready":
                    raise SystemExit(f"Error: the floor page did not start Pyodide (state {state}) at {url}")
        page.wait_for_load_state("networkidle")
        timing = page.evaluate("window.__bench")
        figures[visit] = {"worker": timing.get("worker"), "ready": timing.get("ready"), "shown": timing.get("shown"),
                          "bytes": sum(sizes), "requests": len(sizes), "cpu_share": slow.share}
    context.close()
    return figures


def _transferred(request) -> int:
    sizes = request.sizes()
    # Chromium reports no body size for a worker's own script: its Content-Length is what was sent.
    body = sizes["responseBodySize"] or int((request.response() and request.response().header_value("content-length")) or 0)
    return body + sizes["responseHeadersSize"]


def _latency(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("#checker-result[data-state=ready][aria-busy=false]", state="attached", timeout=TIMEOUT_MS)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    result = page.evaluate(LATENCY_SCRIPT, CHANGES)
    context.close()
    result["requests"] = len(requests)
    return result


def _round_order(names: list[str] | tuple[str, ...], i: int) -> list[str]:
    """The pages of round i shuffled with the round as seed: the same order in every bench run, but no page
    always loads right after the same one. In a fixed order the checker always followed the floor, and those
    runs put it 0.1 slower against the floor than the same pages shuffled (BENCHMARKS.md)."""
    order = list(names)
    random.Random(i).shuffle(order)
    return order


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def run() -> list[dict]:
    from playwright.sync_api import sync_playwright

    pages = prepare(site_dir())
    rows: list[dict] = []

    def row(figure, value, unit, anchor):
        rows.append({"area": "checker_browser", "figure": figure, "value": value, "unit": unit, "anchor": anchor})

    results: dict[str, list[dict]] = {name: [] for name in pages}
    phone: dict[str, list[dict]] = {name: [] for name in PHONE_PAGES}
    phone_cpu: dict[str, list[dict]] = {name: [] for name in PHONE_PAGES}
    with served_site(WORK / "site", PrecompressedHandler) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
        try:
            for i in range(PAIR_RUNS):  # interleaved, so that a busy moment on the machine is shared out
                # Every page in the first RUNS rounds, then the floor and the checker alone.
                for name in _round_order([n for n in pages if i < RUNS or n in PAIR], i):
                    path = pages[name]
                    figures = _cold_and_repeat(browser, f"{base}/{path}", floor=name == "floor")
                    results[name].append(figures)
                    print(f"  run {i + 1} {name}: ready {figures['cold']['ready']:.0f} ms, "
                          f"repeat {figures['repeat']['ready']:.0f} ms", file=sys.stderr)
            for i in range(PHONE_RUNS):
                for name in _round_order(PHONE_PAGES, i):
                    figures = _cold_and_repeat(browser, f"{base}/{pages[name]}", floor=name == "floor", phone=True)
                    phone[name].append(figures)
                    print(f"  phone run {i + 1} {name}: ready {figures['cold']['ready']:.0f} ms, "
                          f"{figures['cold']['bytes']:,} bytes", file=sys.stderr)
            for i in range(PHONE_RUNS):  # the same rounds again, with the processor slowed too
                for name in _round_order(PHONE_PAGES, i):
                    figures = _cold_and_repeat(browser, f"{base}/{pages[name]}", floor=name == "floor", phone=True,
                                               cpu_rate=PHONE_CPU_RATE)
                    phone_cpu[name].append(figures)
                    print(f"  phone {PHONE_CPU_RATE}x run {i + 1} {name}: ready {figures['cold']['ready']:.0f} ms, "
                          f"{figures['cold']['bytes']:,} bytes, renderer ran {figures['cold']['cpu_share']:.3f} "
                          f"of the time (load {os.getloadavg()[0]:.1f})", file=sys.stderr)
            latency = _latency(browser, f"{base}/checker.html")
        finally:
            browser.close()

    def median(name: str, visit: str, key: str) -> float:
        return statistics.median(r[visit][key] for r in results[name])

    def best(name: str, visit: str, key: str) -> float:
        return min(r[visit][key] for r in results[name])

    floor = median("floor", "cold", "ready")
    row("floor: loadPyodide() alone, Pyodide's whole standard library, in a module worker, navigation → ready "
        f"(cold, median of {PAIR_RUNS})", round(floor), "ms", "checker-browser-floor")
    row("floor: best run (the machine is shared: the slower runs measure the neighbours too)",
        round(best("floor", "cold", "ready")), "ms", "checker-browser-floor-best")
    row("floor: the same, repeat visit", round(median("floor", "repeat", "ready")), "ms",
        "checker-browser-floor-repeat")
    row("floor: bytes transferred (cold, brotli)", int(median("floor", "cold", "bytes")), "bytes",
        "checker-browser-floor-bytes")
    for name in pages:
        if name == "floor":
            continue
        key = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
        ready, shown = median(name, "cold", "ready"), median(name, "cold", "shown")
        row(f"{name}: navigation → engine ready (cold, median of {len(results[name])})", round(ready), "ms",
            f"checker-browser-{key}-ready")
        row(f"{name}: navigation → first explanation shown (cold)", round(shown), "ms", f"checker-browser-{key}-shown")
        row(f"{name}: engine ready ÷ floor (target ≤ 1.0)", round(ready / floor, 3), "×", f"checker-browser-{key}-ratio")
        row(f"{name}: best run, engine ready ÷ best floor", round(best(name, "cold", "ready") / best("floor", "cold", "ready"), 3),
            "×", f"checker-browser-{key}-best-ratio")
        if name in PAIR:
            paired = [r["cold"]["ready"] / f["cold"]["ready"] for r, f in zip(results[name], results["floor"])]
            row(f"{name}: each run ÷ the floor of the same round, median of {len(paired)} (a round shares "
                "the machine's moment)", round(statistics.median(paired), 3), "×",
                f"checker-browser-{key}-paired-ratio")
            row(f"{name}: runs ready no later than the floor of their round", sum(x <= 1 for x in paired),
                f"of {len(paired)}", f"checker-browser-{key}-runs-within")
        row(f"{name}: navigation → worker started (cold)", round(median(name, "cold", "worker")), "ms",
            f"checker-browser-{key}-worker")
        row(f"{name}: navigation → first explanation, repeat visit", round(median(name, "repeat", "shown")), "ms",
            f"checker-browser-{key}-repeat")
        row(f"{name}: bytes transferred (cold, brotli)", int(median(name, "cold", "bytes")), "bytes",
            f"checker-browser-{key}-bytes")
    phone_floor = statistics.median(r["cold"]["ready"] for r in phone["floor"])
    for name in PHONE_PAGES:
        key = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
        ready = statistics.median(r["cold"]["ready"] for r in phone[name])
        row(f"phone network (1.6 Mbps, 150 ms): {name}, navigation → ready (cold, median of {PHONE_RUNS})",
            round(ready), "ms", f"checker-browser-phone-{key}-ready")
        if name != "floor":
            row(f"phone network: {name} ready ÷ floor (target ≤ 0.7)", round(ready / phone_floor, 3), "×",
                f"checker-browser-phone-{key}-ratio")
        row(f"phone network: {name}, bytes transferred", int(statistics.median(r["cold"]["bytes"] for r in phone[name])),
            "bytes", f"checker-browser-phone-{key}-bytes")
    rate = PHONE_CPU_RATE
    phone_cpu_floor = statistics.median(r["cold"]["ready"] for r in phone_cpu["floor"])
    for name in PHONE_PAGES:
        key = re.sub(r"[^a-z]+", "-", name.lower()).strip("-")
        ready = statistics.median(r["cold"]["ready"] for r in phone_cpu[name])
        row(f"phone network and {rate}× slower processor (the renderer, its workers included): {name}, navigation → "
            f"ready (cold, median of {PHONE_RUNS})", round(ready), "ms", f"checker-browser-phone{rate}x-{key}-ready")
        if name != "floor":
            row(f"phone, {rate}× slower processor: {name} ready ÷ floor (target ≤ 0.6)", round(ready / phone_cpu_floor, 3),
                "×", f"checker-browser-phone{rate}x-{key}-ratio")
            paired = [r["cold"]["ready"] / f["cold"]["ready"] for r, f in zip(phone_cpu[name], phone_cpu["floor"])]
            row(f"phone, {rate}× slower processor: {name}, each run ÷ the floor of the same round, median of "
                f"{len(paired)}", round(statistics.median(paired), 3), "×", f"checker-browser-phone{rate}x-{key}-paired-ratio")
        row(f"phone, {rate}× slower processor: {name}, bytes transferred",
            int(statistics.median(r["cold"]["bytes"] for r in phone_cpu[name])), "bytes",
            f"checker-browser-phone{rate}x-{key}-bytes")
    shares = [r["cold"]["cpu_share"] for runs in phone_cpu.values() for r in runs]
    row(f"phone, {rate}× slower processor: share of the wall time the renderer ran until ready, median of "
        f"{len(shares)} loads (aim {1 / rate:.3g}; a thread's run past a stop is paid back)",
        round(statistics.median(shares), 3), "share", f"checker-browser-phone{rate}x-cpu-share")
    row(f"answer change → explanation in the page, median of {CHANGES}", round(statistics.median(latency["dom"]), 1),
        "ms", "checker-browser-latency-median")
    row(f"answer change → explanation in the page, 95th percentile (target < 10)",
        round(_percentile(latency["dom"], 0.95), 1), "ms", "checker-browser-latency-p95")
    row("answer change → the frame after it, median", round(statistics.median(latency["frame"]), 1), "ms",
        "checker-browser-frame-median")
    row("answer change → the frame after it, 95th percentile", round(_percentile(latency["frame"], 0.95), 1), "ms",
        "checker-browser-frame-p95")
    row(f"requests while making the {CHANGES} changes", latency["requests"], "requests",
        "checker-browser-latency-requests")
    return rows
