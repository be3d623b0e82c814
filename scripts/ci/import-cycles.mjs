#!/usr/bin/env node
/**
 * Import cycles in src/: esbuild bundles every entry (type-only imports are
 * dropped, as at run time) and its metafile's import graph is searched for
 * strongly connected components. Prints each cycle; exit 1 when there is one.
 */
import { build } from "esbuild";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith(".ts") && !n.endsWith(".d.ts") ? [join(dir, n)] : []));
const result = await build({ entryPoints: files("src"), bundle: true, write: false, metafile: true, platform: "node", format: "esm", outdir: "/tmp/import-cycles", packages: "external", logLevel: "silent" });
const graph = new Map();
for (const [file, input] of Object.entries(result.metafile.inputs)) {
  if (file.startsWith("src/")) graph.set(file, input.imports.map((i) => i.path).filter((p) => p.startsWith("src/")));
}
// Tarjan's strongly connected components.
let index = 0;
const idx = new Map(), low = new Map(), stack = [], on = new Set(), cycles = [];
const visit = (v) => {
  idx.set(v, index); low.set(v, index++); stack.push(v); on.add(v);
  for (const w of graph.get(v) ?? []) {
    if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
    else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const comp = [];
    let w;
    do { w = stack.pop(); on.delete(w); comp.push(w); } while (w !== v);
    if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(comp.sort());
  }
};
for (const v of graph.keys()) if (!idx.has(v)) visit(v);
for (const c of cycles) console.log(`import cycle: ${c.join(" <-> ")}`);
console.log(`${graph.size} modules, ${cycles.length} cycle(s)`);
process.exit(cycles.length ? 1 : 0);
