/** Who owns a container: this runner instance, identified by id, pid and host. */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";

export interface RunnerIdentity {
  id: string;
  pid: number;
  host: string;
}

/** `GITCREW_RUNNER_ID` gives a stable id (server); otherwise one per process. */
export function runnerIdentity(env: NodeJS.ProcessEnv = process.env): RunnerIdentity {
  return { id: env.GITCREW_RUNNER_ID ?? `local-${process.pid}-${randomBytes(3).toString("hex")}`, pid: process.pid, host: hostname() };
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
