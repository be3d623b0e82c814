/**
 * The run gateway's public shapes: what a run registers with, and what it
 * reports when it ends. The runner fills a `RunRegistration` from the plan;
 * the record and the thread get a `RunReport`.
 */

export type ProviderName = "anthropic" | "openai" | "gemini";

/** A secret added to requests for one host, never given to the container. */
export interface HostSecret {
  /** Exact host name (no wildcard): the secret goes to this host only. */
  host: string;
  /** Header it is sent in, e.g. `authorization`. */
  header: string;
  /** Full header value, e.g. `Bearer ghs_…`. */
  value: string;
}

/**
 * One spending cap. `run` is kept by the gateway; `agent_day` and `thread`
 * are kept by a `BudgetLedger` under `key` (so they hold across runs and,
 * with a store-backed ledger, across instances).
 */
export interface BudgetCap {
  scope: "run" | "agent_day" | "thread";
  /** Ledger key for `agent_day` and `thread`, e.g. `agent_day:dev:2025-01-31`. */
  key?: string;
  /** All tokens the provider counts: input, output, cache read and cache write. */
  tokens?: number;
  usd?: number;
}

/**
 * The run's GitHub, for the gateway's GitHub route: the token (narrowed to
 * the agent's `permissions`) is added to what the container sends there
 * and never given to the container.
 */
export interface RunGitHub {
  /** The token, or how to get a current one (installation tokens last an hour; a run may last longer). */
  token: string | (() => Promise<string>);
  /** REST API base, e.g. `https://api.github.com` or `https://HOST/api/v3`. */
  apiUrl: string;
  /** Web host git clones from, e.g. `https://github.com`. */
  gitUrl: string;
}

export interface RunRegistration {
  /** The run's id, for reports and logs. */
  runId: string;
  /** Host patterns (`host`, `*.suffix`, optional `:port`) and presets (`preset:NAME`). */
  allow?: string[];
  /** Real model keys; the container only ever holds the run token. */
  modelKeys?: Partial<Record<ProviderName, string>>;
  secrets?: HostSecret[];
  /** GitHub through the gateway's `/github` route; absent: the route refuses this run. */
  github?: RunGitHub;
  budget?: BudgetCap[];
  /** Price overrides for this run's models (crew.cue `prices`), over the gateway's. */
  prices?: Record<string, { inputMtok: number; outputMtok: number; cacheReadMtok?: number; cacheWriteMtok?: number }>;
}

export interface Tokens {
  /** Input tokens not read from or written to the cache. */
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export interface Refusal {
  kind: "egress" | "model" | "github";
  host: string;
  port: number;
  /** ISO time. */
  time: string;
  reason: string;
}

export interface ModelUsage {
  provider: ProviderName;
  model: string;
  requests: number;
  tokens: Tokens;
  /** Null when the model's price is unknown; includes `toolFeesUsd` otherwise. */
  costUsd: number | null;
  /** Uses of the provider's billed tools (web searches, grounded prompts or search queries). */
  serverToolUses?: number;
  /** What those uses cost (server-tools.ts), known even when the model's token price is not. */
  toolFeesUsd?: number;
}

export interface BudgetExceeded {
  scope: BudgetCap["scope"];
  key?: string;
  limit: { tokens?: number; usd?: number };
  spent: { tokens: number; usd: number };
}

export interface RunReport {
  runId: string;
  tokens: Tokens;
  /** Sum of `tokens`. */
  totalTokens: number;
  /** Cost of the priced models and every server tool fee; see `unpricedModels` for the rest. */
  costUsd: number;
  /** The provider's server tool fees (web search, grounding), part of `costUsd`. */
  toolFeesUsd?: number;
  unpricedModels: string[];
  byModel: ModelUsage[];
  refusals: Refusal[];
  /** Refusals past the recorded ones (the list is bounded). */
  refusalsNotRecorded: number;
  /** Set once a model request was refused for a cap. */
  budgetExceeded?: BudgetExceeded;
}

export function zeroTokens(): Tokens {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

export function totalOf(t: Tokens): number {
  return t.input + t.output + t.cacheRead + t.cacheWrite;
}
