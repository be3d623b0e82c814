/** Who owns a container: this runner instance, identified by id, pid and host. */
import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { hostname } from "node:os";

export interface RunnerIdentity {
  id: string;
  pid: number;
  host: string;
  /**
   * The pid namespace `pid` is a number of (`pid:[4026531836]`): runners in
   * containers of their own share a host name and an engine, not a process
   * table. Absent where /proc does not tell (and in records of older versions).
   */
  pidns?: string;
}

let ownNamespace: string | null | undefined;

/** This process's pid namespace, or undefined when /proc does not say. */
export function pidNamespace(): string | undefined {
  if (ownNamespace === undefined) {
    try {
      ownNamespace = readlinkSync("/proc/self/ns/pid");
    } catch {
      ownNamespace = null;
    }
  }
  return ownNamespace ?? undefined;
}

/** Whether `pid` of a runner with `pidns` can be looked up here: the same namespace, or one side does not know its own. */
export function samePidNamespace(pidns: string | undefined): boolean {
  const own = pidNamespace();
  return !pidns || !own || pidns === own;
}

/** `GITCREW_RUNNER_ID` gives a stable id (server); otherwise one per process. */
export function runnerIdentity(env: NodeJS.ProcessEnv = process.env): RunnerIdentity {
  const pidns = pidNamespace();
  return { id: env.GITCREW_RUNNER_ID ?? `local-${process.pid}-${randomBytes(3).toString("hex")}`, pid: process.pid, host: hostname(), ...(pidns ? { pidns } : {}) };
}

/** Whether a process on this host is alive (signal 0 checks without signalling). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function newRunId(): string {
  const t = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${t}-${randomBytes(3).toString("hex")}`;
}
