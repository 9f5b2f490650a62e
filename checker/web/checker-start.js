// The checker page's first script, written into the page itself (generator/checker_page.py, whole-line comments
// and indentation dropped) at the top of the checker, before the first paint:
// - it lays the page out as the live checker will (the questions asked only after another answer hidden, the
//   progress shown), or, when the browser asks to save data, as the save-data notice and the static explanations;
// - it starts the engine's worker there and then, unless the browser asks to save data. The page script
//   (checker-page.mjs) arrives only after the theme's stylesheets and the page above it; Pyodide's start is most
//   of the wait, and it begins here instead. What the worker says before the page script listens is kept;
// - if the page script has not started after 10 s, the page falls back to what a reader without scripts sees,
//   and a worker started here stops: nothing downloads for a page that cannot use it.
// The page script finds what this started in window.checkerStart (checker-page.mjs, start()).
(function () {
  var checker = document.getElementById("checker");
  var saveData = !!(navigator.connection && navigator.connection.saveData);
  checker.classList.add(saveData ? "checker--save-data" : "checker--js");
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
  setTimeout(function () {
    if (checker.classList.contains("checker--started")) return;
    checker.classList.remove("checker--js", "checker--save-data");
    if (boot.started) boot.started.worker.terminate();
    boot.started = null;
  }, 10000);
})();
