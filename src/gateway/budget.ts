/**
 * Budgets: the caps a run is held to, and the ledger that keeps the caps
 * shared between runs (per agent per day, per thread). Before a model
 * request is forwarded, `admit` checks every cap against what is spent plus
 * what requests in flight may still spend, and returns the largest output
 * (max_tokens) the request may have so that no cap is overshot by its
 * output, and the uses of a server tool billed per use (web search) it may
 * make. After the response, `settle` replaces the reservation with the
 * real spend.
 */
import { ASSUMED_USES, DEFAULT_MAX_USES } from "./server-tools.js";
import type { BudgetCap, BudgetExceeded } from "./types.js";

export interface Spend {
  tokens: number;
  usd: number;
}

/**
 * Where shared caps are kept. The in-memory one serves one process; the
 * store's (later) makes a day and a thread hold across `serve` instances.
 */
export interface BudgetLedger {
  spent(key: string): Promise<Spend>;
  add(key: string, spend: Spend): Promise<void>;
}

export class MemoryLedger implements BudgetLedger {
  private readonly totals = new Map<string, Spend>();

  async spent(key: string): Promise<Spend> {
    const s = this.totals.get(key);
    return s ? { ...s } : { tokens: 0, usd: 0 };
  }

  async add(key: string, spend: Spend): Promise<void> {
    const s = this.totals.get(key) ?? { tokens: 0, usd: 0 };
    this.totals.set(key, { tokens: s.tokens + spend.tokens, usd: s.usd + spend.usd });
  }
}

/** What a request may cost before it is sent: input estimated, output and server tool uses bounded. */
export interface Estimate {
  inputTokens: number;
  /** USD per token, or null when the model's price is unknown. */
  inputUsd: number | null;
  outputUsd: number | null;
  /** A server tool billed per use (server-tools.ts): a USD cap reserves its uses and bounds them when it can. */
  tool?: { name: string; usdPerUse: number; maxUses: number | undefined; clampable: boolean };
}

export type Admission =
  | { ok: true; maxOutput: number | undefined; maxToolUses: number | undefined; reservation: Reservation }
  | { ok: false; exceeded: BudgetExceeded; reason: string };

export interface Reservation {
  keys: string[];
  spend: Spend;
}

const add = (a: Spend, b: Spend): Spend => ({ tokens: a.tokens + b.tokens, usd: a.usd + b.usd });
const ZERO: Spend = { tokens: 0, usd: 0 };

export function capKey(cap: BudgetCap, runId: string): string {
  return cap.scope === "run" ? `run:${runId}` : (cap.key ?? `${cap.scope}:${runId}`);
}

/**
 * Reservations of requests in flight, per cap key, in this process. Admits
 * and settles run one at a time, so that no request reads a total from
 * which another's spend has left the reservations but not yet reached the
 * ledger.
 */
export class Budgets {
  private readonly inFlight = new Map<string, Spend>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ledger: BudgetLedger) {}

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  admit(runId: string, caps: BudgetCap[], runSpent: () => Spend, est: Estimate, requestedMax: number | undefined): Promise<Admission> {
    return this.serial(() => this.admitNow(runId, caps, runSpent(), est, requestedMax));
  }

  settle(runId: string, caps: BudgetCap[], reservation: Reservation, actual: Spend, bookRun: () => void): Promise<void> {
    return this.serial(() => this.settleNow(runId, caps, reservation, actual, bookRun));
  }

  private async admitNow(runId: string, caps: BudgetCap[], runSpent: Spend, est: Estimate, requestedMax: number | undefined): Promise<Admission> {
    let maxOutput: number | undefined;
    let toolUses: number | undefined;
    const keys: string[] = [];
    for (const cap of caps) {
      const key = capKey(cap, runId);
      keys.push(key);
      const spent = cap.scope === "run" ? runSpent : await this.ledger.spent(key);
      const committed = add(spent, this.inFlight.get(key) ?? ZERO);
      const refuse = (why: string): Admission => ({
        ok: false,
        reason: why,
        exceeded: { scope: cap.scope, key: cap.scope === "run" ? undefined : key, limit: { tokens: cap.tokens, usd: cap.usd }, spent },
      });
      if (cap.tokens !== undefined) {
        const left = cap.tokens - committed.tokens - est.inputTokens;
        if (left < 1) return refuse(`${cap.scope} budget of ${cap.tokens} tokens reached (spent ${spent.tokens})`);
        maxOutput = Math.min(maxOutput ?? Infinity, Math.floor(left));
      }
      if (cap.usd !== undefined) {
        if (est.inputUsd === null || est.outputUsd === null) {
          return refuse(`${cap.scope} budget of $${cap.usd} cannot be enforced: the model's price is unknown`);
        }
        let left = cap.usd - committed.usd - est.inputTokens * est.inputUsd;
        const tool = est.tool;
        if (tool) {
          // The tool's uses come out of what is left, keeping room for at least one output token.
          const affordable = Math.floor((left - est.outputUsd) / tool.usdPerUse);
          const wanted = Math.min(tool.maxUses ?? (tool.clampable ? DEFAULT_MAX_USES : ASSUMED_USES), toolUses ?? Infinity);
          const uses = tool.clampable ? Math.min(wanted, affordable) : wanted;
          if (uses < 1 || uses > affordable) {
            const each = `$${tool.usdPerUse.toFixed(3)}`;
            return refuse(`${cap.scope} budget of $${cap.usd} reached (spent $${spent.usd.toFixed(4)}): ${tool.name} costs ${each} a use${tool.clampable ? "" : `, ${uses} reserved`}`);
          }
          toolUses = uses;
          left -= uses * tool.usdPerUse;
        }
        const outputs = est.outputUsd > 0 ? Math.floor(left / est.outputUsd) : Infinity;
        if (left <= 0 || outputs < 1) return refuse(`${cap.scope} budget of $${cap.usd} reached (spent $${spent.usd.toFixed(4)})`);
        maxOutput = Math.min(maxOutput ?? Infinity, outputs);
      }
    }
    const clamp = maxOutput === undefined ? requestedMax : Math.min(requestedMax ?? maxOutput, maxOutput);
    const out = clamp ?? 0;
    const fees = toolUses !== undefined && est.tool ? toolUses * est.tool.usdPerUse : 0;
    const spend: Spend = {
      tokens: est.inputTokens + out,
      usd: est.inputUsd === null || est.outputUsd === null ? 0 : est.inputTokens * est.inputUsd + out * est.outputUsd + fees,
    };
    for (const key of keys) this.inFlight.set(key, add(this.inFlight.get(key) ?? ZERO, spend));
    return { ok: true, maxOutput: maxOutput === undefined ? undefined : clamp, maxToolUses: toolUses, reservation: { keys, spend } };
  }

  /** Books the real spend (the run's own through `bookRun`, shared caps in the ledger), then drops the reservation. */
  private async settleNow(runId: string, caps: BudgetCap[], reservation: Reservation, actual: Spend, bookRun: () => void): Promise<void> {
    try {
      bookRun();
      for (const cap of caps) {
        if (cap.scope !== "run" && (actual.tokens > 0 || actual.usd > 0)) await this.ledger.add(capKey(cap, runId), actual);
      }
    } finally {
      for (const key of reservation.keys) {
        const s = this.inFlight.get(key);
        if (!s) continue;
        const left = { tokens: s.tokens - reservation.spend.tokens, usd: s.usd - reservation.spend.usd };
        if (left.tokens <= 0 && left.usd <= 1e-12) this.inFlight.delete(key);
        else this.inFlight.set(key, left);
      }
    }
  }
}
