/**
 * The model routes with the scripted model servers: the client holds only
 * the run token, the provider gets the real key, streams pass through and
 * usage is counted from them exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { type FakeAnthropic, startFakeAnthropic } from "../support/fake-anthropic/server.js";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai/server.js";
import { type FakeGemini, startFakeGemini } from "../support/fake-gemini/server.js";

const REAL = { anthropic: "sk-ant-real-key-0001", openai: "sk-openai-real-0002", gemini: "AIza-real-gemini-0003" };
let anthropic: FakeAnthropic;
let openai: FakeOpenAI;
let gemini: FakeGemini;
let gw: Gateway;

beforeAll(async () => {
  anthropic = await startFakeAnthropic({
    isAgentTurn: () => true,
    script: Array.from({ length: 20 }, (_, i) => ({ text: `answer ${i}`, usage: { inputTokens: 1000 + i, outputTokens: 50 + i } })),
  });
  openai = await startFakeOpenAI({ script: ["hello from responses"] });
  gemini = await startFakeGemini({ script: ["hello from gemini", "again"] });
  gw = await startGateway({
    upstreams: { anthropic: anthropic.url, openai: openai.url.replace(/\/v1$/, ""), gemini: gemini.url },
  });
});

afterAll(async () => {
  await gw?.close();
  await anthropic?.close();
  await openai?.close();
  await gemini?.close();
});

function messages(token: string, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${gw.url}/anthropic/v1/messages?beta=true`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": token, "anthropic-version": "2023-06-01" },
    body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 4096, messages: [{ role: "user", content: "hi" }], ...body }),
  });
}

describe("Anthropic through the gateway", () => {
  it("streams SSE through, swaps the run token for the real key and counts the usage the stream reports", async () => {
    const run = gw.register({ runId: "m-stream", modelKeys: { anthropic: REAL.anthropic } });
    const before = anthropic.requests.length;
    const res = await messages(run.token, { stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const text = await res.text();
    expect(text).toContain("event: message_start");
    expect(text).toContain('"text":"answer 0"');
    expect(text).toContain("event: message_stop");

    const seen = anthropic.requests.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers["x-api-key"]).toBe(REAL.anthropic);
    expect(seen[0]?.url).toBe("/v1/messages?beta=true");
    expect(JSON.stringify(seen[0]?.headers)).not.toContain(run.token);

    const report = gw.revoke(run.runId);
    expect(report?.tokens).toEqual({ input: 1000, output: 50, cacheRead: 0, cacheWrite: 0 });
    expect(report?.byModel).toHaveLength(1);
    expect(report?.byModel[0]?.model).toBe("claude-sonnet-4-5");
    // claude-sonnet-4-5: $3 input, $15 output per million tokens in the price database.
    expect(report?.costUsd).toBeCloseTo((1000 * 3 + 50 * 15) / 1e6, 10);
  });

  it("counts a non-streamed JSON answer, and the token in Authorization: Bearer works too", async () => {
    const run = gw.register({ runId: "m-json", modelKeys: { anthropic: REAL.anthropic } });
    const res = await fetch(`${gw.url}/anthropic/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${run.token}` },
      body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 10, messages: [{ role: "user", content: "x" }] }),
    });
    expect(res.status).toBe(200);
    const msg = (await res.json()) as { content: { text: string }[] };
    expect(msg.content[0]?.text).toMatch(/^answer \d+$/);
    expect(anthropic.requests.at(-1)?.headers.authorization).toBeUndefined();
    expect(anthropic.requests.at(-1)?.headers["x-api-key"]).toBe(REAL.anthropic);
    const report = gw.revoke(run.runId);
    expect(report?.tokens.input).toBeGreaterThanOrEqual(1000);
    expect(report?.tokens.output).toBeGreaterThanOrEqual(50);
    expect(report?.byModel[0]?.requests).toBe(1);
  });

  it("an unknown model is counted in tokens with its price unknown", async () => {
    const run = gw.register({ runId: "m-unpriced", modelKeys: { anthropic: REAL.anthropic } });
    const res = await messages(run.token, { model: "claude-from-the-future-9", stream: true });
    await res.text();
    const report = gw.revoke(run.runId);
    expect(report?.unpricedModels).toEqual(["claude-from-the-future-9"]);
    expect(report?.byModel[0]?.costUsd).toBeNull();
    expect(report?.totalTokens).toBeGreaterThan(1000);
  });

  it("refuses a wrong, missing or expired token in the provider's error shape, and forwards nothing", async () => {
    const run = gw.register({ runId: "m-auth", modelKeys: { anthropic: REAL.anthropic } });
    gw.revoke(run.runId);
    const before = anthropic.requests.length;
    for (const [token, message] of [
      [run.token, "run token expired"],
      ["gitcrew-run-wrong", "unknown run token"],
      ["", "no run token"],
    ] as const) {
      const res = await messages(token, {});
      expect(res.status).toBe(401);
      const body = (await res.json()) as { type: string; error: { type: string; message: string } };
      expect(body.type).toBe("error");
      expect(body.error.type).toBe("authentication_error");
      expect(body.error.message).toContain(message);
    }
    expect(anthropic.requests.length).toBe(before);
  });

  it("refuses a run without a key for the provider, an oversized body and a malformed one", async () => {
    const small = await startGateway({ upstreams: { anthropic: anthropic.url }, maxBodyBytes: 1024 });
    try {
      const noKey = small.register({ runId: "m-nokey", modelKeys: { openai: REAL.openai } });
      const r1 = await fetch(`${small.url}/anthropic/v1/messages`, { method: "POST", headers: { "x-api-key": noKey.token }, body: "{}" });
      expect(r1.status).toBe(403);
      expect(small.revoke(noKey.runId)?.refusals[0]?.reason).toBe("no anthropic key for this run");

      const run = small.register({ runId: "m-bad", modelKeys: { anthropic: REAL.anthropic } });
      const before = anthropic.requests.length;
      const big = await fetch(`${small.url}/anthropic/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": run.token, "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "x".repeat(5000) }] }),
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { type: string } }).error.type).toBe("request_too_large");
      const bad = await fetch(`${small.url}/anthropic/v1/messages`, { method: "POST", headers: { "x-api-key": run.token }, body: "{not json" });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("not a JSON object");
      expect(anthropic.requests.length).toBe(before);
      // The gateway still answers this run afterwards.
      const ok = await fetch(`${small.url}/anthropic/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": run.token, "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 5, messages: [{ role: "user", content: "x" }] }),
      });
      expect(ok.status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe("OpenAI and Gemini through the gateway", () => {
  it("OpenAI Responses: Bearer token swapped, usage read from response.completed", async () => {
    const run = gw.register({ runId: "o-1", modelKeys: { openai: REAL.openai } });
    const res = await fetch(`${gw.url}/openai/v1/responses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${run.token}` },
      body: JSON.stringify({ model: "gpt-5", stream: true, input: [{ role: "user", content: [{ type: "input_text", text: "hi" }] }] }),
    });
    expect(await res.text()).toContain("hello from responses");
    expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${REAL.openai}`);
    const report = gw.revoke(run.runId);
    expect(report?.tokens).toEqual({ input: 100, output: 20, cacheRead: 0, cacheWrite: 0 });
    expect(report?.byModel[0]?.costUsd).toBeGreaterThan(0);
  });

  it("Gemini: x-goog-api-key or ?key= swapped, usageMetadata read from SSE and from JSON", async () => {
    const run = gw.register({ runId: "g-1", modelKeys: { gemini: REAL.gemini } });
    const body = JSON.stringify({ contents: [{ role: "user", parts: [{ text: "hi" }] }] });
    const sse = await fetch(`${gw.url}/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-goog-api-key": run.token },
      body,
    });
    expect(await sse.text()).toContain("hello from gemini");
    const json = await fetch(`${gw.url}/gemini/v1beta/models/gemini-2.5-pro:generateContent?key=${run.token}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(json.status).toBe(200);
    const seen = gemini.requests.slice(-2);
    expect(seen.map((r) => r.headers["x-goog-api-key"])).toEqual([REAL.gemini, REAL.gemini]);
    expect(seen[1]?.url).toBe("/v1beta/models/gemini-2.5-pro:generateContent");
    const report = gw.revoke(run.runId);
    expect(report?.tokens).toEqual({ input: 200, output: 40, cacheRead: 0, cacheWrite: 0 });
    expect(report?.byModel.map((m) => m.requests)).toEqual([2]);
  });
});
