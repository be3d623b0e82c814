/** The Action's cost outputs and the job summary's cost column, from each run's gateway report. */
import * as core from "@actions/core";
import { afterEach, describe, expect, it } from "vitest";
import { costOutputs, runCostJson } from "../../src/action/cost-outputs.js";
import { resultSummary } from "../../src/action/summary.js";
import type { RunReport as GatewayReport } from "../../src/gateway/types.js";
import type { RunReport } from "../../src/pipeline/types.js";

afterEach(() => void core.summary.emptyBuffer());

function gateway(model: string, tokens: [number, number, number, number], costUsd: number | null): GatewayReport {
  const [input, output, cacheRead, cacheWrite] = tokens;
  return {
    runId: "r",
    tokens: { input, output, cacheRead, cacheWrite },
    totalTokens: input + output + cacheRead + cacheWrite,
    costUsd: costUsd ?? 0,
    unpricedModels: costUsd === null ? [model] : [],
    byModel: [{ provider: "anthropic", model, requests: 1, tokens: { input, output, cacheRead, cacheWrite }, costUsd }],
    refusals: [],
    refusalsNotRecorded: 0,
  };
}

const report = (agent: string, gw?: GatewayReport) =>
  ({ job: { agent: { name: agent } }, status: "succeeded", approvals: [], comments: [], result: { run: `run-${agent}`, changedFiles: [], gateway: gw } }) as unknown as RunReport;

describe("the Action's cost outputs", () => {
  it("sum every run's tokens and priced USD; a model without a price adds tokens only", () => {
    const reports = [report("dev", gateway("claude-sonnet-4-5", [1000, 200, 3000, 0], 0.0123)), report("local", gateway("my-model", [10, 5, 0, 0], null))];
    expect(costOutputs(reports)).toEqual({ "cost-usd": "0.012300", tokens: "4215" });
    expect(runCostJson(reports[1]!)).toEqual({
      tokens: { input: 10, output: 5, cacheRead: 0, cacheWrite: 0, total: 15 },
      costUsd: null,
      unpricedModels: ["my-model"],
    });
  });

  it("are empty without a gateway report, and cost-usd is empty when no model had a price", () => {
    expect(costOutputs([report("dev")])).toEqual({ "cost-usd": "", tokens: "" });
    expect(costOutputs([report("local", gateway("my-model", [10, 5, 0, 0], null))])).toEqual({ "cost-usd": "", tokens: "15" });
  });

  it("show in the job summary per run", () => {
    const html = resultSummary(core.summary, [report("dev", gateway("claude-sonnet-4-5", [1000, 200, 3000, 0], 0.0123)), report("plain")]).stringify();
    expect(html).toContain("<th>tokens · cost</th>");
    expect(html).toContain("<td>1,000 in / 200 out / 3,000 cache · $0.01</td>");
    expect(html).toContain("<td>—</td>");
  });
});
