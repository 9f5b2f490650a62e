// The checker's engine in a module worker: the self-hosted Pyodide runtime with the checker's own
// standard library (only what it imports), the checker's wheel and the policy's checker data. Loading
// starts on the page's first message; after that the worker only answers "evaluate" messages, with no
// request of any kind.
//
// The wheel is fetched here, with the integrity its lock file entry gives (a wheel whose sha256 differs is
// refused by the browser), and imported from its zip as it is, as Python imports any pure-Python zip on
// sys.path. loadPyodide({packages}) would unpack it instead through Pyodide's package loader, whose
// imports (tarfile, importlib.metadata) and temporary file cost start-up time and the standard library's
// bytes for nothing the checker needs.

// The page asks for evaluations only after "ready", so nothing is queued before then.
let explain = null;    // Python: answers as JSON text -> {answers, layout} as JSON text (checker/layout.py)
const WHEEL_PATH = "/lib/policy_checker.whl";

// A response that arrived, or an error naming the file (a failed integrity check only says "Failed to fetch").
async function fetched(url, options) {
  const response = await fetch(url, options).catch((err) => { throw new Error(`${url}: ${err.message}`); });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

async function boot(cfg) {
  try {
    post({ type: "progress", step: "loading" });
    // The data and the wheel download while the interpreter starts.
    const dataText = fetched(cfg.data).then((response) => response.text());
    const wheel = fetched(cfg.wheel, { integrity: cfg.wheel_integrity }).then((response) => response.arrayBuffer());
    const { loadPyodide } = await import(new URL("pyodide.mjs", cfg.pyodide).href);
    const instantiation = watchInstantiation();
    const pyodide = await Promise.race([instantiation.failed, loadPyodide({
      indexURL: cfg.pyodide,
      lockFileURL: cfg.lock,
      stdLibURL: cfg.stdlib,
      stdout: () => {},
      stderr: (line) => console.warn("pyodide:", line),
    })]).finally(instantiation.stop);
    pyodide.FS.writeFile(WHEEL_PATH, new Uint8Array(await wheel));
    post({ type: "progress", step: "loading_policy" });
    const setup = pyodide.runPython(`
import json
import sys
sys.path.insert(0, "${WHEEL_PATH}")
from checker.engine import Evaluator
from checker.layout import layout

def _setup(data_text):
    # One Evaluator for every answer: the checker data's lookups are made once, here. Shared: each explanation
    # is only laid out and sent, never changed, so it may share its parts with the ones before (faster).
    data = json.loads(data_text)
    evaluator = Evaluator(data, shared=True)
    def explain(answers_text):
        # What the page shows: the explanation's layout tree, and the answers as the engine checked them.
        explanation = evaluator.evaluate(json.loads(answers_text))
        return json.dumps({"answers": explanation["answers"], "layout": layout(explanation, data["wording"])},
                          ensure_ascii=False)
    return explain

_setup
`);
    explain = setup(await dataText);
    setup.destroy();
    post({ type: "ready" });
  } catch (err) {
    post({ type: "failed", reason: "load_error", message: String(err && err.message || err) });
  }
}

// Pyodide 314 only logs a failed WebAssembly instantiation (a missing, refused or corrupt pyodide.asm.wasm,
// a wrong content type) or a standard library it could not fetch, and then waits for ever or fails
// later; this turns those log lines into a failure now rather than at the page's time-out.
// There is no documented signal to use instead: in 314.0.7 (package-lock.json) the catch around
// WebAssembly.instantiate(Streaming) in pyodide.mjs only calls console.warn, so loadPyodide never settles
// (a proposal upstream to reject it instead, pyodide/pyodide#6296, was closed). Should a later Pyodide
// reject, the race below fails at once all the same. The exact lines are pinned by
// tests/browser_checker/test_checker_faults.py, so that an upgrade that changes them fails the tests,
// not a caller's page; the same file serves a corrupt wasm file and expects a load error, not the time-out.
function watchInstantiation() {
  const { warn, error } = console;
  let reject;
  const failed = new Promise((_, no) => { reject = no; });
  console.warn = (...args) => {
    warn.apply(console, args);
    if (args[0] === "wasm instantiation failed!") reject(new Error("pyodide.asm.wasm could not be instantiated"));
  };
  console.error = (...args) => {
    error.apply(console, args);
    if (String(args[0]).startsWith("Error occurred while installing the standard library")) {
      reject(new Error("the standard library could not be loaded"));
    }
  };
  return { failed, stop: () => { console.warn = warn; console.error = error; } };
}

function answer(msg) {
  try {
    // The layout tree goes as the JSON text Python made: the page parses it (as quick as parsing it here), and
    // a string is copied across at once where an object would be cloned node by node, here and there.
    post({ type: "explanation", id: msg.id, json: explain(JSON.stringify(msg.answers)) });
  } catch (err) {
    post({ type: "error", id: msg.id, message: String(err && err.message || err) });
  }
}

function post(message) {
  self.postMessage(message);
}

self.addEventListener("message", (event) => {
  const msg = event.data;
  if (msg.type === "start") boot(msg);
  else if (msg.type === "evaluate" && explain) answer(msg);
});
