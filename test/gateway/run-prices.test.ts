/** A run's own price overrides (crew.cue `prices`): its cost uses them; other runs keep the gateway's prices. */
import { afterEach, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { type FakeAnthropic, startFakeAnthropic } from "../support/fake-anthropic/server.js";

let anthropic: FakeAnthropic | undefined;
let gw: Gateway | undefined;
afterEach(async () => {
  await gw?.close();
  await anthropic?.close();
  gw = anthropic = undefined;
});

async function ask(g: Gateway, token: string, model: string): Promise<number> {
  const res = await fetch(`${g.url}/anthropic/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": token },
    body: JSON.stringify({ model, max_tokens: 100, messages: [{ role: "user", content: "hi" }] }),
  });
  await res.text();
  return res.status;
}

describe("per-run prices", () => {
  it("price a model the database does not know, and override one it does, for that run only", async () => {
    anthropic = await startFakeAnthropic({ isAgentTurn: () => true, script: Array.from({ length: 4 }, () => ({ text: "ok", usage: { inputTokens: 1000, outputTokens: 200 } })) });
    gw = await startGateway({ upstreams: { anthropic: anthropic.url } });
    const priced = gw.register({
      runId: "priced",
      modelKeys: { anthropic: "sk" },
      prices: { "my-model": { inputMtok: 2, outputMtok: 10 }, "claude-sonnet-4-5": { inputMtok: 1, outputMtok: 1 } },
    });
    const plain = gw.register({ runId: "plain", modelKeys: { anthropic: "sk" } });
    for (const [run, model] of [[priced, "my-model"], [priced, "claude-sonnet-4-5"], [plain, "my-model"], [plain, "claude-sonnet-4-5"]] as const) {
      expect(await ask(gw, run.token, model)).toBe(200);
    }
    const a = gw.revoke("priced")!;
    // my-model: 1000 × $2/M + 200 × $10/M = $0.004; sonnet at the run's $1/M: 1200 × $1/M = $0.0012.
    expect(a.unpricedModels).toEqual([]);
    expect(a.costUsd).toBeCloseTo(0.0052, 10);
    const b = gw.revoke("plain")!;
    expect(b.unpricedModels).toEqual(["my-model"]);
    // The database's sonnet price: $3/M in, $15/M out.
    expect(b.costUsd).toBeCloseTo(0.006, 10);
  });
});
