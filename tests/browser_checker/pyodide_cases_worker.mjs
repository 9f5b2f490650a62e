// A module worker for tests/browser_checker/test_checker_pyodide_chromium.py: Pyodide started from the built
// site's own files, as the checker's worker starts it (its standard library, lock, wheel imported from its
// zip, and data), then
// tests/pyodide/run_cases.py, the same Python that the Node runner runs, over every case and (cfg.every: the
// URL of a JSON list) every answer set.
// Posts {ok: true, result} (result as run_cases.py gives it, with "all_digests": sha256 of each answer
// set's compact JSON) or {ok: false, message}.
self.addEventListener("message", async (event) => {
  const cfg = event.data;
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", cfg.pyodide).href);
    const wheel = fetch(cfg.wheel, { integrity: cfg.wheel_integrity }).then((r) => r.arrayBuffer());
    const pyodide = await loadPyodide({
      indexURL: cfg.pyodide, lockFileURL: cfg.lock, ...(cfg.stdlib ? { stdLibURL: cfg.stdlib } : {}),
    });
    pyodide.FS.writeFile("/lib/policy_checker.whl", new Uint8Array(await wheel));
    pyodide.runPython(`import sys\nsys.path.insert(0, "/lib/policy_checker.whl")`);
    const [data, answers, script, every] = await Promise.all(
      [cfg.data, cfg.answers, cfg.script, cfg.every].map((url) => url ? fetch(url).then((r) => r.text()) : null));
    for (const [name, value] of Object.entries({ data_text: data, answers_text: answers, want_results: true,
      every_answers_text: every, repeat: 0, record_stdlib: true, first_run: true })) pyodide.globals.set(name, value);
    pyodide.runPython(script);
    const result = JSON.parse(pyodide.globals.get("result"));
    if (every) {
      const done = JSON.parse(pyodide.globals.get("every_json")());
      result.all_digests = done.digests;
      result.stdlib_files = done.stdlib_files;   // what every answer set loaded, too
    }
    self.postMessage({ ok: true, result });
  } catch (err) {
    self.postMessage({ ok: false, message: String((err && err.message) || err) });
  }
});
