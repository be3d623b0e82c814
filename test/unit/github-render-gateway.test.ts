/**
 * The gateway's part of a final comment: tokens (in, out, cache) and USD, an
 * unknown model's "price unknown", blocked connections summarised by host,
 * and a run stopped at a cap saying which cap, what was spent and how to raise it.
 */
import { describe, expect, it } from "vitest";
import type { RunReport } from "../../src/gateway/types.js";
import { renderFinal } from "../../src/github/index.js";

function report(extra: Partial<RunReport> = {}): RunReport {
  return {
    runId: "r1",
    tokens: { input: 1200, output: 340, cacheRead: 4000, cacheWrite: 1000 },
    totalTokens: 6540,
    costUsd: 0.1234,
    unpricedModels: [],
    byModel: [{ provider: "anthropic", model: "claude-sonnet-4-5", requests: 3, tokens: { input: 1200, output: 340, cacheRead: 4000, cacheWrite: 1000 }, costUsd: 0.1234 }],
    refusals: [],
    refusalsNotRecorded: 0,
    ...extra,
  };
}

const body = (gateway: RunReport, status: "succeeded" | "budget_exceeded" = "succeeded") =>
  renderFinal({ agent: "dev", status, answer: "done", usage: { inputTokens: 1, outputTokens: 1, costUsd: 9 }, gateway }, "<!-- m -->")[0] ?? "";

const refusal = (host: string, port = 443) => ({ kind: "egress" as const, host, port, time: "2026-12-06T10:00:00.000Z", reason: "not on the allowlist" });

describe("a final comment with the gateway's report", () => {
  it("shows tokens in, out and cached and the USD cost (the gateway's, not the CLI's own estimate)", () => {
    const text = body(report());
    expect(text).toContain("<sub>tokens: 1,200 in / 340 out / 5,000 cache · cost: $0.12</sub>");
    expect(text).not.toContain("$9.00");
  });

  it("an unknown model is counted in tokens and says its price is unknown", () => {
    const unknown = report({
      costUsd: 0,
      unpricedModels: ["my-local-model"],
      byModel: [{ provider: "openai", model: "my-local-model", requests: 1, tokens: { input: 1200, output: 340, cacheRead: 4000, cacheWrite: 1000 }, costUsd: null }],
    });
    expect(body(unknown)).toContain("<sub>tokens: 1,200 in / 340 out / 5,000 cache · cost: price unknown (my-local-model)</sub>");
    const mixed = report({ unpricedModels: ["my-local-model"], byModel: [...report().byModel, { ...unknown.byModel[0]! }] });
    expect(body(mixed)).toContain("cost: $0.12 + price unknown for my-local-model</sub>");
  });

  it("summarises blocked connections by host, most first, and keeps a hostile host name inert", () => {
    const text = body(report({ refusals: [refusal("evil.example"), refusal("evil.example"), refusal("x.test", 8080), refusal("evil.example"), refusal("@admin](https://x)")] }));
    expect(text).toContain(
      "**Blocked:** 3 requests to `evil.example`, 1 request to `?admin]?https:??x?`, 1 request to `x.test:8080` (not on the agent's `limits.network.allow`)",
    );
    expect(text).not.toContain("@admin");
    expect(body(report())).not.toContain("Blocked");
  });

  it("counts GitHub requests the gateway refused from inside, without quoting their paths", () => {
    const github = { kind: "github" as const, host: "github", port: 80, time: "2026-12-06T10:00:00.000Z", reason: "POST through the API: /repos/a/b/issues/1/comments @admin" };
    const text = body(report({ refusals: [github, { ...github }, refusal("evil.example")] }));
    expect(text).toContain("**Refused on GitHub:** 2 requests from inside the run (agents read GitHub; writes and pushes are gitcrew's, after the run)");
    expect(text).toContain("**Blocked:** 1 request to `evil.example`");
    expect(text).not.toContain("@admin");
    expect(body(report())).not.toContain("Refused on GitHub");
  });

  it("counts model requests refused for what they asked the provider to reach, says what would allow them, and quotes none", () => {
    const model = (reason: string) => ({ kind: "model" as const, host: "api.anthropic.com", port: 443, time: "2026-12-06T10:00:00.000Z", reason });
    const search = model("provider egress: web_search_20250305 (the provider searches the web with what the request says; allow preset:web-search in limits.network)");
    const mcp = model("provider egress: an MCP server at s3cr3t.attacker.example:443 (the provider would connect there; the host is not on this agent's limits.network allow list)");
    const text = body(report({ refusals: [search, mcp, model("not passed under a budget: code_execution")] }));
    expect(text).toContain(
      "**Refused by the gateway:** 2 model requests asking the model provider to reach the web for the agent; in `limits.network.allow`, web search needs `preset:web-search`, an MCP server or a URL the provider fetches, its host on the list",
    );
    expect(text).not.toContain("s3cr3t");
    expect(body(report())).not.toContain("Refused by the gateway");
  });

  it("a run stopped at a cap says which cap, what was spent and how to raise it", () => {
    const day = body(
      report({ budgetExceeded: { scope: "agent_day", key: "agent_day:dev:2026-12-06", limit: { usd: 5 }, spent: { usd: 5.004, tokens: 812_000 } } }),
      "budget_exceeded",
    );
    expect(day).toContain("stopped at its budget");
    expect(day).toContain(
      "**Budget reached:** the agent's budget for the day (UTC) of $5.00; spent $5.00 / 812,000 tokens. To go on, raise `budgets.agent_day` (or `budgets.agents.dev.agent_day`) in .gitcrew/crew.cue, or wait for the next UTC day, then comment again.",
    );
    const run = body(report({ budgetExceeded: { scope: "run", limit: { tokens: 200_000 }, spent: { usd: 0.5, tokens: 199_990 } } }), "budget_exceeded");
    expect(run).toContain("the run's budget of 200,000 tokens; spent $0.50 / 199,990 tokens. To go on, raise `limits.budget` in the agent's file");
    const thread = body(report({ budgetExceeded: { scope: "thread", key: "thread:o/r#1", limit: { usd: 2, tokens: 10 }, spent: { usd: 2, tokens: 9 } } }), "budget_exceeded");
    expect(thread).toContain("this thread's budget of $2.00 / 10 tokens; spent $2.00 / 9 tokens. To go on, raise `budgets.thread` in .gitcrew/crew.cue");
    // When the run's error already names the cap (the runner's reason), the comment says it once.
    const stated = renderFinal(
      {
        agent: "dev",
        status: "budget_exceeded",
        gateway: report({ budgetExceeded: { scope: "thread", key: "thread:o/r#1", limit: { usd: 2 }, spent: { usd: 2, tokens: 9 } } }),
        error: { message: "stopped by the thread's budget of $2 (spent 9 tokens, $2.0000); raise budgets.thread in crew.cue" },
      },
      "<!-- m -->",
    )[0];
    expect(stated).toContain("stopped by the thread's budget of $2");
    expect(stated).not.toContain("**Budget reached:**");
    expect(stated).toContain("<sub>tokens: 1,200 in / 340 out / 5,000 cache · cost: $0.12</sub>");
  });
});
