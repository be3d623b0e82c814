import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  InputError
} from "./chunk-QEBERIHX.js";

// src/runner/owner.ts
import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { hostname } from "node:os";
var ownNamespace;
function pidNamespace() {
  if (ownNamespace === void 0) {
    try {
      ownNamespace = readlinkSync("/proc/self/ns/pid");
    } catch {
      ownNamespace = null;
    }
  }
  return ownNamespace ?? void 0;
}
function samePidNamespace(pidns) {
  const own = pidNamespace();
  return !pidns || !own || pidns === own;
}
function runnerIdentity(env = process.env) {
  const pidns = pidNamespace();
  return { id: env.GITCREW_RUNNER_ID ?? `local-${process.pid}-${randomBytes(3).toString("hex")}`, pid: process.pid, host: hostname(), ...pidns ? { pidns } : {} };
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
function newRunId() {
  const t = (/* @__PURE__ */ new Date()).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${t}-${randomBytes(3).toString("hex")}`;
}

// src/runner/records.ts
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname as hostname2 } from "node:os";
import { join as join2 } from "node:path";

// src/util/home.ts
import { homedir } from "node:os";
import { join } from "node:path";
function gitcrewHome(env = process.env) {
  return env.GITCREW_HOME || join(homedir(), ".gitcrew");
}

// src/runner/records.ts
var MAX_LOG_BYTES = 32 * 1024 * 1024;
var RunRecords = class {
  root;
  /** Bytes in each log this process appended to (read from the file once). */
  logBytes = /* @__PURE__ */ new Map();
  /** One empty file per unfinished run (beside `runs/`, so that every entry of `runs/` is a run). */
  unfinishedDir;
  constructor(env = process.env) {
    this.root = join2(gitcrewHome(env), "runs");
    this.unfinishedDir = join2(gitcrewHome(env), "runs-unfinished");
  }
  dir(id) {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new InputError(`"${id}" is not a run id`, "list runs with `gitcrew ps`");
    return join2(this.root, id);
  }
  save(rec) {
    const dir = this.dir(rec.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join2(dir, "run.json.tmp"), JSON.stringify(rec, null, 2) + "\n");
    renameSync(join2(dir, "run.json.tmp"), join2(dir, "run.json"));
    const marker = join2(this.unfinishedDir, rec.id);
    if (isFinal(rec.status)) rmSync(marker, { force: true });
    else if (!existsSync(marker)) {
      mkdirSync(this.unfinishedDir, { recursive: true });
      writeFileSync(marker, "");
    }
  }
  /** Runs not final yet (queued or running), from the index. */
  unfinished() {
    const dir = this.unfinishedDir;
    if (!existsSync(dir)) return [];
    const out = [];
    for (const id of readdirSync(dir)) {
      try {
        const rec = this.get(id);
        if (rec && !isFinal(rec.status)) out.push(rec);
        else rmSync(join2(dir, id), { force: true });
      } catch {
      }
    }
    return out;
  }
  get(id) {
    const file = join2(this.dir(id), "run.json");
    if (!existsSync(file)) return void 0;
    return JSON.parse(readFileSync(file, "utf8"));
  }
  require(id) {
    const rec = this.get(id);
    if (!rec) throw new InputError(`no run "${id}" under ${this.root}`, "list runs with `gitcrew ps`");
    return rec;
  }
  list() {
    if (!existsSync(this.root)) return [];
    const out = [];
    for (const id of readdirSync(this.root)) {
      try {
        const rec = this.get(id);
        if (rec) out.push(rec);
      } catch {
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  logFile(id) {
    return join2(this.dir(id), "log");
  }
  /**
   * Append to the run's log, up to MAX_LOG_BYTES (the agent's output has no
   * end); then one line says so and the rest is dropped. `always`: the
   * runner's closing lines, written whatever the size.
   */
  appendLog(id, line, always = false) {
    const file = this.logFile(id);
    const text = line.endsWith("\n") ? line : `${line}
`;
    if (this.logBytes.size > 1e3) this.logBytes.clear();
    const used = this.logBytes.get(id) ?? statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    const size = Buffer.byteLength(text);
    if (always || used + size <= MAX_LOG_BYTES) {
      appendFileSync(file, text);
      this.logBytes.set(id, used + size);
    } else if (used < MAX_LOG_BYTES) {
      appendFileSync(file, `\xBB the log reached ${MAX_LOG_BYTES / 1024 / 1024} MiB; the rest of the run's output is not kept
`);
      this.logBytes.set(id, MAX_LOG_BYTES);
    }
  }
  cancelFile(id) {
    return join2(this.dir(id), "cancel");
  }
  requestCancel(id, by) {
    writeFileSync(this.cancelFile(id), `${by}
`);
  }
  cancelRequested(id) {
    return existsSync(this.cancelFile(id));
  }
  /** Who asked to cancel the run, if anyone. */
  cancelRequestedBy(id) {
    try {
      return readFileSync(this.cancelFile(id), "utf8").trim() || "a cancel request";
    } catch {
      return void 0;
    }
  }
};
function isFinal(status) {
  return status !== "queued" && status !== "running";
}
function ownerGone(rec) {
  return !isFinal(rec.status) && rec.owner.host === hostname2() && samePidNamespace(rec.owner.pidns) && rec.owner.pid > 0 && !processAlive(rec.owner.pid);
}

export {
  pidNamespace,
  samePidNamespace,
  runnerIdentity,
  processAlive,
  newRunId,
  gitcrewHome,
  RunRecords,
  isFinal,
  ownerGone
};
