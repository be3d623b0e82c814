import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  Allowlist,
  WEB_FETCH_PRESET,
  WEB_SEARCH_PRESET,
  expandPresets,
  normalizeHost
} from "./action-chunk-PRAK5QR7.js";

// src/gateway/types.ts
function zeroTokens() {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}
function totalOf(t) {
  return t.input + t.output + t.cacheRead + t.cacheWrite;
}

// src/gateway/runs.ts
import { createHash, randomBytes } from "node:crypto";
var MAX_REFUSALS = 1e3;
var MAX_REVOKED = 1e4;
var RunState = class {
  constructor(reg, presets) {
    this.reg = reg;
    this.allowlist = new Allowlist(expandPresets(reg.allow ?? [], presets));
    const allow = reg.allow ?? [];
    this.reach = { search: allow.includes(WEB_SEARCH_PRESET), fetch: allow.includes(WEB_FETCH_PRESET), allowlist: this.allowlist };
    this.secrets = /* @__PURE__ */ new Map();
    for (const s of reg.secrets ?? []) {
      const host = normalizeHost(s.host);
      this.secrets.set(host, [...this.secrets.get(host) ?? [], { header: s.header.toLowerCase(), value: s.value }]);
    }
  }
  allowlist;
  /** What the provider may reach for this run: its web search and fetch only when the allowlist names their presets. */
  reach;
  secrets;
  spent = { tokens: 0, usd: 0 };
  byModel = /* @__PURE__ */ new Map();
  refusals = [];
  refusalsNotRecorded = 0;
  budgetExceeded;
  /** The gateway's prices with this run's overrides, made on its first model request. */
  priceBook;
  get runId() {
    return this.reg.runId;
  }
  refuse(kind, host, port, reason) {
    if (this.refusals.length >= MAX_REFUSALS) {
      this.refusalsNotRecorded += 1;
      return;
    }
    this.refusals.push({ kind, host, port, time: (/* @__PURE__ */ new Date()).toISOString(), reason });
  }
  /** Books one answered request; `tool` is its server tool uses and their fee (already in `costUsd` when that is known). */
  book(provider, model, tokens, costUsd, tool = { uses: 0, usd: 0 }) {
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
  report() {
    const tokens = zeroTokens();
    let cost = 0;
    let fees = 0;
    const unpriced = [];
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
      budgetExceeded: this.budgetExceeded
    };
  }
};
function newRunToken() {
  return `gitcrew-run-${randomBytes(32).toString("base64url")}`;
}
var TOKEN_SHAPE = /^gitcrew-run-[A-Za-z0-9_-]{43}$/;
var digest = (token) => createHash("sha256").update(token).digest("hex");
var RunRegistry = class {
  constructor(presets) {
    this.presets = presets;
  }
  live = /* @__PURE__ */ new Map();
  byRunId = /* @__PURE__ */ new Map();
  revoked = /* @__PURE__ */ new Set();
  register(reg, made) {
    if (this.byRunId.has(reg.runId)) throw new Error(`gateway: run ${reg.runId} is already registered`);
    const token = made ?? newRunToken();
    const d = digest(token);
    if (!TOKEN_SHAPE.test(token) || this.live.has(d) || this.revoked.has(d)) throw new Error("gateway: that token cannot be registered");
    const run = new RunState(reg, this.presets);
    this.live.set(d, run);
    this.byRunId.set(reg.runId, d);
    return { token, run };
  }
  /** The run a token belongs to, or why there is none. */
  lookup(token) {
    if (!token) return "missing";
    const d = digest(token);
    const run = this.live.get(d);
    if (run) return run;
    return this.revoked.has(d) ? "revoked" : "unknown";
  }
  get(runId) {
    const d = this.byRunId.get(runId);
    return d === void 0 ? void 0 : this.live.get(d);
  }
  /** Ends a run: its token stops working at once. */
  revoke(runId) {
    const d = this.byRunId.get(runId);
    if (d === void 0) return void 0;
    const run = this.live.get(d);
    this.live.delete(d);
    this.byRunId.delete(runId);
    if (this.revoked.size >= MAX_REVOKED) this.revoked.clear();
    this.revoked.add(d);
    return run;
  }
  get size() {
    return this.live.size;
  }
};

export {
  zeroTokens,
  totalOf,
  newRunToken,
  RunRegistry
};
