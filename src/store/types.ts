/**
 * The durable store behind `gitcrew serve`: webhook deliveries, the run
 * queue with leases, run records, cancel requests and `once` keys. One
 * interface, two backends (embedded SQLite, PostgreSQL); the same test suite
 * runs against both. Times are epoch milliseconds, passed in by the caller so
 * that tests and several instances agree on "now" without a clock here.
 */

import type { RunCost } from "../runner/cost.js";
import type { QueueEdits, QueueOptions, QueueView } from "./queue.js";
import type { RunsPage, RunsPageOptions } from "./runs-page.js";
import type { Instances, Sessions } from "./sessions.js";
import type { ApprovalDecisions } from "./approval-decisions.js";
import type { PendingAnswers } from "./answers.js";

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled" | "budget_exceeded" | "disk_exceeded" | "awaiting_approval";

export const RUN_STATUSES: readonly RunStatus[] = ["queued", "running", "succeeded", "failed", "timed_out", "cancelled", "budget_exceeded", "disk_exceeded", "awaiting_approval"];

/** Statuses a run never leaves. */
export const FINAL_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "timed_out", "cancelled", "budget_exceeded", "disk_exceeded", "awaiting_approval"];

export type DeliveryState = "pending" | "planned" | "failed";

export interface DeliveryInput {
  /** X-GitHub-Delivery. */
  id: string;
  /** X-GitHub-Event. */
  event: string;
  /** The raw JSON body as received (the signature covers these bytes). */
  payload: string;
  receivedAt: number;
  /**
   * A key of the body alone (the verified X-Hub-Signature-256: a keyed hash of
   * the bytes). A second delivery with the same key is a duplicate whatever its
   * delivery id or event name: a captured signed body cannot be replayed under
   * a new id, nor as another event (the event header is not signed).
   */
  bodyKey?: string;
  /**
   * The repository (`owner/name` as GitHub spells it; compared
   * case-insensitively). Optional for callers; a delivery stored without one
   * reads back with its payload's `repository.full_name`, else "unknown".
   */
  repo?: string;
}

/** A delivery stored already claimed by the instance that received it (Store.recordDelivery). */
export interface DeliveryLease {
  owner: string;
  /** Epoch ms; after it, any instance may claim the delivery. */
  until: number;
}

/** What there is to do: a delivery to plan, a run to claim, or either. */
export type WorkKind = "delivery" | "run" | "any";

/** A stored delivery; the store always sets `repo` when it reads one (see DeliveryInput.repo). */
export interface Delivery extends DeliveryInput {
  state: DeliveryState;
  attempts: number;
  error?: string;
}

/** A run to enqueue; `plan` is opaque JSON for the executor (the PlannedRun). */
export interface RunInput {
  /** `owner/name` as GitHub spells it; when absent, taken from `threadKey` (`owner/name#12`, `owner/name@agent`). */
  repo?: string;
  agent: string;
  threadKey: string;
  /** The agent's `concurrency`: at most this many of its runs run at once, across instances. */
  agentLimit: number;
  plan: unknown;
  /** Attempts allowed for infrastructure failures (1 = no retry). */
  maxAttempts?: number;
}

export interface RunRecord {
  /** `<delivery id>:<agent>` for webhook runs: a redelivery cannot add a second run. */
  id: string;
  deliveryId: string;
  /** `owner/name` as GitHub spells it; rows stored before the column: from the thread key, else "unknown". */
  repo: string;
  agent: string;
  threadKey: string;
  status: RunStatus;
  plan: unknown;
  agentLimit: number;
  attempt: number;
  maxAttempts: number;
  /** Not claimable before this time (retry backoff). */
  notBefore: number;
  leaseOwner?: string;
  leaseExpiresAt?: number;
  /** Set once the executor started real work (a container); lost leases then count as a failed attempt. */
  startedAt?: number;
  sessionId?: string;
  containerId?: string;
  error?: string;
  cancelRequested: boolean;
  createdAt: number;
  claimedAt?: number;
  finishedAt?: number;
  /** Model tokens and USD of a finished run (through the run gateway). */
  cost?: RunCost;
  /** What a finished run left: its answer, changed files, PR, approval requests (for the dashboard). */
  outcome?: RunOutcomeDetail;
}

/** What a finished run left, as the dashboard shows it; bounded by the worker (server/run-outcome.ts). */
export interface RunOutcomeDetail {
  /** The answer as posted in the thread (masked), capped. */
  answer?: string;
  changedFiles?: string[];
  /** Changed files left out of `changedFiles` by its cap. */
  changedFilesMore?: number;
  branch?: string;
  pullRequest?: { number: number; url: string };
  approvals?: { kind: string; reason: string; pr: { number: number; url: string } }[];
  /**
   * Set by servers that record what becomes of approval PRs in the store
   * (approvalDecisions): no decision there means still open. Runs finished
   * before that have none, and the dashboard asks GitHub for theirs.
   */
  decisionsRecorded?: boolean;
}

export interface ClaimOptions {
  owner: string;
  now: number;
  leaseMs: number;
  /** Runs this owner may hold at once (its share of the machine). */
  ownerLimit: number;
  /** Runs of one repository running at once, across instances (default: no limit). */
  repoLimit?: number;
}

export interface RunOutcomeRecord {
  status: Exclude<RunStatus, "queued" | "running">;
  error?: string;
  sessionId?: string;
  cost?: RunCost;
  outcome?: RunOutcomeDetail;
}

export interface ReapResult {
  /** Claimed but not started: back to the queue. */
  requeued: string[];
  /** Started on a lost instance: retried later as an infrastructure failure. */
  retried: string[];
  /** Started on a lost instance with no attempt left. */
  failed: string[];
}

export interface ListOptions {
  status?: RunStatus;
  /** `owner/name`, case-insensitive. */
  repo?: string;
  threadKey?: string;
  limit?: number;
}

export interface RepoRunCount {
  repo: string;
  queued: number;
  running: number;
}

export interface LogChunk {
  seq: number;
  at: number;
  text: string;
}

/** Model spend kept under a budget key: all tokens, and USD. */
export interface SpendTotal {
  tokens: number;
  usd: number;
}

/** Rows `prune` deleted. */
export interface PruneResult {
  deliveries: number;
  runs: number;
  logs: number;
  onceKeys: number;
  /** Budget ledger rows (gc_spend) of days and threads no cap reads any more. */
  spendRows: number;
  /** Claim turns (gc_repo_turns) of repositories with no run queued, running or within the window. */
  repoTurns: number;
  /** Decisions on approval pull requests (gc_approval_decisions) made before the window, of requests no stored run lists. */
  approvalDecisions: number;
  /** Answers GitHub never took (gc_answers) put off before the window and over two days ago. */
  answers: number;
}

export interface Store {
  /** `sqlite` or `postgres`, for logs and metrics. */
  readonly kind: string;
  /** Create tables if absent. Safe to call from several instances. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  /**
   * Record a delivery durably; `false` when this delivery id, or its `bodyKey`,
   * is already stored. With `lease`, it is stored claimed by `lease.owner`
   * (attempt 1) until `lease.until`: the instance that received it plans it
   * itself, without a claim, and nobody is told there is work.
   */
  recordDelivery(delivery: DeliveryInput, lease?: DeliveryLease): Promise<boolean>;
  getDelivery(id: string): Promise<Delivery | undefined>;
  /** Take one pending delivery to plan; its lease keeps others away until it expires. */
  claimDelivery(owner: string, now: number, leaseMs: number): Promise<Delivery | undefined>;
  /** Planning done: enqueue its runs (once) and mark the delivery planned, atomically. */
  completeDelivery(id: string, runs: RunInput[], now: number): Promise<RunRecord[]>;
  /** Planning failed: give up (`failed`) or try again after `retryAt`. */
  failDelivery(id: string, error: string, retryAt: number | undefined): Promise<void>;

  /** Enqueue a run outside a delivery (schedules, `gitcrew retry`). */
  enqueue(id: string, deliveryId: string, run: RunInput, now: number): Promise<RunRecord>;
  /**
   * Claim an eligible queued run: due, first queued in its thread with nothing
   * running in that thread, its agent under its limit, its repository under
   * `repoLimit`, the owner under `ownerLimit`. Repositories take turns: the
   * oldest eligible run of the repository served least recently (one with
   * many queued runs does not hold back another's first). Status becomes
   * `running` with a lease.
   */
  claimRun(options: ClaimOptions): Promise<RunRecord | undefined>;
  /** Extend the leases of these runs; returns the ids whose lease this owner lost. */
  heartbeat(owner: string, runIds: string[], now: number, leaseMs: number): Promise<string[]>;
  /** The executor started real work (container id once known). */
  markStarted(id: string, owner: string, now: number, patch: { containerId?: string; sessionId?: string }): Promise<void>;
  /** Final outcome of a run held by `owner`; false when the lease was lost meanwhile. */
  finishRun(id: string, owner: string, outcome: RunOutcomeRecord, now: number): Promise<boolean>;
  /** Infrastructure failure: back to the queue after `notBefore`, one attempt used. */
  retryLater(id: string, owner: string, error: string, notBefore: number): Promise<boolean>;
  /** Shutdown: give a claimed run back without using an attempt. */
  release(id: string, owner: string): Promise<boolean>;
  /** Expired leases: requeue unstarted runs, retry or fail started ones. */
  reapExpired(now: number): Promise<ReapResult>;

  /** Ask to cancel; a queued run is cancelled at once, a running one is flagged for its worker. */
  requestCancel(id: string, now: number): Promise<RunRecord | undefined>;
  /** Cancel every unfinished run of a thread (the `/cancel` command). */
  cancelThread(threadKey: string, now: number): Promise<RunRecord[]>;
  /** Ids among `runIds` whose cancel was requested. */
  cancelRequested(runIds: string[]): Promise<string[]>;

  getRun(id: string): Promise<RunRecord | undefined>;
  listRuns(options?: ListOptions): Promise<RunRecord[]>;
  /** Session id of the latest finished run in the thread, to resume the conversation. */
  lastSessionId(threadKey: string): Promise<string | undefined>;
  countByStatus(): Promise<Record<RunStatus, number>>;
  /** Queued and running runs per repository (only repositories with some), for metrics. */
  countByRepo(): Promise<RepoRunCount[]>;
  pendingDeliveries(): Promise<number>;

  appendLog(runId: string, text: string, now: number): Promise<void>;
  readLog(runId: string, afterSeq?: number): Promise<LogChunk[]>;

  /** What was spent under a budget key (zero when nothing was). */
  spent(key: string): Promise<SpendTotal>;
  /** Add to a budget key's spend atomically, across instances (one upsert). */
  addSpend(key: string, spend: SpendTotal, now: number): Promise<void>;

  /**
   * Call `listener` when there may be work: a delivery stored (`delivery`),
   * runs queued or handed back (`run`), by this process or (PostgreSQL,
   * LISTEN/NOTIFY) by another instance (`any` when the kind is not known). A
   * hint only: workers still poll. Returns how to unsubscribe.
   */
  subscribe?(listener: (kind: WorkKind) => void): () => void;

  /** True for exactly one caller per key, across instances (schedule ticks). */
  once(key: string, owner: string, now: number): Promise<boolean>;

  /**
   * Retention: forget what finished before `before` — logs and records of
   * runs (except runs awaiting approval and each thread's latest run),
   * deliveries that were planned or failed and have no run left, once keys,
   * and budget rows no cap reads any more (a day at least 2 days before
   * `now`, default `before`; a thread with no run in the window).
   * Pending deliveries and unfinished runs are never touched.
   */
  prune(before: number, now?: number): Promise<PruneResult>;

  /** The queue as people see it: what waits, in claim order, why, and where (store/queue.ts). */
  queue(options: QueueOptions): Promise<QueueView>;
  /** Queue-position edits of tracking comments: one editor, throttled, none once claimed (store/queue.ts). */
  readonly queueEdits: QueueEdits;

  /** One page of runs, newest first by (createdAt, id), filtered (store/runs-page.ts). */
  runsPage(options: RunsPageOptions): Promise<RunsPage>;
  /** The repositories that have runs (lower case). */
  runRepos(): Promise<string[]>;
  /** Dashboard sign-in sessions (store/sessions.ts). */
  readonly sessions: Sessions;
  /** Each instance's heartbeat, for the dashboard's health page. */
  readonly instances: Instances;
  /** What became of approval pull requests gitcrew resolved, for the dashboard (store/approval-decisions.ts). */
  readonly approvalDecisions: ApprovalDecisions;
  /** Answers GitHub did not take, written again later by any instance (store/answers.ts). */
  readonly answers: PendingAnswers;
}
