/** Run `gitcrew serve` (trivial pipeline) as a real child process that a test can SIGKILL. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

/** `trivial`: serve-child.ts (trivial pipeline); `real`: server-real-child.ts (the default pipeline). */
export type ChildKind = "trivial" | "real";
const ENTRY: Record<ChildKind, string> = { trivial: "serve-child", real: "server-real-child" };
const bundleOf = (kind: ChildKind) => join(process.cwd(), "node_modules", ".cache", "gitcrew-tests", `${ENTRY[kind]}.mjs`);
const built = new Map<ChildKind, Promise<void>>();

/** Bundle the child once per test process; native modules stay in node_modules. */
export function buildServeChild(kind: ChildKind = "trivial"): Promise<void> {
  const OUT = bundleOf(kind);
  if (!built.has(kind)) built.set(kind, (async () => {
    mkdirSync(join(OUT, ".."), { recursive: true });
    await build({
      entryPoints: [join(process.cwd(), "test", "support", `${ENTRY[kind]}.ts`)],
      outfile: OUT,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      // Dependencies load from node_modules (native addons: better-sqlite3, ssh2 under dockerode).
      packages: "external",
      banner: { js: 'import { createRequire as __cr } from "node:module";\nconst require = __cr(import.meta.url);' },
      logLevel: "warning",
    });
  })());
  return built.get(kind) as Promise<void>;
}

export interface ServeChild {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
}

export async function startServeChild(env: Record<string, string>, kind: ChildKind = "trivial", args: string[] = [], cwd?: string): Promise<ServeChild> {
  await buildServeChild(kind);
  const child = spawn(process.execPath, [bundleOf(kind), ...args], { cwd, env: { ...process.env, GITCREW_HOST: "127.0.0.1", GITCREW_PORT: "0", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? String(code))));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) (child.stdout?.off("data", onData), resolve(m[1]));
    };
    child.stdout?.on("data", onData);
    void exited.then((how) => reject(new Error(`gitcrew serve exited (${how}) before listening:\n${out}`)));
  });
  return { url, child, output: () => out, exited };
}
