/**
 * GET /api/runs/:id/stream: the run's log and status as server-sent events,
 * read from the store (polled), so any instance streams any run, wherever it
 * runs. `Last-Event-ID` (or ?after=) resumes after a log sequence number.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { FINAL_STATUSES, type Store } from "../../store/types.js";
import { SECURITY_HEADERS } from "./respond.js";
import { runRow } from "./run-view.js";

export interface StreamOptions {
  store: Store;
  runId: string;
  after: number;
  pollMs?: number;
  /** A comment line this often keeps proxies from closing a quiet stream. */
  keepAliveMs?: number;
  /** Asked every `recheckMs`: a session signed out, expired or no longer allowed ends the stream. */
  stillAllowed?: () => Promise<boolean>;
  recheckMs?: number;
}

export async function streamRun(req: IncomingMessage, res: ServerResponse, o: StreamOptions): Promise<void> {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
  });
  let closed = false;
  let wake: (() => void) | undefined;
  const onClose = () => ((closed = true), wake?.());
  req.on("close", onClose);
  res.on("close", onClose);
  const send = async (chunk: string): Promise<void> => {
    if (closed) return;
    if (!res.write(chunk)) await new Promise<void>((resolve) => (res.once("drain", resolve), res.once("close", resolve)));
  };
  const pollMs = o.pollMs ?? 250;
  const keepAliveMs = o.keepAliveMs ?? 15_000;
  let seq = o.after;
  let shown = "";
  let quietSince = Date.now();
  let checkedAt = Date.now();
  await send("retry: 2000\n\n");
  try {
    while (!closed) {
      if (o.stillAllowed && Date.now() - checkedAt >= (o.recheckMs ?? 30_000)) {
        checkedAt = Date.now();
        if (!(await o.stillAllowed())) {
          await send(`event: denied\ndata: ${JSON.stringify({ error: "your session ended or lost access to this repository" })}\n\n`);
          break;
        }
      }
      // The status first, then the log: a final status seen here means every line written before it is read below.
      const run = await o.store.getRun(o.runId);
      if (!run) break;
      const chunks = await o.store.readLog(o.runId, seq);
      for (const c of chunks) {
        await send(`id: ${c.seq}\nevent: log\ndata: ${JSON.stringify({ seq: c.seq, text: c.text })}\n\n`);
        seq = c.seq;
      }
      const state = `${run.status}|${run.startedAt ?? ""}|${run.finishedAt ?? ""}|${run.cancelRequested}`;
      if (state !== shown) {
        shown = state;
        await send(`event: status\ndata: ${JSON.stringify(runRow(run))}\n\n`);
      }
      if (FINAL_STATUSES.includes(run.status)) {
        await send(`event: end\ndata: ${JSON.stringify({ status: run.status })}\n\n`);
        break;
      }
      if (chunks.length) quietSince = Date.now();
      else if (Date.now() - quietSince >= keepAliveMs) (await send(": still here\n\n"), (quietSince = Date.now()));
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, pollMs).unref();
      });
    }
  } finally {
    req.off("close", onClose);
    if (!res.writableEnded) res.end();
  }
}
