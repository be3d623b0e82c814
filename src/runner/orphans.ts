/**
 * On start, a runner removes containers of runs nobody owns any more: its own
 * id with no live run (restart with a stable id), or a runner process on this
 * host that is gone (SIGKILL, crash). Their runs are recorded as failed.
 */
import type Docker from "dockerode";
import { basename, dirname, isAbsolute, join, normalize } from "node:path";
import { processAlive, samePidNamespace, type RunnerIdentity } from "./owner.js";
import { isFinal, ownerGone, type RunRecords } from "./records.js";
import { removeTree } from "./unlock-tree.js";
import { removeRunDir } from "./disk-guard.js";
import { removeWorkspace } from "./workspace.js";
import { ownLogNote } from "../util/terminal-text.js";

export interface Orphan {
  run: string;
  containerId: string;
  reason: string;
}

/**
 * `stateRoot`: the runners' state folders (`<GITCREW_HOME>/state`); a container
 * started ahead of its run (`ahead-…`, prepared-runs.ts) has its own there.
 */
export async function cleanOrphans(docker: Docker, me: RunnerIdentity, active: ReadonlySet<string>, records?: RunRecords, stateRoot?: string): Promise<Orphan[]> {
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: ["gitcrew.run"] }) });
  const removed: Orphan[] = [];
  for (const c of containers) {
    const labels = c.Labels ?? {};
    const run = labels["gitcrew.run"] ?? "";
    const owner = labels["gitcrew.owner"] ?? "";
    const pid = Number(labels["gitcrew.owner-pid"] ?? "0");
    // Another pid namespace (a runner in a container of its own on this engine): its pids mean nothing here.
    const sameHost = labels["gitcrew.host"] === me.host && samePidNamespace(labels["gitcrew.pidns"]);
    let reason: string | undefined;
    if (owner === me.id && !active.has(run)) reason = `runner ${owner} restarted and no longer runs it`;
    else if (owner !== me.id && sameHost && pid > 0 && !processAlive(pid)) reason = `runner ${owner} (pid ${pid}) is gone`;
    if (!reason) continue;
    await docker
      .getContainer(c.Id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
    const ws = runWorktree(labels["gitcrew.workspace"]);
    const repoDir = labels["gitcrew.repo-dir"];
    if (ws && repoDir && isAbsolute(repoDir)) await removeWorkspace({ dir: ws, repoDir }).catch(() => undefined);
    // The run's own folder (worktree, channel, skills) around it.
    if (ws) await removeRunDir(dirname(ws), removeTree).catch(() => undefined);
    // A container started ahead that no run took: its state folder, by the exact shape its name has.
    if (stateRoot && /^ahead-[0-9a-f]{16}$/.test(run)) await removeTree(join(stateRoot, run)).catch(() => undefined);
    const full = `${reason}; container ${c.Id.slice(0, 12)} removed by runner ${me.id}`;
    removed.push({ run, containerId: c.Id, reason: full });
    const rec = records?.get(run);
    if (rec && records && !isFinal(rec.status)) {
      records.save({ ...rec, status: "failed", exitCode: 1, reason: full, finishedAt: new Date().toISOString() });
      records.appendLog(run, ownLogNote(`failed: ${full}`));
    }
  }
  // Runs whose runner died before (or after) their container existed: nothing to remove, but not running either.
  for (const rec of records?.unfinished() ?? []) {
    if (active.has(rec.id) || !ownerGone(rec)) continue;
    const reason = `runner ${rec.owner.id} (pid ${rec.owner.pid}) is gone; the run was recorded failed by runner ${me.id}`;
    records?.save({ ...rec, status: "failed", exitCode: 1, reason, finishedAt: new Date().toISOString() });
    records?.appendLog(rec.id, ownLogNote(`failed: ${reason}`));
  }
  return removed;
}

/**
 * The worktree a label names, only when it has the shape the runner gives it
 * (`<tmp>/gitcrew-run-XXXXXX/worktree`, runner.ts): a container's labels may
 * come from its image, and the sweep deletes what this returns.
 */
function runWorktree(ws: string | undefined): string | undefined {
  if (!ws || !isAbsolute(ws) || normalize(ws) !== ws) return undefined;
  return basename(ws) === "worktree" && /^gitcrew-run-[A-Za-z0-9]{6}$/.test(basename(dirname(ws))) ? ws : undefined;
}
