// The checker's layout script, written into the page at the top of the checker (generator/pages/checker_page.py,
// whole-line comments and indentation dropped), before the first paint:
// - it lays the page out as the live checker will (the questions asked only after another answer hidden, the
//   progress shown), or, when the browser asks to save data, as the save-data notice and the static explanations;
// - if the page script (checker-page.mjs) has not started after 10 s, the page falls back to what a reader
//   without scripts sees, and the worker the first script (checker-start.js, in the page's head) started stops:
//   nothing downloads for a page that cannot use it.
(function () {
  var checker = document.getElementById("checker");
  var saveData = !!(navigator.connection && navigator.connection.saveData);
  checker.classList.add(saveData ? "checker--save-data" : "checker--js");
  setTimeout(function () {
    if (checker.classList.contains("checker--started")) return;
    checker.classList.remove("checker--js", "checker--save-data");
    var boot = window.checkerStart;
    if (boot && boot.started) boot.started.worker.terminate();
    if (boot) boot.started = null;
  }, 10000);
})();
