// `npm run bench`: every benchmark in bench/ in turn, each in its own process,
// each writing its section of bench/RESULTS.md.
//   npm run bench                       all of them
//   npm run bench -- intake drain       only these (by file name without .mjs)
//   npm run bench -- --quick            pass flags through to each benchmark
// A benchmark is a bench/*.mjs file that writes a RESULTS.md section
// (calls writeSection); helpers such as results.mjs or intake-action-llama.mjs are not run.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const DIR = import.meta.dirname;
/** Cheap first, so that a broken setup shows early; the rest in name order. */
const ORDER = ["crew", "intake", "run-overhead", "drain"];

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith("-"));
const flags = args.filter((a) => a.startsWith("-"));

const found = readdirSync(DIR)
  .filter((f) => f.endsWith(".mjs") && f !== "run.mjs" && f !== "results.mjs")
  .filter((f) => readFileSync(join(DIR, f), "utf8").includes("writeSection("))
  .map((f) => f.slice(0, -".mjs".length));
const rank = (n) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
const all = found.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const unknown = names.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`no benchmark ${unknown.join(", ")}; there are: ${all.join(", ")}`);
  process.exit(2);
}
const chosen = names.length ? all.filter((n) => names.includes(n)) : all;

const outcomes = [];
for (const name of chosen) {
  console.error(`\n=== bench/${name}.mjs ${flags.join(" ")}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [join(DIR, `${name}.mjs`), ...flags], { stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  outcomes.push({ name, ok: r.status === 0, seconds, status: r.status ?? r.signal });
}

console.error("\n=== summary (results in bench/RESULTS.md)");
for (const o of outcomes) console.error(`${o.ok ? "ok    " : "FAILED"} ${o.name} (${o.seconds} s)${o.ok ? "" : `: exit ${o.status}`}`);
process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;
