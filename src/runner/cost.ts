/**
 * What a run cost, in one compact shape for every place a run is shown (the
 * thread, `ps`, the Action's outputs, /metrics), read from the gateway's
 * report. A model without a price counts in tokens and says so.
 */
import type { RunReport } from "../gateway/types.js";

export interface RunCost {
  tokens: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number };
  /** USD of the priced models; null when no model used had a price. */
  costUsd: number | null;
  /** Models used whose price is unknown (their tokens are not in costUsd). */
  unpricedModels: string[];
  byModel: { model: string; tokens: { input: number; output: number; cacheRead: number; cacheWrite: number }; costUsd: number | null }[];
}

export function runCostOf(report: RunReport | undefined): RunCost | undefined {
  if (!report) return undefined;
  const t = report.tokens;
  const priced = report.byModel.some((m) => m.costUsd !== null);
  return {
    tokens: { input: t.input, output: t.output, cacheRead: t.cacheRead, cacheWrite: t.cacheWrite, total: report.totalTokens },
    costUsd: priced || report.byModel.length === 0 ? report.costUsd : null,
    unpricedModels: [...new Set(report.unpricedModels.map(modelName))].slice(0, MAX_MODELS),
    byModel: boundedModels(report.byModel.map((m) => ({ model: modelName(m.model), tokens: { ...m.tokens }, costUsd: m.costUsd }))),
  };
}

/** Model names are the agent's to choose: past MAX_MODELS, the rest are summed as "other". */
const MAX_MODELS = 20;

function boundedModels(models: RunCost["byModel"]): RunCost["byModel"] {
  if (models.length <= MAX_MODELS) return models;
  const rest = models.slice(MAX_MODELS - 1);
  const other = rest.reduce(
    (o, m) => ({
      model: "other",
      tokens: { input: o.tokens.input + m.tokens.input, output: o.tokens.output + m.tokens.output, cacheRead: o.tokens.cacheRead + m.tokens.cacheRead, cacheWrite: o.tokens.cacheWrite + m.tokens.cacheWrite },
      costUsd: o.costUsd === null || m.costUsd === null ? (o.costUsd ?? m.costUsd) : o.costUsd + m.costUsd,
    }),
    { model: "other", tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: null as number | null },
  );
  return [...models.slice(0, MAX_MODELS - 1), other];
}

/** "12,345 tokens · $0.12" for a table cell; "—" without a cost. */
export function costCellText(c: RunCost | undefined): string {
  return c ? `${c.tokens.total.toLocaleString("en-US")} tokens · ${usdText(c)}` : "—";
}

/**
 * The model name comes from the agent's request body: anything. Shown in the
 * thread and used as a metrics label, it is kept to a model id's characters.
 */
export function modelName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._:@/-]/g, "?").slice(0, 64);
  return clean || "?";
}

/** Whole cents; a cost below one cent is not shown as "$0.00" (it was not free). */
export function formatUsd(usd: number): string {
  return usd > 0 && usd < 0.005 ? "under $0.01" : `$${usd.toFixed(2)}`;
}

const n = (x: number): string => x.toLocaleString("en-US");

/** "1,200 in / 340 out / 5,000 cache" (cache read + write, shown when any). */
export function tokensText(c: RunCost): string {
  const cache = c.tokens.cacheRead + c.tokens.cacheWrite;
  return `${n(c.tokens.input)} in / ${n(c.tokens.output)} out${cache ? ` / ${n(cache)} cache` : ""}`;
}

/** "$0.12", "$0.12 + price unknown for m", or "price unknown (m)". */
export function usdText(c: RunCost): string {
  const unknown = c.unpricedModels.join(", ");
  if (c.costUsd === null) return `price unknown${unknown ? ` (${unknown})` : ""}`;
  return unknown ? `${formatUsd(c.costUsd)} + price unknown for ${unknown}` : formatUsd(c.costUsd);
}
