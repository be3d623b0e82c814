import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  EXIT_CANCELLED,
  connectDocker
} from "./chunk-QJOPAB6F.js";
import {
  adapterFor
} from "./chunk-USWWJTSR.js";
import {
  RunRecords,
  gitcrewHome,
  isFinal,
  newRunId,
  ownerGone,
  processAlive,
  runnerIdentity
} from "./chunk-FL766HJZ.js";
import {
  EXIT,
  EnvironmentError,
  GitcrewError,
  InputError,
  errorMessage
} from "./chunk-QEBERIHX.js";

// src/runner/runner.ts
import { createHash } from "node:crypto";
import { chmod, chown as chown2, mkdir as mkdir2, mkdtemp as mkdtemp2, realpath, rm as rm2 } from "node:fs/promises";
import { tmpdir as tmpdir2 } from "node:os";
import { isAbsolute as isAbsolute2, join as join2, relative as relative2, resolve as resolve2, sep as sep2 } from "node:path";

// src/runner/channel.ts
import { constants } from "node:fs";
import { open } from "node:fs/promises";
var CHANNEL_DIR_IN_CONTAINER = "/gitcrew";
var CHANNEL_FILE = "events.jsonl";
var KINDS = ["package", "secret", "permission", "instructions", "action"];
function s(v) {
  return typeof v === "string" ? v : v === void 0 || v === null ? "" : JSON.stringify(v);
}
function parseChannelLine(line) {
  const t = line.trim();
  if (!t.startsWith("{")) return void 0;
  let v;
  try {
    v = JSON.parse(t);
  } catch {
    return void 0;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return void 0;
  const o = v;
  const type = s(o.gitcrew ?? o.type);
  if (type === "status") return { type: "status", text: s(o.text) };
  if (type === "return") return { type: "return", value: s(o.value) };
  if (type === "approval") {
    const kind = KINDS.find((k) => k === o.kind) ?? "action";
    return { type: "approval", kind, reason: s(o.reason), what: s(o.what) };
  }
  return void 0;
}
function parseStdoutEvent(line) {
  return line.includes('"gitcrew"') ? parseChannelLine(line) : void 0;
}
var ChannelReader = class {
  constructor(file, onEvent) {
    this.file = file;
    this.onEvent = onEvent;
  }
  offset = 0;
  rest = "";
  timer;
  reading = Promise.resolve();
  start(intervalMs = 200) {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }
  /** Stop polling and deliver everything written so far. */
  async drain() {
    clearInterval(this.timer);
    await this.poll();
    if (this.rest.trim()) this.emit(this.rest);
    this.rest = "";
  }
  poll() {
    this.reading = this.reading.then(() => this.readNew()).catch(() => void 0);
    return this.reading;
  }
  async readNew() {
    const fh = await open(this.file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => void 0);
    if (!fh) return;
    try {
      const stat = await fh.stat();
      if (!stat.isFile()) return;
      const { size } = stat;
      if (size <= this.offset) return;
      const buf = Buffer.alloc(size - this.offset);
      await fh.read(buf, 0, buf.length, this.offset);
      this.offset = size;
      const lines = (this.rest + buf.toString("utf8")).split("\n");
      this.rest = lines.pop() ?? "";
      for (const line of lines) this.emit(line);
    } finally {
      await fh.close();
    }
  }
  emit(line) {
    const ev = parseChannelLine(line);
    if (ev) this.onEvent(ev);
  }
};

// src/runner/container-options.ts
function withOwner(options, user) {
  const [uid, gid] = user.split(":");
  const extra = [!/\buid=/.test(options) && uid ? `uid=${uid}` : "", !/\bgid=/.test(options) && gid ? `gid=${gid}` : ""].filter(Boolean);
  return [options, ...extra].filter(Boolean).join(",");
}
function containerOptions(spec, ctx) {
  const env = {
    ...spec.env,
    ...ctx.passEnv,
    ...ctx.secrets,
    GITCREW_RUN: ctx.runId,
    GITCREW_CHANNEL: `${CHANNEL_DIR_IN_CONTAINER}/${CHANNEL_FILE}`
  };
  const tmpfs = {};
  for (const [path, opts] of Object.entries(spec.tmpfs)) tmpfs[path] = withOwner(opts, ctx.user);
  const binds = [
    `${ctx.workspaceDir}:${spec.workdir}:rw`,
    `${ctx.channelDir}:${CHANNEL_DIR_IN_CONTAINER}:rw`,
    ...spec.stateDir && ctx.stateHostDir ? [`${ctx.stateHostDir}:${spec.stateDir}:rw`] : [],
    ...ctx.mounts.map((m) => `${m.source}:${m.target}:${m.readOnly ? "ro" : "rw"}`)
  ];
  const network = spec.network === "bridge" ? ctx.egressNetwork ?? "bridge" : "none";
  const stdin = spec.stdin !== void 0;
  return {
    Image: spec.image,
    Cmd: spec.argv,
    User: ctx.user,
    WorkingDir: spec.workdir,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      ...spec.labels,
      "gitcrew.run": ctx.runId,
      "gitcrew.owner": ctx.owner.id,
      "gitcrew.owner-pid": String(ctx.owner.pid),
      "gitcrew.host": ctx.owner.host,
      "gitcrew.workspace": ctx.workspaceDir,
      "gitcrew.repo-dir": ctx.repoDir
    },
    AttachStdin: stdin,
    OpenStdin: stdin,
    StdinOnce: stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    NetworkDisabled: network === "none",
    HostConfig: {
      Binds: binds,
      // The hardening floor holds whatever the spec says.
      ReadonlyRootfs: true,
      Tmpfs: tmpfs,
      CapDrop: [.../* @__PURE__ */ new Set(["ALL", ...spec.capDrop])],
      SecurityOpt: [.../* @__PURE__ */ new Set(["no-new-privileges", ...spec.securityOpt])],
      Memory: spec.memoryBytes,
      MemorySwap: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      PidsLimit: spec.pidsLimit,
      NetworkMode: network,
      Privileged: false,
      AutoRemove: false
    }
  };
}

// src/runner/docker-run.ts
import { PassThrough } from "node:stream";
import { StringDecoder } from "node:string_decoder";

// src/runner/mask.ts
var Masker = class {
  values;
  constructor(values) {
    this.values = [...new Set([...values].filter((v) => v.length > 0))].sort((a, b) => b.length - a.length);
  }
  /** Length of the longest secret (0 without secrets). */
  get longest() {
    return this.values[0]?.length ?? 0;
  }
  mask(text) {
    let out = text;
    for (const v of this.values) out = out.split(v).join("***");
    return out;
  }
  /** Masks every string inside a JSON-like value. */
  maskDeep(value) {
    if (this.values.length === 0) return value;
    return JSON.parse(this.mask(JSON.stringify(value)));
  }
};
var LineSplitter = class {
  constructor(onLine, opts = {}) {
    this.onLine = onLine;
    this.opts = opts;
  }
  rest = "";
  push(chunk) {
    const parts = (this.rest + chunk).split("\n");
    this.rest = parts.pop() ?? "";
    for (const p of parts) this.onLine(p.replace(/\r$/, ""));
    const max = this.opts.maxLine;
    if (max && this.rest.length > max) {
      const masked = this.opts.masker ? this.opts.masker.mask(this.rest) : this.rest;
      const keep = Math.min(masked.length, Math.max(0, (this.opts.masker?.longest ?? 1) - 1));
      const done = masked.slice(0, masked.length - keep);
      for (let i = 0; i < done.length; i += max) this.onLine(done.slice(i, i + max));
      this.rest = masked.slice(masked.length - keep);
    }
  }
  end() {
    if (this.rest) this.onLine(this.rest);
    this.rest = "";
  }
};

// src/runner/docker-run.ts
var MAX_CAPTURE = 16 * 1024 * 1024;
var MAX_LINE = 64 * 1024;
function createRunContainer(docker, options) {
  return withinStartDeadline(
    (abortSignal) => docker.createContainer({ _query: {}, _body: options, abortSignal }),
    "create the container"
  ).catch((err) => {
    throw missingImage(err, String(options.Image)) ?? err;
  });
}
async function runContainer(created, run) {
  const container = await created;
  let removed;
  const remove = () => container.remove({ force: true }).then(
    () => void 0,
    () => void 0
  );
  let timedOut = false;
  let cancelled = false;
  const captured = { stdout: "", stderr: "" };
  try {
    const attached = await withinStartDeadline(
      (abortSignal) => container.attach({ stream: true, stdin: run.stdin !== void 0, stdout: true, stderr: true, hijack: run.stdin !== void 0, abortSignal }),
      "attach to the container"
    );
    const ended = new Promise((resolve3) => {
      attached.on("end", resolve3);
      attached.on("close", resolve3);
      attached.on("error", () => resolve3());
    });
    for (const stream of ["stdout", "stderr"]) {
      const pass = new PassThrough();
      const lines = new LineSplitter((raw) => {
        const line = run.masker.mask(raw);
        if (captured[stream].length < MAX_CAPTURE) captured[stream] += `${line}
`;
        run.hooks.onLine(stream, line);
      }, { maxLine: MAX_LINE, masker: run.masker });
      const decoder = new StringDecoder("utf8");
      pass.on("data", (c) => lines.push(decoder.write(c)));
      pass.on("end", () => {
        lines.push(decoder.end());
        lines.end();
      });
      attached.on("end", () => pass.end());
      if (stream === "stdout") container.modem.demuxStream(attached, pass, new PassThrough());
      else container.modem.demuxStream(attached, new PassThrough(), pass);
    }
    await withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the container");
    run.hooks.onStarted(container.id);
    if (run.stdin !== void 0) attached.end(run.stdin);
    const kill = () => container.kill({ signal: "SIGKILL" }).catch(() => void 0);
    const timer = setTimeout(() => {
      timedOut = true;
      void kill();
    }, run.timeoutSeconds * 1e3);
    const onAbort = () => {
      cancelled = true;
      void kill();
    };
    run.signal?.addEventListener("abort", onAbort, { once: true });
    if (run.signal?.aborted) onAbort();
    let exitCode;
    try {
      const waited = await container.wait();
      exitCode = waited.StatusCode;
    } finally {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
    }
    let lag;
    await Promise.race([ended, new Promise((r) => lag = setTimeout(r, 2e3))]);
    clearTimeout(lag);
    removed = remove();
    return { exitCode, timedOut, cancelled: cancelled && !timedOut, ...captured, removed };
  } finally {
    if (!removed) await remove();
  }
}
var START_DEADLINE_MS = Number(process.env.GITCREW_DOCKER_START_DEADLINE_MS) || 12e4;
async function withinStartDeadline(step, what) {
  const abort = new AbortController();
  let timer;
  try {
    return await Promise.race([
      step(abort.signal),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          abort.abort();
          reject(new EnvironmentError(`the Docker engine did not ${what} within ${START_DEADLINE_MS / 1e3}s`, "check the engine (docker info); the run was not started"));
        }, START_DEADLINE_MS);
      })
    ]);
  } finally {
    clearTimeout(timer);
  }
}
function missingImage(err, image) {
  const status = err.statusCode;
  if (status !== 404 || !/no such image/i.test(errorMessage(err))) return void 0;
  const runtime = /^gitcrew\/(claude|codex|gemini|command|base)(:latest)?$/.exec(image)?.[1];
  return new EnvironmentError(
    `the image ${image} is not on this Docker engine`,
    runtime ? `build it: gitcrew images build ${runtime === "base" ? "" : `${runtime} `}(add --offline where no registry is reachable)` : `pull or build it (docker pull ${image}), or drop \`image:\` from the agent to use the runtime's image (gitcrew images build)`
  );
}

// src/runner/workspace.ts
import { chown, lstat, mkdir, mkdtemp, readFile, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { execFile } from "node:child_process";
function inside(root, rel) {
  const path = normalize(join(root, rel));
  if (isAbsolute(rel) || !path.startsWith(root + sep)) throw new InputError(`injected file "${rel}" would leave the workspace`);
  return path;
}
async function branchExists(repoDir, branch) {
  if (!existsSync(repoDir)) throw new InputError(`repository folder "${repoDir}" does not exist`, "pass --repo with a git checkout");
  const out = await gitExec(repoDir, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  if (out.code === 0) return true;
  if (out.code === 1 && out.stderr.trim() === "") return false;
  throw new InputError(`"${repoDir}" is not a git repository (${out.stderr.trim() || `git exited with ${out.code}`})`, "pass --repo with a git checkout");
}
async function createWorkspace(opts) {
  if (opts.ref.startsWith("-") || opts.branch.startsWith("-")) throw new InputError(`"${opts.ref.startsWith("-") ? opts.ref : opts.branch}" is not a ref`, "a ref or branch name never starts with '-'");
  const start = await branchExists(opts.repoDir, opts.branch) ? opts.branch : opts.ref;
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), "gitcrew-ws-"));
  const added = await underRepoLock(opts.repoDir, () => gitExec(opts.repoDir, ["-c", "checkout.workers=8", "worktree", "add", "--detach", "--quiet", dir, start]));
  if (added.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new InputError(`cannot check out "${start}" of ${opts.repoDir}: ${added.stderr.trim() || `git exited with ${added.code}`}`, "check the ref exists (git rev-parse REF)");
  }
  const dotGit = await readFile(join(dir, ".git"), "utf8");
  const admin = /^gitdir: (.+)$/m.exec(dotGit)?.[1]?.trim();
  if (!admin || !isAbsolute(admin)) throw new EnvironmentError(`git wrote an unexpected .git file in the worktree ${dir}`);
  const originals = /* @__PURE__ */ new Map();
  for (const [rel, content] of Object.entries(opts.injectedFiles)) {
    const path = inside(dir, rel);
    await ensureDirInside(dir, dirname(rel)).catch((err) => {
      throw new InputError(`cannot write ${rel} into the worktree: ${errorMessage(err)}`);
    });
    originals.set(rel, await originalAt(path, rel));
    await rm(path, { force: true });
    await writeFile(path, content, { flag: "wx" });
  }
  for (const rel of opts.mountPoints) {
    await ensureDirInside(dir, rel).catch((err) => {
      throw new InputError(`cannot mount at ${rel} in the worktree: ${errorMessage(err)}`);
    });
  }
  if (opts.owner) await chownTree(dir, opts.owner.uid, opts.owner.gid);
  return { dir, repoDir: opts.repoDir, originals, admin, dotGit };
}
async function chownTree(dir, uid, gid) {
  await new Promise(
    (resolve3, reject) => execFile("chown", ["-R", `${uid}:${gid}`, dir], (err) => err ? reject(new EnvironmentError(`chown of the workspace failed: ${err.message}`)) : resolve3())
  );
  await chown(dir, uid, gid);
}
async function commitChanges(ws, opts) {
  await restoreFiles(ws);
  if (!ws.admin || ws.dotGit === void 0) throw new GitcrewError("the workspace has no recorded git folder", EXIT.failed);
  await rm(join(ws.dir, ".git"), { recursive: true, force: true });
  await writeFile(join(ws.dir, ".git"), ws.dotGit, { flag: "wx" });
  const base = ["-c", `safe.directory=${ws.dir}`, "-c", `safe.directory=${ws.admin}`, `--git-dir=${ws.admin}`, `--work-tree=${ws.dir}`];
  const git = { raw: (args) => runGit(ws.dir, [...base, ...args]), revparse: (args) => runGit(ws.dir, [...base, "rev-parse", ...args]) };
  if ((await git.raw(["status", "--porcelain", "-z", "--untracked-files=all"])).length === 0) return { changedFiles: [] };
  await git.raw(["add", "-A", "--", "."]);
  const changed = (await git.raw(["diff", "--cached", "--name-only", "-z"])).split("\0").filter(Boolean);
  if (changed.length === 0) return { changedFiles: [] };
  const head = (await gitExec(ws.repoDir, ["symbolic-ref", "--quiet", "--short", "HEAD"])).stdout.trim();
  if (!opts.branch || opts.branch === head || ["main", "master", "HEAD"].includes(opts.branch)) {
    throw new GitcrewError(`refusing to commit the agent's work on "${opts.branch}": an agent's branch is never the default branch`, EXIT.failed);
  }
  const { name, email } = opts.identity;
  await git.raw(["-c", `user.name=${name}`, "-c", `user.email=${email}`, "-c", "commit.gpgsign=false", "commit", "--no-verify", "-q", "-m", opts.message]);
  const commit = (await git.revparse(["HEAD"])).trim();
  await git.raw(["branch", "-f", opts.branch, commit]);
  return { changedFiles: changed, branch: opts.branch, commit };
}
function gitExec(cwd, args) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("GIT_")));
  return new Promise(
    (resolve3) => execFile("git", args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? typeof err.code === "number" ? err.code : 128 : 0;
      resolve3({ code, stdout, stderr: stderr || (err && typeof err.code !== "number" ? err.message : "") });
    })
  );
}
async function runGit(cwd, args) {
  const out = await gitExec(cwd, args);
  if (out.code !== 0) throw new GitcrewError(`git ${args.filter((a) => !a.startsWith("-")).slice(0, 2).join(" ")} failed: ${out.stderr.trim() || `exit code ${out.code}`}`, EXIT.failed);
  return out.stdout;
}
async function restoreFiles(ws) {
  for (const [rel, original] of ws.originals) {
    const path = inside(ws.dir, rel);
    try {
      await ensureDirInside(ws.dir, dirname(rel));
    } catch {
      throw new GitcrewError(`the agent replaced a folder above ${rel} by a link; its work is not committed`, EXIT.failed);
    }
    await rm(path, { recursive: true, force: true });
    if (original === null) continue;
    if ("link" in original) await symlink(original.link, path);
    else await writeFile(path, original.file, { flag: "wx" });
  }
}
async function originalAt(path, rel) {
  const st = await lstat(path).catch(() => void 0);
  if (!st) return null;
  if (st.isSymbolicLink()) return { link: await readlink(path) };
  if (st.isFile()) return { file: await readFile(path) };
  throw new InputError(`cannot write ${rel} into the worktree: the repository has a folder there`);
}
async function ensureDirInside(root, rel) {
  let at = root;
  for (const part of normalize(rel).split(sep).filter((p) => p && p !== ".")) {
    if (part === "..") throw new GitcrewError(`"${rel}" leaves the worktree`, EXIT.failed);
    at = join(at, part);
    const st = await lstat(at).catch(() => void 0);
    if (!st) await mkdir(at);
    else if (st.isSymbolicLink()) throw new GitcrewError(`${relative(root, at)} is a link`, EXIT.failed);
    else if (!st.isDirectory()) throw new GitcrewError(`${relative(root, at)} is not a folder`, EXIT.failed);
  }
}
async function removeWorkspace(ws) {
  await rm(ws.dir, { recursive: true, force: true });
  if (ws.admin) {
    const admin = ws.admin;
    const trash = join(dirname(dirname(admin)), `gitcrew-removed-${basename(admin)}-${process.pid}-${Date.now()}`);
    const moved = await underRepoLock(ws.repoDir, () => rename(admin, trash).then(
      () => true,
      () => false
    ));
    await rm(moved ? trash : admin, { recursive: true, force: true });
  } else
    await underRepoLock(ws.repoDir, () => gitExec(ws.repoDir, ["worktree", "prune"]));
}
var repoLocks = /* @__PURE__ */ new Map();
async function underRepoLock(repoDir, fn) {
  const key = resolve(repoDir);
  const before = repoLocks.get(key) ?? Promise.resolve();
  const run = before.then(fn);
  const tail = run.then(
    () => void 0,
    () => void 0
  );
  repoLocks.set(key, tail);
  try {
    return await run;
  } finally {
    if (repoLocks.get(key) === tail) repoLocks.delete(key);
  }
}

// src/runner/orphans.ts
async function cleanOrphans(docker, me, active, records) {
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ["gitcrew.run"] }) });
  const removed = [];
  for (const c of containers) {
    const labels = c.Labels ?? {};
    const run = labels["gitcrew.run"] ?? "";
    const owner = labels["gitcrew.owner"] ?? "";
    const pid = Number(labels["gitcrew.owner-pid"] ?? "0");
    const sameHost = labels["gitcrew.host"] === me.host;
    let reason;
    if (owner === me.id && !active.has(run)) reason = `runner ${owner} restarted and no longer runs it`;
    else if (owner !== me.id && sameHost && pid > 0 && !processAlive(pid)) reason = `runner ${owner} (pid ${pid}) is gone`;
    if (!reason) continue;
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => void 0);
    const ws = labels["gitcrew.workspace"];
    const repoDir = labels["gitcrew.repo-dir"];
    if (ws && repoDir) await removeWorkspace({ dir: ws, repoDir }).catch(() => void 0);
    const full = `${reason}; container ${c.Id.slice(0, 12)} removed by runner ${me.id}`;
    removed.push({ run, containerId: c.Id, reason: full });
    const rec = records?.get(run);
    if (rec && records && !isFinal(rec.status)) {
      records.save({ ...rec, status: "failed", exitCode: 1, reason: full, finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
      records.appendLog(run, `\xBB failed: ${full}`);
    }
  }
  for (const rec of records?.unfinished() ?? []) {
    if (active.has(rec.id) || !ownerGone(rec)) continue;
    const reason = `runner ${rec.owner.id} (pid ${rec.owner.pid}) is gone; the run was recorded failed by runner ${me.id}`;
    records?.save({ ...rec, status: "failed", exitCode: 1, reason, finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
    records?.appendLog(rec.id, `\xBB failed: ${reason}`);
  }
  return removed;
}

// src/runner/runner.ts
var Runner = class _Runner {
  constructor(docker, opts, orphans = []) {
    this.docker = docker;
    this.orphans = orphans;
    this.env = opts.env ?? process.env;
    this.identity = opts.identity ?? runnerIdentity(this.env);
    this.records = opts.records ?? new RunRecords(this.env);
  }
  identity;
  records;
  env;
  active = /* @__PURE__ */ new Set();
  /** Connect to the engine (clear error when down) and clean up orphaned containers. */
  static async start(opts = {}) {
    const docker = await connectDocker(opts.env, opts.signal);
    const runner = new _Runner(docker, opts);
    runner.orphans.push(...await cleanOrphans(docker, runner.identity, runner.active, runner.records));
    return runner;
  }
  async run(req) {
    const { planned, agent } = req;
    const spec = planned.container;
    const runId = req.runId ?? newRunId();
    const t0 = performance.now();
    const mark = { workspace: 0, started: 0, exited: 0, committed: 0 };
    const startedAt = (/* @__PURE__ */ new Date()).toISOString();
    const secrets = this.secretValues(spec.secrets);
    const masker = new Masker(Object.values(secrets));
    const approvals = [];
    let lastReturn;
    const record = { id: runId, agent: agent.name, repo: req.repo, status: "running", createdAt: startedAt, owner: this.identity };
    this.records.save(record);
    this.active.add(runId);
    const emit = (event) => {
      const ev = masker.maskDeep(event);
      if (ev.type === "return") lastReturn = ev.value;
      if (ev.type === "approval") approvals.push({ kind: ev.kind, reason: ev.reason, what: ev.what });
      if (ev.type !== "log" && ev.type !== "finished") this.records.appendLog(runId, `\xBB ${ev.type}: ${JSON.stringify(ev)}`);
      req.observer?.onEvent(ev);
    };
    const root = this.isRoot();
    const user = root ? spec.user : `${process.getuid?.() ?? 1e3}:${process.getgid?.() ?? 1e3}`;
    const [uid, gid] = user.split(":").map(Number);
    let ws;
    const channelDir = await mkdtemp2(join2(tmpdir2(), "gitcrew-ch-"));
    await chmod(channelDir, 511);
    const channel = new ChannelReader(join2(channelDir, CHANNEL_FILE), emit);
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    if (req.signal?.aborted) abort.abort();
    const cancelPoll = setInterval(() => {
      if (this.records.cancelRequested(runId)) abort.abort();
    }, CANCEL_POLL_MS);
    let result;
    const wsDir = await mkdtemp2(join2(tmpdir2(), "gitcrew-ws-"));
    let created;
    let removed;
    try {
      const mounts = await Promise.all(spec.mounts.map(async (m) => isAbsolute2(m.source) ? m : { ...m, source: await insideRepo(req.repoDir, m.source) }));
      const mountPoints = mounts.filter((m) => m.target.startsWith(`${spec.workdir}/`)).map((m) => relative2(spec.workdir, m.target));
      const options = containerOptions(spec, {
        runId,
        owner: this.identity,
        workspaceDir: wsDir,
        repoDir: req.repoDir,
        channelDir,
        mounts,
        secrets,
        passEnv: this.passEnv(spec.optionalEnv ?? []),
        stateHostDir: spec.stateDir ? await this.stateDir(req, uid, gid) : void 0,
        user,
        egressNetwork: this.env.GITCREW_DOCKER_NETWORK
      });
      created = createRunContainer(this.docker, options);
      created.catch(() => void 0);
      ws = await createWorkspace({
        repoDir: req.repoDir,
        ref: planned.ref,
        branch: planned.branch,
        injectedFiles: spec.injectedFiles,
        mountPoints,
        owner: root && uid !== void 0 && gid !== void 0 ? { uid, gid } : void 0,
        dir: wsDir
      });
      mark.workspace = performance.now();
      channel.start();
      const out = await runContainer(created, {
        stdin: spec.stdin,
        timeoutSeconds: spec.timeoutSeconds,
        masker,
        signal: abort.signal,
        hooks: {
          onStarted: (containerId) => {
            mark.started = performance.now();
            this.records.save({ ...record, containerId });
            emit({ type: "started", runId, containerId, at: (/* @__PURE__ */ new Date()).toISOString() });
          },
          onLine: (stream, line) => {
            this.records.appendLog(runId, stream === "stderr" ? `[stderr] ${line}` : line);
            req.observer?.onEvent({ type: "log", stream, line });
            const ev = stream === "stdout" ? parseStdoutEvent(line) : void 0;
            if (ev) emit(ev);
          }
        }
      });
      removed = out.removed;
      mark.exited = performance.now();
      await channel.drain();
      clearInterval(cancelPoll);
      const cancelled = out.cancelled || !out.timedOut && this.records.cancelRequested(runId);
      const parsed = adapterFor(agent.runtime).parseOutput(out.stdout, out.stderr);
      const commit = await commitChanges(ws, {
        branch: planned.branch,
        identity: agent.git,
        message: `${agent.name}: ${firstLine(planned.prompt)}

gitcrew run ${runId}`
      });
      mark.committed = performance.now();
      const ms = (from, to) => Math.round((to - from) * 10) / 10;
      const timings = {
        workspaceMs: ms(t0, mark.workspace),
        startedMs: ms(t0, mark.started),
        createToStartMs: ms(mark.workspace, mark.started),
        containerMs: ms(mark.started, mark.exited),
        commitMs: ms(mark.exited, mark.committed),
        totalMs: ms(t0, mark.committed)
      };
      const status = out.timedOut ? "timed_out" : cancelled ? "cancelled" : out.exitCode === 0 && !parsed.error ? "succeeded" : "failed";
      const exitCode = out.timedOut ? EXIT.timeout : cancelled ? EXIT_CANCELLED : out.exitCode;
      const reason = out.timedOut ? `timed out after ${spec.timeoutSeconds}s; the container was killed` : cancelled ? this.cancelReason(runId, req.signal) : status === "failed" ? parsed.error ?? `the agent exited with code ${out.exitCode}` : void 0;
      result = {
        run: runId,
        agent: agent.name,
        status,
        exitCode,
        answer: lastReturn ?? parsed.answer,
        ...commit,
        sessionId: parsed.sessionId,
        usage: parsed.usage,
        reason,
        approvals,
        startedAt,
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        timings
      };
    } catch (err) {
      await channel.drain();
      if (err instanceof InputError || err instanceof EnvironmentError) {
        this.records.save({ ...record, status: "failed", exitCode: EXIT.failed, reason: masker.mask(err.message), finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
        this.records.appendLog(runId, `\xBB failed: ${masker.mask(err.message)}${err.hint ? ` (${err.hint})` : ""}`);
        throw err;
      }
      result = {
        run: runId,
        agent: agent.name,
        status: "failed",
        exitCode: EXIT.failed,
        answer: "",
        changedFiles: [],
        reason: masker.mask(errorMessage(err)),
        approvals,
        startedAt,
        finishedAt: (/* @__PURE__ */ new Date()).toISOString()
      };
    } finally {
      clearInterval(cancelPoll);
      req.signal?.removeEventListener("abort", onAbort);
      this.active.delete(runId);
      const container = removed ?? created?.then((c) => c.remove({ force: true })).then(
        () => void 0,
        () => void 0
      );
      await Promise.all([
        container,
        ws ? removeWorkspace(ws) : removeWorkspace({ dir: wsDir, repoDir: req.repoDir }),
        rm2(channelDir, { recursive: true, force: true })
      ]);
      if (result && result.timings) {
        result.timings.cleanupMs = Math.round((performance.now() - mark.committed) * 10) / 10;
        result.timings.totalMs = Math.round((performance.now() - t0) * 10) / 10;
      }
    }
    result = masker.maskDeep(result);
    this.records.save({
      ...record,
      ...this.records.get(runId) ?? {},
      status: result.status,
      exitCode: result.exitCode,
      finishedAt: result.finishedAt,
      result,
      reason: result.reason
    });
    this.records.appendLog(runId, `\xBB ${result.status} (exit code ${result.exitCode})${result.reason ? `: ${result.reason}` : ""}`);
    emit({ type: "finished", result });
    return result;
  }
  cancelReason(runId, signal) {
    if (signal?.aborted) return "cancelled (interrupted)";
    const by = this.records.cancelRequestedBy(runId);
    return by ? `cancelled by ${by}` : "cancelled";
  }
  secretValues(names) {
    const out = {};
    for (const name of names) {
      const value = this.env[name];
      if (value !== void 0) out[name] = value;
    }
    return out;
  }
  passEnv(names) {
    const out = {};
    for (const name of names) {
      const value = this.env[name];
      if (value !== void 0) out[name] = value;
    }
    return out;
  }
  /** Per-thread folder that outlives the container (session transcripts for `--resume`). */
  async stateDir(req, uid, gid) {
    const key = createHash("sha256").update(`${req.repo}\0${req.planned.threadKey}\0${req.agent.name}`).digest("hex").slice(0, 24);
    const dir = join2(gitcrewHome(this.env), "state", key);
    await mkdir2(dir, { recursive: true, mode: 448 });
    if (this.isRoot() && uid !== void 0 && gid !== void 0) await chown2(dir, uid, gid);
    return dir;
  }
  isRoot() {
    return process.getuid?.() === 0;
  }
};
async function insideRepo(repoDir, rel) {
  const root = await realpath(repoDir);
  const real = await realpath(resolve2(repoDir, rel)).catch(() => void 0);
  if (!real) throw new InputError(`the folder ${rel} does not exist in ${repoDir}`, "check the agent's skills (gitcrew validate)");
  if (real !== root && !real.startsWith(root + sep2)) throw new InputError(`${rel} in ${repoDir} leads outside the repository (${real}); it is not mounted`);
  return real;
}
var CANCEL_POLL_MS = 300;
function firstLine(text) {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line || "changes";
}

export {
  Runner
};
