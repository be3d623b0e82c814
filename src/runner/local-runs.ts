/**
 * Local runs for `gitcrew ps|logs|cancel` when no server is around: the run
 * records under $GITCREW_HOME/runs, and the containers found by their
 * `gitcrew.run` label.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import type Docker from "dockerode";
import { StringDecoder } from "node:string_decoder";
import { connectDocker } from "./engine.js";
import { isFinal, ownerGone, type RunRecord, type RunRecords } from "./records.js";
import { EXIT_CANCELLED } from "./types.js";
import { ownLogNote } from "../util/terminal-text.js";

export async function runContainers(docker: Docker, runId: string): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: JSON.stringify({ label: [`gitcrew.run=${runId}`] }) });
}

export interface CancelOutcome {
  record: RunRecord;
  /** The run had already finished; nothing was done. */
  alreadyFinished: boolean;
  /** Containers of the run that were killed here. */
  killed: string[];
  /** Still not final after waiting for its runner (it will see the cancel request). */
  pending: boolean;
}

/**
 * Cancel a local run: leave a cancel request for its runner (which polls it),
 * kill its containers at once, and wait for the runner to record it. When the
 * runner is gone, record the run cancelled here (exit code 130).
 */
export async function cancelLocalRun(records: RunRecords, id: string, opts: { env?: NodeJS.ProcessEnv; by?: string; waitMs?: number } = {}): Promise<CancelOutcome> {
  const rec = records.require(id);
  if (isFinal(rec.status)) return { record: rec, alreadyFinished: true, killed: [], pending: false };
  records.requestCancel(id, opts.by ?? `gitcrew cancel (pid ${process.pid})`);
  const killed: string[] = [];
  const gone = ownerGone(rec);
  let docker: Docker | undefined;
  try {
    docker = await connectDocker(opts.env);
  } catch (err) {
    // Without the engine the runner still sees the request; an orphan is removed by the next runner start.
    if (!gone) throw err;
  }
  if (docker) {
    const found = await runContainers(docker, id);
    // A run that took a container started ahead (prepared-runs.ts) keeps its labels (`ahead-…`): the record names it.
    if (rec.containerId && !found.some((c) => c.Id === rec.containerId)) {
      const info = await docker.getContainer(rec.containerId).inspect().catch(() => undefined);
      if (info && info.Config.Labels?.["gitcrew.owner"] === rec.owner.id) found.push({ Id: info.Id, State: info.State.Status } as Docker.ContainerInfo);
    }
    for (const c of found) {
      const container = docker.getContainer(c.Id);
      if (c.State === "running") await container.kill({ signal: "SIGKILL" }).catch(() => undefined);
      if (gone) await container.remove({ force: true, v: true }).catch(() => undefined);
      killed.push(c.Id);
    }
  }
  if (gone) {
    const reason = `cancelled by ${opts.by ?? "gitcrew cancel"}; its runner (pid ${rec.owner.pid}) was gone`;
    const record: RunRecord = { ...rec, status: "cancelled", exitCode: EXIT_CANCELLED, reason, finishedAt: new Date().toISOString() };
    records.save(record);
    records.appendLog(id, ownLogNote(`cancelled: ${reason}`));
    return { record, alreadyFinished: false, killed, pending: false };
  }
  const end = Date.now() + (opts.waitMs ?? 15_000);
  for (;;) {
    const now = records.require(id);
    if (isFinal(now.status)) return { record: now, alreadyFinished: false, killed, pending: false };
    if (Date.now() > end) return { record: now, alreadyFinished: false, killed, pending: true };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Write the run's log from `offset`, then (with `follow`) keep writing what is
 * appended until the run is final or its runner is gone. Returns the record at the end.
 */
export async function readLocalLog(
  records: RunRecords,
  id: string,
  write: (text: string) => void,
  opts: { follow?: boolean; signal?: AbortSignal; pollMs?: number } = {},
): Promise<RunRecord> {
  let rec = records.require(id);
  const file = records.logFile(id);
  let offset = 0;
  // A character cut between two reads is written whole with the next one.
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
    // Read once more after seeing a final status: the last lines are written before it.
    if (isFinal(rec.status) || ownerGone(rec)) {
      pump();
      return rec;
    }
    pump();
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
  }
  return rec;
}
