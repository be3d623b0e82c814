/**
 * The files of a split esbuild bundle that an entry reaches through its
 * relative imports: only `import … from "./x.js"` (what Node loads before
 * the entry's first line runs), or also `import("./x.js")` (what it may load
 * later).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

const STATIC = /(?:^|\n)import\s*(?:[^;"'`]*?from\s*)?"(\.{1,2}\/[^"]+)"/g;
const DYNAMIC = /\bimport\("(\.{1,2}\/[^"]+)"\)/g;

/** Absolute paths of `entry` and the files it reaches, each once. */
export function bundleFiles(entry: string, opts: { dynamic: boolean }): string[] {
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const re of opts.dynamic ? [STATIC, DYNAMIC] : [STATIC]) for (const m of text.matchAll(re)) walk(join(dirname(file), m[1]!));
  };
  walk(entry);
  return [...seen];
}

/**
 * The source modules and packages esbuild bundled into `files`, from the
 * `// path` line it writes above each one (`src/…`, `node_modules/…`; a
 * linked node_modules shows as `../../elsewhere/node_modules/…`).
 */
export function bundledModules(files: string[]): Set<string> {
  const modules = new Set<string>();
  for (const f of files) {
    for (const [, path] of readFileSync(f, "utf8").matchAll(/^\/\/ (\S+\.[cm]?[jt]sx?)$/gm)) {
      const at = path!.lastIndexOf("node_modules/");
      if (at >= 0) modules.add(path!.slice(at));
      else if (path!.startsWith("src/")) modules.add(path!);
    }
  }
  return modules;
}
