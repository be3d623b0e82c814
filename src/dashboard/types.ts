/** What the page reads from `/api/*` (docs/../notes: the dashboard contract). Every field is untrusted text. */

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled" | "budget_exceeded" | "disk_exceeded" | "awaiting_approval";

export const RUN_STATUSES: readonly RunStatus[] = ["queued", "running", "succeeded", "failed", "timed_out", "cancelled", "budget_exceeded", "disk_exceeded", "awaiting_approval"];

/** The store's RunCost, or the contract's flat form; either may arrive. */
export interface RunCostView {
  tokens?: { input?: number; output?: number; total?: number };
  costUsd?: number | null;
  inputTokens?: number;
  outputTokens?: number;
  usd?: number | null;
}

export interface RunRow {
  id: string;
  repo: string;
  agent: string;
  threadKey: string;
  status: RunStatus;
  attempt?: number;
  createdAt: number;
  claimedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  error?: string;
  /** A cancel was asked for; the worker stops the run soon. */
  cancelRequested?: boolean;
  cost?: RunCostView;
  trigger?: { actor?: string; event?: string; url?: string };
  branch?: string;
  pullRequest?: { number: number; url?: string };
  durationMs?: number;
}

export interface Approval {
  id: string;
  repo: string;
  agent: string;
  runId?: string;
  pr?: { number: number; url?: string; state?: string };
  approvers?: string[];
  decidedBy?: string;
  decision?: "approved" | "rejected";
  createdAt?: number;
}

export type ChangedFile = string | { path: string; status?: string };

export interface RunDetail {
  run: RunRow;
  /** null or absent: not known for this run (older rows, other pipelines). */
  plan?: unknown;
  prompt?: string | null;
  container?: unknown;
  answer?: string | null;
  changedFiles?: ChangedFile[] | null;
  approvals?: Approval[] | null;
  /** False when the signed-in user may not cancel or retry (reader); absent: the server decides on click. */
  canAct?: boolean;
}

export interface QueueEntry {
  id: string;
  agent: string;
  threadKey: string;
  repo: string;
  position: number;
  createdAt: number;
  attempt?: number;
  /** The reason in words, as the tracking comment says it. */
  waiting?: string;
}

export interface QueueView {
  queued?: number;
  running?: number;
  queue: QueueEntry[];
}

export interface CrewAgent {
  name: string;
  runtime?: string;
  model?: string;
  triggers?: unknown;
  limits?: unknown;
  concurrency?: number;
  allow?: unknown;
}

export interface CrewRepo {
  repo: string;
  loadedAt?: number | string;
  sha?: string;
  problems?: string[];
  agents?: CrewAgent[];
}

export interface Check {
  ok: boolean;
  kind?: string;
  error?: string;
}

export interface Health {
  store?: Check;
  docker?: Check;
  github?: Check;
  instances?: { name: string; lastSeen: number | string; runs?: number }[];
}

export interface Session {
  login: string;
  avatarUrl?: string | null;
  csrf: string;
  webUrl?: string;
}
