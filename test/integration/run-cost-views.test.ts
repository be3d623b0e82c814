/**
 * A run's tokens and cost where runs are listed: `gitcrew ps` (table and
 * --json) for local runs (the run record keeps the gateway's report) and for
 * a server's runs (the store keeps each finished run's cost, on both backends).
 */
import { mkdtempSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunReport } from "../../src/gateway/types.js";
import { runCostOf } from "../../src/runner/cost.js";
import { RunRecords } from "../../src/runner/records.js";
import type { RunResult } from "../../src/runner/types.js";
import type { Store } from "../../src/store/types.js";
import { cli } from "../support/crew-fixture.js";
import { SECRET, TOKEN, startHarness, until, type Harness } from "../support/server-harness.js";
import { BACKENDS, freshStore } from "../support/stores.js";
import { trivialPipeline } from "../support/trivial-pipeline.js";
import { commentPayload, postWebhook } from "../support/webhooks.js";

const GATEWAY: RunReport = {
  runId: "r",
  tokens: { input: 1200, output: 340, cacheRead: 4000, cacheWrite: 1000 },
  totalTokens: 6540,
  costUsd: 0.1234,
  unpricedModels: [],
  byModel: [{ provider: "anthropic", model: "claude-sonnet-4-5", requests: 2, tokens: { input: 1200, output: 340, cacheRead: 4000, cacheWrite: 1000 }, costUsd: 0.1234 }],
  refusals: [],
  refusalsNotRecorded: 0,
};

describe("gitcrew ps shows each run's cost", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("for local runs, from the run record", async () => {
    const home = mkdtempSync(join(tmpdir(), "gitcrew-home-"));
    const env = { GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" };
    const records = new RunRecords(env);
    const base = { agent: "dev", repo: "acme/widgets", createdAt: new Date().toISOString(), owner: { id: "x", pid: process.pid, host: hostname() } };
    const result = (gateway?: RunReport) => ({ run: "", agent: "dev", status: "succeeded", exitCode: 0, answer: "", changedFiles: [], approvals: [], startedAt: "", finishedAt: "", gateway }) as RunResult;
    records.save({ ...base, id: "r-metered", status: "budget_exceeded", result: { ...result(GATEWAY), status: "budget_exceeded" } });
    records.save({
      ...base,
      id: "r-unpriced",
      status: "succeeded",
      result: result({ ...GATEWAY, costUsd: 0, unpricedModels: ["my-model"], byModel: [{ ...GATEWAY.byModel[0]!, model: "my-model", costUsd: null }] }),
    });
    records.save({ ...base, id: "r-plain", status: "succeeded", result: result() });
    const table = await cli(["ps"], { env });
    expect(table.code, table.stderr).toBe(0);
    const line = (id: string) => table.stdout.split("\n").find((l) => l.startsWith(id)) ?? "";
    expect(line("r-metered")).toMatch(/budget_exceeded\s+\S+\s+6,540 tokens · \$0\.12\s+acme\/widgets$/);
    expect(line("r-unpriced")).toContain("6,540 tokens · price unknown (my-model)");
    expect(line("r-plain")).toMatch(/\s—\s+acme\/widgets$/);
    const json = JSON.parse((await cli(["ps", "--json"], { env })).stdout) as { runs: { id: string; tokens: number | null; costUsd: number | null }[] };
    const byId = Object.fromEntries(json.runs.map((r) => [r.id, r]));
    expect(byId["r-metered"]).toMatchObject({ tokens: 6540, costUsd: 0.1234 });
    expect(byId["r-unpriced"]).toMatchObject({ tokens: 6540, costUsd: null });
    expect(byId["r-plain"]).toMatchObject({ tokens: null, costUsd: null });
    expect(byId["r-plain"]).not.toHaveProperty("cost");
    records.appendLog("r-metered", "working\n");
    const logs = await cli(["logs", "r-metered", "--follow"], { env });
    expect(logs.stdout).toBe("working\n");
    expect(logs.stderr).toContain("▸ run r-metered budget_exceeded (6,540 tokens · $0.12)");
  });

  it("for a server's runs, from the store", async () => {
    const pipeline = trivialPipeline();
    const execute = pipeline.executor.execute.bind(pipeline.executor);
    pipeline.executor.execute = async (run, ctx) => ({ ...(await execute(run, ctx)), cost: runCostOf(GATEWAY) });
    h = await startHarness(await BACKENDS[0]!.fresh("ps-cost"), { pipeline });
    await postWebhook(h.server.url, { id: "p-1", body: commentPayload(1), secret: SECRET });
    await until("the run", async () => (await h!.store.getRun("p-1:dev"))?.status === "succeeded");
    const env = { GITCREW_HOME: mkdtempSync(join(tmpdir(), "gitcrew-home-")), GITCREW_SERVER_URL: h.server.url, GITCREW_API_TOKEN: TOKEN };
    const table = await cli(["ps"], { env });
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split("\n").find((l) => l.startsWith("p-1:dev"))).toMatch(/succeeded\s+\S+\s+6,540 tokens · \$0\.12\s/);
    const json = JSON.parse((await cli(["ps", "--json"], { env })).stdout) as { source: string; runs: { tokens: number; costUsd: number }[] };
    expect(json).toMatchObject({ source: "server", runs: [{ tokens: 6540, costUsd: 0.1234 }] });
  });
});

describe.each(BACKENDS)("a finished run's cost in the store on $name", (backend) => {
  let store: Store | undefined;
  afterEach(async () => store?.close());

  it("is kept with the run, and absent for a run without one", async () => {
    store = await freshStore(backend, "run-cost");
    for (const id of ["a", "b"]) {
      await store.enqueue(id, `d-${id}`, { agent: "dev", threadKey: `o/r#${id}`, agentLimit: 5, plan: {} }, 1);
      const claimed = await store.claimRun({ owner: "w", now: 2, leaseMs: 1000, ownerLimit: 5 });
      expect(claimed).toBeDefined();
    }
    const cost = runCostOf(GATEWAY)!;
    expect(await store.finishRun("a", "w", { status: "succeeded", cost }, 3)).toBe(true);
    expect(await store.finishRun("b", "w", { status: "succeeded" }, 3)).toBe(true);
    expect((await store.getRun("a"))?.cost).toEqual(cost);
    expect((await store.getRun("b"))?.cost).toBeUndefined();
  });
});
