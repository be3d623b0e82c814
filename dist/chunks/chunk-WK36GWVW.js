import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  EXIT_CANCELLED,
  connectDocker
} from "./chunk-QYJ4L7FF.js";
import {
  isFinal,
  ownerGone
} from "./chunk-N5XJEPJ3.js";
import {
  ownLogNote
} from "./chunk-HAGKOCQO.js";

// src/runner/local-runs.ts
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
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
async function readLocalLog(records, id, write, opts = {}) {
  let rec = records.require(id);
  const file = records.logFile(id);
  let offset = 0;
  const decoder = new StringDecoder("utf8");
  const pump = () => {
    if (!existsSync(file)) return;
    const fd = openSync(file, "r");
    try {
      const size = fstatSync(fd).size;
      while (offset < size) {
        const buf = Buffer.alloc(Math.min(size - offset, 1 << 20));
        const n = readSync(fd, buf, 0, buf.length, offset);
        if (n <= 0) break;
        offset += n;
        const text = decoder.write(buf.subarray(0, n));
        if (text) write(text);
      }
    } finally {
      closeSync(fd);
    }
  };
  pump();
  if (!opts.follow) return rec;
  while (!opts.signal?.aborted) {
    rec = records.require(id);
    if (isFinal(rec.status) || ownerGone(rec)) {
      pump();
      return rec;
    }
    pump();
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
  return rec;
}

export {
  cancelLocalRun,
  readLocalLog
};
