import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/runner/cost.ts
function runCostOf(report) {
  if (!report) return void 0;
  const t = report.tokens;
  const priced = report.byModel.some((m) => m.costUsd !== null);
  return {
    tokens: { input: t.input, output: t.output, cacheRead: t.cacheRead, cacheWrite: t.cacheWrite, total: report.totalTokens },
    costUsd: priced || report.byModel.length === 0 ? report.costUsd : null,
    unpricedModels: [...new Set(report.unpricedModels.map(modelName))].slice(0, MAX_MODELS),
    byModel: boundedModels(report.byModel.map((m) => ({ model: modelName(m.model), tokens: { ...m.tokens }, costUsd: m.costUsd })))
  };
}
var MAX_MODELS = 20;
function boundedModels(models) {
  if (models.length <= MAX_MODELS) return models;
  const rest = models.slice(MAX_MODELS - 1);
  const other = rest.reduce(
    (o, m) => ({
      model: "other",
      tokens: { input: o.tokens.input + m.tokens.input, output: o.tokens.output + m.tokens.output, cacheRead: o.tokens.cacheRead + m.tokens.cacheRead, cacheWrite: o.tokens.cacheWrite + m.tokens.cacheWrite },
      costUsd: o.costUsd === null || m.costUsd === null ? o.costUsd ?? m.costUsd : o.costUsd + m.costUsd
    }),
    { model: "other", tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 }, costUsd: null }
  );
  return [...models.slice(0, MAX_MODELS - 1), other];
}
function costCellText(c) {
  return c ? `${c.tokens.total.toLocaleString("en-US")} tokens \xB7 ${usdText(c)}` : "\u2014";
}
function modelName(name) {
  const clean = name.replace(/[^A-Za-z0-9._:@/-]/g, "?").slice(0, 64);
  return clean || "?";
}
function formatUsd(usd) {
  return usd > 0 && usd < 5e-3 ? "under $0.01" : `$${usd.toFixed(2)}`;
}
var n = (x) => x.toLocaleString("en-US");
function tokensText(c) {
  const cache = c.tokens.cacheRead + c.tokens.cacheWrite;
  return `${n(c.tokens.input)} in / ${n(c.tokens.output)} out${cache ? ` / ${n(cache)} cache` : ""}`;
}
function usdText(c) {
  const unknown = c.unpricedModels.join(", ");
  if (c.costUsd === null) return `price unknown${unknown ? ` (${unknown})` : ""}`;
  return unknown ? `${formatUsd(c.costUsd)} + price unknown for ${unknown}` : formatUsd(c.costUsd);
}

export {
  runCostOf,
  costCellText,
  formatUsd,
  tokensText,
  usdText
};
