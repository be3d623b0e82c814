/**
 * The real Codex and Gemini CLIs on the host through the gateway: the run
 * token is their API key, the scripted model sees only the real key, and a
 * budget refusal (OpenAI's 429 insufficient_quota, Gemini's 400
 * FAILED_PRECONDITION) ends them after one refused request, not a retry loop.
 * Codex's web search passes under a budget and is charged per call; with
 * gitcrew's provider flags Codex compacts a long context itself, through
 * /responses, so the gateway's refusal of /responses/compact never meets it.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { codexAdapter } from "../../src/runtimes/codex.js";
import { geminiAdapter } from "../../src/runtimes/gemini.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { agentCliBin, runCli } from "../support/fake-anthropic/cli.js";
import { codexProviderArgs, startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai/server.js";
import { startFakeGemini, type FakeGemini } from "../support/fake-gemini/server.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gitcrew-gw-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Codex through the gateway", () => {
  let model: FakeOpenAI;
  let gw: Gateway;
  beforeAll(async () => {
    model = await startFakeOpenAI({ script: ["hello from codex through the gateway"] });
    gw = await startGateway({ upstreams: { openai: model.url.replace(/\/v1$/, "") } });
  });
  afterAll(async () => {
    await gw?.close();
    await model?.close();
  });

  async function codex(token: string, opts: { gateway?: Gateway; model?: string; config?: string[]; allow?: string[] } = {}) {
    const limits = { ...testAgent().limits, network: { allow: opts.allow ?? [] } };
    const prepared = codexAdapter.prepare({ agent: testAgent({ runtime: "codex", limits, ...(opts.model ? { model: opts.model } : {}) }), prompt: "say hello" });
    const ws = await mkdtemp(join(dir, "ws-"));
    for (const [path, content] of Object.entries(prepared.injectedFiles)) await writeFile(join(ws, path), content);
    const state = await mkdtemp(join(dir, "codex-"));
    const home = await mkdtemp(join(dir, "home-"));
    const [, , ...rest] = prepared.argv;
    const config = (opts.config ?? []).flatMap((c) => ["-c", c]);
    return runCli(agentCliBin("codex"), ["exec", ...codexProviderArgs(`${(opts.gateway ?? gw).url}/openai/v1`), ...config, ...rest], {
      cwd: ws,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...prepared.env, CODEX_HOME: state, CODEX_API_KEY: token },
      stdin: prepared.stdin,
      killAfterMs: 90_000,
    });
  }

  it("answers with the run token as its key; the model sees the real key", async () => {
    const run = gw.register({ runId: "codex-ok", modelKeys: { openai: "sk-openai-real" } });
    const r = await codex(run.token);
    expect(r.code, r.stderr).toBe(0);
    expect(codexAdapter.parseOutput(r.stdout, r.stderr).answer).toBe("hello from codex through the gateway");
    expect(model.requests.map((q) => q.headers.authorization)).toEqual(["Bearer sk-openai-real"]);
    expect(gw.revoke(run.runId)?.tokens).toEqual({ input: 100, output: 20, cacheRead: 0, cacheWrite: 0 });
  });

  it("stops on the budget refusal without retrying it", async () => {
    const before = model.requests.length;
    const run = gw.register({ runId: "codex-budget", modelKeys: { openai: "sk-openai-real" }, budget: [{ scope: "run", tokens: 1000 }] });
    const r = await codex(run.token);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull(); // it ended by itself, it was not killed
    const report = gw.revoke(run.runId);
    expect(report?.refusals.filter((f) => f.kind === "model")).toHaveLength(1);
    expect(report?.budgetExceeded?.limit).toEqual({ tokens: 1000 });
    expect(model.requests.length).toBe(before);
  });

  it("its web search under a USD budget: declared, bounded by max_tool_calls, each call charged", async () => {
    const searching = await startFakeOpenAI({ script: [{ text: "searched", webSearches: 2 }] });
    const g = await startGateway({ upstreams: { openai: searching.url.replace(/\/v1$/, "") } });
    try {
      const allow = ["preset:web-search", "preset:web-fetch"];
      const run = g.register({ runId: "codex-search", allow, modelKeys: { openai: "sk-openai-real" }, budget: [{ scope: "run", usd: 5 }] });
      const r = await codex(run.token, { gateway: g, model: "gpt-5", allow });
      expect(r.code, r.stderr).toBe(0);
      const sent = searching.requests[0]?.json as { tools?: { type: string }[]; max_tool_calls?: number };
      expect(sent.tools?.map((t) => t.type)).toContain("web_search");
      expect(sent.max_tool_calls).toBe(10);
      const report = g.revoke(run.runId);
      expect(report?.refusals).toEqual([]);
      expect(report?.toolFeesUsd).toBeCloseTo(0.02, 10);
    } finally {
      await g.close();
      await searching.close();
    }
  });

  it("a long run compacts its context locally through metered /responses requests (never the refused /responses/compact) and finishes", async () => {
    // A tool call whose answer reports far more context than the compaction limit: Codex compacts before going on.
    const long = await startFakeOpenAI({
      script: [{ functionCall: { name: "exec_command", arguments: JSON.stringify({ cmd: "echo step" }) }, inputTokens: 300_000 }, "summary of the work so far", "done after compacting"],
    });
    const g = await startGateway({ upstreams: { openai: long.url.replace(/\/v1$/, "") } });
    try {
      const run = g.register({ runId: "codex-compact", modelKeys: { openai: "sk-openai-real" }, budget: [{ scope: "run", tokens: 10_000_000 }] });
      const r = await codex(run.token, { gateway: g, model: "gpt-5", config: ["model_auto_compact_token_limit=1000", "web_search=disabled"] });
      expect(r.code, r.stderr).toBe(0);
      expect(codexAdapter.parseOutput(r.stdout, r.stderr).answer).toBe("done after compacting");
      expect(long.requests.map((q) => `${q.method} ${q.url}`)).toEqual(Array(3).fill("POST /v1/responses"));
      expect(JSON.stringify(long.requests[1]?.json)).toContain("CONTEXT CHECKPOINT COMPACTION");
      expect(long.errors).toEqual([]);
      const report = g.revoke(run.runId);
      expect(report?.refusals).toEqual([]);
      expect(report?.byModel.reduce((n, m) => n + m.requests, 0)).toBe(3);
    } finally {
      await g.close();
      await long.close();
    }
  });
});

describe("Gemini through the gateway", () => {
  let model: FakeGemini;
  let gw: Gateway;
  let state: string;
  beforeAll(async () => {
    state = join(dir, "gemini-state");
    await mkdir(join(state, ".gemini"), { recursive: true });
    await writeFile(join(state, ".gemini", "settings.json"), JSON.stringify({ security: { auth: { selectedType: "gemini-api-key" } } }));
    model = await startFakeGemini({ script: ["hello from gemini through the gateway"] });
    gw = await startGateway({ upstreams: { gemini: model.url } });
  });
  afterAll(async () => {
    await gw?.close();
    await model?.close();
  });

  async function gemini(token: string, gateway: Gateway = gw) {
    const prepared = geminiAdapter.prepare({ agent: testAgent({ runtime: "gemini" }), prompt: "say hello" });
    const ws = await mkdtemp(join(dir, "ws-"));
    for (const [path, content] of Object.entries(prepared.injectedFiles)) await writeFile(join(ws, path), content);
    const home = await mkdtemp(join(dir, "home-"));
    const [, ...args] = prepared.argv;
    return runCli(agentCliBin("gemini"), args, {
      cwd: ws,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        ...prepared.env,
        GEMINI_CLI_HOME: state,
        GEMINI_API_KEY: token,
        GOOGLE_GEMINI_BASE_URL: `${gateway.url}/gemini`,
      },
      stdin: prepared.stdin,
      killAfterMs: 90_000,
    });
  }

  it("answers with the run token as its key; the model sees the real key", async () => {
    const run = gw.register({ runId: "gemini-ok", modelKeys: { gemini: "AIza-real" } });
    const r = await gemini(run.token);
    expect(r.code, r.stderr).toBe(0);
    expect(geminiAdapter.parseOutput(r.stdout, r.stderr).answer).toBe("hello from gemini through the gateway");
    expect(model.requests.length).toBeGreaterThan(0);
    for (const q of model.requests) {
      expect(q.headers["x-goog-api-key"]).toBe("AIza-real");
      expect(JSON.stringify(q.headers) + q.url).not.toContain(run.token);
    }
    const report = gw.revoke(run.runId);
    expect(report?.byModel.reduce((n, m) => n + m.requests, 0)).toBe(model.requests.length);
  });

  it("stops on the budget refusal without retrying it", async () => {
    const before = model.requests.length;
    const run = gw.register({ runId: "gemini-budget", modelKeys: { gemini: "AIza-real" }, budget: [{ scope: "run", tokens: 100 }] });
    const r = await gemini(run.token);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(`${r.stdout}${r.stderr}`).toContain("run budget of 100 tokens reached");
    const report = gw.revoke(run.runId);
    // The CLI asks a small model to route the task, then the main model: each is refused once, neither retried.
    expect(report?.refusals.filter((f) => f.kind === "model").length).toBeLessThanOrEqual(2);
    expect(model.requests.length).toBe(before);
  });

  it("its google_web_search under a USD budget: the grounded request passes and each distinct search query is charged", async () => {
    const searching = await startFakeGemini({
      script: [
        { functionCall: { name: "google_web_search", args: { query: "what is gitcrew" } } },
        { text: "gitcrew runs agents from a Git repository.", searchQueries: ["what is gitcrew", "gitcrew agents", "what is gitcrew"] },
        "searched and done",
      ],
    });
    const g = await startGateway({ upstreams: { gemini: searching.url } });
    try {
      const run = g.register({ runId: "gemini-search", allow: ["preset:web-search"], modelKeys: { gemini: "AIza-real" }, budget: [{ scope: "run", usd: 5 }] });
      const r = await gemini(run.token, g);
      expect(r.code, r.stderr).toBe(0);
      expect(geminiAdapter.parseOutput(r.stdout, r.stderr).answer).toBe("searched and done");
      expect(searching.turns.some((t) => JSON.stringify(t).includes("googleSearch"))).toBe(true);
      const report = g.revoke(run.runId);
      expect(report?.refusals).toEqual([]);
      expect(report?.toolFeesUsd).toBeCloseTo(2 * 0.014, 10);
      expect(searching.errors).toEqual([]);
    } finally {
      await g.close();
      await searching.close();
    }
  });
});
