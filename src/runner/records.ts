/**
 * Local run records: one folder per run under $GITCREW_HOME/runs (default
 * ~/.gitcrew/runs) with `run.json` and the masked `log`. The server keeps its
 * records in the store; this is what `gitcrew ps/logs/cancel` read.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { InputError } from "../util/errors.js";
import { gitcrewHome } from "../util/home.js";
import { processAlive, samePidNamespace } from "./owner.js";
import type { RunResult, RunStatus } from "./types.js";

export interface RunRecord {
  id: string;
  agent: string;
  repo: string;
  status: RunStatus;
  createdAt: string;
  /** Runner that executes it: id and process, to tell a live run from an orphan. */
  owner: { id: string; pid: number; host: string; pidns?: string };
  containerId?: string;
  result?: RunResult;
  reason?: string;
  /** Exit code once final (124 timed out, 130 cancelled). */
  exitCode?: number;
  finishedAt?: string;
}

export { gitcrewHome };


/** Largest run log kept on disk. */
export const MAX_LOG_BYTES = 32 * 1024 * 1024;

export class RunRecords {
  readonly root: string;
  /** Bytes in each log this process appended to (read from the file once). */
  private readonly logBytes = new Map<string, number>();
  /** One empty file per unfinished run (beside `runs/`, so that every entry of `runs/` is a run). */
  readonly unfinishedDir: string;
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.root = join(gitcrewHome(env), "runs");
    this.unfinishedDir = join(gitcrewHome(env), "runs-unfinished");
  }

  dir(id: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new InputError(`"${id}" is not a run id`, "list runs with `gitcrew ps`");
    return join(this.root, id);
  }

  save(rec: RunRecord): void {
    const dir = this.dir(rec.id);
    mkdirSync(dir, { recursive: true });
    // Write then rename: a concurrent reader never sees half a record.
    writeFileSync(join(dir, "run.json.tmp"), JSON.stringify(rec, null, 2) + "\n");
    renameSync(join(dir, "run.json.tmp"), join(dir, "run.json"));
    // An index of unfinished runs, so that a runner start does not read every record ever made.
    const marker = join(this.unfinishedDir, rec.id);
    if (isFinal(rec.status)) rmSync(marker, { force: true });
    else if (!existsSync(marker)) {
      mkdirSync(this.unfinishedDir, { recursive: true });
      writeFileSync(marker, "");
    }
  }

  /** Runs not final yet (queued or running), from the index. */
  unfinished(): RunRecord[] {
    const dir = this.unfinishedDir;
    if (!existsSync(dir)) return [];
    const out: RunRecord[] = [];
    for (const id of readdirSync(dir)) {
      try {
        const rec = this.get(id);
        if (rec && !isFinal(rec.status)) out.push(rec);
        else rmSync(join(dir, id), { force: true });
      } catch {
        // Not a run id: ignore.
      }
    }
    return out;
  }

  get(id: string): RunRecord | undefined {
    const file = join(this.dir(id), "run.json");
    if (!existsSync(file)) return undefined;
    return JSON.parse(readFileSync(file, "utf8")) as RunRecord;
  }

  require(id: string): RunRecord {
    const rec = this.get(id);
    if (!rec) throw new InputError(`no run "${id}" under ${this.root}`, "list runs with `gitcrew ps`");
    return rec;
  }

  list(): RunRecord[] {
    if (!existsSync(this.root)) return [];
    const out: RunRecord[] = [];
    for (const id of readdirSync(this.root)) {
      try {
        const rec = this.get(id);
        if (rec) out.push(rec);
      } catch {
        // A folder that is not a run (or half written): skip it.
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  logFile(id: string): string {
    return join(this.dir(id), "log");
  }

  /**
   * Append to the run's log, up to MAX_LOG_BYTES (the agent's output has no
   * end); then one line says so and the rest is dropped. `always`: the
   * runner's closing lines, written whatever the size.
   */
  appendLog(id: string, line: string, always = false): void {
    const file = this.logFile(id);
    const text = line.endsWith("\n") ? line : `${line}\n`;
    if (this.logBytes.size > 1000) this.logBytes.clear();
    const used = this.logBytes.get(id) ?? statSync(file, { throwIfNoEntry: false })?.size ?? 0;
    const size = Buffer.byteLength(text);
    if (always || used + size <= MAX_LOG_BYTES) {
      appendFileSync(file, text);
      this.logBytes.set(id, used + size);
    } else if (used < MAX_LOG_BYTES) {
      appendFileSync(file, `» the log reached ${MAX_LOG_BYTES / 1024 / 1024} MiB; the rest of the run's output is not kept\n`);
      this.logBytes.set(id, MAX_LOG_BYTES);
    }
  }

  cancelFile(id: string): string {
    return join(this.dir(id), "cancel");
  }

  requestCancel(id: string, by: string): void {
    writeFileSync(this.cancelFile(id), `${by}\n`);
  }

  cancelRequested(id: string): boolean {
    return existsSync(this.cancelFile(id));
  }

  /** Who asked to cancel the run, if anyone. */
  cancelRequestedBy(id: string): string | undefined {
    try {
      return readFileSync(this.cancelFile(id), "utf8").trim() || "a cancel request";
    } catch {
      return undefined;
    }
  }
}

export function isFinal(status: RunStatus): boolean {
  return status !== "queued" && status !== "running";
}

/** A running record whose runner process on this host is gone (SIGKILL, crash, reboot). */
export function ownerGone(rec: RunRecord): boolean {
  return !isFinal(rec.status) && rec.owner.host === hostname() && samePidNamespace(rec.owner.pidns) && rec.owner.pid > 0 && !processAlive(rec.owner.pid);
}
