// Shared by the benchmarks: timing helpers and bench/RESULTS.md sections.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";

export const RESULTS = join(import.meta.dirname, "RESULTS.md");

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Wall time of one child process, start to exit, in ms. */
export function timeProcess(cmd, args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== (opts.expectStatus ?? 0)) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr?.toString().slice(0, 400)}`);
  }
  return ms;
}

export function machine() {
  return `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`;
}

/** Replace (or append) the section between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
export function writeSection(name, markdown) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, "utf8") : "# Benchmark results\n\nEach section is written by the benchmark that measured it. Figures are medians; ratios compare against a baseline measured in the same run, so they carry over to other machines better than milliseconds.\n";
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  text = re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(RESULTS, text);
}

/**
 * Bundles a TypeScript driver (bench/NAME.ts, or `entry`) into node_modules/.cache (or `outfile`) for `node` to
 * run; returns the file.
 */
export async function bundleDriver(name, { entry = join(import.meta.dirname, `${name}.ts`), outfile } = {}) {
  const { build } = await import("esbuild");
  const out = outfile ?? join(import.meta.dirname, "..", "node_modules", ".cache", "gitcrew-bench", `${name}-${process.pid}.mjs`);
  mkdirSync(join(out, ".."), { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    banner: { js: 'import { createRequire as __cr } from "node:module";\nconst require = __cr(import.meta.url);' },
    logLevel: "warning",
  });
  return out;
}
