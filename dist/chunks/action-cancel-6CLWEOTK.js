import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  EXIT_CANCELLED,
  RunRecords,
  connectDocker,
  isFinal,
  ownerGone
} from "./action-chunk-NZUF7IE5.js";
import "./action-chunk-HWVRXASM.js";
import "./action-chunk-PBK64ER2.js";
import {
  ownLogNote
} from "./action-chunk-NBJIPBID.js";
import "./action-chunk-DW6V7IS7.js";

// src/runner/local-runs.ts
async function runContainers(docker, runId) {
  return docker.listContainers({ all: true, filters: JSON.stringify({ label: [`gitcrew.run=${runId}`] }) });
}
async function cancelLocalRun(records, id, opts = {}) {
  const rec = records.require(id);
  if (isFinal(rec.status)) return { record: rec, alreadyFinished: true, killed: [], pending: false };
  records.requestCancel(id, opts.by ?? `gitcrew cancel (pid ${process.pid})`);
  const killed = [];
  const gone = ownerGone(rec);
  let docker;
  try {
    docker = await connectDocker(opts.env);
  } catch (err) {
    if (!gone) throw err;
  }
  if (docker) {
    const found = await runContainers(docker, id);
    if (rec.containerId && !found.some((c) => c.Id === rec.containerId)) {
      const info = await docker.getContainer(rec.containerId).inspect().catch(() => void 0);
      if (info && info.Config.Labels?.["gitcrew.owner"] === rec.owner.id) found.push({ Id: info.Id, State: info.State.Status });
    }
    for (const c of found) {
      const container = docker.getContainer(c.Id);
      if (c.State === "running") await container.kill({ signal: "SIGKILL" }).catch(() => void 0);
      if (gone) await container.remove({ force: true, v: true }).catch(() => void 0);
      killed.push(c.Id);
    }
  }
  if (gone) {
    const reason = `cancelled by ${opts.by ?? "gitcrew cancel"}; its runner (pid ${rec.owner.pid}) was gone`;
    const record = { ...rec, status: "cancelled", exitCode: EXIT_CANCELLED, reason, finishedAt: (/* @__PURE__ */ new Date()).toISOString() };
    records.save(record);
    records.appendLog(id, ownLogNote(`cancelled: ${reason}`));
    return { record, alreadyFinished: false, killed, pending: false };
  }
  const end = Date.now() + (opts.waitMs ?? 15e3);
  for (; ; ) {
    const now = records.require(id);
    if (isFinal(now.status)) return { record: now, alreadyFinished: false, killed, pending: false };
    if (Date.now() > end) return { record: now, alreadyFinished: false, killed, pending: true };
    await new Promise((r) => setTimeout(r, 100));
  }
}

// src/action/cancel.ts
var OWN_GROUP_CANCEL_BODIES = ["/cancel", "/cancel ", "/cancel\n", "/cancel\r\n", "/cancel\n\n", "/cancel\r\n\r\n"];
function cancelsOutOfTurn(body) {
  return OWN_GROUP_CANCEL_BODIES.includes(body.toLowerCase());
}
function nothingToCancel(login, body) {
  const base = `@${login} nothing to cancel: no run of this thread is going on this runner.`;
  if (body === void 0 || cancelsOutOfTurn(body)) return base;
  return `${base} A \`/cancel\` in a comment with anything else in it waits until the thread's current run has ended; to stop a run while it works, comment \`/cancel\` alone.`;
}
async function cancelThreadRuns(threads, env, by) {
  if (threads.length === 0) return [];
  const docker = await connectDocker(env);
  const records = new RunRecords(env);
  const cancelled = [];
  for (const thread of threads) {
    const containers = await docker.listContainers({ filters: { label: [`gitcrew.thread=${thread}`] } });
    const runs = new Set(containers.map((c) => c.Labels["gitcrew.run"]).filter((r) => !!r));
    for (const run of runs) {
      if (!records.get(run)) continue;
      const outcome = await cancelLocalRun(records, run, { env, by, waitMs: 2e4 });
      if (!outcome.alreadyFinished) cancelled.push(run);
    }
  }
  return cancelled;
}
export {
  OWN_GROUP_CANCEL_BODIES,
  cancelThreadRuns,
  cancelsOutOfTurn,
  nothingToCancel
};
