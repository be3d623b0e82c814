/**
 * Budgets at the gateway: requests are clamped to what is left so a run
 * cannot overshoot its cap with output, and past the cap the gateway
 * answers in the shape Claude Code stops on (400 invalid_request_error,
 * x-should-retry: false) without reaching the provider.
 */
import { afterEach, describe, expect, it } from "vitest";
import { type Gateway, MemoryLedger, startGateway } from "../../src/gateway/index.js";
import { type FakeAnthropic, type MessagesBody, startFakeAnthropic } from "../support/fake-anthropic/server.js";

let anthropic: FakeAnthropic | undefined;
let gw: Gateway | undefined;

afterEach(async () => {
  await gw?.close();
  await anthropic?.close();
  gw = undefined;
  anthropic = undefined;
});

/** A model that always writes as much as it is allowed. */
const greedy = (inputTokens: number) =>
  Array.from({ length: 50 }, () => (body: MessagesBody) => ({ text: "…", usage: { inputTokens, outputTokens: Number(body.max_tokens) } }));

async function setup(script: Parameters<typeof startFakeAnthropic>[0]["script"], opts: Parameters<typeof startGateway>[0] = {}): Promise<Gateway> {
  anthropic = await startFakeAnthropic({ isAgentTurn: () => true, script });
  gw = await startGateway({ upstreams: { anthropic: anthropic.url }, ...opts });
  return gw;
}

const PROMPT = "x".repeat(200);
const bodyText = (maxTokens = 4096): string =>
  JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: maxTokens, stream: true, messages: [{ role: "user", content: PROMPT }] });
/** The gateway's estimate of a request's input: a token per four bytes of body. */
const estimate = Math.ceil(Buffer.byteLength(bodyText()) / 4);

async function ask(g: Gateway, token: string): Promise<{ status: number; text: string; retry: string | null }> {
  const res = await fetch(`${g.url}/anthropic/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": token },
    body: bodyText(),
  });
  return { status: res.status, text: await res.text(), retry: res.headers.get("x-should-retry") };
}

describe("run budget in tokens", () => {
  it("clamps max_tokens to what is left and stops the run at its cap in Anthropic's error shape", async () => {
    const g = await setup(Array.from({ length: 50 }, () => ({ text: "ok", usage: { inputTokens: 100, outputTokens: 20 } })));
    const run = g.register({ runId: "b-tokens", modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", tokens: 1000 }] });
    const statuses: number[] = [];
    let refusal = { status: 0, text: "", retry: null as string | null };
    for (let i = 0; i < 12; i++) {
      const r = await ask(g, run.token);
      statuses.push(r.status);
      if (r.status !== 200) {
        refusal = r;
        break;
      }
    }
    // 120 tokens a request: after 8 (960 spent) the next one's input alone would not fit.
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 400]);
    expect(anthropic?.turns.map((t) => t.max_tokens)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => 1000 - 120 * i - estimate));
    expect(refusal.retry).toBe("false");
    const err = JSON.parse(refusal.text) as { type: string; error: { type: string; message: string } };
    expect(err.type).toBe("error");
    expect(err.error.type).toBe("invalid_request_error");
    expect(err.error.message).toContain("gitcrew: run budget of 1000 tokens reached (spent 960)");
    const report = g.revoke(run.runId);
    expect(report?.totalTokens).toBe(960);
    expect(report?.budgetExceeded).toEqual({ scope: "run", limit: { tokens: 1000 }, spent: { tokens: 960, usd: report?.costUsd } });
  });

  it("a model that writes all it may never takes the run past its cap", async () => {
    const g = await setup(greedy(10));
    const run = g.register({ runId: "b-greedy", modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", tokens: 1000 }] });
    expect((await ask(g, run.token)).status).toBe(200);
    expect((await ask(g, run.token)).status).toBe(400);
    const report = g.revoke(run.runId);
    expect(report?.tokens.output).toBe(1000 - estimate);
    expect(report?.totalTokens).toBeLessThanOrEqual(1000);
    expect(anthropic?.turns).toHaveLength(1);
  });
});

describe("run budget in USD", () => {
  it("converts what is left into output tokens at the model's output price", async () => {
    // $1 an input token, $2 an output token: small numbers that are easy to follow.
    const g = await setup(greedy(10), { prices: { "claude-sonnet-4-5": { inputMtok: 1e6, outputMtok: 2e6 } } });
    const run = g.register({ runId: "b-usd", modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", usd: 1000 }] });
    expect((await ask(g, run.token)).status).toBe(200);
    const allowed = Math.floor((1000 - estimate) / 2);
    expect(anthropic?.turns[0]?.max_tokens).toBe(allowed);
    const second = await ask(g, run.token);
    expect(second.status).toBe(400);
    expect(second.text).toContain("run budget of $1000 reached");
    const report = g.revoke(run.runId);
    expect(report?.costUsd).toBe(10 + 2 * allowed);
    expect(report?.costUsd).toBeLessThanOrEqual(1000);
  });

  it("refuses a USD-capped run a model whose price is unknown rather than let it spend blind", async () => {
    const g = await setup(greedy(10));
    const run = g.register({ runId: "b-unknown", modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", usd: 5 }] });
    const res = await fetch(`${g.url}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": run.token },
      body: JSON.stringify({ model: "claude-unknown-x", max_tokens: 10, messages: [] }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("cannot be enforced: the model's price is unknown");
    expect(anthropic?.turns).toHaveLength(0);
  });
});

describe("shared caps through the ledger", () => {
  it("a per-agent-per-day cap holds across runs and tells which cap stopped them", async () => {
    const ledger = new MemoryLedger();
    const g = await setup(Array.from({ length: 50 }, () => ({ text: "ok", usage: { inputTokens: 10, outputTokens: 20 } })), { ledger });
    const day = { scope: "agent_day" as const, key: "agent_day:dev:2026-12-06", tokens: 200 };
    const a = g.register({ runId: "b-day-a", modelKeys: { anthropic: "sk-real" }, budget: [{ scope: "run", tokens: 10_000 }, day] });
    const b = g.register({ runId: "b-day-b", modelKeys: { anthropic: "sk-real" }, budget: [day] });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await ask(g, (i % 2 === 0 ? a : b).token)).status);
    const served = statuses.filter((s) => s === 200).length;
    expect(statuses).toEqual([...Array(served).fill(200), ...Array(10 - served).fill(400)]);
    expect((await ledger.spent(day.key)).tokens).toBe(30 * served);
    expect(30 * served).toBeLessThanOrEqual(200);
    const c = g.register({ runId: "b-day-c", modelKeys: { anthropic: "sk-real" }, budget: [day] });
    expect((await ask(g, c.token)).status).toBe(400);
    const reportA = g.revoke(a.runId);
    const reportB = g.revoke(b.runId);
    expect((reportA?.totalTokens ?? 0) + (reportB?.totalTokens ?? 0)).toBe(30 * served);
    expect(g.revoke(c.runId)?.budgetExceeded).toMatchObject({ scope: "agent_day", key: day.key, limit: { tokens: 200 } });
  });
});
