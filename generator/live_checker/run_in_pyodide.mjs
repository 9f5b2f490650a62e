// Run one Python file inside Pyodide under Node, for the build: node run_in_pyodide.mjs REQUEST.json
//
// REQUEST.json: {"indexURL": ".../node_modules/pyodide/", "script": "path.py", "globals": {name: text},
//                "env": {NAME: value} (optional: Python's environment, read when it starts),
//                "modules": ["other.py"] (optional: copied into Python's working directory, so the script imports them),
//                "output": {"fs": "/tmp/x" (a file in Pyodide's file system), "to": "path on disk"}}
// The script sets `result` (a text), printed on stdout; the Pyodide file `output.fs` is copied to `output.to`.
// Only local files are read: Pyodide starts from the npm package with its full standard library.
import { readFile, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";

const request = JSON.parse(await readFile(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(request.indexURL, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: request.indexURL, env: request.env || {}, stdout: () => {},
  stderr: (line) => process.stderr.write(line + "\n") });
for (const [name, value] of Object.entries(request.globals || {})) pyodide.globals.set(name, value);
for (const file of request.modules || []) pyodide.FS.writeFile(path.basename(file), await readFile(file));
let result;
try {
  pyodide.runPython(await readFile(request.script, "utf8"), { filename: request.script });
  result = pyodide.globals.get("result");
} catch (err) {
  // Only the message: Node would otherwise print a line of minified Pyodide source.
  process.stderr.write(String(err.message) + "\n");
  process.exit(1);
}
if (request.output) await writeFile(request.output.to, pyodide.FS.readFile(request.output.fs));
process.stdout.write(String(result));
