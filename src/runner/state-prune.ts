/**
 * What runs leave on the runner's disk after them, removed when nobody uses it:
 *
 * - a thread's state folder (`<GITCREW_HOME>/state/<key>`, the CLI's session
 *   for `--resume`) untouched for GITCREW_STATE_DAYS (30; a run marks its
 *   thread's folder used at its start and end);
 * - a prepared run's state folder (`state/ahead-…`) that no container has and
 *   that is older than a few minutes (its runner died before or after making
 *   the container: the orphan sweep finds only folders named by containers);
 * - a run folder in the temp folder whose runner is gone (disk-guard.ts);
 * - a finished run's local record and log (`<GITCREW_HOME>/runs/<run>`, a log
 *   up to 32 MiB each) older than GITCREW_STATE_DAYS.
 *
 * Never a folder a container mounts or names (any runner's, running or not),
 * nor one a run of this process holds (`inUse`, checked in the same tick as
 * the folder is moved aside).
 */
import type Docker from "dockerode";
import { readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { sweepRunDirs } from "./disk-guard.js";
import { removeTree } from "./unlock-tree.js";
import { isFinal } from "./records.js";
import type { RunStatus } from "./types.js";

export interface Swept {
  removed: string[];
}

/** A prepared run's folder younger than this may be its runner's, between mkdir and the container's create. */
const AHEAD_GRACE_MS = 10 * 60 * 1000;
const THREAD_DIR = /^[0-9a-f]{24}$/;
const AHEAD_DIR = /^ahead-[0-9a-f]{16}$/;
/** A folder moved aside to be removed (a removal a crash cut short is finished by the next sweep). */
const PRUNED_DIR = /^\.pruned-[0-9a-f]{8}$/;

export function stateDays(env: NodeJS.ProcessEnv): number {
  const days = Number(env.GITCREW_STATE_DAYS);
  return Number.isFinite(days) && days > 0 ? days : 30;
}

export async function sweepStale(
  docker: Docker,
  o: { stateRoot: string; recordsRoot?: string; env: NodeJS.ProcessEnv; inUse: (dir: string) => boolean; log?: (line: string) => void; now?: number },
): Promise<Swept> {
  const removed: string[] = [];
  // Every container of any gitcrew runner on this engine, running or not: what it mounts and which run it is.
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ["gitcrew.run"] }) }).catch(() => undefined);
  // Without the engine's answer nothing is known to be unused.
  if (!containers) return { removed };
  const mounted = new Set<string>();
  const runs = new Set<string>();
  const runDirs = new Set<string>();
  for (const c of containers) {
    for (const m of c.Mounts ?? []) if (m.Source) mounted.add(m.Source);
    runs.add(c.Labels?.["gitcrew.run"] ?? "");
    const ws = c.Labels?.["gitcrew.workspace"];
    if (ws) runDirs.add(dirname(ws));
  }
  const now = o.now ?? Date.now();
  const maxAge = stateDays(o.env) * 24 * 3600 * 1000;
  let names: string[] = [];
  try {
    names = readdirSync(o.stateRoot);
  } catch {
    names = [];
  }
  for (const name of names) {
    const dir = join(o.stateRoot, name);
    if (PRUNED_DIR.test(name)) {
      await removeTree(dir).catch(() => undefined);
      continue;
    }
    const thread = THREAD_DIR.test(name);
    const ahead = AHEAD_DIR.test(name);
    if ((!thread && !ahead) || mounted.has(dir) || runs.has(name)) continue;
    // Synchronous from the check to the move: a run of this process cannot take the folder in between.
    const st = statSync(dir, { throwIfNoEntry: false });
    if (!st?.isDirectory() || o.inUse(dir)) continue;
    // Its mtime: a run marks its thread's folder used (utimes); a prepared one is as old as its making.
    const age = now - st.mtimeMs;
    if (age < (thread ? maxAge : AHEAD_GRACE_MS)) continue;
    const aside = join(o.stateRoot, `.pruned-${randomBytes(4).toString("hex")}`);
    try {
      renameSync(dir, aside);
    } catch {
      continue;
    }
    await removeTree(aside).catch(() => undefined);
    removed.push(dir);
  }
  removed.push(...(await sweepRunDirs(runDirs, (dir) => removeTree(dir))));
  if (o.recordsRoot) removed.push(...(await sweepRecords(o.recordsRoot, now - maxAge)));
  if (removed.length && o.log) o.log(`removed ${removed.length} stale folder(s) of past runs: ${removed.slice(0, 5).join(", ")}${removed.length > 5 ? " …" : ""}`);
  return { removed };
}

/** Finished runs' record folders last written before `before` (`gitcrew ps` and `logs` no longer show them). */
async function sweepRecords(root: string, before: number): Promise<string[]> {
  let ids: string[];
  try {
    ids = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const id of ids) {
    if (!/^[A-Za-z0-9._-]+$/.test(id)) continue;
    const dir = join(root, id);
    const file = join(dir, "run.json");
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st || st.mtimeMs >= before) continue;
    let status: string | undefined;
    try {
      status = (JSON.parse(readFileSync(file, "utf8")) as { status?: string }).status;
    } catch {
      continue;
    }
    if (!status || !isFinal(status as RunStatus)) continue;
    await removeTree(dir).catch(() => undefined);
    removed.push(dir);
  }
  return removed;
}
