/**
 * The runs a gateway serves, by token. A token is 32 random bytes, known to
 * the run's container and to the gateway only; it stops working when the
 * run is revoked, and a revoked token is told apart from an unknown one.
 */
import type { PriceBook } from "./prices.js";
import { createHash, randomBytes } from "node:crypto";
import { Allowlist, normalizeHost } from "./hosts.js";
import { expandPresets } from "./presets.js";
import { type ProviderReach, WEB_FETCH_PRESET, WEB_SEARCH_PRESET } from "./provider-egress.js";
import type { Spend } from "./budget.js";
import {
  type BudgetExceeded,
  type ModelUsage,
  type ProviderName,
  type Refusal,
  type RunRegistration,
  type RunReport,
  type Tokens,
  totalOf,
  zeroTokens,
} from "./types.js";

const MAX_REFUSALS = 1000;
const MAX_REVOKED = 10_000;

export class RunState {
  readonly allowlist: Allowlist;
  /** What the provider may reach for this run: its web search and fetch only when the allowlist names their presets. */
  readonly reach: ProviderReach;
  readonly secrets: Map<string, { header: string; value: string }[]>;
  readonly spent: Spend = { tokens: 0, usd: 0 };
  private readonly byModel = new Map<string, ModelUsage>();
  private readonly refusals: Refusal[] = [];
  private refusalsNotRecorded = 0;
  budgetExceeded: BudgetExceeded | undefined;
  /** The gateway's prices with this run's overrides, made on its first model request. */
  priceBook: PriceBook | undefined;

  constructor(
    readonly reg: RunRegistration,
    presets: Record<string, string[]>,
  ) {
    this.allowlist = new Allowlist(expandPresets(reg.allow ?? [], presets));
    const allow = reg.allow ?? [];
    this.reach = { search: allow.includes(WEB_SEARCH_PRESET), fetch: allow.includes(WEB_FETCH_PRESET), allowlist: this.allowlist };
    this.secrets = new Map();
    for (const s of reg.secrets ?? []) {
      const host = normalizeHost(s.host);
      this.secrets.set(host, [...(this.secrets.get(host) ?? []), { header: s.header.toLowerCase(), value: s.value }]);
    }
  }

  get runId(): string {
    return this.reg.runId;
  }

  refuse(kind: Refusal["kind"], host: string, port: number, reason: string): void {
    if (this.refusals.length >= MAX_REFUSALS) {
      this.refusalsNotRecorded += 1;
      return;
    }
    this.refusals.push({ kind, host, port, time: new Date().toISOString(), reason });
  }

  /** Books one answered request; `tool` is its server tool uses and their fee (already in `costUsd` when that is known). */
  book(provider: ProviderName, model: string, tokens: Tokens, costUsd: number | null, tool = { uses: 0, usd: 0 }): void {
    const key = `${provider}\0${model}`;
    const m = this.byModel.get(key) ?? { provider, model, requests: 0, tokens: zeroTokens(), costUsd: 0, serverToolUses: 0, toolFeesUsd: 0 };
    m.requests += 1;
    m.serverToolUses = (m.serverToolUses ?? 0) + tool.uses;
    m.toolFeesUsd = (m.toolFeesUsd ?? 0) + tool.usd;
    m.tokens.input += tokens.input;
    m.tokens.output += tokens.output;
    m.tokens.cacheRead += tokens.cacheRead;
    m.tokens.cacheWrite += tokens.cacheWrite;
    m.costUsd = m.costUsd === null || costUsd === null ? null : m.costUsd + costUsd;
    this.byModel.set(key, m);
    this.spent.tokens += totalOf(tokens);
    this.spent.usd += costUsd ?? tool.usd;
  }

  report(): RunReport {
    const tokens = zeroTokens();
    let cost = 0;
    let fees = 0;
    const unpriced: string[] = [];
    const byModel = [...this.byModel.values()].map((m) => ({ ...m, tokens: { ...m.tokens } }));
    for (const m of byModel) {
      tokens.input += m.tokens.input;
      tokens.output += m.tokens.output;
      tokens.cacheRead += m.tokens.cacheRead;
      tokens.cacheWrite += m.tokens.cacheWrite;
      fees += m.toolFeesUsd ?? 0;
      if (m.costUsd === null) {
        unpriced.push(m.model);
        cost += m.toolFeesUsd ?? 0;
      } else cost += m.costUsd;
    }
    return {
      runId: this.runId,
      tokens,
      totalTokens: totalOf(tokens),
      costUsd: cost,
      toolFeesUsd: fees,
      unpricedModels: unpriced,
      byModel,
      refusals: [...this.refusals],
      refusalsNotRecorded: this.refusalsNotRecorded,
      budgetExceeded: this.budgetExceeded,
    };
  }
}

/** A run token: 32 random bytes. Made by the gateway, or ahead for a prepared container. */
export function newRunToken(): string {
  return `gitcrew-run-${randomBytes(32).toString("base64url")}`;
}
const TOKEN_SHAPE = /^gitcrew-run-[A-Za-z0-9_-]{43}$/;

const digest = (token: string): string => createHash("sha256").update(token).digest("hex");

export class RunRegistry {
  private readonly live = new Map<string, RunState>();
  private readonly byRunId = new Map<string, string>();
  private readonly revoked = new Set<string>();

  constructor(private readonly presets: Record<string, string[]>) {}

  register(reg: RunRegistration, made?: string): { token: string; run: RunState } {
    if (this.byRunId.has(reg.runId)) throw new Error(`gateway: run ${reg.runId} is already registered`);
    const token = made ?? newRunToken();
    const d = digest(token);
    // A token made ahead serves one run, once: never a live or revoked one again.
    if (!TOKEN_SHAPE.test(token) || this.live.has(d) || this.revoked.has(d)) throw new Error("gateway: that token cannot be registered");
    const run = new RunState(reg, this.presets);
    this.live.set(d, run);
    this.byRunId.set(reg.runId, d);
    return { token, run };
  }

  /** The run a token belongs to, or why there is none. */
  lookup(token: string | undefined): RunState | "missing" | "revoked" | "unknown" {
    if (!token) return "missing";
    const d = digest(token);
    const run = this.live.get(d);
    if (run) return run;
    return this.revoked.has(d) ? "revoked" : "unknown";
  }

  get(runId: string): RunState | undefined {
    const d = this.byRunId.get(runId);
    return d === undefined ? undefined : this.live.get(d);
  }

  /** Ends a run: its token stops working at once. */
  revoke(runId: string): RunState | undefined {
    const d = this.byRunId.get(runId);
    if (d === undefined) return undefined;
    const run = this.live.get(d);
    this.live.delete(d);
    this.byRunId.delete(runId);
    if (this.revoked.size >= MAX_REVOKED) this.revoked.clear();
    this.revoked.add(d);
    return run;
  }

  get size(): number {
    return this.live.size;
  }
}
