/**
 * The real Claude Code CLI on the host, its base URL at the gateway and its
 * API key the run token: it answers from the scripted model, which only
 * ever sees the real key, and it stops cleanly (no retry loop) when the
 * gateway refuses a request for the run's budget. Its WebSearch tool (the
 * provider's web_search server tool) passes under a budget and is charged.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { claudeBin, offlineClaudeEnv, runCli } from "../support/fake-anthropic/cli.js";
import { type FakeAnthropic, type MessagesBody, startFakeAnthropic } from "../support/fake-anthropic/server.js";

const REAL_KEY = "sk-ant-real-key-held-by-the-gateway";
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gitcrew-gw-claude-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function claude(gw: Gateway, token: string, prompt: string) {
  const home = await mkdtemp(join(dir, "home-"));
  const env = { ...offlineClaudeEnv(home, `${gw.url}/anthropic`), ANTHROPIC_API_KEY: token };
  return runCli(claudeBin(), ["-p", prompt, "--output-format", "json", "--dangerously-skip-permissions"], { cwd: dir, env, killAfterMs: 90_000 });
}

/** Usage as a real model would report it: about a token per four bytes of request. */
const realistic = (body: MessagesBody) => ({ inputTokens: Math.ceil(JSON.stringify(body).length / 4), outputTokens: 30 });

describe("Claude Code through the gateway", () => {
  let model: FakeAnthropic;
  let gw: Gateway;
  afterAll(async () => {
    await gw?.close();
    await model?.close();
  });

  it("answers with the run token as its key while the model sees only the real key", async () => {
    model = await startFakeAnthropic({ script: [{ text: "hello through the gateway" }] });
    gw = await startGateway({ upstreams: { anthropic: model.url } });
    const run = gw.register({ runId: "cli-ok", modelKeys: { anthropic: REAL_KEY } });
    const r = await claude(gw, run.token, "say hello");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result).toBe("hello through the gateway");
    const messageCalls = model.requests.filter((q) => q.url.startsWith("/v1/messages"));
    expect(messageCalls.length).toBeGreaterThan(0);
    for (const q of model.requests) {
      expect(JSON.stringify(q.headers)).not.toContain(run.token);
      if (q.url.startsWith("/v1/messages")) expect(q.headers["x-api-key"]).toBe(REAL_KEY);
    }
    const report = gw.revoke(run.runId);
    expect(report?.byModel.reduce((n, m) => n + m.requests, 0)).toBe(model.requests.filter((q) => q.method === "POST" && q.url.split("?")[0] === "/v1/messages").length);
    expect(report?.tokens.output).toBeGreaterThan(0);
    await gw.close();
    await model.close();
  });

  it("stops at its budget with the gateway's message instead of retrying", async () => {
    model = await startFakeAnthropic({
      isAgentTurn: () => true,
      script: Array.from({ length: 30 }, (_, i) => (body: MessagesBody) => ({
        text: `step ${i}`,
        toolUses: [{ name: "Bash", input: { command: `echo step-${i}`, description: "a step" } }],
        usage: realistic(body),
      })),
    });
    gw = await startGateway({ upstreams: { anthropic: model.url } });
    // Enough for a few turns of Claude Code's large requests, not for thirty.
    const run = gw.register({ runId: "cli-budget", modelKeys: { anthropic: REAL_KEY }, budget: [{ scope: "run", tokens: 120_000 }] });
    const r = await claude(gw, run.token, "keep working step by step");
    const out = `${r.stdout}\n${r.stderr}`;
    expect(out).toContain("run budget of 120000 tokens reached");
    const report = gw.revoke(run.runId);
    expect(report?.budgetExceeded?.scope).toBe("run");
    expect(report?.totalTokens).toBeLessThanOrEqual(120_000);
    const refused = report?.refusals.filter((f) => f.kind === "model") ?? [];
    // One refusal ends the run: the CLI did not retry the budget error.
    expect(refused).toHaveLength(1);
    expect(model.turns.length).toBeLessThan(30);
    expect(model.errors).toEqual([]);
  });

  it("its WebSearch tool under a USD budget: the searches the model reports are charged, within the max_uses the budget pays", async () => {
    const isSearch = (body: MessagesBody) => (body.tools ?? []).some((t) => String((t as { type?: string }).type).startsWith("web_search_"));
    const answered = (body: MessagesBody) => JSON.stringify(body.messages.at(-1)?.content ?? "").includes("tool_result");
    model = await startFakeAnthropic({
      script: Array.from({ length: 6 }, () => (body: MessagesBody) =>
        isSearch(body)
          ? { text: "gitcrew runs agents from a Git repository.", webSearches: 3 }
          : answered(body)
            ? { text: "searched and done" }
            : { toolUses: [{ name: "WebSearch", input: { query: "what is gitcrew" } }] },
      ),
    });
    gw = await startGateway({ upstreams: { anthropic: model.url } });
    const run = gw.register({ runId: "cli-search", allow: ["preset:web-search"], modelKeys: { anthropic: REAL_KEY }, budget: [{ scope: "run", usd: 5 }] });
    const r = await claude(gw, run.token, "search the web for gitcrew");
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result).toBe("searched and done");
    const search = model.turns.find(isSearch);
    expect(search?.tools).toEqual([expect.objectContaining({ type: expect.stringMatching(/^web_search_/), max_uses: 8 })]);
    const report = gw.revoke(run.runId);
    expect(report?.refusals).toEqual([]);
    expect(report?.byModel.reduce((n, m) => n + (m.serverToolUses ?? 0), 0)).toBe(3);
    expect(report?.toolFeesUsd).toBeCloseTo(0.03, 10);
    expect(model.errors).toEqual([]);
  });
});
