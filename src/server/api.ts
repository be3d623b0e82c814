/**
 * The local API behind `gitcrew ps|logs|cancel|retry` when a server runs:
 * a bearer token, JSON in and out. Pure over the store.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import { RUN_STATUSES, type RunRecord, type RunStatus, type Store } from "../store/types.js";
import type { Reply } from "./webhook.js";
import { waitingFor } from "./queue-comments.js";
import { repoNameProblem } from "./repo-filter.js";

export interface ApiDeps {
  store: Store;
  token: string;
  now(): number;
  /** A run was cancelled or requeued: the worker should look now. */
  wake(): void;
  /** Runner slots free on this instance, for the queue's "no free slot" (undefined: not known here). */
  freeSlots?(): number | undefined;
  /** This instance's `--repo-concurrency`, for the queue's "repository at its limit". */
  repoLimit?: number;
  /** A queued run was cancelled before any claim: its tracking comment says so (no run will). */
  cancelledQueued?(run: RunRecord): Promise<void>;
}

/** What `gitcrew ps` shows; the plan stays on the server. */
export type RunSummary = Omit<RunRecord, "plan">;

export function summary(run: RunRecord): RunSummary {
  // The outcome (answer up to 64 KiB, file lists) is the run page's, not every row's.
  const { plan: _plan, outcome: _outcome, ...rest } = run;
  return rest;
}

function sameToken(given: string, expected: string): boolean {
  // Hash first so that the comparison takes the same time whatever the lengths.
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

const fail = (status: number, error: string): Reply => ({ status, body: { error } });

/** OWNER/NAME as GitHub allows them (compared case-insensitively by the store). */

export async function handleApi(method: string, url: URL, authorization: string | undefined, deps: ApiDeps): Promise<Reply> {
  if (!hasApiToken(authorization, deps.token)) return fail(401, WRONG_TOKEN);
  return routeApi(method, url, deps);
}

export const WRONG_TOKEN = "missing or wrong API token: use the token in the server file (gitcrew serve prints where) or GITCREW_API_TOKEN";

/** Whether an Authorization header carries the API token. */
export function hasApiToken(authorization: string | undefined, expected: string): boolean {
  const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
  return token !== undefined && sameToken(token, expected);
}

/** The API's routes, once the caller is known to be allowed (the API token, or the dashboard's checks). */
export async function routeApi(method: string, url: URL, deps: ApiDeps): Promise<Reply> {
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const [, resource, id, action] = parts;
  if (resource === "queue" && !id) return queue(method, url, deps);
  if (resource !== "runs") return fail(404, `no API route ${url.pathname}`);
  if (!id) {
    if (method !== "GET") return fail(405, "use GET /api/runs");
    const status = url.searchParams.get("status") ?? undefined;
    if (status && !RUN_STATUSES.includes(status as RunStatus)) return fail(400, `unknown status "${status}"; one of ${RUN_STATUSES.join(", ")}`);
    const repo = url.searchParams.get("repo") ?? undefined;
    if (repo !== undefined && repoNameProblem(repo) !== undefined) return fail(400, `repo must be OWNER/NAME, got "${repo.slice(0, 200)}"`);
    const limit = Math.min(Number(url.searchParams.get("limit") ?? "50") || 50, 1000);
    const runs = await deps.store.listRuns({ status: status as RunStatus | undefined, limit, threadKey: url.searchParams.get("thread") ?? undefined, repo });
    return { status: 200, body: { runs: runs.map(summary) } };
  }
  const run = await deps.store.getRun(id);
  if (!run) return fail(404, `no run "${id}"`);
  if (!action && method === "GET") return { status: 200, body: { run: summary(run) } };
  if (action === "logs" && method === "GET") {
    const after = Number(url.searchParams.get("after") ?? "0") || 0;
    return { status: 200, body: { run: summary(run), chunks: await deps.store.readLog(id, after) } };
  }
  if (action === "cancel" && method === "POST") {
    const updated = await deps.store.requestCancel(id, deps.now());
    deps.wake();
    if (updated?.status === "cancelled" && updated.claimedAt === undefined) await deps.cancelledQueued?.(updated).catch(() => undefined);
    return { status: 202, body: { run: updated ? summary(updated) : summary(run) } };
  }
  if (action === "retry" && method === "POST") return retry(run, deps);
  return fail(405, `unsupported ${method} ${url.pathname}`);
}

/** A finished run again, as a new run with the same plan (a new id, so the record of the old one stays). */
async function retry(run: RunRecord, deps: ApiDeps): Promise<Reply> {
  if (run.status === "queued" || run.status === "running") return fail(409, `run ${run.id} is ${run.status}; retry it once it has finished`);
  const base = run.id.replace(/~retry\d+$/, "");
  const retries = await deps.store.listRuns({ threadKey: run.threadKey, limit: 1000 });
  const n = retries.filter((r) => r.id.startsWith(`${base}~retry`)).length + 1;
  const again = await deps.store.enqueue(`${base}~retry${n}`, run.deliveryId, { repo: run.repo, agent: run.agent, threadKey: run.threadKey, agentLimit: run.agentLimit, plan: run.plan, maxAttempts: run.maxAttempts }, deps.now());
  deps.wake();
  return { status: 202, body: { run: summary(again), retryOf: run.id } };
}

/** `GET /api/queue?limit=N`: what waits, in claim order, why and where (store/queue.ts), with the reason in words. */
async function queue(method: string, url: URL, deps: ApiDeps): Promise<Reply> {
  if (method !== "GET") return fail(405, "use GET /api/queue");
  const unknown = [...url.searchParams.keys()].find((k) => k !== "limit");
  if (unknown !== undefined) return fail(400, `unknown parameter "${unknown.slice(0, 40)}"; GET /api/queue takes limit`);
  const raw = url.searchParams.get("limit");
  if (raw !== null && !/^[0-9]{1,4}$/.test(raw)) return fail(400, "limit must be a whole number from 1 to 1000");
  const limit = raw === null ? 100 : Number(raw);
  if (limit < 1 || limit > 1000) return fail(400, "limit must be a whole number from 1 to 1000");
  const free = deps.freeSlots?.();
  const view = await deps.store.queue({ now: deps.now(), limit, ...(free !== undefined ? { freeSlots: free } : {}), ...(deps.repoLimit ? { repoLimit: deps.repoLimit } : {}) });
  return {
    status: 200,
    body: { queued: view.queued, running: view.running, queue: view.entries.map((e) => ({ ...e, waiting: waitingFor(e.reason, `@${e.agent}`) })) },
  };
}
