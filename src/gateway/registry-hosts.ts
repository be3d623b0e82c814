/**
 * `preset:packages`: the package registries this host's own tools are
 * configured to use, read from their configuration on the host where the
 * gateway runs. No registry name is written in gitcrew: npm says its
 * registry (its own default when unset), pip its index (its own default
 * when none is configured), apt its sources, cargo its configured
 * registries and source replacements, Go its GOPROXY. A tool that is absent
 * contributes nothing. Each registry becomes `host:port` (the URL's port,
 * else 443 for https and 80 for http).
 */
import { execFile } from "node:child_process";
import { accessSync, constants, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import { parseHostPattern } from "./hosts.js";

export type RegistryTool = "npm" | "pip" | "apt" | "cargo" | "go";

export interface RegistryHosts {
  /** Allowlist patterns, sorted, each once. */
  hosts: string[];
  /** Which tool's configuration gave which patterns (tools that gave none are left out). */
  sources: { tool: RegistryTool; hosts: string[] }[];
}

export interface RegistryHostsOptions {
  /** The environment the tools run with and read (PATH, npm_config_*, PIP_*, GOPROXY, CARGO_*). */
  env?: NodeJS.ProcessEnv;
  /** apt's configuration folder (sources.list, sources.list.d/); default /etc/apt. */
  aptDir?: string;
  /** Per tool command; default 15 s (a first npm start on a busy machine is slow). */
  timeoutMs?: number;
}

/** Resolves the preset on this host; never throws (a tool that fails gives nothing). */
export async function packageRegistryHosts(opts: RegistryHostsOptions = {}): Promise<RegistryHosts> {
  const env = opts.env ?? process.env;
  const ctx: Ctx = { env, timeoutMs: opts.timeoutMs ?? 15_000 };
  const found = await Promise.all([
    npmRegistries(ctx).then((urls) => ["npm", urls] as const),
    pipIndexes(ctx).then((urls) => ["pip", urls] as const),
    Promise.resolve(["apt", aptSources(opts.aptDir ?? "/etc/apt")] as const),
    Promise.resolve(["cargo", cargoRegistries(env)] as const),
    goProxies(ctx).then((urls) => ["go", urls] as const),
  ]);
  const sources: RegistryHosts["sources"] = [];
  for (const [tool, urls] of found) {
    const hosts = uniqueSorted(urls.map(hostPatternOf).filter((h): h is string => h !== undefined));
    if (hosts.length > 0) sources.push({ tool, hosts });
  }
  return { hosts: uniqueSorted(sources.flatMap((s) => s.hosts)), sources };
}

/** `host:port` for an http(s) URL (apt's and cargo's `mirror+`, `tor+`, `sparse+` prefixes allowed); undefined for anything else. */
export function hostPatternOf(url: string): string | undefined {
  const bare = url.trim().replace(/^(?:[a-z]+\+)+(?=https?:)/i, "");
  let u: URL;
  try {
    u = new URL(bare);
  } catch {
    return undefined;
  }
  if ((u.protocol !== "https:" && u.protocol !== "http:") || !u.hostname) return undefined;
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const pattern = `${u.hostname}:${port}`;
  try {
    parseHostPattern(pattern);
  } catch {
    return undefined;
  }
  return pattern;
}

interface Ctx {
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
}

const uniqueSorted = (xs: string[]): string[] => [...new Set(xs)].sort();
const words = (s: string | undefined): string[] => (s ?? "").split(/\s+/).filter(Boolean);

/** The tool's path on the environment's PATH, or undefined. */
function onPath(env: NodeJS.ProcessEnv, name: string): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    // A relative entry ("." or node_modules/.bin) would find a program the repository put there.
    if (!isAbsolute(dir)) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** stdout of a tool, or undefined when it is absent, fails or hangs. */
function run(ctx: Ctx, tool: string, args: string[]): Promise<string | undefined> {
  const file = onPath(ctx.env, tool);
  if (!file) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    // cwd "/": never the repository's folder, whose .npmrc npm would read and whose pip/ python would import.
    execFile(file, args, { cwd: "/", env: ctx.env, timeout: ctx.timeoutMs, maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

/** npm's `registry` (its default when unset) and every `@scope:registry`. */
async function npmRegistries(ctx: Ctx): Promise<string[]> {
  const out = await run(ctx, "npm", ["config", "list", "--json"]);
  if (out === undefined) return [];
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(out) as Record<string, unknown>;
  } catch {
    return [];
  }
  return Object.entries(config)
    .filter(([k, v]) => (k === "registry" || /^@[^:]+:registry$/.test(k)) && typeof v === "string")
    .map(([, v]) => v as string);
}

/**
 * pip's index and extra indexes, from PIP_INDEX_URL / PIP_EXTRA_INDEX_URL
 * and `pip config list`; with no index configured, pip's own default index
 * and the host it stores files on, as pip itself names them.
 */
async function pipIndexes(ctx: Ctx): Promise<string[]> {
  const urls = [...words(ctx.env.PIP_INDEX_URL), ...words(ctx.env.PIP_EXTRA_INDEX_URL)];
  let indexSet = words(ctx.env.PIP_INDEX_URL).length > 0;
  const listed = await run(ctx, "pip", ["config", "list"]);
  if (listed === undefined) return urls;
  for (const line of listed.split("\n")) {
    const m = /^[^=\s]*\.(index-url|extra-index-url)='(.*)'$/.exec(line.trim());
    if (!m?.[2]) continue;
    urls.push(...words(m[2]));
    if (m[1] === "index-url") indexSet = true;
  }
  if (!indexSet && !/^(1|true|yes|on)$/i.test(ctx.env.PIP_NO_INDEX ?? "")) {
    const py = "import pip._internal.models.index as i; print(i.PyPI.url); print('https://' + i.PyPI.file_storage_domain + '/')";
    const pipDefault = await run(ctx, "python3", ["-c", py]);
    urls.push(...words(pipDefault));
  }
  return urls;
}

/** URIs of sources.list and sources.list.d/*.list (one-line form) and *.sources (deb822, `Enabled: no` skipped). */
export function aptSources(aptDir: string): string[] {
  const urls: string[] = [];
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  };
  const oneLine = (text: string) => {
    for (const raw of text.split("\n")) {
      const line = raw.replace(/#.*/, "").trim();
      const m = /^deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line);
      if (m?.[1]) urls.push(m[1]);
    }
  };
  const deb822 = (text: string) => {
    for (const stanza of text.split(/\n\s*\n/)) {
      const fields = new Map<string, string>();
      let last: string | undefined;
      for (const raw of stanza.split("\n")) {
        if (raw.startsWith("#")) continue;
        if (/^\s/.test(raw) && last) {
          fields.set(last, `${fields.get(last) ?? ""} ${raw.trim()}`);
          continue;
        }
        const m = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(raw);
        if (!m?.[1]) continue;
        last = m[1].toLowerCase();
        fields.set(last, m[2] ?? "");
      }
      if (/^(no|false)$/i.test(fields.get("enabled")?.trim() ?? "")) continue;
      urls.push(...words(fields.get("uris")));
    }
  };
  const main = read(join(aptDir, "sources.list"));
  if (main !== undefined) oneLine(main);
  let names: string[] = [];
  try {
    names = readdirSync(join(aptDir, "sources.list.d")).sort();
  } catch {
    // no folder: nothing more
  }
  for (const name of names) {
    const text = name.endsWith(".list") || name.endsWith(".sources") ? read(join(aptDir, "sources.list.d", name)) : undefined;
    if (text === undefined) continue;
    if (name.endsWith(".list")) oneLine(text);
    else deb822(text);
  }
  return urls;
}

/**
 * Registries cargo is configured with: CARGO_REGISTRIES_<NAME>_INDEX and
 * CARGO_REGISTRY_INDEX, and `index` / `registry` entries of config.toml
 * under CARGO_HOME (default ~/.cargo): named registries and source
 * replacements. cargo's built-in default is in no configuration it prints,
 * so it is not here.
 */
export function cargoRegistries(env: NodeJS.ProcessEnv): string[] {
  const urls = Object.entries(env)
    .filter(([k, v]) => v && (/^CARGO_REGISTRIES_[A-Z0-9_]+_INDEX$/.test(k) || k === "CARGO_REGISTRY_INDEX"))
    .map(([, v]) => v as string);
  const home = env.CARGO_HOME || join(env.HOME || homedir(), ".cargo");
  for (const name of ["config.toml", "config"]) {
    let text: string;
    try {
      text = readFileSync(join(home, name), "utf8");
    } catch {
      continue;
    }
    let section = "";
    for (const raw of text.split("\n")) {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header?.[1]) {
        section = header[1].trim();
        continue;
      }
      // `[registries.x] index = "…"`, `[source.x] registry = "…"`, or inline `x = { index = "…" }` under [registries].
      if (!/^(registries|source|registry)(\.|$)/.test(section)) continue;
      for (const m of line.matchAll(/\b(?:index|registry)\s*=\s*"([^"]+)"/g)) if (m[1]) urls.push(m[1]);
    }
  }
  return urls;
}

/** GOPROXY's proxies (`direct` and `off` ignored): `go env GOPROXY` when go is installed (it reads the variable too), else the variable. */
async function goProxies(ctx: Ctx): Promise<string[]> {
  const value = (await run(ctx, "go", ["env", "GOPROXY"])) ?? ctx.env.GOPROXY;
  return (value ?? "")
    .split(/[,|]/)
    .map((s) => s.trim())
    .filter((s) => s && s !== "direct" && s !== "off");
}
