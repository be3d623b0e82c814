/**
 * /metrics counts model tokens by agent, model and kind and USD by agent and
 * model, from finished runs' gateway reports; model names (from the agent's
 * requests) are bounded, so an agent cannot grow the series without end.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunReport } from "../../src/gateway/types.js";
import { runCostOf } from "../../src/runner/cost.js";
import { Metrics } from "../../src/server/metrics.js";
import { BACKENDS } from "../support/stores.js";
import { SECRET, startHarness, until, type Harness } from "../support/server-harness.js";
import { trivialPipeline } from "../support/trivial-pipeline.js";
import { commentPayload, postWebhook } from "../support/webhooks.js";

function report(byModel: [string, [number, number, number, number], number | null][]): RunReport {
  const models = byModel.map(([model, [input, output, cacheRead, cacheWrite], costUsd]) => ({
    provider: "anthropic" as const,
    model,
    requests: 1,
    tokens: { input, output, cacheRead, cacheWrite },
    costUsd,
  }));
  const sum = (k: "input" | "output" | "cacheRead" | "cacheWrite") => models.reduce((s, m) => s + m.tokens[k], 0);
  const tokens = { input: sum("input"), output: sum("output"), cacheRead: sum("cacheRead"), cacheWrite: sum("cacheWrite") };
  return {
    runId: "r",
    tokens,
    totalTokens: tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite,
    costUsd: models.reduce((s, m) => s + (m.costUsd ?? 0), 0),
    unpricedModels: models.filter((m) => m.costUsd === null).map((m) => m.model),
    byModel: models,
    refusals: [],
    refusalsNotRecorded: 0,
  };
}

describe("/metrics model usage", () => {
  let h: Harness | undefined;
  afterEach(async () => h?.stop());

  it("adds each finished run's tokens and cost under its agent and model", async () => {
    const pipeline = trivialPipeline();
    const execute = pipeline.executor.execute.bind(pipeline.executor);
    const cost = runCostOf(report([["claude-sonnet-4-5", [100, 20, 300, 40], 0.25], ['my"model\n{x}', [7, 3, 0, 0], null]]))!;
    pipeline.executor.execute = async (run, ctx) => ({ ...(await execute(run, ctx)), cost });
    h = await startHarness(await BACKENDS[0]!.fresh("metrics-cost"), { pipeline });
    for (const id of ["c-1", "c-2"]) await postWebhook(h.server.url, { id, body: commentPayload(id === "c-1" ? 1 : 2), secret: SECRET });
    await until("both runs", async () => (await h!.store.getRun("c-2:dev"))?.status === "succeeded" && (await h!.store.getRun("c-1:dev"))?.status === "succeeded");
    const text = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(text).toContain("# TYPE gitcrew_model_tokens_total counter");
    expect(text).toMatch(/^gitcrew_model_tokens_total\{agent="dev",model="claude-sonnet-4-5",kind="input"\} 200$/m);
    expect(text).toMatch(/^gitcrew_model_tokens_total\{agent="dev",model="claude-sonnet-4-5",kind="output"\} 40$/m);
    expect(text).toMatch(/^gitcrew_model_tokens_total\{agent="dev",model="claude-sonnet-4-5",kind="cache_read"\} 600$/m);
    expect(text).toMatch(/^gitcrew_model_tokens_total\{agent="dev",model="claude-sonnet-4-5",kind="cache_write"\} 80$/m);
    expect(text).toMatch(/^gitcrew_model_cost_usd_total\{agent="dev",model="claude-sonnet-4-5"\} 0\.5$/m);
    // A model without a price: tokens, no cost series; its name kept to a model id's characters.
    expect(text).toMatch(/^gitcrew_model_tokens_total\{agent="dev",model="my\?model\?\?x\?",kind="input"\} 14$/m);
    expect(text).not.toMatch(/gitcrew_model_cost_usd_total\{[^}]*my/);
  });
});

describe("model labels", () => {
  it("are bounded: past 32 model names, the rest count as other", () => {
    const m = new Metrics();
    for (let i = 0; i < 40; i++) m.recordModelUsage("dev", runCostOf(report([[`m-${i}`, [1, 0, 0, 0], 0.001]]))!);
    const text = m.render([]);
    expect(text.match(/^gitcrew_model_tokens_total\{/gm)).toHaveLength(33);
    expect(text).toMatch(/^gitcrew_model_tokens_total\{agent="dev",model="other",kind="input"\} 8$/m);
  });
});
