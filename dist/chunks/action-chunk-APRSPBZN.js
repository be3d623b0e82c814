import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  adapterFor
} from "./action-chunk-TUGKY3QR.js";

// src/runner/unlock-tree.ts
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, lstatSync, readdirSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
var run = promisify(execFile);
var UNLOCK_ALL = (path) => ["chmod", ["-R", "u+rwX", "--", path]];
var REMOVE_ALL = (path) => ["rm", ["-rf", "--", path]];
function isDenied(err) {
  const code = err?.code;
  return code === "EACCES" || code === "EPERM";
}
function unlockDir(path) {
  try {
    const st = lstatSync(path);
    if (!st.isDirectory() || (st.mode & 448) === 448) return false;
    chmodSync(path, st.mode & 4095 | 448);
    return true;
  } catch {
    return false;
  }
}
function unlockTree(root) {
  const stack = [Buffer.from(root)];
  while (stack.length > 0) {
    const dir = stack.pop();
    unlockDir(dir);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    } catch {
      continue;
    }
    for (const e of entries) {
      const path = Buffer.concat([dir, Buffer.from("/"), e.name]);
      if (e.isDirectory()) stack.push(path);
      else if (e.isFile()) {
        try {
          const st = lstatSync(path);
          if (st.isFile() && !(st.mode & 256)) chmodSync(path, st.mode & 4095 | 384);
        } catch {
        }
      }
    }
  }
}
function isFolder(path) {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}
function curable(err) {
  return isDenied(err) || err?.code === "ENAMETOOLONG";
}
async function removeTree(path) {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    if (!curable(err)) throw err;
    if (isFolder(path)) await run(...UNLOCK_ALL(path)).catch(() => void 0);
    await run(...REMOVE_ALL(path));
  }
}
function removeTreeSync(path) {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (err) {
    if (!curable(err)) throw err;
    try {
      if (isFolder(path)) execFileSync(...UNLOCK_ALL(path), { stdio: "ignore" });
    } catch {
    }
    execFileSync(...REMOVE_ALL(path), { stdio: ["ignore", "ignore", "pipe"] });
  }
}

// src/runner/commit-worktree.ts
import { createHash } from "node:crypto";
import { isAscii } from "node:buffer";
import { chmodSync as chmodSync2, constants, lstatSync as lstatSync2, readdirSync as readdirSync2, rmSync as rmSync3 } from "node:fs";
import { open, readFile as readFile2, readlink } from "node:fs/promises";
import { dirname, join as join2 } from "node:path";

// src/runner/git-index.ts
import { readFile } from "node:fs/promises";
async function readIndexStat(path, idBytes) {
  const out = /* @__PURE__ */ new Map();
  const buf = await readFile(path).catch(() => void 0);
  if (!buf || buf.length < 12 || buf.toString("latin1", 0, 4) !== "DIRC") return out;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return out;
  const count = buf.readUInt32BE(8);
  let at = 12;
  for (let i = 0; i < count; i++) {
    const fixed = 40 + idBytes + 2;
    if (at + fixed > buf.length) return /* @__PURE__ */ new Map();
    const flags = buf.readUInt16BE(at + 40 + idBytes);
    const extended = version === 3 && (flags & 16384) !== 0;
    const nameAt = at + fixed + (extended ? 2 : 0);
    let nameLen = flags & 4095;
    if (nameLen === 4095) nameLen = buf.indexOf(0, nameAt) - nameAt;
    if (nameLen < 0 || nameAt + nameLen > buf.length) return /* @__PURE__ */ new Map();
    const name = buf.toString("utf8", nameAt, nameAt + nameLen);
    if ((flags & 12288) === 0)
      out.set(name, {
        mtimeSec: buf.readUInt32BE(at + 8),
        mtimeNsec: buf.readUInt32BE(at + 12),
        ino: buf.readUInt32BE(at + 20),
        size: buf.readUInt32BE(at + 36),
        id: buf.toString("hex", at + 40, at + 40 + idBytes)
      });
    const len = nameAt - at + nameLen;
    at += len + 8 & ~7;
  }
  return out;
}

// src/runner/host-git.ts
import { execFile as execFile2, spawn } from "node:child_process";
import { mkdtempSync, rmSync as rmSync2 } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
var emptyHome;
function home() {
  if (!emptyHome) {
    const made = mkdtempSync(join(tmpdir(), "gitcrew-git-home-"));
    emptyHome = made;
    process.once("exit", () => rmSync2(made, { recursive: true, force: true }));
  }
  return emptyHome;
}
function hostGitEnv() {
  return {
    PATH: process.env.PATH || "/usr/local/bin:/usr/bin:/bin",
    HOME: home(),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C"
  };
}
var NO_HOOKS = ["-c", "core.hooksPath=/dev/null"];
var GIT_TIMEOUT_MS = 10 * 6e4;
function gitRaw(cwd, args) {
  return new Promise(
    (resolve) => execFile2("git", [...NO_HOOKS, ...args], { cwd, env: hostGitEnv(), encoding: "buffer", maxBuffer: 512 * 1024 * 1024, timeout: GIT_TIMEOUT_MS, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      const code = err ? typeof err.code === "number" ? err.code : 128 : 0;
      const text = stderr.toString("utf8");
      resolve({ code, stdout, stderr: text || (err && typeof err.code !== "number" ? err.message : "") });
    })
  );
}
async function gitText(cwd, args) {
  const out = await gitRaw(cwd, args);
  return { ...out, stdout: out.stdout.toString("utf8") };
}
function gitSpawn(cwd, args) {
  return spawn("git", [...NO_HOOKS, ...args], { cwd, env: hostGitEnv(), stdio: ["pipe", "pipe", "pipe"] });
}

// src/runner/commit-worktree.ts
function isGitName(name) {
  const c = name.charCodeAt(0);
  if (c !== 46 && c !== 71 && c !== 103) return false;
  const n = name.toLowerCase().replace(/[. ]+$/, "");
  return n === ".git" || n === "git~1";
}
function workflowPath(path) {
  const p = path.toLowerCase();
  return p === ".github" || p === ".github/workflows" || p.startsWith(".github/workflows/");
}
var NO_LINK = /* @__PURE__ */ new Set([".gitmodules", ".gitattributes", ".gitignore", ".mailmap"]);
async function collectChanges(opts) {
  const git = async (args, what) => {
    const out = await gitRaw(opts.dir, [...opts.gitArgs, ...args]);
    if (out.code !== 0) throw new Error(`git ${what} failed: ${out.stderr.trim() || `exit code ${out.code}`}`);
    return out.stdout;
  };
  const startP = detachedHead(join2(dirname(opts.index), "HEAD")).then(
    async (h) => h ?? (await git(["rev-parse", "--show-object-format", "HEAD"], "rev-parse")).toString("utf8").trim().split("\n")
  );
  const [[format, start], listed, stats, walked] = await Promise.all([
    startP,
    git(["ls-tree", "-r", "-z", "--full-tree", "HEAD"], "ls-tree"),
    opts.settledNs === void 0 ? /* @__PURE__ */ new Map() : startP.then(([f]) => readIndexStat(opts.index, f === "sha256" ? 32 : 20)),
    walk(opts.dir)
  ]);
  if (!format || !start) throw new Error("git rev-parse gave no object format or HEAD");
  const head = parseTree(listed);
  const gitlinks = /* @__PURE__ */ new Set();
  for (const [p, e] of head) if (e.mode === "160000") gitlinks.add(p);
  const { found, removed } = walked;
  if (gitlinks.size > 0) {
    for (const p of found.keys()) if (atOrBelow(p, gitlinks)) found.delete(p);
  }
  let untracked = false;
  for (const p of found.keys())
    if (!head.has(p)) {
      untracked = true;
      break;
    }
  const others = untracked ? new Set(
    split0(
      await git(["--no-optional-locks", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "ls-files", "-z", "--others", "--exclude-standard"], "ls-files")
    ).map((b) => b.toString("utf8"))
  ) : /* @__PURE__ */ new Set();
  const ids = /* @__PURE__ */ new Map();
  const toRead = [];
  for (const [p, f] of found) {
    const before = head.get(p);
    if (!before && !others.has(p)) continue;
    const id = asCheckedOut(f, before, stats.get(p), opts.settledNs);
    if (id === void 0) toRead.push([p, f]);
    else ids.set(p, id);
  }
  const read = await mapLimit(toRead, 16, ([p, f]) => blobId(join2(opts.dir, p), f, format));
  toRead.forEach(([p], i) => ids.set(p, read[i]));
  let written = [];
  for (const [p, { mode }] of found) {
    const id = ids.get(p);
    const before = head.get(p);
    if (id !== void 0 && (!before || before.mode !== mode || before.id !== id)) written.push({ path: p, mode });
  }
  let deleted = [];
  for (const [p, e] of head) if (e.mode !== "160000" && !ids.has(p)) deleted.push(p);
  const frozen = opts.frozen;
  const held = frozen ? [...written.map((w) => w.path), ...deleted].filter(frozen).sort() : [];
  if (frozen && held.length > 0) {
    written = written.filter((w) => !frozen(w.path));
    deleted = deleted.filter((p) => !frozen(p));
  }
  const changedFiles = [...written.map((w) => w.path), ...deleted].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return {
    start,
    changedFiles,
    removed,
    held,
    write: (w) => fastImport({ ...opts, start, written, deleted, ...w })
  };
}
async function detachedHead(path) {
  const text = await readFile2(path, "latin1").catch(() => "");
  const id = /^([0-9a-f]{40}|[0-9a-f]{64})\n?$/.exec(text)?.[1];
  return id ? [id.length === 64 ? "sha256" : "sha1", id] : void 0;
}
function parseTree(listed) {
  const head = /* @__PURE__ */ new Map();
  for (const rec of split0(listed)) {
    const tab = rec.indexOf(9);
    const sp1 = rec.indexOf(32);
    const sp2 = rec.lastIndexOf(32, tab);
    const path = utf8(rec.subarray(tab + 1));
    if (path !== void 0) head.set(path, { mode: rec.toString("latin1", 0, sp1), id: rec.toString("latin1", sp2 + 1, tab) });
  }
  return head;
}
function asCheckedOut(f, head, idx, settledNs) {
  if (!head || !idx || settledNs === void 0 || idx.id !== head.id) return void 0;
  const same = f.ctimeNs < settledNs && f.ino === idx.ino && f.size === idx.size && f.mtimeNs === BigInt(idx.mtimeSec) * 1000000000n + BigInt(idx.mtimeNsec);
  return same ? head.id : void 0;
}
async function walk(root) {
  const found = /* @__PURE__ */ new Map();
  const removed = [];
  const stack = [""];
  let done = 0;
  while (stack.length > 0) {
    const rel = stack.pop();
    const abs = rel ? `${root}/${rel}` : root;
    let dirents = [];
    const list = () => {
      dirents = readdirSync2(abs, { withFileTypes: true });
      if (dirents.some((d) => d.name.includes("\uFFFD"))) dirents = readdirSync2(abs, { withFileTypes: true, encoding: "buffer" });
    };
    try {
      list();
    } catch (err) {
      if (!isDenied(err) || !unlockDir(abs)) continue;
      try {
        list();
      } catch {
        continue;
      }
    }
    for (const d of dirents) {
      if (++done % 500 === 0) await new Promise((r) => setImmediate(r));
      const raw = d.name;
      const name = typeof raw === "string" ? raw : utf8(raw);
      if (name === void 0) {
        removeEntry(abs, Buffer.concat([Buffer.from(`${abs}/`), raw]));
        removed.push(`${rel ? `${rel}/` : ""}${raw.toString("utf8")} (name not UTF-8)`);
        continue;
      }
      if (!rel && name === ".git") continue;
      const path = rel ? `${rel}/${name}` : name;
      const absPath = `${abs}/${name}`;
      if (isGitName(name)) {
        removeEntry(abs, absPath);
        removed.push(path);
        continue;
      }
      if (d.isDirectory()) {
        if (Buffer.byteLength(absPath) <= MAX_DIR_PATH) stack.push(path);
        else {
          removeTreeSync(absPath);
          removed.push(`${path.slice(0, 200)}\u2026 (a path too long)`);
        }
        continue;
      }
      if (d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice()) {
        removeEntry(abs, absPath);
        removed.push(`${path} (not a file)`);
        continue;
      }
      let st;
      try {
        st = lstatSync2(absPath, { bigint: true });
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (Buffer.byteLength(absPath) <= MAX_DIR_PATH) stack.push(path);
        else {
          removeTreeSync(absPath);
          removed.push(`${path.slice(0, 200)}\u2026 (a path too long)`);
        }
      } else if (st.isSymbolicLink() && NO_LINK.has(name.toLowerCase())) {
        removeEntry(abs, absPath);
        removed.push(`${path} (a link)`);
      } else if (st.isFile() || st.isSymbolicLink()) {
        if (st.isFile() && !(st.mode & 0o400n)) chmodSync2(absPath, Number(st.mode & 0o7777n) | 384);
        found.set(path, {
          mode: st.isSymbolicLink() ? "120000" : st.mode & 0o100n ? "100755" : "100644",
          ctimeNs: st.ctimeNs,
          mtimeNs: st.mtimeNs,
          ino: Number(st.ino & 0xffffffffn),
          size: Number(st.size & 0xffffffffn)
        });
      } else {
        removeEntry(abs, absPath);
        removed.push(`${path} (not a file)`);
      }
    }
  }
  return { found, removed };
}
function removeEntry(parent, path) {
  try {
    rmSync3(path, { recursive: true, force: true });
  } catch (err) {
    if (!isDenied(err) && err.code !== "ENAMETOOLONG") throw err;
    unlockDir(parent);
    if (typeof path === "string") removeTreeSync(path);
    else {
      unlockTree(path);
      rmSync3(path, { recursive: true, force: true });
    }
  }
}
var MAX_DIR_PATH = 4096 - 256 - 1;
function atOrBelow(path, dirs) {
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) if (dirs.has(path.slice(0, i))) return true;
  return dirs.has(path);
}
async function blobId(path, f, format) {
  const hash = createHash(format === "sha256" ? "sha256" : "sha1");
  if (f.mode === "120000") {
    const target = await readlink(path, { encoding: "buffer" });
    return hash.update(`blob ${target.length}\0`).update(target).digest("hex");
  }
  await readExact(path, (size) => hash.update(`blob ${size}\0`), (chunk) => hash.update(chunk));
  return hash.digest("hex");
}
async function readExact(path, onSize, onChunk) {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${path} is no longer a regular file`);
    await onSize(st.size);
    const buf = Buffer.allocUnsafe(Math.min(st.size, 1024 * 1024) || 1);
    let pos = 0;
    while (pos < st.size) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, st.size - pos), pos);
      if (bytesRead === 0) throw new Error(`${path} shrank while it was read`);
      await onChunk(Buffer.from(buf.subarray(0, bytesRead)));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
async function fastImport(o) {
  const child = gitSpawn(o.dir, [...o.gitArgs, "fast-import", "--quiet", "--force", "--done"]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c) => stdout += c.toString("utf8"));
  child.stderr.on("data", (c) => stderr = (stderr + c.toString("utf8")).slice(-4e3));
  const exited = new Promise((resolve) => child.on("close", (code2) => resolve(code2 ?? 128)));
  let broken;
  child.stdin.on("error", (err) => broken = err);
  const put = async (data) => {
    if (broken) throw broken;
    if (child.stdin.write(data)) return;
    await new Promise((resolve) => {
      const done = () => {
        child.stdin.off("drain", done).off("close", done);
        resolve();
      };
      child.stdin.on("drain", done).on("close", done);
    });
  };
  try {
    const who = `${clean(o.identity.name)} <${clean(o.identity.email)}> ${Math.floor(Date.now() / 1e3)} +0000`;
    const message = Buffer.from(o.message.endsWith("\n") ? o.message : `${o.message}
`);
    await put(`commit refs/heads/${o.branch}
mark :1
author ${who}
committer ${who}
data ${message.length}
`);
    await put(Buffer.concat([message, Buffer.from(`from ${o.start}
`)]));
    if (o.deleted.length > 0) await put(Buffer.concat(o.deleted.flatMap((p) => [Buffer.from("D "), quote(Buffer.from(p)), Buffer.from("\n")])));
    for (const { path, mode } of o.written) {
      await put(Buffer.concat([Buffer.from(`M ${mode} inline `), quote(Buffer.from(path)), Buffer.from("\n")]));
      const abs = join2(o.dir, path);
      if (mode === "120000") {
        const target = await readlink(abs, { encoding: "buffer" });
        await put(Buffer.concat([Buffer.from(`data ${target.length}
`), target, Buffer.from("\n")]));
      } else {
        await readExact(abs, (size) => put(`data ${size}
`), (chunk) => put(chunk));
        await put("\n");
      }
    }
    await put("\nget-mark :1\ndone\n");
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    throw err;
  } finally {
    child.stdin.end();
  }
  const code = await exited;
  const commit = stdout.trim();
  if (code !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) throw new Error(`git fast-import failed: ${stderr.trim() || `exit code ${code}`}`);
  return commit;
}
function clean(s) {
  return s.replace(/[<>\n\r\0]/g, "").trim();
}
function quote(path) {
  const out = [34];
  for (const b of path) {
    if (b === 34 || b === 92) out.push(92, b);
    else if (b === 10) out.push(92, 110);
    else if (b < 32 || b === 127) out.push(...Buffer.from(`\\${b.toString(8).padStart(3, "0")}`));
    else out.push(b);
  }
  out.push(34);
  return Buffer.from(out);
}
function utf8(raw) {
  if (isAscii(raw)) return raw.toString("latin1");
  const s = raw.toString("utf8");
  return Buffer.from(s).equals(raw) ? s : void 0;
}
function split0(buf) {
  const out = [];
  let at = 0;
  for (let i = buf.indexOf(0); i !== -1; i = buf.indexOf(0, at)) {
    if (i > at) out.push(buf.subarray(at, i));
    at = i + 1;
  }
  if (at < buf.length) out.push(buf.subarray(at));
  return out;
}
async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    })
  );
  return out;
}

// src/plan/container.ts
var AGENT_UID = 1e3;
var AGENT_HOME = "/home/agent";
var WORKSPACE = "/workspace";
var RUN_ENV_DIR = "/gitcrew-run";
var RUN_ENV_FILE = `${RUN_ENV_DIR}/env`;
function containerSpec(c) {
  const adapter = adapterFor(c.agent.runtime);
  const prepared = adapter.prepare({ agent: c.agent, prompt: c.prompt, resumeSession: c.resumeSession });
  const { limits } = c.agent;
  const gateway = typeof limits.network === "object";
  const modelKeys = gateway ? adapter.gateway?.keyEnv ?? [] : [];
  const perRun = { GITCREW_THREAD: c.threadKey, GITCREW_BRANCH: c.branch };
  const envFileVar = adapter.startsAhead?.envFileVar;
  const hostSecrets = gateway ? c.agent.hostSecrets : [];
  return {
    image: c.agent.image,
    user: `${AGENT_UID}:${AGENT_UID}`,
    argv: prepared.argv,
    workdir: WORKSPACE,
    env: {
      ...prepared.env,
      HOME: AGENT_HOME,
      GITCREW_AGENT: c.agent.name,
      GITCREW_REPO: c.repo,
      ...envFileVar ? { [envFileVar]: RUN_ENV_FILE } : perRun
    },
    ...envFileVar ? { runEnv: perRun } : {},
    secrets: [.../* @__PURE__ */ new Set([...adapter.requiredSecrets, ...c.agent.secrets])].filter((name) => !modelKeys.includes(name)),
    injectedFiles: prepared.injectedFiles,
    mounts: c.agent.skills.map((s) => ({
      source: `.gitcrew/skills/${s}`,
      target: `${WORKSPACE}/${prepared.skillsDir}/${s}`,
      readOnly: true,
      ...c.crewTree ? { crewTree: c.crewTree } : {}
    })),
    readOnlyRootfs: true,
    tmpfs: {
      "/tmp": "rw,nosuid,nodev,size=1g",
      [AGENT_HOME]: `rw,nosuid,nodev,size=1g,uid=${AGENT_UID},gid=${AGENT_UID},mode=700`
    },
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges"],
    memoryBytes: limits.memory,
    ...limits.disk !== void 0 ? { diskBytes: limits.disk } : {},
    nanoCpus: Math.round(limits.cpus * 1e9),
    pidsLimit: limits.pids,
    network: limits.network === "egress" ? "bridge" : gateway ? "gateway" : "none",
    ...typeof limits.network === "object" ? { allow: [.../* @__PURE__ */ new Set([...limits.network.allow, ...crewPresetHosts(limits.network.allow, c.presets), ...hostSecrets.map((h) => h.host)])], modelKeys, hostSecrets } : {},
    ...limits.budget ? { budget: limits.budget } : {},
    ...gateway && c.budgets && (c.budgets.agent_day || c.budgets.thread || c.budgets.agents[c.agent.name]) ? { sharedBudgets: c.budgets } : {},
    ...gateway && c.prices && Object.keys(c.prices).length > 0 ? { prices: c.prices } : {},
    timeoutSeconds: limits.timeout,
    labels: { "gitcrew.agent": c.agent.name, "gitcrew.repo": c.repo, "gitcrew.thread": c.threadKey },
    stdin: prepared.stdin,
    stateDir: prepared.stateDir,
    optionalEnv: adapter.optionalEnv ?? []
  };
}
function crewPresetHosts(allow, presets) {
  if (!presets) return [];
  return allow.flatMap((a) => a.startsWith("preset:") ? presets[a.slice("preset:".length)] ?? [] : []);
}

export {
  RUN_ENV_DIR,
  containerSpec,
  hostGitEnv,
  gitRaw,
  gitText,
  unlockDir,
  removeTree,
  workflowPath,
  collectChanges
};
