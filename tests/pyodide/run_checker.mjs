// Run the checker inside Pyodide under Node: the wheel named by a lock file (hash-checked) is imported
// from its zip as the site's worker imports it (checker/web/checker-worker.mjs), never from the network. Used by tests/test_checker_pyodide.py and bench/.
//
//   node run_checker.mjs INPUT.json
//
// INPUT.json: {"indexURL": ".../node_modules/pyodide/", "lockFileURL": ".../pyodide-lock.json",
//              "package": "policy-checker", "stdLibURL": ".../stdlib.zip" (optional),
//              "record_stdlib": true (optional: the standard-library files loaded, in "stdlib_files"),
//              "runs": [{"data": ".../checker-data.json", "answers": [{...}, ...],
//                        "every_answers": [{...}, ...] (optional: sha256 of each one's compact JSON, in order),
//                        "results": false (optional: skip the per-answer results, for timing only),
//                        "bench": {"repeat": N} (optional: time N runs over the answers)}, ...]}
// One Pyodide for every run (policies one after another, as one worker would never do, but each run's engine
// is its own): Pyodide's start is most of a short run's time.
// Prints a JSON list, one object per run: {"python": "3.14.x", "results": [{"json": "..."} | {"error": "..."}],
//                          "all_digests": [...] | null, "load_seconds": s,
//                          "bench": {"evaluations_per_run": n, "seconds": [s, ...]} | null}; with
//                          record_stdlib, the first run's "startup_files" are those loaded before Pyodide's
//                          first explanation (a later run's are null: the modules are loaded by then), and each
//                          run's "stdlib_files" every file loaded by its end.
//
// The browser checks the wheel's sha256 (fetch with `integrity`); this script checks it against the lock
// file itself first, as the browser would, and refuses a wheel whose hash differs.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const input = JSON.parse(await readFile(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(input.indexURL, "pyodide.mjs")).href);

const lock = JSON.parse(await readFile(input.lockFileURL, "utf8"));
const entry = lock.packages[input.package];
if (!entry) {
  process.stderr.write(`${input.lockFileURL} has no package named ${input.package}\n`);
  process.exit(3);
}
const wheelPath = path.join(path.dirname(input.lockFileURL), entry.file_name);
const wheel = await readFile(wheelPath);
const actual = createHash("sha256").update(wheel).digest("hex");
if (actual !== entry.sha256) {
  process.stderr.write(`${wheelPath}: sha256 ${actual} does not match the lock file's ${entry.sha256}\n`);
  process.exit(4);
}

const started = performance.now();
const pyodide = await loadPyodide({
  indexURL: input.indexURL,
  // The checker's own standard library (generator/live_checker/pyodide_stdlib.py); Pyodide's whole one when not given.
  ...(input.stdLibURL ? { stdLibURL: input.stdLibURL } : {}),
  lockFileURL: input.lockFileURL,
  stdout: () => {},
  stderr: (line) => process.stderr.write(line + "\n"),
});
pyodide.FS.writeFile("/lib/policy_checker.whl", wheel);
pyodide.runPython(`import sys\nsys.path.insert(0, "/lib/policy_checker.whl")`);
const loadSeconds = (performance.now() - started) / 1000;

const script = new URL("run_cases.py", import.meta.url);
const code = await readFile(script, "utf8");
const outputs = [];
for (const [i, run] of input.runs.entries()) {
  pyodide.globals.set("data_text", await readFile(run.data, "utf8"));
  pyodide.globals.set("answers_text", JSON.stringify(run.answers));
  pyodide.globals.set("repeat", run.bench ? run.bench.repeat : 0);
  pyodide.globals.set("every_answers_text", run.every_answers ? JSON.stringify(run.every_answers) : null);
  pyodide.globals.set("want_results", run.results !== false);
  pyodide.globals.set("record_stdlib", Boolean(input.record_stdlib));
  pyodide.globals.set("first_run", i === 0);
  let out, every, everyFiles;
  try {
    pyodide.runPython(code, { filename: script.pathname });
    out = pyodide.globals.get("result");
    const everyRun = pyodide.globals.get("every_json");
    if (everyRun) {
      const done = JSON.parse(everyRun());
      every = done.digests;
      everyFiles = done.stdlib_files;
    }
  } catch (err) {
    // Only the message: Node would otherwise print a line of minified Pyodide source.
    process.stderr.write(String(err.message) + "\n");
    process.exit(1);
  }
  const result = JSON.parse(out);
  result.load_seconds = loadSeconds;
  result.all_digests = every;
  if (everyFiles) result.stdlib_files = everyFiles;   // what every answer set loaded, too
  outputs.push(result);
}
process.stdout.write(JSON.stringify(outputs));
