/**
 * Spend the gateway does not meter. The agent holds a run token that the
 * gateway swaps for the operator's model key on every route of a provider,
 * not only the one its CLI uses. The meter and the budget only knew the
 * generating calls (`/v1/messages`, `:generateContent`, `/responses`), so
 * the agent could spend the key unmetered: Anthropic's Message Batches
 * (`POST /v1/messages/batches`, thousands of requests in one), a generating
 * path spelt so the check missed it (`/v1/%6Dessages`), Gemini's tuned
 * models and batch calls; or overshoot its cap in one request by asking for
 * many answers (`n`, `candidateCount`), each clamped only to what was left.
 *
 * What the operator would see: the provider (a scripted double on loopback)
 * never receives these requests, the agent gets a refusal, and the run's
 * report records it. On the code before the fix every one of them reached the
 * provider with the real key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { type FakeAnthropic, startFakeAnthropic } from "../support/fake-anthropic/server.js";
import { type FakeGemini, startFakeGemini } from "../support/fake-gemini/server.js";
import { type FakeOpenAI, startFakeOpenAI } from "../support/fake-openai/server.js";

let anthropic: FakeAnthropic;
let openai: FakeOpenAI;
let gemini: FakeGemini;
let gw: Gateway;

beforeAll(async () => {
  anthropic = await startFakeAnthropic({ isAgentTurn: () => true, script: Array.from({ length: 10 }, () => ({ text: "ok", usage: { inputTokens: 10, outputTokens: 5 } })) });
  openai = await startFakeOpenAI({ script: ["ok"] });
  gemini = await startFakeGemini({ script: ["ok"] });
  gw = await startGateway({ upstreams: { anthropic: anthropic.url, openai: openai.url, gemini: gemini.url } });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([anthropic?.close(), openai?.close(), gemini?.close()]);
});

const KEYS = { anthropic: "sk-ant-real", openai: "sk-openai-real", gemini: "gemini-real" };
let n = 0;
function run(budget = true) {
  return gw.register({ runId: `unmetered-${++n}`, modelKeys: KEYS, budget: budget ? [{ scope: "run", tokens: 20_000 }] : [] });
}

async function post(path: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": token, "x-goog-api-key": token, authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify(body),
  });
  await res.text();
  return res.status;
}

const MESSAGE = { model: "claude-sonnet-4-5", max_tokens: 1000, messages: [{ role: "user", content: "hi" }] };

describe("the gateway passes only spend it meters", () => {
  it("Anthropic: message batches and generating paths spelt another way never reach the provider", async () => {
    const r = run();
    const before = anthropic.requests.length;
    expect(await post("/anthropic/v1/messages/batches", r.token, { requests: [{ custom_id: "a", params: { ...MESSAGE, max_tokens: 64000 } }] })).toBe(403);
    for (const path of ["/anthropic/v1/%6Dessages", "/anthropic/v1/messages/", "/anthropic/v1/messages;x", "/anthropic/v1/files", "/anthropic/v1/agents"]) {
      expect(await post(path, r.token, MESSAGE), path).toBe(403);
    }
    expect(anthropic.requests.slice(before).map((q) => q.url), "requests the provider received").toEqual([]);
    // A model request and a token count still pass (and the first is metered).
    expect(await post("/anthropic/v1/messages", r.token, MESSAGE)).toBe(200);
    expect(await post("/anthropic/v1/messages/count_tokens", r.token, MESSAGE)).toBe(200);
    const report = gw.revoke(r.runId)!;
    expect(report.totalTokens).toBe(15);
    expect(report.refusals.filter((x) => x.kind === "model")).toHaveLength(6);
  });

  it("a read cannot be made a write: method-override headers are not passed on", async () => {
    const r = run();
    const before = anthropic.requests.length;
    const res = await fetch(`${gw.url}/anthropic/v1/models`, { method: "GET", headers: { "x-api-key": r.token, "x-http-method-override": "POST" } });
    await res.text();
    const seen = anthropic.requests.slice(before);
    expect(seen.map((q) => q.headers["x-http-method-override"])).toEqual(seen.map(() => undefined));
    gw.revoke(r.runId);
  });

  it("Gemini: tuned models, batch and embedding calls never reach the provider", async () => {
    const r = run();
    const before = gemini.requests.length;
    const body = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
    for (const path of [
      "/gemini/v1beta/tunedModels/mine:generateContent",
      "/gemini/v1beta/models/gemini-2.5-pro:batchGenerateContent",
      "/gemini/v1beta/models/gemini-2.5-pro:embedContent",
      "/gemini/v1beta/models/gemini-2.5-pro%3AgenerateContent",
    ]) {
      expect(await post(path, r.token, body), path).toBe(403);
    }
    expect(gemini.requests.slice(before).map((q) => q.url)).toEqual([]);
    gw.revoke(r.runId);
  });

  it("under a budget, one request cannot ask for many answers (each clamped to all that is left)", async () => {
    const r = run();
    const beforeOpenAI = openai.requests.length;
    const beforeGemini = gemini.requests.length;
    expect(await post("/openai/chat/completions", r.token, { model: "gpt-4o", n: 64, max_tokens: 10_000, messages: [{ role: "user", content: "hi" }] })).toBe(400);
    expect(await post("/openai/completions", r.token, { model: "gpt-3.5-turbo-instruct", best_of: 20, prompt: "hi" })).toBe(400);
    expect(await post("/gemini/v1beta/models/gemini-2.5-pro:generateContent", r.token, { contents: [{ role: "user", parts: [{ text: "hi" }] }], generationConfig: { candidateCount: 8 } })).toBe(400);
    expect(openai.requests.slice(beforeOpenAI)).toEqual([]);
    expect(gemini.requests.slice(beforeGemini)).toEqual([]);
    expect(gw.revoke(r.runId)!.refusals.filter((x) => x.kind === "model")).toHaveLength(3);
  });
});
