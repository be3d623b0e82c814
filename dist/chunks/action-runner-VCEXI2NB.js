import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  RUN_ENV_DIR,
  collectChanges,
  gitRaw,
  gitText,
  hostGitEnv,
  removeTree,
  unlockDir,
  workflowPath
} from "./action-chunk-APRSPBZN.js";
import {
  SecretMasker
} from "./action-chunk-YKXFDGTV.js";
import {
  DEFAULT_LIMITS,
  adapterFor,
  catBlobs,
  isReservedSecretName
} from "./action-chunk-TUGKY3QR.js";
import "./action-chunk-5GAK7XUT.js";
import {
  newRunToken
} from "./action-chunk-73MUMACL.js";
import {
  parseHostPattern
} from "./action-chunk-PRAK5QR7.js";
import {
  EXIT_CANCELLED,
  RunRecords,
  connectDocker,
  gitcrewHome,
  isFinal,
  ownerGone
} from "./action-chunk-NZUF7IE5.js";
import {
  newRunId,
  pidNamespace,
  processAlive,
  runnerIdentity,
  samePidNamespace
} from "./action-chunk-HWVRXASM.js";
import "./action-chunk-PBK64ER2.js";
import {
  EXIT,
  EnvironmentError,
  GitcrewError,
  InputError,
  agentLogLine,
  errorMessage,
  ownLogNote
} from "./action-chunk-NBJIPBID.js";
import "./action-chunk-DW6V7IS7.js";

// src/runner/runner.ts
import { createHash as createHash5, randomBytes as randomBytes3 } from "node:crypto";
import { chmod as chmod2, chown as chown3, mkdir as mkdir5, readdir, realpath, rename as rename2, rm as rm5, rmdir as rmdir2, stat as stat2, utimes, writeFile as writeFile6 } from "node:fs/promises";
import { isAbsolute as isAbsolute5, join as join10, relative as relative2, resolve as resolve3, sep as sep2 } from "node:path";

// src/runner/channel.ts
import { constants } from "node:fs";
import { open } from "node:fs/promises";
var CHANNEL_DIR_IN_CONTAINER = "/gitcrew";
var CHANNEL_FILE = "events.jsonl";
var KINDS = ["package", "secret", "permission", "instructions", "action"];
var MAX_APPROVALS = 50;
var APPROVAL_TEXT = 8e3;
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
    return { type: "approval", kind, reason: s(o.reason).slice(0, APPROVAL_TEXT), what: s(o.what).slice(0, APPROVAL_TEXT) };
  }
  return void 0;
}
function parseStdoutEvent(line) {
  return line.includes('"gitcrew"') ? parseChannelLine(line) : void 0;
}
var MAX_CHANNEL_LINE = 64 * 1024;
var MAX_CHANNEL_BYTES = 8 * 1024 * 1024;
var READ_CHUNK = 256 * 1024;
var ChannelReader = class {
  constructor(file, onEvent, onNotice = () => void 0) {
    this.file = file;
    this.onEvent = onEvent;
    this.onNotice = onNotice;
  }
  offset = 0;
  total = 0;
  capped = false;
  pending = [];
  pendingBytes = 0;
  /** Inside a line that was too long: skip to its end. */
  dropping = false;
  dropped = 0;
  timer;
  reading = Promise.resolve();
  start(intervalMs = 200) {
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }
  /** Stop polling and deliver everything written so far. */
  async drain() {
    clearInterval(this.timer);
    await this.poll();
    if (!this.dropping && this.pendingBytes > 0) this.emit(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingBytes = 0;
    if (this.dropped > 0) this.onNotice(`channel: ${this.dropped} line(s) longer than ${MAX_CHANNEL_LINE / 1024} KiB were dropped`);
    this.dropped = 0;
  }
  poll() {
    this.reading = this.reading.then(() => this.readNew()).catch(() => void 0);
    return this.reading;
  }
  async readNew() {
    const fh = await open(this.file, constants.O_RDWR | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => void 0);
    if (!fh) return;
    try {
      const stat3 = await fh.stat();
      if (!stat3.isFile()) return;
      if (this.capped) {
        if (stat3.size > 0) await fh.truncate(0);
        return;
      }
      if (stat3.size < this.offset) this.offset = 0;
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      while (this.offset < stat3.size) {
        const want = Math.min(READ_CHUNK, stat3.size - this.offset, MAX_CHANNEL_BYTES - this.total);
        const { bytesRead } = await fh.read(buf, 0, want, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.total += bytesRead;
        this.feed(buf.subarray(0, bytesRead));
        if (this.total >= MAX_CHANNEL_BYTES) {
          this.capped = true;
          this.onNotice(`channel: the agent wrote more than ${MAX_CHANNEL_BYTES / 1024 / 1024} MiB to ${CHANNEL_FILE}; the rest is ignored`);
          await fh.truncate(0);
          return;
        }
      }
    } finally {
      await fh.close();
    }
  }
  feed(chunk) {
    let at = 0;
    while (at < chunk.length) {
      const nl = chunk.indexOf(10, at);
      const end = nl === -1 ? chunk.length : nl;
      if (!this.dropping) {
        if (this.pendingBytes + (end - at) > MAX_CHANNEL_LINE) {
          this.dropping = true;
          this.dropped++;
          this.pending = [];
          this.pendingBytes = 0;
        } else {
          this.pending.push(Buffer.from(chunk.subarray(at, end)));
          this.pendingBytes += end - at;
        }
      }
      if (nl === -1) return;
      if (!this.dropping) this.emit(Buffer.concat(this.pending));
      this.dropping = false;
      this.pending = [];
      this.pendingBytes = 0;
      at = nl + 1;
    }
  }
  emit(line) {
    const ev = parseChannelLine(line.toString("utf8"));
    if (ev) this.onEvent(ev);
  }
};

// src/runner/disk-guard.ts
import { execFile, execFileSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { chmod, lstat, mkdtemp, readFile, rm, rmdir, stat, statfs, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
var RUN_DIR_PREFIX = "gitcrew-run-";
var OWNER_FILE = ".owner";
var IMAGE_FILE = ".disk";
var MAX_SPARES = 4;
var FULL_SLACK = 1024 * 1024;
var OWNERLESS_AGE_MS = 24 * 3600 * 1e3;
function diskLimit(diskBytes) {
  return diskBytes ?? DEFAULT_LIMITS.disk;
}
function formatBytes(n) {
  if (n >= 1024 ** 3) return `${Math.round(n / 1024 ** 3 * 10) / 10} GiB`;
  return `${Math.round(n / 1024 ** 2 * 10) / 10} MiB`;
}
var SBIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
function tool(file, args) {
  return new Promise(
    (resolve4, reject) => execFile(
      file,
      args,
      { env: { PATH: SBIN_PATH, LC_ALL: "C" }, timeout: 6e4 },
      (err, _out, stderr) => err ? reject(new Error(`${file} ${args[0] ?? ""}: ${String(stderr).trim() || err.message}`)) : resolve4()
    )
  );
}
async function isMountPoint(dir) {
  const [a, b] = await Promise.all([stat(dir).catch(() => void 0), stat(dirname(dir)).catch(() => void 0)]);
  return a !== void 0 && b !== void 0 && a.dev !== b.dev;
}
async function removeRunDir(dir, remove) {
  if (await isMountPoint(dir)) {
    await tool("umount", [dir]).catch(() => tool("umount", ["-l", dir]));
  }
  await remove(dir);
  LIVE.delete(dir);
}
var LIVE = /* @__PURE__ */ new Set();
var exitHook = false;
function made(dir) {
  LIVE.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const d of LIVE) {
      try {
        if (statSync(d).dev !== statSync(dirname(d)).dev) execFileSync("umount", ["-l", d], { env: { PATH: SBIN_PATH }, stdio: "ignore" });
        rmSync(d, { recursive: true, force: true });
      } catch {
      }
    }
  });
}
var RunDisks = class {
  constructor(env, owner, log = () => void 0, keepSpares = false) {
    this.owner = owner;
    this.log = log;
    this.keepSpares = keepSpares;
    this.mount = process.platform === "linux" && process.getuid?.() === 0 && env.GITCREW_DISK_MOUNT !== "0";
  }
  spares = /* @__PURE__ */ new Map();
  mount;
  closed = false;
  /** Whether runs get a sized filesystem (else the watch alone bounds them). */
  get sized() {
    return this.mount;
  }
  /**
   * Makes a spare of `limit` bytes in the background (a server's start: the first run does not wait
   * for mkfs). `once`: also without keepSpares, for the run a short-lived process is about to start.
   */
  warm(limit, once = false) {
    if (!this.mount || !this.keepSpares && !once || this.closed || this.spares.has(limit)) return;
    for (const [size, old] of this.spares) {
      if (this.spares.size < MAX_SPARES) break;
      this.spares.delete(size);
      void old.then((d) => this.release(d), () => void 0);
    }
    const made2 = this.make(limit);
    made2.catch(() => void 0);
    this.spares.set(limit, made2);
  }
  /** The folder of a run that may write `limit` bytes: the spare of that size when there is one, else made now; a next spare is made. */
  async take(limit) {
    const spare = this.spares.get(limit);
    this.spares.delete(limit);
    const disk = spare ? await spare.catch(() => this.make(limit)) : await this.make(limit);
    if (this.mount && this.keepSpares) setImmediate(() => this.warm(limit));
    return disk;
  }
  /** Unmounts and removes the spares. */
  async close() {
    this.closed = true;
    const all = [...this.spares.values()];
    this.spares.clear();
    await Promise.all(all.map((p) => p.then((d) => this.release(d), () => void 0)));
  }
  async release(d) {
    await removeRunDir(d.dir, (dir) => rm(dir, { recursive: true, force: true })).catch(() => void 0);
  }
  async make(limit) {
    const dir = await mkdtemp(join(tmpdir(), RUN_DIR_PREFIX));
    made(dir);
    const ns = pidNamespace();
    const own = () => writeFile(join(dir, OWNER_FILE), `${process.pid} ${this.owner}${ns ? ` ${ns}` : ""}
`, { mode: 384 });
    if (!this.mount) {
      await own();
      return { dir, limit, sized: false };
    }
    const image2 = join(dir, IMAGE_FILE);
    const sparse = await writeFile(image2, "", { mode: 384 }).then(() => truncate(image2, limit)).then(() => true, () => false);
    if (!sparse) {
      await rm(image2, { force: true });
      await own();
      return { dir, limit, sized: false };
    }
    try {
      await tool("mkfs.ext4", ["-q", "-F", "-m", "0", "-O", "^has_journal", "-E", "nodiscard,lazy_itable_init=1,root_owner=0:0", image2]);
      await tool("mount", ["-t", "ext4", "-o", "loop,nodev,nosuid,noatime", image2, dir]);
      await chmod(dir, 448);
      await rmdir(join(dir, "lost+found")).catch(() => void 0);
      await own();
      return { dir, limit, sized: true };
    } catch (err) {
      this.mount = false;
      this.log(`no filesystem of its own for a run's folder (${err instanceof Error ? err.message : String(err)}); runs' disk use is watched instead (limits.disk, GITCREW_DISK_MOUNT)`);
      await removeRunDir(dir, (d) => rm(d, { recursive: true, force: true })).catch(() => void 0);
      return this.make(limit);
    }
  }
};
async function diskUsage(root) {
  const first = await du(root);
  if (!first.denied) return first.bytes;
  await unlockAll(root);
  return Math.max(first.bytes, (await du(root)).bytes);
}
function du(root) {
  return new Promise(
    (resolve4) => execFile("du", ["-s", "-k", "-x", "--", root], { env: { PATH: SBIN_PATH, LC_ALL: "C" }, timeout: 12e4, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      const kib = Number(/^(\d+)/.exec(String(stdout))?.[1] ?? Number.NaN);
      resolve4({ bytes: Number.isFinite(kib) ? kib * 1024 : 0, denied: err !== null && /permission denied/i.test(String(stderr)) });
    })
  );
}
function unlockAll(root) {
  return new Promise((resolve4) => execFile("chmod", ["-R", "u+rwX", "--", root], { env: { PATH: SBIN_PATH }, timeout: 12e4 }, () => resolve4()));
}
async function runUsage(disk, stateDir) {
  const state = stateDir ? await diskUsage(stateDir) : 0;
  if (disk.sized) {
    const s2 = await statfs(disk.dir);
    const used2 = (s2.blocks - s2.bfree) * s2.bsize;
    return { used: used2 + state, full: s2.bavail * s2.bsize < FULL_SLACK || used2 + state > disk.limit };
  }
  const used = await diskUsage(disk.dir) + state;
  return { used, full: used > disk.limit };
}
function diskCheckMs(env) {
  const ms = Number(env.GITCREW_DISK_CHECK_MS);
  return Number.isFinite(ms) && ms >= 50 ? ms : 1e3;
}
function watchDisk(disk, stateDir, everyMs, over) {
  let stopped = false;
  let timer;
  const look = async () => {
    const t0 = performance.now();
    const u = await runUsage(disk, stateDir).catch(() => void 0);
    if (stopped) return;
    if (u?.full) {
      stopped = true;
      over(u.used);
      return;
    }
    timer = setTimeout(() => void look(), Math.max(everyMs, 4 * (performance.now() - t0)));
    timer.unref();
  };
  timer = setTimeout(() => void look(), everyMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    check: () => runUsage(disk, stateDir)
  };
}
async function sweepRunDirs(inUse, remove, root = tmpdir()) {
  let names;
  try {
    names = readdirSync(root).filter((n) => new RegExp(`^${RUN_DIR_PREFIX}[A-Za-z0-9]{6}$`).test(n));
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const removed = [];
  for (const name of names) {
    const dir = join(root, name);
    if (inUse.has(dir)) continue;
    const st = await lstat(dir).catch(() => void 0);
    if (!st?.isDirectory() || uid !== void 0 && st.uid !== uid) continue;
    const owner = await readFile(join(dir, OWNER_FILE), "utf8").catch(() => void 0);
    if (owner === void 0) {
      if (Date.now() - st.mtimeMs < OWNERLESS_AGE_MS) continue;
    } else {
      const pid = Number(owner.split(" ")[0]);
      const pidns = /\s(pid:\[\d+\])\s*$/.exec(owner)?.[1];
      if (!samePidNamespace(pidns)) continue;
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    }
    await removeRunDir(dir, remove).catch(() => void 0);
    removed.push(dir);
  }
  return removed;
}

// src/runner/container-options.ts
var CONTAINER_LOG_MAX = "8m";
var IMAGE_VOLUME_TMPFS = "rw,nosuid,nodev,size=1g";
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
    ...ctx.gateway?.env,
    // A runtime that starts ahead finds the run's id in its variables file (run-env.ts).
    ...spec.runEnv ? {} : { GITCREW_RUN: ctx.runId },
    GITCREW_CHANNEL: `${CHANNEL_DIR_IN_CONTAINER}/${CHANNEL_FILE}`
  };
  const tmpfs = {};
  for (const [path, opts] of Object.entries(spec.tmpfs)) tmpfs[path] = withOwner(opts, ctx.user);
  const binds = [
    `${ctx.workspaceDir}:${spec.workdir}:rw`,
    `${ctx.channelDir}:${CHANNEL_DIR_IN_CONTAINER}:rw`,
    ...spec.stateDir && ctx.stateHostDir ? [`${ctx.stateHostDir}:${spec.stateDir}:rw`] : [],
    ...spec.runEnv ? [`${ctx.runEnvDir}:${RUN_ENV_DIR}:ro`] : [],
    ...ctx.mounts.map((m) => `${m.source}:${m.target}:${m.readOnly ? "ro" : "rw"}`)
  ];
  const bound = new Set(binds.map((b) => b.split(":")[1]));
  for (const path of ctx.imageVolumes ?? []) if (!bound.has(path)) tmpfs[path] ??= withOwner(IMAGE_VOLUME_TMPFS, ctx.user);
  if (spec.runEnv && !ctx.runEnvDir) throw new Error("container-options: run variables without their folder");
  if (spec.network === "gateway" && !ctx.gateway) throw new Error("container-options: network gateway without a gateway");
  if (spec.network === "bridge" && !ctx.egressNetwork) throw new Error("container-options: network egress without the egress network");
  const network = spec.network === "bridge" ? ctx.egressNetwork : spec.network === "gateway" && ctx.gateway ? ctx.gateway.network : "none";
  const stdin = spec.stdin !== void 0;
  return {
    Image: spec.image,
    Cmd: ctx.gateway?.argv ?? spec.argv,
    User: ctx.user,
    WorkingDir: spec.workdir,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      ...spec.labels,
      "gitcrew.run": ctx.runId,
      "gitcrew.owner": ctx.owner.id,
      "gitcrew.owner-pid": String(ctx.owner.pid),
      "gitcrew.host": ctx.owner.host,
      "gitcrew.pidns": ctx.owner.pidns ?? "",
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
      // No file the agent writes grows past its disk limit (disk-guard.ts bounds the sum).
      Ulimits: [{ Name: "fsize", Soft: diskLimit(spec.diskBytes), Hard: diskLimit(spec.diskBytes) }],
      // The engine's copy of the output is on the host's disk too: bounded (gitcrew keeps its own log).
      LogConfig: { Type: "json-file", Config: { "max-size": CONTAINER_LOG_MAX, "max-file": "1" } },
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
var Masker = class extends SecretMasker {
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
async function attachContainer(container, stdin) {
  const attached = await withinStartDeadline(
    (abortSignal) => container.attach({ stream: true, stdin, stdout: true, stderr: true, hijack: stdin, abortSignal }),
    "attach to the container"
  );
  const ended = new Promise((resolve4) => {
    attached.on("end", resolve4);
    attached.on("close", resolve4);
    attached.on("error", () => resolve4());
  });
  const captured = { stdout: "", stderr: "" };
  const passes = { stdout: new PassThrough(), stderr: new PassThrough() };
  attached.on("end", () => {
    passes.stdout.end();
    passes.stderr.end();
  });
  container.modem.demuxStream(attached, passes.stdout, passes.stderr);
  let led = "";
  return {
    container,
    captured,
    ended,
    lead: (text) => {
      led += text;
      attached.write(text);
    },
    feed: (text) => {
      if (text === void 0) return;
      if (!text.startsWith(led)) throw new Error("docker-run: stdin does not start with what was written ahead");
      attached.end(text.slice(led.length));
    },
    bind: (run2) => {
      for (const stream of ["stdout", "stderr"]) {
        const lines = new LineSplitter((raw) => {
          const line = run2.masker.mask(raw);
          if (captured[stream].length < MAX_CAPTURE) captured[stream] += `${line}
`;
          run2.hooks.onLine(stream, line);
        }, { maxLine: MAX_LINE, masker: run2.masker });
        const decoder = new StringDecoder("utf8");
        passes[stream].on("data", (c) => lines.push(decoder.write(c)));
        passes[stream].on("end", () => {
          lines.push(decoder.end());
          lines.end();
        });
      }
    }
  };
}
async function runContainer(created, run2) {
  const container = await created;
  let attached;
  try {
    attached = await attachContainer(container, run2.stdin !== void 0);
    attached.bind(run2);
    await withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the container");
  } catch (err) {
    await removeContainer(container);
    throw err;
  }
  return runStarted(attached, run2);
}
async function runStarted(attached, run2) {
  const { container, captured, ended } = attached;
  let removed;
  let timedOut = false;
  let cancelled = false;
  try {
    run2.hooks.onStarted(container.id);
    const kill = () => container.kill({ signal: "SIGKILL" }).catch(() => void 0);
    const timer = setTimeout(() => {
      timedOut = true;
      void kill();
    }, run2.timeoutSeconds * 1e3);
    const onAbort = () => {
      cancelled = true;
      void kill();
    };
    run2.signal?.addEventListener("abort", onAbort, { once: true });
    let exitCode;
    try {
      if (run2.signal?.aborted) onAbort();
      else attached.feed(run2.stdin);
      const waited = await container.wait();
      exitCode = waited.StatusCode;
    } finally {
      clearTimeout(timer);
      run2.signal?.removeEventListener("abort", onAbort);
    }
    let lag;
    await Promise.race([ended, new Promise((r) => lag = setTimeout(r, 2e3))]);
    clearTimeout(lag);
    removed = removeContainer(container);
    return { exitCode, timedOut, cancelled: cancelled && !timedOut, ...captured, removed };
  } finally {
    if (!removed) await removeContainer(container);
  }
}
function removeContainer(container) {
  return container.remove({ force: true, v: true }).then(
    () => void 0,
    () => void 0
  );
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
function missingImage(err, image2) {
  const status2 = err.statusCode;
  if (status2 !== 404 || !/no such image/i.test(errorMessage(err))) return void 0;
  const runtime = /^gitcrew\/(claude|codex|gemini|command|base)(:latest)?$/.exec(image2)?.[1];
  return new EnvironmentError(
    `the image ${image2} is not on this Docker engine`,
    runtime ? `build it: gitcrew images build ${runtime === "base" ? "" : `${runtime} `}(add --offline where no registry is reachable)` : `pull or build it (docker pull ${image2}), or drop \`image:\` from the agent to use the runtime's image (gitcrew images build)`
  );
}

// src/runner/skill-copy.ts
import { mkdir, symlink, writeFile as writeFile2 } from "node:fs/promises";
import { dirname as dirname2, join as join2 } from "node:path";
var MAX_SKILL_BYTES = 256 * 1024 * 1024;
async function copySkillFromTree(repoDir, crewTree, source, dest) {
  const sub = source.replace(/^\.gitcrew\//, "");
  if (!/^[0-9a-f]{40,64}$/.test(crewTree) || !/^skills\/[A-Za-z0-9._-]+$/.test(sub) || sub.includes("..")) {
    throw new InputError(`cannot mount ${source} from the crew's tree ${crewTree}`);
  }
  const out = await gitRaw(repoDir, ["ls-tree", "-r", "-z", "-l", crewTree, "--", sub]);
  if (out.code !== 0) throw new InputError(`cannot read ${source} from the crew's tree in ${repoDir}: ${out.stderr.trim()}`);
  const files = [];
  let total = 0;
  for (const rec of out.stdout.toString("utf8").split("\0").filter(Boolean)) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(rec);
    if (!m || m[2] !== "blob" || !m[5].startsWith(`${sub}/`)) continue;
    total += Number(m[4]) || 0;
    files.push({ mode: m[1], id: m[3], rel: m[5].slice(sub.length + 1) });
  }
  if (files.length === 0) throw new InputError(`the folder ${source} does not exist in the crew's default branch`, "check the agent's skills (gitcrew validate)");
  if (total > MAX_SKILL_BYTES) throw new InputError(`${source} holds ${Math.round(total / 1024 / 1024)} MiB; a skill may hold ${MAX_SKILL_BYTES / 1024 / 1024} MiB`);
  const contents = await catBlobs(repoDir, files.map((f) => f.id), hostGitEnv());
  await mkdir(dest, { recursive: true, mode: 493 });
  const links = /* @__PURE__ */ new Set();
  for (const [i, f] of files.entries()) {
    if ([...links].some((l) => f.rel.startsWith(`${l}/`))) continue;
    const path = join2(dest, f.rel);
    await mkdir(dirname2(path), { recursive: true, mode: 493 });
    if (f.mode === "120000") {
      await symlink(contents[i].toString("utf8"), path);
      links.add(f.rel);
    } else await writeFile2(path, contents[i], { flag: "wx", mode: f.mode === "100755" ? 493 : 420 });
  }
  return dest;
}

// src/runner/orphans.ts
import { basename as basename2, dirname as dirname4, isAbsolute as isAbsolute2, join as join4, normalize as normalize2 } from "node:path";

// src/runner/workspace.ts
import { chown, lstat as lstat2, mkdir as mkdir2, mkdtemp as mkdtemp2, readFile as readFile2, readlink, rename, rm as rm2, symlink as symlink2, writeFile as writeFile3 } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { basename, dirname as dirname3, isAbsolute, join as join3, normalize, relative, resolve, sep } from "node:path";
import { execFile as execFile2 } from "node:child_process";
function inside(root, rel) {
  const path = normalize(join3(root, rel));
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
  const dir = opts.dir ?? await mkdtemp2(join3(tmpdir2(), "gitcrew-ws-"));
  const added = await underRepoLock(opts.repoDir, () => gitExec(opts.repoDir, ["-c", "checkout.workers=8", "worktree", "add", "--detach", "--quiet", dir, start]));
  if (added.code !== 0) {
    await rm2(dir, { recursive: true, force: true });
    throw new InputError(`cannot check out "${start}" of ${opts.repoDir}: ${added.stderr.trim() || `git exited with ${added.code}`}`, "check the ref exists (git rev-parse REF)");
  }
  const dotGit = await readFile2(join3(dir, ".git"), "utf8");
  const admin = /^gitdir: (.+)$/m.exec(dotGit)?.[1]?.trim();
  if (!admin || !isAbsolute(admin)) throw new EnvironmentError(`git wrote an unexpected .git file in the worktree ${dir}`);
  const originals = /* @__PURE__ */ new Map();
  for (const [rel, content] of Object.entries(opts.injectedFiles)) {
    const path = inside(dir, rel);
    await ensureDirInside(dir, dirname3(rel)).catch((err) => {
      throw new InputError(`cannot write ${rel} into the worktree: ${errorMessage(err)}`);
    });
    originals.set(rel, await originalAt(path, rel));
    await rm2(path, { force: true });
    await writeFile3(path, content, { flag: "wx" });
  }
  for (const rel of opts.mountPoints) {
    await ensureDirInside(dir, rel).catch((err) => {
      throw new InputError(`cannot mount at ${rel} in the worktree: ${errorMessage(err)}`);
    });
  }
  if (opts.owner) await chownTree(dir, opts.owner.uid, opts.owner.gid);
  return { dir, repoDir: opts.repoDir, originals, admin, dotGit, settledNs: await settledAt(dir) };
}
async function settledAt(dir) {
  const mark = join3(dir, `.gitcrew-settled-${process.pid}`);
  try {
    await writeFile3(mark, "", { flag: "wx" });
    return (await lstat2(mark, { bigint: true })).ctimeNs;
  } catch {
    return void 0;
  } finally {
    await rm2(mark, { force: true });
  }
}
async function chownTree(dir, uid, gid) {
  await new Promise(
    (resolve4, reject) => execFile2("chown", ["-R", `${uid}:${gid}`, dir], (err) => err ? reject(new EnvironmentError(`chown of the workspace failed: ${err.message}`)) : resolve4())
  );
  await chown(dir, uid, gid);
}
async function commitChanges(ws, opts) {
  unlockDir(ws.dir);
  await restoreFiles(ws);
  if (!ws.admin || ws.dotGit === void 0) throw new GitcrewError("the workspace has no recorded git folder", EXIT.failed);
  await rm2(join3(ws.dir, ".git"), { recursive: true, force: true });
  await writeFile3(join3(ws.dir, ".git"), ws.dotGit, { flag: "wx" });
  const gitArgs = ["-c", `safe.directory=${ws.dir}`, "-c", `safe.directory=${ws.admin}`, `--git-dir=${ws.admin}`, `--work-tree=${ws.dir}`];
  const changes = await collectChanges({ dir: ws.dir, gitArgs, index: join3(ws.admin, "index"), settledNs: ws.settledNs, frozen: opts.frozen }).catch((err) => {
    throw new GitcrewError(errorMessage(err), EXIT.failed);
  });
  const reported = { ...changes.removed.length > 0 ? { removed: changes.removed } : {}, ...changes.held.length > 0 ? { held: changes.held } : {} };
  if (changes.changedFiles.length === 0) return { changedFiles: [], ...reported };
  const head = (await gitExec(ws.repoDir, ["symbolic-ref", "--quiet", "--short", "HEAD"])).stdout.trim();
  if (!opts.branch || opts.branch === head || ["main", "master", "HEAD"].includes(opts.branch)) {
    throw new GitcrewError(`refusing to commit the agent's work on "${opts.branch}": an agent's branch is never the default branch`, EXIT.failed);
  }
  const commit = await changes.write({ branch: opts.branch, identity: opts.identity, message: opts.message }).catch((err) => {
    throw new GitcrewError(errorMessage(err), EXIT.failed);
  });
  return { changedFiles: changes.changedFiles, branch: opts.branch, commit, ...reported };
}
function gitExec(cwd, args) {
  return gitText(cwd, args);
}
async function restoreFiles(ws) {
  for (const [rel, original] of ws.originals) {
    const path = inside(ws.dir, rel);
    const above = [];
    for (let at = dirname3(rel); at !== "." && at !== "/"; at = dirname3(at)) above.unshift(at);
    for (const at of above) unlockDir(inside(ws.dir, at));
    try {
      await ensureDirInside(ws.dir, dirname3(rel));
    } catch {
      throw new GitcrewError(`the agent replaced a folder above ${rel} by a link; its work is not committed`, EXIT.failed);
    }
    await rm2(path, { recursive: true, force: true });
    if (original === null) continue;
    if ("link" in original) await symlink2(original.link, path);
    else await writeFile3(path, original.file, { flag: "wx" });
  }
}
async function originalAt(path, rel) {
  const st = await lstat2(path).catch(() => void 0);
  if (!st) return null;
  if (st.isSymbolicLink()) return { link: await readlink(path) };
  if (st.isFile()) return { file: await readFile2(path) };
  throw new InputError(`cannot write ${rel} into the worktree: the repository has a folder there`);
}
async function ensureDirInside(root, rel) {
  let at = root;
  for (const part of normalize(rel).split(sep).filter((p) => p && p !== ".")) {
    if (part === "..") throw new GitcrewError(`"${rel}" leaves the worktree`, EXIT.failed);
    at = join3(at, part);
    const st = await lstat2(at).catch(() => void 0);
    if (!st) await mkdir2(at);
    else if (st.isSymbolicLink()) throw new GitcrewError(`${relative(root, at)} is a link`, EXIT.failed);
    else if (!st.isDirectory()) throw new GitcrewError(`${relative(root, at)} is not a folder`, EXIT.failed);
  }
}
async function removeWorkspace(ws) {
  await removeTree(ws.dir);
  if (ws.admin) {
    const admin = ws.admin;
    const trash = join3(dirname3(dirname3(admin)), `gitcrew-removed-${basename(admin)}-${process.pid}-${Date.now()}`);
    const moved = await underRepoLock(ws.repoDir, () => rename(admin, trash).then(
      () => true,
      () => false
    ));
    await rm2(moved ? trash : admin, { recursive: true, force: true });
  } else
    await underRepoLock(ws.repoDir, () => gitExec(ws.repoDir, ["worktree", "prune"]));
}
var repoLocks = /* @__PURE__ */ new Map();
async function underRepoLock(repoDir, fn) {
  const key = resolve(repoDir);
  const before = repoLocks.get(key) ?? Promise.resolve();
  const run2 = before.then(fn);
  const tail = run2.then(
    () => void 0,
    () => void 0
  );
  repoLocks.set(key, tail);
  try {
    return await run2;
  } finally {
    if (repoLocks.get(key) === tail) repoLocks.delete(key);
  }
}

// src/runner/orphans.ts
async function cleanOrphans(docker, me, active, records, stateRoot) {
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ["gitcrew.run"] }) });
  const removed = [];
  for (const c of containers) {
    const labels = c.Labels ?? {};
    const run2 = labels["gitcrew.run"] ?? "";
    const owner = labels["gitcrew.owner"] ?? "";
    const pid = Number(labels["gitcrew.owner-pid"] ?? "0");
    const sameHost = labels["gitcrew.host"] === me.host && samePidNamespace(labels["gitcrew.pidns"]);
    let reason;
    if (owner === me.id && !active.has(run2)) reason = `runner ${owner} restarted and no longer runs it`;
    else if (owner !== me.id && sameHost && pid > 0 && !processAlive(pid)) reason = `runner ${owner} (pid ${pid}) is gone`;
    if (!reason) continue;
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => void 0);
    const ws = runWorktree(labels["gitcrew.workspace"]);
    const repoDir = labels["gitcrew.repo-dir"];
    if (ws && repoDir && isAbsolute2(repoDir)) await removeWorkspace({ dir: ws, repoDir }).catch(() => void 0);
    if (ws) await removeRunDir(dirname4(ws), removeTree).catch(() => void 0);
    if (stateRoot && /^ahead-[0-9a-f]{16}$/.test(run2)) await removeTree(join4(stateRoot, run2)).catch(() => void 0);
    const full = `${reason}; container ${c.Id.slice(0, 12)} removed by runner ${me.id}`;
    removed.push({ run: run2, containerId: c.Id, reason: full });
    const rec = records?.get(run2);
    if (rec && records && !isFinal(rec.status)) {
      records.save({ ...rec, status: "failed", exitCode: 1, reason: full, finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
      records.appendLog(run2, ownLogNote(`failed: ${full}`));
    }
  }
  for (const rec of records?.unfinished() ?? []) {
    if (active.has(rec.id) || !ownerGone(rec)) continue;
    const reason = `runner ${rec.owner.id} (pid ${rec.owner.pid}) is gone; the run was recorded failed by runner ${me.id}`;
    records?.save({ ...rec, status: "failed", exitCode: 1, reason, finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
    records?.appendLog(rec.id, ownLogNote(`failed: ${reason}`));
  }
  return removed;
}
function runWorktree(ws) {
  if (!ws || !isAbsolute2(ws) || normalize2(ws) !== ws) return void 0;
  return basename2(ws) === "worktree" && /^gitcrew-run-[A-Za-z0-9]{6}$/.test(basename2(dirname4(ws))) ? ws : void 0;
}

// src/crew/budgets.ts
function agentDayKey(agent, now) {
  return `agent_day:${agent}:${now.toISOString().slice(0, 10)}`;
}
function threadBudgetKey(repo, number) {
  return `thread:${repo}#${number}`;
}
function sharedCaps(config2, agent, thread, now) {
  const caps2 = [];
  const day = config2.budgets.agents[agent]?.agent_day ?? config2.budgets.agent_day;
  if (day && (day.tokens !== void 0 || day.usd !== void 0)) caps2.push({ scope: "agent_day", key: agentDayKey(agent, now), ...day });
  const t = config2.budgets.thread;
  if (thread && t && (t.tokens !== void 0 || t.usd !== void 0)) caps2.push({ scope: "thread", key: threadBudgetKey(thread.repo, thread.number), ...t });
  return caps2;
}

// src/runner/gateway-wiring.ts
function grantsGitHub(permissions) {
  return Object.values(permissions ?? {}).some((v) => v === "read" || v === "write");
}
function registration(r) {
  const values = [];
  const modelKeys = {};
  if (r.wiring) {
    const key = (r.spec.modelKeys ?? r.wiring.keyEnv).map((n) => r.env[n]).find((v) => v);
    if (key) {
      modelKeys[r.wiring.provider] = key;
      values.push(key);
    }
  }
  const secrets = [];
  for (const s2 of r.spec.hostSecrets ?? []) {
    if (isReservedSecretName(s2.name)) continue;
    const value = r.env[s2.name];
    if (value === void 0 || value === "") continue;
    values.push(value);
    secrets.push({ host: s2.host, header: s2.header, value: s2.format.replace("{}", value) });
  }
  const github = r.github && grantsGitHub(r.permissions) ? r.github : void 0;
  if (github && typeof github.token === "string") values.push(github.token);
  return {
    reg: { runId: r.runId, allow: r.spec.allow ?? [], modelKeys, secrets, ...github ? { github } : {}, budget: caps(r), ...r.spec.prices ? { prices: r.spec.prices } : {} },
    values
  };
}
function caps(r) {
  const out = [];
  if (r.spec.budget) out.push({ scope: "run", ...r.spec.budget });
  if (!r.budgets) return out;
  const m = /^(.+)#(\d+)$/.exec(r.threadKey);
  const thread = m?.[1] && m[2] ? { repo: m[1], number: Number(m[2]) } : void 0;
  return [...out, ...sharedCaps({ budgets: r.budgets }, r.agent, thread, r.now ?? /* @__PURE__ */ new Date())];
}
function containerWiring(handle, host, spec, wiring, github) {
  const out = runtimeWiring(handle, host, spec, wiring);
  if (!github) return out;
  const route = handle.githubUrl(host);
  out.env.GITHUB_API_URL = `${route}/api`;
  out.files = { ...out.files, [SYSTEM_GITCONFIG]: gitconfig(route, github.gitUrl, handle.token) };
  return out;
}
var SYSTEM_GITCONFIG = "/etc/gitconfig";
function gitconfig(route, gitUrl, token) {
  const web = new URL(gitUrl);
  const prefix = `${web.origin}${web.pathname.replace(/\/+$/, "")}/`;
  const lines = [`[url "${route}/git/"]`, `	insteadOf = ${prefix}`];
  if (!web.pathname.replace(/\/+$/, "")) lines.push(`	insteadOf = git@${web.hostname}:`, `	insteadOf = ssh://git@${web.hostname}/`);
  lines.push(`[http "${route}/"]`, `	extraHeader = Authorization: Bearer ${token}`);
  return `${lines.join("\n")}
`;
}
function runtimeWiring(handle, host, spec, wiring) {
  const proxy = handle.proxyUrl(host);
  const env = {
    HTTPS_PROXY: proxy,
    HTTP_PROXY: proxy,
    https_proxy: proxy,
    http_proxy: proxy,
    NO_PROXY: host,
    no_proxy: host,
    GITCREW_RUN_TOKEN: handle.token
  };
  if (!wiring) return { env };
  const base = handle.baseUrl(wiring.provider, host);
  Object.assign(env, wiring.env(base, handle.token));
  const extra = wiring.args?.(base);
  const argv = extra ? [...spec.argv.slice(0, extra.at), ...extra.args, ...spec.argv.slice(extra.at)] : void 0;
  return { env, argv, files: wiring.files };
}
function budgetReason(b) {
  const caps2 = [];
  if (b.limit.tokens !== void 0) caps2.push(`${b.limit.tokens} tokens`);
  if (b.limit.usd !== void 0) caps2.push(`$${b.limit.usd}`);
  const spent = `spent ${b.spent.tokens} tokens, $${b.spent.usd.toFixed(4)}`;
  const where = b.scope === "run" ? "raise limits.budget in the agent's agent.cue" : b.scope === "agent_day" ? "raise budgets.agent_day (or budgets.agents.<agent>.agent_day) in crew.cue, or wait for the next UTC day" : "raise budgets.thread in crew.cue, or continue in a new thread";
  const name = b.scope === "run" ? "its run budget" : b.scope === "agent_day" ? "the agent's daily budget" : "the thread's budget";
  return `stopped by ${name} of ${caps2.join(" / ")} (${spent}); ${where}`;
}

// src/runner/run-gateway.ts
import { createHash as createHash2 } from "node:crypto";
import { readFileSync as readFileSync2 } from "node:fs";
import { hostname, userInfo } from "node:os";

// src/gateway/registry-hosts.ts
import { execFile as execFile3 } from "node:child_process";
import { accessSync, constants as constants2, readdirSync as readdirSync2, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute as isAbsolute3, join as join5 } from "node:path";
async function packageRegistryHosts(opts = {}) {
  const env = opts.env ?? process.env;
  const ctx = { env, timeoutMs: opts.timeoutMs ?? 15e3 };
  const found = await Promise.all([
    npmRegistries(ctx).then((urls) => ["npm", urls]),
    pipIndexes(ctx).then((urls) => ["pip", urls]),
    Promise.resolve(["apt", aptSources(opts.aptDir ?? "/etc/apt")]),
    Promise.resolve(["cargo", cargoRegistries(env)]),
    goProxies(ctx).then((urls) => ["go", urls])
  ]);
  const sources = [];
  for (const [tool2, urls] of found) {
    const hosts = uniqueSorted(urls.map(hostPatternOf).filter((h) => h !== void 0));
    if (hosts.length > 0) sources.push({ tool: tool2, hosts });
  }
  return { hosts: uniqueSorted(sources.flatMap((s2) => s2.hosts)), sources };
}
function hostPatternOf(url) {
  const bare = url.trim().replace(/^(?:[a-z]+\+)+(?=https?:)/i, "");
  let u;
  try {
    u = new URL(bare);
  } catch {
    return void 0;
  }
  if (u.protocol !== "https:" && u.protocol !== "http:" || !u.hostname) return void 0;
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const pattern = `${u.hostname}:${port}`;
  try {
    parseHostPattern(pattern);
  } catch {
    return void 0;
  }
  return pattern;
}
var uniqueSorted = (xs) => [...new Set(xs)].sort();
var words = (s2) => (s2 ?? "").split(/\s+/).filter(Boolean);
function onPath(env, name) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!isAbsolute3(dir)) continue;
    const file = join5(dir, name);
    try {
      accessSync(file, constants2.X_OK);
      return file;
    } catch {
    }
  }
  return void 0;
}
function run(ctx, tool2, args) {
  const file = onPath(ctx.env, tool2);
  if (!file) return Promise.resolve(void 0);
  return new Promise((resolve4) => {
    execFile3(file, args, { cwd: "/", env: ctx.env, timeout: ctx.timeoutMs, maxBuffer: 4 * 1024 * 1024, windowsHide: true }, (err, stdout) => resolve4(err ? void 0 : stdout));
  });
}
async function npmRegistries(ctx) {
  const out = await run(ctx, "npm", ["config", "list", "--json"]);
  if (out === void 0) return [];
  let config2;
  try {
    config2 = JSON.parse(out);
  } catch {
    return [];
  }
  return Object.entries(config2).filter(([k, v]) => (k === "registry" || /^@[^:]+:registry$/.test(k)) && typeof v === "string").map(([, v]) => v);
}
async function pipIndexes(ctx) {
  const urls = [...words(ctx.env.PIP_INDEX_URL), ...words(ctx.env.PIP_EXTRA_INDEX_URL)];
  let indexSet = words(ctx.env.PIP_INDEX_URL).length > 0;
  const listed = await run(ctx, "pip", ["config", "list"]);
  if (listed === void 0) return urls;
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
function aptSources(aptDir) {
  const urls = [];
  const read = (file) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return void 0;
    }
  };
  const oneLine = (text) => {
    for (const raw of text.split("\n")) {
      const line = raw.replace(/#.*/, "").trim();
      const m = /^deb(?:-src)?\s+(?:\[[^\]]*\]\s+)?(\S+)/.exec(line);
      if (m?.[1]) urls.push(m[1]);
    }
  };
  const deb822 = (text) => {
    for (const stanza of text.split(/\n\s*\n/)) {
      const fields = /* @__PURE__ */ new Map();
      let last;
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
  const main = read(join5(aptDir, "sources.list"));
  if (main !== void 0) oneLine(main);
  let names = [];
  try {
    names = readdirSync2(join5(aptDir, "sources.list.d")).sort();
  } catch {
  }
  for (const name of names) {
    const text = name.endsWith(".list") || name.endsWith(".sources") ? read(join5(aptDir, "sources.list.d", name)) : void 0;
    if (text === void 0) continue;
    if (name.endsWith(".list")) oneLine(text);
    else deb822(text);
  }
  return urls;
}
function cargoRegistries(env) {
  const urls = Object.entries(env).filter(([k, v]) => v && (/^CARGO_REGISTRIES_[A-Z0-9_]+_INDEX$/.test(k) || k === "CARGO_REGISTRY_INDEX")).map(([, v]) => v);
  const home = env.CARGO_HOME || join5(env.HOME || homedir(), ".cargo");
  for (const name of ["config.toml", "config"]) {
    let text;
    try {
      text = readFileSync(join5(home, name), "utf8");
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
      if (!/^(registries|source|registry)(\.|$)/.test(section)) continue;
      for (const m of line.matchAll(/\b(?:index|registry)\s*=\s*"([^"]+)"/g)) if (m[1]) urls.push(m[1]);
    }
  }
  return urls;
}
async function goProxies(ctx) {
  const value = await run(ctx, "go", ["env", "GOPROXY"]) ?? ctx.env.GOPROXY;
  return (value ?? "").split(/[,|]/).map((s2) => s2.trim()).filter((s2) => s2 && s2 !== "direct" && s2 !== "off");
}

// src/runner/docker-network.ts
import { setTimeout as sleep } from "node:timers/promises";
var ICC = "com.docker.network.bridge.enable_icc";
var ATTEMPTS = 20;
var status = (err) => err.statusCode;
async function ensureNetwork(docker, name, options) {
  let last;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    try {
      return await docker.getNetwork(name).inspect();
    } catch (err) {
      last = err;
      if (status(err) === 400) {
        await sleep(25 + Math.random() * 100);
        continue;
      }
      if (status(err) !== 404) throw err;
    }
    const made2 = await create(docker, name, options);
    if (made2) await yieldToOthers(docker, name, made2);
  }
  throw last instanceof Error ? last : new Error(`the Docker network ${name} could not be made`);
}
async function create(docker, name, options) {
  try {
    const network = await docker.createNetwork({
      Name: name,
      Driver: "bridge",
      Internal: options.internal,
      EnableIPv6: false,
      CheckDuplicate: true,
      Labels: options.labels,
      Options: { [ICC]: "false" }
    });
    return network.id;
  } catch (err) {
    if (status(err) !== 409) throw err;
    return void 0;
  }
}
async function yieldToOthers(docker, name, mine) {
  const same = (await docker.listNetworks({ filters: { name: [name] } })).filter((n) => n.Name === name);
  if (!same.some((n) => n.Id !== mine)) return;
  await docker.getNetwork(mine).remove().catch(() => void 0);
  await sleep(Math.random() * 100);
}

// src/runner/host-firewall.ts
import { execFileSync as execFileSync3, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync as existsSync3, openSync } from "node:fs";

// src/runner/firewall-engine.ts
import { execFileSync as execFileSync2 } from "node:child_process";
import { existsSync as existsSync2 } from "node:fs";
import { homedir as homedir2 } from "node:os";
import { join as join6 } from "node:path";

// src/runner/firewall-script.ts
import { isIPv4, isIPv6 } from "node:net";
import { endianness } from "node:os";
var FIREWALL_OK = "gitcrew-firewall: ok";
var FIREWALL_SCRIPT = `set -u
mode=$1 chain=$2 bridge=$3 port=$4 hex=$5
shift 5
live=" "
if [ "$mode" = open ]; then
  while read -r _sl local _rem st _rest; do
    [ "$st" = 0A ] || continue
    case $local in "$hex":*) live="$live$((0x\${local#*:})) " ;; esac
  done
fi
while [ $# -ge 2 ]; do
  fam=$1 host=$2
  shift 2
  ipt=iptables unreach=icmp-port-unreachable
  [ "$fam" = 6 ] && ipt=ip6tables unreach=icmp6-port-unreachable
  if ! command -v $ipt >/dev/null 2>&1; then echo "gitcrew-firewall: $ipt is not installed on the host" >&2; exit 3; fi
  if [ "$mode" = close ]; then
    $ipt -w -D "$chain" -p tcp -d "$host" --dport "$port" -j ACCEPT 2>/dev/null
    continue
  fi
  if [ "$mode" = seal ]; then
    want="-N $chain
-A $chain -p tcp -j REJECT --reject-with tcp-reset
-A $chain -j REJECT --reject-with $unreach"
    rules=$($ipt -w -S "$chain" 2>/dev/null) || { $ipt -w -N "$chain" 2>/dev/null || $ipt -w -S "$chain" >/dev/null || exit 4; rules="-N $chain"; }
    if [ "$rules" != "$want" ]; then
      $ipt -w -F "$chain" || exit 4
      $ipt -w -A "$chain" -p tcp -j REJECT --reject-with tcp-reset || exit 4
      $ipt -w -A "$chain" -j REJECT --reject-with $unreach || exit 4
    fi
    $ipt -w -C INPUT -i "$bridge" -j "$chain" 2>/dev/null || $ipt -w -I INPUT -i "$bridge" -j "$chain" || exit 4
    continue
  fi
  # One listing answers most checks (each iptables call reloads the ruleset); -C decides when its text differs.
  # Another runner may make the chain at the same moment: "exists" is fine.
  rules=$($ipt -w -S "$chain" 2>/dev/null) || { $ipt -w -N "$chain" 2>/dev/null || $ipt -w -S "$chain" >/dev/null || exit 4; rules=; }
  case $rules in *"-A $chain -p tcp -j REJECT --reject-with tcp-reset"*) ;; *)
    $ipt -w -C "$chain" -p tcp -j REJECT --reject-with tcp-reset 2>/dev/null || $ipt -w -A "$chain" -p tcp -j REJECT --reject-with tcp-reset || exit 4 ;;
  esac
  case $rules in *"-A $chain -j REJECT --reject-with $unreach"*) ;; *)
    $ipt -w -C "$chain" -j REJECT --reject-with $unreach 2>/dev/null || $ipt -w -A "$chain" -j REJECT --reject-with $unreach || exit 4 ;;
  esac
  $ipt -w -C INPUT -i "$bridge" -j "$chain" 2>/dev/null || $ipt -w -I INPUT -i "$bridge" -j "$chain" || exit 4
  printf '%s
' "$rules" | while read -r a c d addr p _proto _m _mt dp dport j act _rest; do
    [ "$a $c $d $p $dp $j $act" = "-A $chain -d -p --dport -j ACCEPT" ] || continue
    case $dport in '' | *[!0-9]*) continue ;; esac
    [ "$dport" = "$port" ] && continue
    case $live in *" $dport "*) continue ;; esac
    $ipt -w -D "$chain" -p tcp -d "\${addr%/*}" --dport "$dport" -j ACCEPT
  done
  case $rules in *" --dport $port -j ACCEPT"*) ;; *)
    $ipt -w -I "$chain" -p tcp -d "$host" --dport "$port" -j ACCEPT || exit 4 ;;
  esac
done
echo "${FIREWALL_OK}"
`;
function firewallArgv(a) {
  if (a.mode !== "open" && a.mode !== "close" && a.mode !== "seal") throw new Error(`bad firewall mode ${String(a.mode)}`);
  const prefix = a.mode === "seal" ? "EG" : "GW";
  if (!new RegExp(`^GITCREW-${prefix}-[0-9A-F]{8}$`).test(a.chain)) throw new Error(`bad firewall chain ${a.chain}`);
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(a.bridge)) throw new Error(`bad bridge name ${a.bridge}`);
  const port = a.mode === "seal" ? 0 : a.port;
  if (a.mode !== "seal" && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new Error(`bad gateway port ${port}`);
  if (!isIPv4(a.host)) throw new Error(`bad bridge address ${a.host}`);
  if (a.host6 !== void 0 && !isIPv6(a.host6)) throw new Error(`bad bridge IPv6 address ${a.host6}`);
  return [a.mode, a.chain, a.bridge, String(port), procNetHex(a.host), "4", a.host, ...a.host6 ? ["6", a.host6] : []];
}
function procNetHex(ipv4, order = endianness()) {
  const bytes = ipv4.split(".").map((b) => Number(b).toString(16).toUpperCase().padStart(2, "0"));
  return (order === "LE" ? bytes.reverse() : bytes).join("");
}

// src/runner/firewall-engine.ts
var CANDIDATES = ["gitcrew/rootfs:bookworm", "gitcrew/base:latest", "gitcrew/command:latest", "gitcrew/claude:latest", "gitcrew/codex:latest", "gitcrew/gemini:latest"];
var XT_LOCK = "/run/xtables.lock";
var OUTER = 'exec chroot /host /bin/sh -c "$0" gitcrew-firewall "$@" </proc/net/tcp';
var image;
function pickImage(docker, env) {
  const wanted = env.GITCREW_FIREWALL_IMAGE ? [env.GITCREW_FIREWALL_IMAGE] : CANDIDATES;
  image ??= (async () => {
    for (const name of wanted) {
      if (await docker.getImage(name).inspect().then(() => true, () => false)) return name;
    }
    return void 0;
  })();
  const picked = image;
  void picked.then((name) => {
    if (!name && image === picked) image = void 0;
  });
  return picked;
}
function firewallContainer(img, argv, network) {
  return {
    Image: img,
    Entrypoint: ["/bin/sh", "-c", OUTER, FIREWALL_SCRIPT, ...argv],
    Cmd: [],
    User: "0:0",
    Env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"],
    Labels: { "gitcrew.firewall": network },
    HostConfig: {
      NetworkMode: "host",
      // Under userns-remap a container in the host's network namespace must also keep the host's users.
      UsernsMode: "host",
      CapDrop: ["ALL"],
      // NET_RAW: the legacy backend's socket; SYS_CHROOT: chroot /host.
      CapAdd: ["NET_ADMIN", "NET_RAW", "SYS_CHROOT"],
      SecurityOpt: ["no-new-privileges"],
      ReadonlyRootfs: true,
      // The legacy backend serialises with dockerd through this lock; dockerd has made it by now if it uses that backend.
      Binds: ["/:/host:ro", ...existsSync2(XT_LOCK) ? [`${XT_LOCK}:/host${XT_LOCK}`] : []],
      // A runner killed mid-way leaves no container behind.
      AutoRemove: true,
      Memory: 64 * 1024 * 1024,
      PidsLimit: 64
    }
  };
}
async function runThroughEngine(docker, env, argv, network) {
  const img = await pickImage(docker, env);
  if (!img) {
    const which = env.GITCREW_FIREWALL_IMAGE ? `the image ${env.GITCREW_FIREWALL_IMAGE} (GITCREW_FIREWALL_IMAGE) is not present` : `none of gitcrew's images is present (${CANDIDATES.join(", ")})`;
    return { ok: false, why: `${which}, so gitcrew cannot start its firewall container; build them with "gitcrew images build"` };
  }
  let container;
  let started = false;
  try {
    container = await docker.createContainer(firewallContainer(img, argv, network));
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    const ended = new Promise((r) => {
      stream.once("end", r);
      stream.once("close", r);
    });
    const waited = container.wait({ condition: "next-exit" });
    waited.catch(() => void 0);
    await container.start();
    started = true;
    const { StatusCode } = await waited;
    await Promise.race([ended, new Promise((r) => setTimeout(r, 2e3).unref())]);
    const out = demux(Buffer.concat(chunks));
    if (StatusCode === 0 && out.includes(FIREWALL_OK)) return { ok: true, image: img };
    return { ok: false, why: `the host's iptables failed in gitcrew's firewall container (exit ${StatusCode}): ${lastLines(out) || "no output"}` };
  } catch (err) {
    return { ok: false, why: started ? `gitcrew's firewall container failed: ${errorMessage(err)}` : await refusal(docker, err) };
  } finally {
    if (!started) await container?.remove({ force: true }).catch(() => void 0);
  }
}
async function refusal(docker, err) {
  const info = await docker.info().catch(() => void 0);
  const opts = info?.SecurityOptions ?? [];
  const base = `the Docker engine refused gitcrew's firewall container (--network host, NET_ADMIN): ${errorMessage(err).replace(/\s+/g, " ").trim()}`;
  if (opts.some((o) => o.includes("name=rootless"))) return `${base}; the engine is rootless, its "host" network is not the host's`;
  if (opts.some((o) => o.includes("name=userns"))) return `${base}; the engine remaps users (userns-remap) and does not allow --userns=host`;
  return base;
}
function runThroughEngineSync(docker, img, argv, network) {
  const modem = docker.modem;
  const userSocket = join6(homedir2(), ".docker", "run", "docker.sock");
  const socketPath = typeof modem.socketPath === "string" ? modem.socketPath : modem.socketPath ? existsSync2(userSocket) ? userSocket : "/var/run/docker.sock" : void 0;
  const conn = socketPath ? { socketPath } : modem.protocol === "http" && modem.host ? { host: modem.host, port: modem.port } : void 0;
  if (!conn) return;
  const job = JSON.stringify({ conn, create: firewallContainer(img, argv, network) });
  try {
    execFileSync2(process.execPath, ["-e", SYNC_CHILD, job], { stdio: "ignore", timeout: 2e4 });
  } catch {
  }
}
var SYNC_CHILD = `
const http = require("node:http");
const job = JSON.parse(process.argv[1]);
const call = (method, path, body) => new Promise((resolve, reject) => {
  const r = http.request({ ...job.conn, method, path, headers: { "content-type": "application/json" } }, (res) => {
    let data = "";
    res.on("data", (c) => (data += c));
    res.on("end", () => (res.statusCode < 300 ? resolve(data) : reject(new Error(res.statusCode + " " + data))));
  });
  r.on("error", reject);
  r.end(body === undefined ? undefined : JSON.stringify(body));
});
(async () => {
  const id = JSON.parse(await call("POST", "/containers/create", job.create)).Id;
  const waited = call("POST", "/containers/" + id + "/wait?condition=next-exit");
  waited.catch(() => undefined);
  try {
    await call("POST", "/containers/" + id + "/start");
  } catch (err) {
    await call("DELETE", "/containers/" + id + "?force=1").catch(() => undefined);
    throw err;
  }
  await waited;
})().catch(() => process.exit(1));
`;
function demux(buf) {
  let out = "";
  let i = 0;
  while (i + 8 <= buf.length) {
    const len = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + len).toString("utf8");
    i += 8 + len;
  }
  return out || buf.toString("utf8");
}
function lastLines(text) {
  return text.trim().split("\n").slice(-3).join(" / ").slice(0, 400);
}

// src/runner/host-firewall.ts
var ENV = { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", LC_ALL: "C" };
function firewallChain(network) {
  return `GITCREW-GW-${hash8(network)}`;
}
function egressChain(network) {
  return `GITCREW-EG-${hash8(network)}`;
}
function hash8(network) {
  return createHash("sha256").update(network).digest("hex").slice(0, 8).toUpperCase();
}
var OPEN_HOST = "gitcrew cannot close the host's own services (sshd, databases, anything listening on 0.0.0.0) to agent containers";
var OPEN_HOST_HINT = "run the runner as root, or as a user of a rootful Docker engine that allows --network host with NET_ADMIN; or bind host services to 127.0.0.1; GITCREW_ALLOW_OPEN_HOST=1 runs agents anyway with those services reachable (docs/runner.md)";
var warnedOpen = false;
function warnOpenHost(why) {
  if (warnedOpen) return;
  warnedOpen = true;
  process.stderr.write(`gitcrew: warning: GITCREW_ALLOW_OPEN_HOST=1: host services listening on 0.0.0.0 are reachable from agent containers (${why})
`);
}
function canRunLocally() {
  return typeof process.getuid === "function" && process.getuid() === 0 && ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].some((d) => existsSync3(`${d}/iptables`));
}
function runLocally(argv) {
  return new Promise((resolve4) => {
    let table = "ignore";
    try {
      table = openSync("/proc/net/tcp", "r");
    } catch {
    }
    const child = spawn("/bin/sh", ["-c", FIREWALL_SCRIPT, "gitcrew-firewall", ...argv], { env: ENV, stdio: [table, "pipe", "pipe"], timeout: 6e4 });
    if (typeof table === "number") closeSync(table);
    let out = "";
    child.stdout?.on("data", (c) => out += c.toString());
    child.stderr?.on("data", (c) => out += c.toString());
    child.on("error", (err) => resolve4(errorMessage(err)));
    child.on("close", (code) => resolve4(code === 0 && out.includes(FIREWALL_OK) ? void 0 : `iptables failed (exit ${code}): ${out.trim().split("\n").slice(-3).join(" / ").slice(0, 400) || "no output"}`));
  });
}
async function guardBridge(docker, env, t) {
  const args = { mode: "open", chain: firewallChain(t.network), bridge: t.bridge, port: t.port, host: t.host, ...t.ipv6 ? { host6: t.ipv6.host } : {} };
  let argv;
  let closeArgv;
  try {
    argv = firewallArgv(args);
    closeArgv = firewallArgv({ ...args, mode: "close" });
  } catch (err) {
    return { closed: false, why: errorMessage(err), close: async () => {
    } };
  }
  const done = await runScript(docker, env, argv, t.network);
  if (!done.ok) return { closed: false, why: done.why, close: async () => {
  } };
  if (done.via === "iptables") {
    return withRemoval("iptables", () => runLocally(closeArgv).then(() => void 0), () => {
      execFileSync3("/bin/sh", ["-c", FIREWALL_SCRIPT, "gitcrew-firewall", ...closeArgv], { env: ENV, stdio: "ignore", timeout: 1e4 });
    });
  }
  const img = done.image;
  return withRemoval("engine", () => runThroughEngine(docker, env, closeArgv, t.network).then(() => void 0), () => runThroughEngineSync(docker, img, closeArgv, t.network));
}
async function sealBridge(docker, env, t) {
  let argv;
  try {
    argv = firewallArgv({ mode: "seal", chain: egressChain(t.network), bridge: t.bridge, host: t.host });
  } catch (err) {
    return { closed: false, why: errorMessage(err) };
  }
  const done = await runScript(docker, env, argv, t.network);
  return done.ok ? { closed: true, via: done.via } : { closed: false, why: done.why };
}
async function runScript(docker, env, argv, network) {
  const whys = [];
  if (canRunLocally()) {
    const failed = await runLocally(argv);
    if (!failed) return { ok: true, via: "iptables" };
    whys.push(failed);
  } else {
    whys.push(typeof process.getuid === "function" && process.getuid() !== 0 ? "the runner is not root" : "iptables is not installed where the runner runs");
  }
  const viaEngine = await runThroughEngine(docker, env, argv, network);
  if (viaEngine.ok) return { ok: true, via: "engine", image: viaEngine.image };
  whys.push(viaEngine.why);
  return { ok: false, why: whys.join("; ") };
}
function withRemoval(via, remove, removeSync) {
  let removed = false;
  const onExit = () => {
    if (removed) return;
    removed = true;
    try {
      removeSync();
    } catch {
    }
  };
  process.once("exit", onExit);
  return {
    closed: true,
    via,
    close: async () => {
      process.off("exit", onExit);
      if (removed) return;
      removed = true;
      await remove();
    }
  };
}

// src/runner/remembered-refusals.ts
var REFUSAL_MEMORY_MS = 6e4;
var RememberedRefusals = class {
  constructor(ms = REFUSAL_MEMORY_MS, now = Date.now) {
    this.ms = ms;
    this.now = now;
  }
  refused = /* @__PURE__ */ new Map();
  /** Throws the refusal remembered for `key` while it is fresh (a new error, the same words). */
  check(key) {
    const r = this.refused.get(key);
    if (!r) return;
    if (this.now() < r.until) throw new EnvironmentError(r.message, r.hint);
    this.refused.delete(key);
  }
  /** Remembers `error` for `key`, and returns it to throw. */
  remember(key, error) {
    this.refused.set(key, { message: error.message, ...error.hint !== void 0 ? { hint: error.hint } : {}, until: this.now() + this.ms });
    return error;
  }
};

// src/runner/run-gateway.ts
var UPSTREAM_ENV = {
  // The runtime's own base-URL variable in the runner's environment (a proxy or a test server) is the gateway's upstream.
  anthropic: ["GITCREW_ANTHROPIC_UPSTREAM", "ANTHROPIC_BASE_URL"],
  openai: ["GITCREW_OPENAI_UPSTREAM"],
  gemini: ["GITCREW_GEMINI_UPSTREAM", "GOOGLE_GEMINI_BASE_URL"]
};
var PACKAGES = "preset:packages";
var refusals = new RememberedRefusals();
function gatewayNetworkName(env) {
  if (env.GITCREW_GATEWAY_NETWORK) return env.GITCREW_GATEWAY_NETWORK;
  const who = `${hostname()}\0${safeUser()}`;
  return `gitcrew-gw-${createHash2("sha256").update(who).digest("hex").slice(0, 12)}`;
}
function safeUser() {
  try {
    return String(userInfo().uid);
  } catch {
    return "user";
  }
}
async function startRunGateway(docker, env, opts = {}) {
  const network = gatewayNetworkName(env);
  const refusalKey = JSON.stringify([network, env.GITCREW_FIREWALL_IMAGE ?? ""]);
  if (env.GITCREW_ALLOW_OPEN_HOST !== "1") refusals.check(refusalKey);
  const { host, bridge, ipv6 } = await bridgeAddress(docker, network);
  const upstreams = {};
  for (const [provider, names] of Object.entries(UPSTREAM_ENV)) {
    const set = names.map((n) => env[n]).find((v) => v);
    if (set) upstreams[provider] = set;
  }
  const allowInternal = (env.GITCREW_GATEWAY_ALLOW_INTERNAL ?? "").split(",").map((s2) => s2.trim()).filter(Boolean);
  const extraPackages = (env.GITCREW_PRESET_PACKAGES ?? "").split(",").map((s2) => s2.trim()).filter(Boolean);
  const ca = env.GITCREW_GATEWAY_CA_FILE ? readFileSync2(env.GITCREW_GATEWAY_CA_FILE) : void 0;
  const o = opts.gateway ?? {};
  const { startGateway } = await import("./action-gateway-PDQPEBKQ.js");
  let gateway;
  try {
    gateway = await startGateway({
      ...o,
      host,
      port: Number(env.GITCREW_GATEWAY_PORT) || 0,
      upstreams: { ...upstreams, ...o.upstreams },
      ledger: opts.ledger ?? o.ledger,
      allowInternal: [...allowInternal, ...o.allowInternal ?? []],
      presets: o.presets,
      ...ca || o.ca ? { ca: o.ca ?? ca } : {}
    });
  } catch (err) {
    throw new EnvironmentError(`the run gateway cannot listen on ${host} (the bridge of Docker network ${network}): ${errorMessage(err)}`, "the runner must run on the Docker engine's host (its network namespace); see docs/runner.md");
  }
  gateway.unref();
  const firewall = await guardBridge(docker, env, { network, bridge, host, port: gateway.port, ...ipv6 ? { ipv6: { host: ipv6 } } : {} });
  if (!firewall.closed) {
    if (env.GITCREW_ALLOW_OPEN_HOST !== "1") {
      await gateway.close();
      throw refusals.remember(refusalKey, new EnvironmentError(`${OPEN_HOST} (${firewall.why})`, OPEN_HOST_HINT));
    }
    warnOpenHost(firewall.why ?? "");
  }
  let packages;
  return {
    gateway,
    network,
    host,
    resolveAllow: async (allow) => {
      if (!allow.includes(PACKAGES) || o.presets?.packages) return allow;
      packages ??= packageRegistryHosts({ env }).then((r) => [...r.hosts, ...extraPackages]);
      const hosts = await packages;
      return [...new Set(allow.flatMap((a) => a === PACKAGES ? hosts : [a]))];
    },
    close: async () => {
      await gateway.close();
      await firewall.close();
    }
  };
}
async function bridgeAddress(docker, name) {
  const info = await ensureNetwork(docker, name, { internal: true, labels: { "gitcrew.gateway-network": "1" } });
  if (info.Internal !== true) throw new EnvironmentError(`the Docker network ${name} is not internal (it has a route out)`, `remove it (docker network rm ${name}) and let gitcrew create it`);
  if (info.Options?.[ICC] !== "false") {
    throw new EnvironmentError(`the Docker network ${name} lets its containers talk to each other (enable_icc): one run's agent could reach another's`, `remove it (docker network rm ${name}) and let gitcrew create it, or create it with -o ${ICC}=false`);
  }
  const gw = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && !g.includes(":"));
  if (!gw) throw new EnvironmentError(`the Docker network ${name} has no IPv4 gateway address`, `remove it (docker network rm ${name}) and let gitcrew create it`);
  const bridge = info.Options?.["com.docker.network.bridge.name"] || `br-${info.Id.slice(0, 12)}`;
  const v6 = info.EnableIPv6 ? info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g?.includes(":")) : void 0;
  return { host: gw, bridge, ...v6 ? { ipv6: v6 } : {} };
}

// src/runner/egress-network.ts
var EGRESS_NETWORK = "gitcrew-egress";
var warnedOperator = false;
var refusals2 = new RememberedRefusals();
function egressNetworkName(env) {
  return env.GITCREW_EGRESS_NETWORK || EGRESS_NETWORK;
}
async function prepareEgressNetwork(docker, env) {
  const operators = env.GITCREW_DOCKER_NETWORK;
  if (operators) {
    if (!warnedOperator) {
      warnedOperator = true;
      process.stderr.write(`gitcrew: warning: GITCREW_DOCKER_NETWORK=${operators}: egress runs use that network as it is; gitcrew does not close the host's own services to it (docs/runner.md)
`);
    }
    return operators;
  }
  const network = egressNetworkName(env);
  const refusalKey = JSON.stringify([network, env.GITCREW_FIREWALL_IMAGE ?? ""]);
  if (env.GITCREW_ALLOW_OPEN_HOST !== "1") refusals2.check(refusalKey);
  const { bridge, host } = await egressBridge(docker, network);
  const sealed = await sealBridge(docker, env, { network, bridge, host });
  if (!sealed.closed) {
    if (env.GITCREW_ALLOW_OPEN_HOST !== "1") throw refusals2.remember(refusalKey, new EnvironmentError(`${OPEN_HOST} (${sealed.why})`, OPEN_HOST_HINT));
    warnOpenHost(sealed.why ?? "");
  }
  return network;
}
async function egressBridge(docker, name) {
  const info = await ensureNetwork(docker, name, { internal: false, labels: { "gitcrew.egress-network": "1" } });
  const fix = `remove it (docker network rm ${name}) and let gitcrew create it`;
  const wrong = (what) => new EnvironmentError(`the Docker network ${name} (for egress runs) ${what}`, fix);
  if (info.Driver !== "bridge") throw wrong(`is not a bridge network (driver ${info.Driver ?? "unknown"})`);
  if (info.Internal === true) throw wrong("is internal (no route out)");
  if (info.EnableIPv6) throw wrong("has IPv6");
  if (info.Options?.[ICC] !== "false") throw wrong("lets its containers talk to each other (enable_icc)");
  const host = info.IPAM?.Config?.map((c) => c.Gateway).find((g) => g && !g.includes(":"));
  if (!host) throw wrong("has no IPv4 gateway address");
  const bridge = info.Options?.["com.docker.network.bridge.name"] || `br-${info.Id.slice(0, 12)}`;
  return { bridge, host };
}

// src/runner/network-holders.ts
import { createHash as createHash3, randomBytes } from "node:crypto";
var HOLDER_LABEL = "gitcrew.network-holder";
function holderKey(spec, repo) {
  return JSON.stringify([spec.image, spec.labels["gitcrew.agent"] ?? "", repo]);
}
function agentSpecDigest(spec) {
  const { stdin: _stdin, argv: _argv, env, labels, runEnv: _runEnv, ...rest } = spec;
  const { GITCREW_THREAD: _t, GITCREW_BRANCH: _b, ...staticEnv } = env;
  const { "gitcrew.thread": _thread, ...staticLabels } = labels;
  return createHash3("sha256").update(canonical({ ...rest, env: staticEnv, labels: staticLabels })).digest("hex");
}
function holderOptions(run2, spec, repo, owner) {
  const h = run2.HostConfig ?? {};
  return {
    Image: run2.Image,
    // `sleep` of the image itself: no other image is needed; an image without one runs without a holder.
    Entrypoint: ["sleep"],
    Cmd: ["2147483647"],
    User: run2.User,
    Env: [],
    Labels: {
      "gitcrew.run": `holder-${randomBytes(6).toString("hex")}`,
      [HOLDER_LABEL]: holderKey(spec, repo),
      "gitcrew.agent": spec.labels["gitcrew.agent"] ?? "",
      "gitcrew.repo": repo,
      "gitcrew.spec": agentSpecDigest(spec),
      "gitcrew.owner": owner.id,
      "gitcrew.owner-pid": String(owner.pid),
      "gitcrew.host": owner.host,
      "gitcrew.pidns": owner.pidns ?? "",
      // Set (empty) so the image's own labels of these names never reach the orphan sweep, which deletes and prunes what they name.
      "gitcrew.workspace": "",
      "gitcrew.repo-dir": ""
    },
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    NetworkDisabled: run2.NetworkDisabled ?? false,
    HostConfig: {
      ReadonlyRootfs: true,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Memory: HOLDER_MEMORY,
      MemorySwap: HOLDER_MEMORY,
      NanoCpus: HOLDER_NANO_CPUS,
      PidsLimit: 4,
      NetworkMode: h.NetworkMode ?? "none",
      Privileged: false,
      AutoRemove: false
    }
  };
}
function joinHolder(run2, holderId) {
  return { ...run2, NetworkDisabled: false, HostConfig: { ...run2.HostConfig, NetworkMode: `container:${holderId}` } };
}
function sameHolderOptions(a, b) {
  const strip = (o) => ({ ...o, Labels: { ...o.Labels, "gitcrew.run": "" } });
  return canonical(strip(a)) === canonical(strip(b));
}
var NetworkHolders = class {
  constructor(docker, log = () => void 0) {
    this.docker = docker;
    this.log = log;
  }
  prepared = /* @__PURE__ */ new Map();
  /** Images whose holder could not start (no `sleep`): their runs get a network of their own, as before holders. */
  unable = /* @__PURE__ */ new Set();
  closed = false;
  /**
   * A holder for one run: the one prepared for `key` when its options equal
   * `options`, otherwise a new one (created now; `running` once started).
   * Undefined when the image cannot hold a namespace: the run uses its own network.
   * A prepared holder leaves the map here: no other run can take it.
   */
  async take(key, options) {
    const image2 = String(options.Image);
    const ready = this.prepared.get(key);
    this.prepared.delete(key);
    if (ready) {
      const id = await ready.holder;
      if (id && sameHolderOptions(ready.options, options) && await this.stillFits(id, image2)) return { id, prepared: true, running: Promise.resolve() };
      if (id) void this.remove(id);
    }
    if (this.unable.has(image2)) return void 0;
    const container = await createRunContainer(this.docker, options);
    const running = withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the network holder").then(() => void 0);
    running.catch(() => void 0);
    return { id: container.id, prepared: false, running };
  }
  /** A prepared holder still runs, and from the image the name gives now (a tag moved meanwhile: not used). */
  async stillFits(id, image2) {
    const [holder, current] = await Promise.all([
      this.docker.getContainer(id).inspect().catch(() => void 0),
      this.docker.getImage(image2).inspect().catch(() => void 0)
    ]);
    return holder?.State?.Running === true && current !== void 0 && holder.Image === current.Id;
  }
  /** Makes a holder for the next run of `key` in the background, unless one is there or being made. */
  prepare(key, options) {
    if (this.closed || this.prepared.has(key) || this.unable.has(String(options.Image))) return;
    const entry = { options, holder: Promise.resolve(void 0) };
    entry.holder = (async () => {
      let id;
      try {
        const container = await createRunContainer(this.docker, options);
        id = container.id;
        await withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the network holder");
        if (this.closed) throw new Error("closed");
        return id;
      } catch (err) {
        if (id) await this.remove(id);
        this.noteUnable(String(options.Image), err);
        if (this.prepared.get(key) === entry) this.prepared.delete(key);
        return void 0;
      }
    })();
    this.prepared.set(key, entry);
  }
  /** A holder whose start failed: when the image has no `sleep`, its runs go without holders from now on. */
  noteUnable(image2, err) {
    if (this.unable.has(image2) || !/executable file not found|no such file or directory/i.test(errorMessage(err))) return;
    this.unable.add(image2);
    this.log(`network holders: ${image2}: ${errorMessage(err)}; its runs get a network of their own`);
  }
  /** Removes a holder (after its run's container is gone, or unused). */
  async remove(id) {
    await this.docker.getContainer(id).remove({ force: true, v: true }).catch(() => void 0);
  }
  /** Removes every prepared holder; none is made afterwards. */
  async close() {
    this.closed = true;
    const all = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(all.map(async (p) => {
      const id = await p.holder;
      if (id) await this.remove(id);
    }));
  }
};
var HOLDER_MEMORY = 16 * 1024 * 1024;
var HOLDER_NANO_CPUS = 1e8;
function canonical(value) {
  return JSON.stringify(
    value,
    (_k, v) => v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) : v
  );
}

// src/runner/container-git.ts
import { chown as chown2, copyFile, lstat as lstat3, mkdir as mkdir3, readFile as readFile3, rm as rm3, writeFile as writeFile4 } from "node:fs/promises";
import { createHash as createHash4 } from "node:crypto";
import { isAbsolute as isAbsolute4, join as join7, resolve as resolve2 } from "node:path";
var GIT_DIR_IN_CONTAINER = "/gitcrew-git";
var OBJECTS_IN_CONTAINER = "/gitcrew-objects";
async function prepareContainerGit(runDir, repoDir, ref) {
  const commonDir = await commonDirOf(repoDir);
  if (!commonDir || commonDir.includes(":") || !(await lstat3(join7(commonDir, "objects")).catch(() => void 0))?.isDirectory()) return void 0;
  const base = baseOf(commonDir, ref);
  const hostDir = join7(runDir, "git");
  await mkdir3(hostDir, { mode: 448 });
  return {
    hostDir,
    commonDir,
    base,
    mounts: [
      { source: hostDir, target: GIT_DIR_IN_CONTAINER, readOnly: false },
      { source: join7(commonDir, "objects"), target: OBJECTS_IN_CONTAINER, readOnly: true }
    ]
  };
}
function baseOf(commonDir, ref) {
  const name = ref && ref !== "HEAD" && !/^[0-9a-f]{40,64}$/.test(ref) ? refName(ref) : void 0;
  return name ? branchTip(commonDir, name).then((id) => id ? { name, id } : void 0, () => void 0) : Promise.resolve(void 0);
}
async function branchTip(commonDir, name) {
  const packed = await readFile3(join7(commonDir, "packed-refs"), "latin1").catch(() => "");
  const isId = (id) => id !== void 0 && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(id);
  for (const ref of [`refs/heads/${name}`, `refs/remotes/origin/${name}`]) {
    const loose = (await readFile3(join7(commonDir, ref), "latin1").catch(() => "")).trim();
    if (isId(loose)) return loose;
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    const id = line?.slice(0, line.indexOf(" "));
    if (isId(id)) return id;
  }
  return void 0;
}
async function commonDirOf(repoDir) {
  const dotGit = join7(repoDir, ".git");
  const st = await lstat3(dotGit).catch(() => void 0);
  if (st?.isDirectory()) return resolve2(dotGit);
  if (st?.isFile()) {
    const gitdir = /^gitdir: (.+)$/m.exec(await readFile3(dotGit, "utf8"))?.[1]?.trim();
    if (gitdir) {
      const at = resolve2(repoDir, gitdir);
      const common = await readFile3(join7(at, "commondir"), "utf8").catch(() => void 0);
      return common === void 0 ? at : resolve2(at, common.trim());
    }
  }
  const out = await gitText(repoDir, ["rev-parse", "--git-common-dir"]);
  return out.code === 0 ? resolve2(repoDir, out.stdout.trim()) : void 0;
}
async function fillContainerGit(cg, ws, opts) {
  if (!ws.admin) return;
  const start = (await readFile3(join7(ws.admin, "HEAD"), "latin1")).trim();
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(start)) return;
  const sha256 = start.length === 64;
  const d = cg.hostDir;
  const branch = refName(opts.branch);
  const heads = new Map(branch ? [[branch, start]] : []);
  const base = await cg.base;
  if (base && branch && base.name !== branch && !`${branch}/`.startsWith(`${base.name}/`) && !`${base.name}/`.startsWith(`${branch}/`)) heads.set(base.name, base.id);
  const dirs = ["objects", "objects/info", "objects/pack", "refs", "refs/heads", "refs/tags", "info"];
  for (const name of heads.keys()) {
    const above = name.split("/").slice(0, -1);
    for (let k = 1; k <= above.length; k++) if (!dirs.includes(`refs/heads/${above.slice(0, k).join("/")}`)) dirs.push(`refs/heads/${above.slice(0, k).join("/")}`);
  }
  for (const rel of dirs) await mkdir3(join7(d, rel));
  const injected = [...ws.originals].filter(([, was]) => was === null).map(([rel]) => rel);
  const files = {
    HEAD: branch ? `ref: refs/heads/${branch}
` : `${start}
`,
    ...Object.fromEntries([...heads].map(([name, id]) => [`refs/heads/${name}`, `${id}
`])),
    config: config(opts.identity, sha256),
    "objects/info/alternates": `${OBJECTS_IN_CONTAINER}
`,
    "info/exclude": [...injected, ...opts.mountPoints.map((m) => `${m}/`)].map((p) => `/${escapeGlob(p)}
`).join("")
  };
  const copies = [
    [join7(ws.admin, "index"), "index"],
    [join7(cg.commonDir, "shallow"), "shallow"]
  ];
  const [, copied] = await Promise.all([
    Promise.all(Object.entries(files).map(([rel, text]) => writeFile4(join7(d, rel), text, { flag: "wx" }))),
    Promise.all(copies.map(([from, to]) => copyFile(from, join7(d, to)).then(() => to, () => void 0))),
    rm3(join7(ws.dir, ".git"), { force: true }).then(() => writeFile4(join7(ws.dir, ".git"), `gitdir: ${GIT_DIR_IN_CONTAINER}
`, { flag: "wx" }))
  ]);
  const replaced = new Set([...ws.originals].filter(([, was]) => was !== null).map(([rel]) => rel));
  if (replaced.size > 0 && copied.includes("index")) await assumeUnchanged(join7(d, "index"), replaced, sha256);
  const made2 = [d, ...dirs, ...Object.keys(files), ...copied.filter((c) => c !== void 0)].map((rel) => rel === d ? d : join7(d, rel));
  made2.push(join7(ws.dir, ".git"));
  const owner = opts.owner;
  if (owner) await Promise.all(made2.map((p) => chown2(p, owner.uid, owner.gid)));
}
async function assumeUnchanged(path, paths, sha256) {
  const buf = await readFile3(path);
  const idBytes = sha256 ? 32 : 20;
  if (buf.length < 12 + idBytes || buf.toString("latin1", 0, 4) !== "DIRC") return;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return;
  let at = 12;
  for (let i = buf.readUInt32BE(8); i > 0; i--) {
    const flagsAt = at + 40 + idBytes;
    if (flagsAt + 2 > buf.length) return;
    const flags = buf.readUInt16BE(flagsAt);
    const nameAt = flagsAt + 2 + (version === 3 && flags & 16384 ? 2 : 0);
    const nameLen = (flags & 4095) === 4095 ? buf.indexOf(0, nameAt) - nameAt : flags & 4095;
    if (nameLen < 0 || nameAt + nameLen > buf.length) return;
    if (paths.has(buf.toString("utf8", nameAt, nameAt + nameLen))) buf.writeUInt16BE(flags | 32768, flagsAt);
    at += nameAt - at + nameLen + 8 & ~7;
  }
  const body = buf.subarray(0, buf.length - idBytes);
  createHash4(sha256 ? "sha256" : "sha1").update(body).digest().copy(buf, buf.length - idBytes);
  await writeFile4(path, buf);
}
function config(identity, sha256) {
  return [
    "[core]",
    `	repositoryformatversion = ${sha256 ? 1 : 0}`,
    "	filemode = true",
    "	bare = false",
    "	logallrefupdates = true",
    ...sha256 ? ["[extensions]", "	objectformat = sha256"] : [],
    "[gc]",
    "	auto = 0",
    "[user]",
    `	name = ${quote(identity.name)}`,
    `	email = ${quote(identity.email)}`,
    ""
  ].join("\n");
}
function quote(s2) {
  return `"${s2.replace(/[\r\n\0]/g, " ").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
function refName(branch) {
  if (isAbsolute4(branch) || branch.startsWith("-") || !/^[A-Za-z0-9._/-]+$/.test(branch)) return void 0;
  const parts = branch.split("/");
  if (parts.some((p) => p === "" || p.startsWith(".") || p.endsWith(".lock"))) return void 0;
  if (branch.includes("..") || branch.endsWith(".")) return void 0;
  return branch;
}
function escapeGlob(p) {
  return p.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
}

// src/runner/prepared-runs.ts
import { rm as rm4 } from "node:fs/promises";
var PREPARED_IDLE_MS = (Number(process.env.GITCREW_PREPARED_IDLE_SECONDS) || 600) * 1e3;
var PREPARED_MAX = Number(process.env.GITCREW_PREPARED_MAX) || 4;
var PreparedRuns = class {
  constructor(docker, log = () => void 0, max = PREPARED_MAX) {
    this.docker = docker;
    this.log = log;
    this.max = max;
  }
  entries = /* @__PURE__ */ new Map();
  closed = false;
  /** Whether one is ready or being made for `key`. */
  has(key) {
    return this.entries.has(key);
  }
  /** The one made for `key`, out of the map (no other run can take it); undefined when none is ready or it no longer runs. */
  async take(key) {
    const entry = this.entries.get(key);
    if (!entry) return void 0;
    this.entries.delete(key);
    entry.taken = true;
    clearTimeout(entry.idle);
    const run2 = await entry.made;
    if (!run2) return void 0;
    if (await this.stillFits(run2)) return run2;
    await this.discard(run2);
    return void 0;
  }
  /** Makes one for the next run of `key` in the background, unless one is there or being made. */
  prepare(key, make) {
    if (this.closed || this.entries.has(key)) return;
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size < this.max) break;
      void this.expire(oldKey, old);
    }
    const entry = { made: Promise.resolve(void 0) };
    entry.made = make().then(
      async (run2) => {
        if (this.closed || !entry.taken && this.entries.get(key) !== entry) {
          await this.discard(run2);
          return void 0;
        }
        if (entry.taken) return run2;
        entry.idle = setTimeout(() => void this.expire(key, entry), PREPARED_IDLE_MS);
        entry.idle.unref();
        return run2;
      },
      (err) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        this.log(`prepared run for ${key}: ${err instanceof Error ? err.message : String(err)}; its next run starts as usual`);
        return void 0;
      }
    );
    this.entries.set(key, entry);
  }
  /** Removes a prepared container and its folders (unused, or not fit for the run that took it). */
  async discard(run2) {
    await run2.attached.container.remove({ force: true, v: true }).catch(() => void 0);
    await Promise.all([
      removeRunDir(run2.runDir, (dir) => rm4(dir, { recursive: true, force: true })),
      run2.stateDir ? rm4(run2.stateDir, { recursive: true, force: true }) : void 0
    ]).catch(() => void 0);
  }
  /** Removes every prepared container; none is made afterwards. */
  async close() {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      all.map(async (e) => {
        clearTimeout(e.idle);
        const run2 = await e.made;
        if (run2) await this.discard(run2);
      })
    );
  }
  async expire(key, entry) {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    clearTimeout(entry.idle);
    const run2 = await entry.made;
    if (run2) await this.discard(run2);
  }
  /** Still running, from the image its name gives now (a tag moved meanwhile: not used). */
  async stillFits(run2) {
    const [container, image2] = await Promise.all([
      run2.attached.container.inspect().catch(() => void 0),
      this.docker.getImage(String(run2.options.Image)).inspect().catch(() => void 0)
    ]);
    return container?.State?.Running === true && image2 !== void 0 && container.Image === image2.Id;
  }
};
var READ_AT_START = [".mcp.json", ".claude"];
async function readAtStart(repoDir, branch, ref) {
  if (ref.startsWith("-") || branch.startsWith("-")) return true;
  const list = (rev) => gitText(repoDir, ["ls-tree", "--name-only", rev, "--", ...READ_AT_START]);
  let out = await list(`refs/heads/${branch}^{commit}`);
  if (out.code !== 0) out = await list(`${ref}^{commit}`);
  return out.code !== 0 || out.stdout.trim() !== "";
}

// src/runner/run-env.ts
import { mkdir as mkdir4, writeFile as writeFile5 } from "node:fs/promises";
import { join as join8 } from "node:path";
function runEnvText(vars) {
  return Object.entries(vars).filter(([name]) => /^[A-Z_][A-Z0-9_]*$/.test(name)).map(([name, value]) => `export ${name}=${shellQuote(value)}
`).join("");
}
function shellQuote(value) {
  return `'${value.replace(/\0/g, "").replace(/'/g, `'\\''`)}'`;
}
async function writeRunEnv(runDir, spec, runId, made2 = false) {
  if (!spec.runEnv) return void 0;
  const dir = join8(runDir, "run-env");
  if (!made2) await mkdir4(dir, { mode: 493 });
  await writeFile5(join8(dir, "env"), runEnvText({ ...spec.runEnv, GITCREW_RUN: runId }), { mode: 420, flag: "wx" });
  return dir;
}
async function makeRunEnvDir(runDir) {
  const dir = join8(runDir, "run-env");
  await mkdir4(dir, { mode: 493 });
  return dir;
}

// src/runner/state-prune.ts
import { readdirSync as readdirSync3, readFileSync as readFileSync3, renameSync, statSync as statSync2 } from "node:fs";
import { randomBytes as randomBytes2 } from "node:crypto";
import { dirname as dirname5, join as join9 } from "node:path";
var AHEAD_GRACE_MS = 10 * 60 * 1e3;
var THREAD_DIR = /^[0-9a-f]{24}$/;
var AHEAD_DIR = /^ahead-[0-9a-f]{16}$/;
var PRUNED_DIR = /^\.pruned-[0-9a-f]{8}$/;
function stateDays(env) {
  const days = Number(env.GITCREW_STATE_DAYS);
  return Number.isFinite(days) && days > 0 ? days : 30;
}
async function sweepStale(docker, o) {
  const removed = [];
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ["gitcrew.run"] }) }).catch(() => void 0);
  if (!containers) return { removed };
  const mounted = /* @__PURE__ */ new Set();
  const runs = /* @__PURE__ */ new Set();
  const runDirs = /* @__PURE__ */ new Set();
  for (const c of containers) {
    for (const m of c.Mounts ?? []) if (m.Source) mounted.add(m.Source);
    runs.add(c.Labels?.["gitcrew.run"] ?? "");
    const ws = c.Labels?.["gitcrew.workspace"];
    if (ws) runDirs.add(dirname5(ws));
  }
  const now = o.now ?? Date.now();
  const maxAge = stateDays(o.env) * 24 * 3600 * 1e3;
  let names = [];
  try {
    names = readdirSync3(o.stateRoot);
  } catch {
    names = [];
  }
  for (const name of names) {
    const dir = join9(o.stateRoot, name);
    if (PRUNED_DIR.test(name)) {
      await removeTree(dir).catch(() => void 0);
      continue;
    }
    const thread = THREAD_DIR.test(name);
    const ahead = AHEAD_DIR.test(name);
    if (!thread && !ahead || mounted.has(dir) || runs.has(name)) continue;
    const st = statSync2(dir, { throwIfNoEntry: false });
    if (!st?.isDirectory() || o.inUse(dir)) continue;
    const age = now - st.mtimeMs;
    if (age < (thread ? maxAge : AHEAD_GRACE_MS)) continue;
    const aside = join9(o.stateRoot, `.pruned-${randomBytes2(4).toString("hex")}`);
    try {
      renameSync(dir, aside);
    } catch {
      continue;
    }
    await removeTree(aside).catch(() => void 0);
    removed.push(dir);
  }
  removed.push(...await sweepRunDirs(runDirs, (dir) => removeTree(dir)));
  if (o.recordsRoot) removed.push(...await sweepRecords(o.recordsRoot, now - maxAge));
  if (removed.length && o.log) o.log(`removed ${removed.length} stale folder(s) of past runs: ${removed.slice(0, 5).join(", ")}${removed.length > 5 ? " \u2026" : ""}`);
  return { removed };
}
async function sweepRecords(root, before) {
  let ids;
  try {
    ids = readdirSync3(root);
  } catch {
    return [];
  }
  const removed = [];
  for (const id of ids) {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) continue;
    const dir = join9(root, id);
    const file = join9(dir, "run.json");
    const st = statSync2(file, { throwIfNoEntry: false });
    if (!st || st.mtimeMs >= before) continue;
    let status2;
    try {
      status2 = JSON.parse(readFileSync3(file, "utf8")).status;
    } catch {
      continue;
    }
    if (!status2 || !isFinal(status2)) continue;
    await removeTree(dir).catch(() => void 0);
    removed.push(dir);
  }
  return removed;
}

// src/runner/runner.ts
var Runner = class _Runner {
  constructor(docker, opts, orphans = []) {
    this.docker = docker;
    this.opts = opts;
    this.orphans = orphans;
    this.env = opts.env ?? process.env;
    this.identity = opts.identity ?? runnerIdentity(this.env);
    this.records = opts.records ?? new RunRecords(this.env);
    this.holders = new NetworkHolders(docker, opts.log);
    this.ahead = new PreparedRuns(docker, opts.log);
    this.disks = new RunDisks(this.env, this.identity.id, opts.log, opts.prepare === true);
  }
  identity;
  records;
  env;
  active = /* @__PURE__ */ new Set();
  runGateway;
  /** The egress runs' network, made and sealed on the first egress run (egress-network.ts). */
  egressNetwork;
  holders;
  /** Containers of the next first-of-thread runs, started ahead (prepared-runs.ts). */
  ahead;
  /** Run folders, sized to the run's limits.disk when the runner can (disk-guard.ts). */
  disks;
  /** Thread state folders of this process's runs: never pruned (state-prune.ts). */
  stateInUse = /* @__PURE__ */ new Set();
  /** The start's sweep of stale state and run folders, in the background (state-prune.ts). */
  swept = Promise.resolve({ removed: [] });
  lastSweep = 0;
  volumesByImage = /* @__PURE__ */ new Map();
  /** Connect to the engine (clear error when down) and clean up orphaned containers. */
  static async start(opts = {}) {
    const docker = await connectDocker(opts.env, opts.signal);
    const runner = new _Runner(docker, opts);
    runner.orphans.push(...await cleanOrphans(docker, runner.identity, runner.active, runner.records, join10(gitcrewHome(runner.env), "state")));
    runner.sweepStale();
    if (opts.prepare) runner.disks.warm(diskLimit(void 0));
    return runner;
  }
  async run(req) {
    const { planned, agent } = req;
    const spec = planned.container;
    const diskEarly = this.opts.prepare ? void 0 : this.disks.take(diskLimit(spec.diskBytes));
    diskEarly?.catch(() => void 0);
    void this.imageVolumes(spec.image);
    const runId = req.runId ?? newRunId();
    const t0 = performance.now();
    const mark = { workspace: 0, started: 0, exited: 0, committed: 0 };
    const startedAt = (/* @__PURE__ */ new Date()).toISOString();
    const secrets = this.envValues(spec.secrets);
    let gw;
    const masked = [];
    let enroll;
    let wiringFor;
    let gwRoute;
    if (spec.network === "gateway") {
      const rg = await this.gatewayFor();
      gwRoute = rg;
      const wiring = adapterFor(agent.runtime).gateway;
      const { reg, values } = registration({ runId, spec, agent: agent.name, threadKey: planned.threadKey, budgets: spec.sharedBudgets, env: this.env, wiring, github: req.github, permissions: agent.permissions });
      const full = { ...reg, allow: await rg.resolveAllow(reg.allow ?? []) };
      masked.push(...values);
      wiringFor = (token) => containerWiring(rg.gateway.handle(runId, token), rg.host, spec, wiring, reg.github);
      enroll = (token) => {
        const handle = rg.gateway.register(full, token);
        masked.push(handle.token);
        gw = { rg, wiring: containerWiring(handle, rg.host, spec, wiring, reg.github) };
      };
    }
    const egressNetwork = spec.network === "bridge" ? await this.egressFor() : void 0;
    const root = this.isRoot();
    const user = root ? spec.user : `${process.getuid?.() ?? 1e3}:${process.getgid?.() ?? 1e3}`;
    const [uid, gid] = user.split(":").map(Number);
    const threadState = spec.stateDir ? this.stateDirPath(req) : void 0;
    if (threadState) this.stateInUse.add(threadState);
    const aheadKey = this.aheadKey(spec, agent, req.repo, gw?.wiring ?? (wiringFor ? wiringFor("") : void 0));
    const firstOfThread = aheadKey !== void 0 && (!threadState || await emptyOrMissing(threadState));
    const startRef = req.startRef ?? Promise.resolve(planned.ref);
    startRef.catch(() => void 0);
    let startRefFailure;
    let notStarted = false;
    const aheadFitsTree = firstOfThread && !await readAtStart(req.repoDir, planned.branch, await startRef);
    let ahead = aheadFitsTree && aheadKey ? await this.ahead.take(aheadKey) : void 0;
    if (ahead) {
      const fits = await this.aheadFits(ahead, { spec, req, runId, user, egressNetwork, wiring: ahead.token && wiringFor ? wiringFor(ahead.token) : void 0, gwRoute }).catch(() => false);
      if (!fits) {
        void this.ahead.discard(ahead);
        ahead = void 0;
      }
    }
    try {
      enroll?.(ahead?.token);
    } catch (err) {
      if (ahead) await this.ahead.discard(ahead);
      throw err;
    }
    const masker = new Masker([...Object.values(secrets), ...masked]);
    let report;
    const approvals = [];
    let lastReturn;
    const record = { id: runId, agent: agent.name, repo: req.repo, status: "running", createdAt: startedAt, owner: this.identity };
    this.records.save(record);
    this.active.add(runId);
    const emit = (event) => {
      const ev = masker.maskDeep(event);
      if (ev.type === "return") lastReturn = ev.value;
      if (ev.type === "approval" && approvals.length < MAX_APPROVALS) approvals.push({ kind: ev.kind, reason: ev.reason, what: ev.what });
      if (ev.type !== "log" && ev.type !== "finished") this.records.appendLog(runId, ownLogNote(`${ev.type}: ${JSON.stringify(ev)}`));
      req.observer?.onEvent(ev);
    };
    let ws;
    const limit = diskLimit(spec.diskBytes);
    const disk = ahead ? ahead.disk ?? { dir: ahead.runDir, limit, sized: false } : await (diskEarly ?? this.disks.take(limit));
    const runDir = disk.dir;
    let diskOver;
    let diskWatch;
    const channelDir = ahead?.channelDir ?? await this.channelFolder(runDir, root ? uid : void 0, gid);
    const channel = new ChannelReader(join10(channelDir, CHANNEL_FILE), emit, (notice) => this.records.appendLog(runId, ownLogNote(notice)));
    const abort = new AbortController();
    const onAbort = () => abort.abort();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    if (req.signal?.aborted) abort.abort();
    const cancelPoll = setInterval(() => {
      if (this.records.cancelRequested(runId)) abort.abort();
    }, CANCEL_POLL_MS);
    let result;
    const wsDir = ahead?.wsDir ?? join10(runDir, "worktree");
    if (!ahead) await mkdir5(wsDir, { mode: 448 });
    let created;
    let removed;
    let holderId;
    const containerGit = ahead ? Promise.resolve(ahead.git && { ...ahead.git, base: startRef.then((ref) => baseOf(ahead.git.commonDir, ref), () => void 0) }) : prepareContainerGit(runDir, req.repoDir).then((cg) => cg && { ...cg, base: startRef.then((ref) => baseOf(cg.commonDir, ref), () => void 0) }).catch(() => void 0);
    let options;
    try {
      let mountPoints;
      if (ahead) {
        created = Promise.resolve(ahead.attached.container);
        if (threadState && ahead.stateDir) await this.adoptState(ahead.stateDir, threadState);
        await rm5(join10(wsDir, ".git"));
        await writeRunEnv(runDir, spec, runId, true);
        options = ahead.options;
        mountPoints = mountPointsOf(spec, gw?.wiring);
      } else {
        const runEnvDir = await writeRunEnv(runDir, spec, runId);
        const stateHostDir = threadState ? await this.stateDir(req, uid, gid) : void 0;
        const built = await this.runOptions({ spec, req, runId, runDir, wsDir, channelDir, runEnvDir, git: await containerGit, write: true, user, egressNetwork, gw: gw && { network: gw.rg.network, wiring: gw.wiring }, stateHostDir });
        options = built.options;
        mountPoints = built.mountPoints;
        created = this.createInHolder(options, spec, req.repo, (id) => holderId = id);
      }
      created.catch(() => void 0);
      const cg = await containerGit;
      const ref = await startRef.catch((err) => {
        startRefFailure = err;
        throw err;
      });
      ws = await createWorkspace({
        repoDir: req.repoDir,
        ref,
        branch: planned.branch,
        injectedFiles: spec.injectedFiles,
        mountPoints,
        owner: root && uid !== void 0 && gid !== void 0 ? { uid, gid } : void 0,
        dir: wsDir
      });
      if (cg) {
        const owner = root && uid !== void 0 && gid !== void 0 ? { uid, gid } : void 0;
        await fillContainerGit(cg, ws, { branch: planned.branch, identity: agent.git, mountPoints, owner }).catch(
          (err) => this.records.appendLog(runId, ownLogNote(`no git inside the container: ${errorMessage(err)}`))
        );
      }
      mark.workspace = performance.now();
      channel.start();
      const side = {
        stdin: spec.stdin,
        timeoutSeconds: spec.timeoutSeconds,
        masker,
        signal: abort.signal,
        hooks: {
          onStarted: (containerId) => {
            mark.started = performance.now();
            diskWatch = watchDisk(disk, threadState, diskCheckMs(this.env), (used) => {
              diskOver = used;
              abort.abort();
            });
            if (aheadKey && aheadFitsTree) this.prepareAhead(aheadKey, { spec, req, user, uid, gid, egressNetwork, gwRoute, wiringFor });
            else if (this.holdsNetwork(spec) && options) this.holders.prepare(holderKey(spec, req.repo), holderOptions(options, spec, req.repo, this.identity));
            this.records.save({ ...record, containerId });
            emit({ type: "started", runId, containerId, at: (/* @__PURE__ */ new Date()).toISOString() });
          },
          onLine: (stream, line) => {
            this.records.appendLog(runId, stream === "stderr" ? `[stderr] ${line}` : agentLogLine(line));
            req.observer?.onEvent({ type: "log", stream, line });
            const ev = stream === "stdout" ? parseStdoutEvent(line) : void 0;
            if (ev) emit(ev);
          }
        }
      };
      let out;
      if (ahead) {
        ahead.attached.bind(side);
        out = await runStarted(ahead.attached, side);
      } else if (abort.signal.aborted) {
        notStarted = true;
        out = { exitCode: EXIT_CANCELLED, timedOut: false, cancelled: true, stdout: "", stderr: "", removed: created.then((c) => c.remove({ force: true, v: true })).then(() => void 0, () => void 0) };
      } else out = await runContainer(created, side);
      removed = out.removed;
      mark.exited = performance.now();
      diskWatch?.stop();
      if (diskOver === void 0) {
        const u = await diskWatch?.check().catch(() => void 0);
        if (u?.full) diskOver = u.used;
      }
      await channel.drain();
      clearInterval(cancelPoll);
      const cancelled = out.cancelled || !out.timedOut && this.records.cancelRequested(runId);
      const parsed = adapterFor(agent.runtime).parseOutput(out.stdout, out.stderr);
      const { removed: dropped, ...commit } = diskOver !== void 0 ? { removed: void 0, changedFiles: [] } : await commitChanges(ws, {
        branch: planned.branch,
        identity: agent.git,
        message: `${agent.name}: ${firstLine(planned.prompt)}

gitcrew run ${runId}`,
        // Workflows run with the repository's secrets: only an agent allowed `workflows: write` changes them.
        frozen: agent.permissions.workflows === "write" ? void 0 : workflowPath
      });
      if (dropped?.length) {
        const more = dropped.length > 50 ? ` and ${dropped.length - 50} more` : "";
        this.records.appendLog(runId, ownLogNote(`removed from the worktree before the commit (never committed): ${dropped.slice(0, 50).join(", ")}${more}`));
      }
      const held = "held" in commit ? commit.held : void 0;
      if (held?.length) this.records.appendLog(runId, ownLogNote(`not committed (${agent.name}'s permissions give no \`workflows: write\`): ${held.slice(0, 50).join(", ")}`));
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
      report = gw ? gw.rg.gateway.revoke(runId) : void 0;
      const stopped = report?.budgetExceeded;
      const overDisk = diskOver !== void 0;
      const status2 = overDisk ? "disk_exceeded" : out.timedOut ? "timed_out" : cancelled ? "cancelled" : stopped ? "budget_exceeded" : out.exitCode === 0 && !parsed.error ? "succeeded" : "failed";
      const exitCode = overDisk ? EXIT.failed : out.timedOut ? EXIT.timeout : cancelled ? EXIT_CANCELLED : stopped ? EXIT.failed : out.exitCode;
      const reason = overDisk ? `the run wrote ${formatBytes(diskOver)} on the runner's disk, past its limit of ${formatBytes(limit)} (limits.disk); it was stopped and nothing it wrote was kept` : out.timedOut ? `timed out after ${spec.timeoutSeconds}s; the container was killed` : cancelled ? this.cancelReason(runId, req.signal) : stopped ? budgetReason(stopped) : status2 === "failed" ? parsed.error ?? `the agent exited with code ${out.exitCode}` : void 0;
      result = {
        run: runId,
        agent: agent.name,
        status: status2,
        exitCode,
        answer: lastReturn ?? parsed.answer,
        ...commit,
        // Its state folder is removed: a next run cannot resume this session.
        sessionId: overDisk ? void 0 : parsed.sessionId,
        usage: parsed.usage,
        ...report ? { gateway: report } : {},
        reason,
        ...notStarted ? { notStarted } : {},
        approvals,
        startedAt,
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        ...notStarted ? {} : { timings }
      };
    } catch (err) {
      await channel.drain();
      if (err instanceof InputError || err instanceof EnvironmentError || startRefFailure !== void 0 && err === startRefFailure) {
        const message = masker.mask(errorMessage(err));
        const hint = err instanceof GitcrewError ? err.hint : void 0;
        this.records.save({ ...record, status: "failed", exitCode: EXIT.failed, reason: message, finishedAt: (/* @__PURE__ */ new Date()).toISOString() });
        this.records.appendLog(runId, ownLogNote(`failed: ${message}${hint ? ` (${hint})` : ""}`));
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
      diskWatch?.stop();
      req.signal?.removeEventListener("abort", onAbort);
      this.active.delete(runId);
      const late = gw?.rg.gateway.revoke(runId);
      if (late && result && !result.gateway) result.gateway = late;
      const container = removed ?? created?.then((c) => c.remove({ force: true, v: true })).then(
        () => void 0,
        () => void 0
      );
      await Promise.all([
        Promise.resolve(container).then(() => holderId ? this.holders.remove(holderId) : void 0),
        // The run's folder holds the agent's writes (its git folder, the channel): it may have locked folders there.
        (ws ? removeWorkspace(ws) : removeWorkspace({ dir: wsDir, repoDir: req.repoDir })).then(() => removeRunDir(runDir, removeTree)),
        // The thread's state past the disk limit goes too (the next run starts a new session); else it was used now.
        threadState && diskOver !== void 0 ? removeTree(threadState).catch(() => void 0) : threadState ? touch(threadState) : void 0,
        // A prepared state folder not adopted (the run failed before): nobody's.
        ahead?.stateDir ? rm5(ahead.stateDir, { recursive: true, force: true }) : void 0
      ]);
      if (threadState) this.stateInUse.delete(threadState);
      this.sweepStale(SWEEP_EVERY_MS);
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
    this.records.appendLog(runId, ownLogNote(`${result.status} (exit code ${result.exitCode})${result.reason ? `: ${result.reason}` : ""}`), true);
    emit({ type: "finished", result });
    return result;
  }
  /** The process's gateway, started on the first run that needs it. */
  /**
   * Starts what a run of `agent` will need (the run gateway, the egress
   * network) before the run is asked for: the Action, once the crew it
   * evaluated ahead names the agent. A failure here is met again by the run.
   */
  warm(agent) {
    if (!this.opts.prepare) this.disks.warm(diskLimit(agent.limits.disk), true);
    const network = agent.limits.network;
    if (typeof network === "object") this.gatewayFor().catch(() => void 0);
    else if (network === "egress") this.egressFor().catch(() => void 0);
  }
  gatewayFor() {
    this.runGateway ??= startRunGateway(this.docker, this.env, { ledger: this.opts.ledger, gateway: this.opts.gateway }).catch((err) => {
      this.runGateway = void 0;
      throw err;
    });
    return this.runGateway;
  }
  /** The egress network, made and sealed once per process. */
  egressFor() {
    this.egressNetwork ??= prepareEgressNetwork(this.docker, this.env).catch((err) => {
      this.egressNetwork = void 0;
      throw err;
    });
    return this.egressNetwork;
  }
  /** Stops the run gateway, if one was started (tests; a CLI process just exits). */
  async close() {
    await Promise.all([this.holders.close(), this.ahead.close(), this.disks.close(), this.swept]);
    const rg = await this.runGateway?.catch(() => void 0);
    this.runGateway = void 0;
    await rg?.close();
  }
  /**
   * The run's container, created in a holder's network namespace when the
   * runner prepares holders (`gitcrew serve`): the one prepared for its agent
   * if equal to a fresh one, else a fresh one (created and started meanwhile).
   * An image whose holder cannot start gets its own network.
   */
  async createInHolder(options, spec, repo, onHolder) {
    if (!this.holdsNetwork(spec)) return createRunContainer(this.docker, options);
    const holder = await this.holders.take(holderKey(spec, repo), holderOptions(options, spec, repo, this.identity)).catch((err) => {
      this.holders.noteUnable(String(options.Image), err);
      return void 0;
    });
    if (!holder) return createRunContainer(this.docker, options);
    onHolder(holder.id);
    const [container, running] = await Promise.allSettled([createRunContainer(this.docker, joinHolder(options, holder.id)), holder.running]);
    if (running.status === "fulfilled") {
      if (container.status === "rejected") throw container.reason;
      return container.value;
    }
    this.holders.noteUnable(String(options.Image), running.reason);
    if (container.status === "fulfilled") await container.value.remove({ force: true, v: true }).catch(() => void 0);
    await this.holders.remove(holder.id);
    onHolder(void 0);
    return createRunContainer(this.docker, options);
  }
  /**
   * Whether a run's network namespace comes from a holder: in `gitcrew serve`,
   * for a run on a network (gateway, egress). A `none` namespace holds only
   * `lo` and costs the engine nothing to make; measured, a holder there made
   * the first output line 0.78× → 1.36× a bare `docker run` (the holder's
   * look-ups and the next one's start compete with the run's own start).
   */
  holdsNetwork(spec) {
    return this.opts.prepare === true && spec.network !== "none";
  }
  cancelReason(runId, signal) {
    if (signal?.aborted) return "cancelled (interrupted)";
    const by = this.records.cancelRequestedBy(runId);
    return by ? `cancelled by ${by}` : "cancelled";
  }
  /** The runner's values of these variables (secrets, optional variables); unset ones are left out. */
  envValues(names) {
    const out = {};
    for (const name of names) {
      const value = this.env[name];
      if (value !== void 0) out[name] = value;
    }
    return out;
  }
  /**
   * Removes, in the background, thread state folders untouched for
   * GITCREW_STATE_DAYS, prepared runs' state folders no container uses, and
   * run folders a dead runner left (state-prune.ts). At the start, then at
   * most every `every` ms after a run.
   */
  sweepStale(every = 0) {
    if (every > 0 && Date.now() - this.lastSweep < every) return;
    this.lastSweep = Date.now();
    const before = this.swept;
    this.swept = before.then(
      () => sweepStale(this.docker, {
        stateRoot: join10(gitcrewHome(this.env), "state"),
        recordsRoot: this.records.root,
        env: this.env,
        inUse: (dir) => this.stateInUse.has(dir),
        log: this.opts.log
      })
    );
  }
  /**
   * The folders the image declares as volumes (`VOLUME`): the engine would make
   * each a volume on the host's disk, writable past limits.disk and kept after
   * the run; the container gets a tmpfs there instead (container-options.ts).
   * Asked once per image name every IMAGE_VOLUMES_MS (the run's start asks ahead).
   */
  imageVolumes(image2) {
    const known = this.volumesByImage.get(image2);
    if (known && Date.now() - known.at < IMAGE_VOLUMES_MS) return known.volumes;
    const inspect = (abortSignal) => new Promise(
      (resolve4, reject) => this.docker.modem.dial(
        { path: `/images/${image2}/json`, method: "GET", abortSignal, statusCodes: { 200: true, 404: "no such image", 500: "server error" } },
        (err, data) => err ? reject(err) : resolve4(data)
      )
    );
    const volumes = withinStartDeadline(inspect, "inspect the image").then(
      (i) => Object.keys(i.Config?.Volumes ?? {}),
      // A missing image fails the create with its own message; an engine that does not answer fails the run (no volume left unchecked).
      (err) => {
        if (err instanceof EnvironmentError) {
          this.volumesByImage.delete(image2);
          throw err;
        }
        return [];
      }
    );
    volumes.catch(() => void 0);
    this.volumesByImage.set(image2, { at: Date.now(), volumes });
    return volumes;
  }
  /** Per-thread folder that outlives the container (session transcripts for `--resume`). */
  stateDirPath(req) {
    const key = createHash5("sha256").update(`${req.repo}\0${req.planned.threadKey}\0${req.agent.name}`).digest("hex").slice(0, 24);
    return join10(gitcrewHome(this.env), "state", key);
  }
  /** The thread's state folder, made (see stateDirPath). */
  async stateDir(req, uid, gid) {
    const dir = this.stateDirPath(req);
    await this.stateFolder(dir, uid, gid);
    await touch(dir);
    return dir;
  }
  async stateFolder(dir, uid, gid) {
    const home = gitcrewHome(this.env);
    await mkdir5(dir, { recursive: true, mode: 448 });
    await chmod2(join10(home, "state"), 448);
    await chmod2(home, 448).catch(() => void 0);
    if (this.isRoot() && uid !== void 0 && gid !== void 0) await chown3(dir, uid, gid);
  }
  /** A prepared container's state folder becomes the thread's (the container keeps writing to the same folder). */
  async adoptState(from, to) {
    await rmdir2(to).catch((err) => {
      if (err.code !== "ENOENT") throw err;
    });
    await rename2(from, to);
  }
  /** The run's channel folder: the container user appends to its file, the folder is its own and no one else's. */
  async channelFolder(runDir, uid, gid) {
    const dir = join10(runDir, "channel");
    await mkdir5(dir, { mode: 448 });
    if (uid !== void 0 && gid !== void 0) await chown3(dir, uid, gid);
    return dir;
  }
  /**
   * The create options of a run in `runDir`. `write`: copy the skills and
   * write the gateway's files there; otherwise only say where they are (a
   * prepared container's, compared with what the run would make).
   */
  async runOptions(p) {
    const { spec, req, runDir } = p;
    const skill = (crewTree, source, i) => {
      const dest = join10(runDir, "skills", String(i));
      return p.write ? copySkillFromTree(req.repoDir, crewTree, source, dest) : Promise.resolve(dest);
    };
    const mounts = await Promise.all(
      spec.mounts.map(async (m, i) => isAbsolute5(m.source) ? m : { ...m, source: m.crewTree ? await skill(m.crewTree, m.source, i) : await insideRepo(req.repoDir, m.source) })
    );
    for (const [i, [target, content]] of Object.entries(p.gw?.wiring.files ?? {}).entries()) {
      const source = join10(runDir, `gateway-file-${i}`);
      if (p.write) await writeFile6(source, content, { mode: 420 });
      mounts.push({ source, target, readOnly: true });
    }
    const options = containerOptions(spec, {
      runId: p.runId,
      owner: this.identity,
      workspaceDir: p.wsDir,
      repoDir: req.repoDir,
      channelDir: p.channelDir,
      mounts: [...mounts, ...p.git?.mounts ?? []],
      secrets: this.envValues(spec.secrets),
      passEnv: this.envValues(spec.optionalEnv ?? []),
      runEnvDir: p.runEnvDir,
      stateHostDir: p.stateHostDir,
      user: p.user,
      egressNetwork: p.egressNetwork,
      gateway: p.gw ? { network: p.gw.network, ...p.gw.wiring } : void 0,
      imageVolumes: await this.imageVolumes(spec.image)
    });
    return { options, mountPoints: mountPointsOf(spec, p.gw?.wiring) };
  }
  /** Which prepared container a run may take (one per image, agent and repository), or undefined when its runs start as usual. */
  aheadKey(spec, agent, repo, wiring) {
    if (!this.opts.prepare || this.env.GITCREW_PREPARE_AHEAD === "0" || !this.isRoot()) return void 0;
    const starts = adapterFor(agent.runtime).startsAhead;
    if (!starts || !spec.stdin?.startsWith(starts.stdinLead) || !spec.runEnv) return void 0;
    if (mountPointsOf(spec, wiring).length > 0) return void 0;
    return holderKey(spec, repo);
  }
  /** The prepared container's create options are the ones this run would make with its folders and token. */
  async aheadFits(ahead, c) {
    if (ahead.specDigest !== agentSpecDigest(c.spec)) return false;
    if (ahead.git && (await stat2(join10(ahead.git.commonDir, "objects")).catch(() => void 0))?.ino !== ahead.objectsIno) return false;
    if (c.spec.network === "gateway" !== (ahead.token !== void 0 && c.wiring !== void 0 && c.gwRoute !== void 0)) return false;
    const { options } = await this.runOptions({
      spec: c.spec,
      req: c.req,
      runId: c.runId,
      runDir: ahead.runDir,
      wsDir: ahead.wsDir,
      channelDir: ahead.channelDir,
      runEnvDir: ahead.runEnvDir,
      git: ahead.git,
      write: false,
      user: c.user,
      egressNetwork: c.egressNetwork,
      gw: c.wiring && c.gwRoute ? { network: c.gwRoute.network, wiring: c.wiring } : void 0,
      stateHostDir: ahead.stateDir
    });
    return sameRunOptions(options, ahead.options);
  }
  /**
   * Starts, in the background, the container of the next first-of-thread run
   * of this spec's agent: its own folders, a token not yet registered, no prompt.
   */
  prepareAhead(key, c) {
    if (this.ahead.has(key)) return;
    this.ahead.prepare(key, async () => {
      const id = `ahead-${randomBytes3(8).toString("hex")}`;
      const spec = { ...c.spec, labels: { ...c.spec.labels, "gitcrew.thread": "" } };
      const stateDir = spec.stateDir ? join10(gitcrewHome(this.env), "state", id) : void 0;
      let container;
      let disk;
      try {
        disk = await this.disks.take(diskLimit(spec.diskBytes));
        const runDir = disk.dir;
        const wsDir = join10(runDir, "worktree");
        await mkdir5(wsDir);
        await chmod2(wsDir, 457);
        await writeFile6(join10(wsDir, ".git"), `gitdir: ${GIT_DIR_IN_CONTAINER}
`, { mode: 420 });
        const channelDir = await this.channelFolder(runDir, c.uid, c.gid);
        const runEnvDir = await makeRunEnvDir(runDir);
        const git = await prepareContainerGit(runDir, c.req.repoDir).catch(() => void 0);
        const objectsIno = git ? (await stat2(join10(git.commonDir, "objects"))).ino : void 0;
        if (stateDir) await this.stateFolder(stateDir, c.uid, c.gid);
        const token = c.gwRoute && c.wiringFor ? newRunToken() : void 0;
        const wiring = token && c.wiringFor ? c.wiringFor(token) : void 0;
        const { options } = await this.runOptions({
          spec,
          req: c.req,
          runId: id,
          runDir,
          wsDir,
          channelDir,
          runEnvDir,
          git,
          write: true,
          user: c.user,
          egressNetwork: c.egressNetwork,
          gw: wiring && c.gwRoute ? { network: c.gwRoute.network, wiring } : void 0,
          stateHostDir: stateDir
        });
        container = await createRunContainer(this.docker, options);
        const attached = await attachContainer(container, spec.stdin !== void 0);
        await withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the prepared container");
        attached.lead(adapterFor(c.req.agent.runtime).startsAhead?.stdinLead ?? "");
        return { id, key, specDigest: agentSpecDigest(c.spec), runDir, disk, wsDir, channelDir, runEnvDir, stateDir, git, objectsIno, token, options, attached };
      } catch (err) {
        await container?.remove({ force: true, v: true }).catch(() => void 0);
        if (disk) await removeRunDir(disk.dir, removeTree).catch(() => void 0);
        if (stateDir) await removeTree(stateDir).catch(() => void 0);
        throw err;
      }
    });
  }
  isRoot() {
    return process.getuid?.() === 0;
  }
};
async function insideRepo(repoDir, rel) {
  const root = await realpath(repoDir);
  const real = await realpath(resolve3(repoDir, rel)).catch(() => void 0);
  if (!real) throw new InputError(`the folder ${rel} does not exist in ${repoDir}`, "check the agent's skills (gitcrew validate)");
  if (real !== root && !real.startsWith(root + sep2)) throw new InputError(`${rel} in ${repoDir} leads outside the repository (${real}); it is not mounted`);
  return real;
}
var CANCEL_POLL_MS = 300;
function firstLine(text) {
  const line = text.trim().split("\n")[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line || "changes";
}
function mountPointsOf(spec, wiring) {
  const targets = [...spec.mounts.map((m) => m.target), ...Object.keys(wiring?.files ?? {})];
  return targets.filter((t) => t.startsWith(`${spec.workdir}/`)).map((t) => relative2(spec.workdir, t));
}
function sameRunOptions(a, b) {
  const strip = (o) => ({ ...o, Labels: { ...o.Labels, "gitcrew.run": "", "gitcrew.thread": "" } });
  return canonical(strip(a)) === canonical(strip(b));
}
var IMAGE_VOLUMES_MS = 3e4;
var SWEEP_EVERY_MS = 6 * 3600 * 1e3;
function touch(dir) {
  const now = /* @__PURE__ */ new Date();
  return utimes(dir, now, now).catch(() => void 0);
}
async function emptyOrMissing(dir) {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    return err.code === "ENOENT";
  }
}
export {
  Runner,
  sameRunOptions
};
