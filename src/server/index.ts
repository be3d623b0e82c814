/**
 * Start one `gitcrew serve` instance: the HTTP listener and the worker over
 * one store and one pipeline. Returns a handle to stop it gracefully.
 */
import type { AddressInfo } from "node:net";
import { rememberingFinal } from "./dashboard/approvals-view.js";
import type { DeliveryInput, RunRecord, Store } from "../store/types.js";
import { errorMessage } from "../util/errors.js";
import { createHttpServer } from "./http.js";
import { Dashboard, type DashboardOptions } from "./dashboard/index.js";
import { Metrics } from "./metrics.js";
import { QueueComments, type QueueCommentOptions } from "./queue-comments.js";
import type { Pipeline } from "./pipeline.js";
import { Worker } from "./worker.js";

export interface StartOptions {
  store: Store;
  pipeline: Pipeline;
  webhookSecret: string;
  apiToken: string;
  host: string;
  port: number;
  concurrency: number;
  /** Runs of one repository at once across instances (the store's claim enforces it). */
  repoLimit?: number;
  instance: string;
  leaseMs?: number;
  pollMs?: number;
  retryBaseMs?: number;
  /** Retention (Worker.pruneOld); 0 or absent keeps everything. */
  retainMs?: number;
  pruneEveryMs?: number;
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  maxBodyBytes?: number;
  maxInFlightBytes?: number;
  maxConnections?: number;
  /** Queue positions in tracking comments (throttle, period; queue-comments.ts), or false for none (edits by other instances are still waited for). */
  queueComments?: Partial<Pick<QueueCommentOptions, "everyMs" | "throttleMs" | "maxEditsPerTick" | "exactUpTo" | "leaseMs">> | false;
  /** false: receive and store only, leaving planning and runs to other instances sharing the store. */
  worker?: boolean;
  /** The dashboard's sign-in, public URL, access lookups and page folder (dashboard/index.ts). */
  dashboard?: Pick<DashboardOptions, "oauth" | "publicUrl" | "roles" | "dir" | "providers" | "streamPollMs" | "streamRecheckMs" | "accessTtlMs">;
  /** Heartbeats into gc_instances (health page), ms; default 10 s. */
  heartbeatMs?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  worker: Worker;
  /** SIGTERM: stop accepting, let runs finish for `graceMs`, requeue the rest. */
  stop(graceMs: number): Promise<void>;
}

export async function startServer(o: StartOptions): Promise<RunningServer> {
  const log = o.log ?? (() => undefined);
  const metrics = new Metrics();
  const freeSlots = (): number => Math.max(0, o.concurrency - worker.running);
  const queueComments = new QueueComments(o.store, { owner: o.instance, freeSlots, repoLimit: o.repoLimit, log, ...(o.queueComments || {}) });
  const worker = new Worker(o.store, o.pipeline.handler, o.pipeline.executor, {
    owner: o.instance,
    concurrency: o.concurrency,
    ...(o.repoLimit ? { repoLimit: o.repoLimit } : {}),
    leaseMs: o.leaseMs ?? 30_000,
    pollMs: o.pollMs ?? 1000,
    retryBaseMs: o.retryBaseMs ?? 2000,
    retainMs: o.retainMs,
    pruneEveryMs: o.pruneEveryMs,
    log,
    metrics,
    // Whoever edits a queued run's comment (any instance), its start waits for that edit.
    beforeRun: (run) => queueComments.beforeRun(run),
  });
  let stopping = false;
  const notRun = o.pipeline.executor.notRun?.bind(o.pipeline.executor);
  const apiDeps = {
    store: o.store,
    token: o.apiToken,
    now: Date.now,
    wake: () => worker.wake(),
    freeSlots: () => (o.worker === false ? undefined : freeSlots()),
    repoLimit: o.repoLimit,
    ...(notRun ? { cancelledQueued: (run: RunRecord) => notRun(run, "cancelled").catch((err: unknown) => log(`run ${run.id}: ${errorMessage(err)}`)) } : {}),
  };
  const executor = o.pipeline.executor;
  const dashboard = new Dashboard({
    store: o.store,
    api: apiDeps,
    apiToken: o.apiToken,
    now: Date.now,
    log,
    ...o.dashboard,
    providers: {
      ...(o.worker !== false && executor.available ? { docker: () => executor.available!() } : {}),
      ...(o.pipeline.crews ? { crews: async () => o.pipeline.crews!() } : {}),
      ...(o.pipeline.pullState ? { pullState: rememberingFinal((repo, n) => o.pipeline.pullState!(repo, n)) } : {}),
      ...o.dashboard?.providers,
    },
  });
  const server = createHttpServer({
    dashboard,
    store: o.store,
    metrics,
    webhookSecret: o.webhookSecret,
    apiToken: o.apiToken,
    now: Date.now,
    // This instance's planner takes what it receives at once when it is idle (Worker.receive).
    ...(o.worker === false ? {} : { record: (delivery: DeliveryInput) => worker.receive(delivery) }),
    onDelivery: () => worker.wake("delivery"),
    wake: () => worker.wake(),
    freeSlots: () => (o.worker === false ? undefined : freeSlots()),
    repoLimit: o.repoLimit,
    readiness: (repo?: string) => (stopping ? { ready: false, reason: "shutting down" } : (o.pipeline.readiness?.(repo) ?? { ready: true })),
    maxBodyBytes: o.maxBodyBytes,
    maxInFlightBytes: o.maxInFlightBytes,
    maxConnections: o.maxConnections,
    requestTimeoutMs: o.requestTimeoutMs,
    headersTimeoutMs: o.headersTimeoutMs,
    log,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(":") ? `[${o.host}]` : o.host;
  dashboard.listening(`http://${host}:${port}`);
  let beats = 0;
  const beat = () =>
    void o.store.instances
      .beat(o.instance, Date.now(), worker.running)
      // About hourly, instances gone for a week are forgotten.
      .then(() => (beats++ % 360 === 0 ? o.store.instances.prune(Date.now() - 7 * 24 * 3_600_000) : 0))
      .catch((err: unknown) => log(`health: heartbeat: ${(err as Error).message}`));
  beat();
  const heartbeat = setInterval(beat, o.heartbeatMs ?? 10_000);
  heartbeat.unref();
  if (o.worker !== false) worker.start();
  if (o.worker !== false && o.queueComments !== false) queueComments.start();
  return {
    url: `http://${host}:${port}`,
    port,
    worker,
    async stop(graceMs) {
      stopping = true;
      clearInterval(heartbeat);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await worker.stop(graceMs);
      await queueComments.stop();
      server.closeAllConnections();
      await closed;
      await o.pipeline.close?.();
    },
  };
}
