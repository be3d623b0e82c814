/**
 * The Action's cost outputs, over every run of the event: `cost-usd` (USD of
 * the priced models, six decimals; empty when no run went through the
 * gateway or no model used had a price) and `tokens` (all tokens: input,
 * output, cache read and cache write; empty without a gateway report).
 */
import type { RunReport } from "../pipeline/types.js";
import { type RunCost, runCostOf, tokensText, usdText } from "../runner/cost.js";

export function costOf(r: RunReport): RunCost | undefined {
  return runCostOf(r.result?.gateway);
}

export function costOutputs(reports: RunReport[]): { "cost-usd": string; tokens: string } {
  const costs = reports.map(costOf).filter((c): c is RunCost => c !== undefined);
  if (costs.length === 0) return { "cost-usd": "", tokens: "" };
  const priced = costs.filter((c) => c.costUsd !== null);
  const usd = priced.reduce((sum, c) => sum + (c.costUsd ?? 0), 0);
  return {
    "cost-usd": priced.length ? usd.toFixed(6) : "",
    tokens: String(costs.reduce((sum, c) => sum + c.tokens.total, 0)),
  };
}

/** Per run, for the `runs` output. */
export function runCostJson(r: RunReport): { tokens: RunCost["tokens"] | null; costUsd: number | null; unpricedModels: string[] } {
  const c = costOf(r);
  return { tokens: c?.tokens ?? null, costUsd: c?.costUsd ?? null, unpricedModels: c?.unpricedModels ?? [] };
}

/** The job summary's cell: "1,200 in / 340 out · $0.12", or "—". */
export function costCell(r: RunReport): string {
  const c = costOf(r);
  return c ? `${tokensText(c)} · ${usdText(c)}` : "—";
}
