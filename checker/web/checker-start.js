// The checker page's first script, written into the page's <head> with the checker's config just above it
// (by generator/pages/checker_page.py; generator/live_checker/pyodide_assets.py's inline_script drops its whole-line
// comments and indentation), before the theme's stylesheets: a
// script after them would wait until they have arrived, and Pyodide's start is most of the caller's wait.
// - It starts the engine's worker there and then, unless the browser asks to save data or has no WebAssembly
//   (then the page script, or the save-data button, starts it). What the worker says before the page script
//   listens is kept.
// - The page script (checker-page.mjs, start()) finds what this started in window.checkerStart, and calls its
//   start() when nothing was started. The layout script at the top of the checker (checker-layout.js) stops the
//   worker if the page script never comes.
(function () {
  var saveData = !!(navigator.connection && navigator.connection.saveData);
  var boot = window.checkerStart = { started: null, start: start };
  // A worker given its start message, and the events it sends until `listener` is set (then each goes to it).
  function start() {
    var config = JSON.parse(document.getElementById("checker-config").textContent);
    var url = function (path) { return new URL(path, document.baseURI).href; };
    var worker = new Worker(url(config.worker), { type: "module" });
    var started = { worker: worker, events: [], listener: null };
    var keep = function (event) { if (started.listener) started.listener(event); else started.events.push(event); };
    // "error": a worker that cannot be fetched or parsed, or an error nothing in it caught.
    ["message", "error", "messageerror"].forEach(function (type) { worker.addEventListener(type, keep); });
    worker.postMessage({
      type: "start", pyodide: url(config.pyodide), lock: url(config.lock), stdlib: url(config.stdlib),
      data: url(config.data), wheel: url(config.wheel), wheel_integrity: config.wheel_integrity
    });
    return started;
  }
  // Without WebAssembly, or with an error here, nothing is started: the page script tries and says why.
  if (!saveData && typeof WebAssembly === "object" && typeof WebAssembly.instantiate === "function") {
    try { boot.started = start(); } catch (err) { /* boot.started stays null */ }
  }
})();
