/**
 * Spend on tools the provider runs itself. An agent can have the provider
 * search the web for it (Anthropic's `web_search_*` tool, $10 per 1,000
 * searches; OpenAI's `web_search`, $10 per 1,000 calls; Gemini's grounding
 * with Google Search, per grounded prompt or per query), or run code,
 * search files and draw images on the operator's key. The gateway metered
 * only tokens, so none of that counted toward a budget: a run under a $0.10
 * cap could run a thousand searches ($10) and never be stopped.
 *
 * What the operator sees now: the searches an answer reports are charged at
 * their price, in streamed and JSON answers, once however the stream is cut;
 * the run is stopped at its budget because of them (the provider never sees
 * the request past it); a request under a budget is told how many searches
 * it may make; and a tool whose use the answer does not report is refused
 * under a budget before the provider sees it, as are options billed at a
 * premium over the model's prices (fast mode, priority tier); the extra
 * sampling step of Anthropic's server-side compaction, which the top-level
 * usage leaves out, is charged. On the code before the fix
 * every one of these requests reached the provider and the fees were $0.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { sleep, sse, startHttp, type TestServer } from "../gateway/support.js";

type Obj = Record<string, unknown>;

/** A scripted provider: the test sets how the next answer is written; every request is kept. */
interface Scripted {
  server: TestServer;
  bodies: Obj[];
  answer: (req: IncomingMessage, res: ServerResponse, body: Obj) => void | Promise<void>;
}

async function scripted(): Promise<Scripted> {
  const s: Scripted = { server: undefined as unknown as TestServer, bodies: [], answer: () => undefined };
  s.server = await startHttp((req, res, raw) => {
    const body = JSON.parse(raw || "{}") as Obj;
    s.bodies.push(body);
    void s.answer(req, res, body);
  });
  return s;
}

let anthropic: Scripted;
let openai: Scripted;
let gemini: Scripted;
let gw: Gateway;

beforeAll(async () => {
  [anthropic, openai, gemini] = await Promise.all([scripted(), scripted(), scripted()]);
  const url = (s: Scripted) => `http://127.0.0.1:${s.server.port}`;
  gw = await startGateway({ upstreams: { anthropic: url(anthropic), openai: url(openai), gemini: url(gemini) } });
});

afterAll(async () => {
  await gw?.close();
  await Promise.all([anthropic, openai, gemini].map((s) => s?.server.close()));
});

const KEYS = { anthropic: "sk-ant-real", openai: "sk-openai-real", gemini: "gemini-real" };
let n = 0;
// Search, fetch and example.com's MCP server allowed: this file is about what they cost (gateway-provider-fetch-egress.test.ts: whether they pass).
const ALLOW = ["preset:web-search", "preset:web-fetch", "example.com"];
const register = (budget?: { usd?: number; tokens?: number }) => gw.register({ runId: `fees-${++n}`, allow: ALLOW, modelKeys: KEYS, budget: budget ? [{ scope: "run", ...budget }] : [] });

async function post(path: string, token: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(`${gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": token, "x-goog-api-key": token, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Claude Code's WebSearch request: the server tool, max_uses 8. */
const WEB_SEARCH = { type: "web_search_20250305", name: "web_search", max_uses: 8 };
const searchMessage = (stream: boolean) => ({ model: "claude-sonnet-4-5", max_tokens: 1000, stream, tools: [WEB_SEARCH], messages: [{ role: "user", content: "search the web" }] });

/** An Anthropic answer that ran `searches` web searches, as the Messages API writes it. */
function anthropicSearchStream(searches: number): string {
  const blocks = Array.from({ length: searches }, (_, i) => [
    sse("content_block_start", { index: 2 * i, content_block: { type: "server_tool_use", id: `srvtoolu_${i}`, name: "web_search", input: {} } }),
    sse("content_block_delta", { index: 2 * i, delta: { type: "input_json_delta", partial_json: `{"query":"q${i}"}` } }),
    sse("content_block_stop", { index: 2 * i }),
    sse("content_block_start", { index: 2 * i + 1, content_block: { type: "web_search_tool_result", tool_use_id: `srvtoolu_${i}`, content: [] } }),
    sse("content_block_stop", { index: 2 * i + 1 }),
  ]);
  return [
    sse("message_start", { message: { id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], usage: { input_tokens: 100, output_tokens: 1, server_tool_use: { web_search_requests: 0 } } } }),
    ...blocks.flat(),
    sse("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 10, server_tool_use: { web_search_requests: searches } } }),
    sse("message_stop", {}),
  ].join("");
}

/** The model searches as often as the request allows (its max_uses), up to `want`. */
function anthropicSearching(want: number) {
  return (_req: IncomingMessage, res: ServerResponse, body: Obj) => {
    const tool = (body.tools as Obj[]).find((t) => String(t.type).startsWith("web_search_"));
    const searches = Math.min(want, Number(tool?.max_uses ?? Infinity));
    if (body.stream) {
      res.writeHead(200, { "content-type": "text/event-stream" }).end(anthropicSearchStream(searches));
      return;
    }
    const content = Array.from({ length: searches }, (_, i) => ({ type: "server_tool_use", id: `srvtoolu_${i}`, name: "web_search", input: { query: `q${i}` } }));
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({ id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [...content, { type: "text", text: "found" }], usage: { input_tokens: 100, output_tokens: 10, server_tool_use: { web_search_requests: searches } } }),
    );
  };
}

/** claude-sonnet-4-5 is $3 / $15 per million input / output tokens: 100 in, 10 out. */
const TOKENS_USD = (100 * 3 + 10 * 15) / 1e6;

describe("web searches are charged at their price", () => {
  it("Anthropic: N searches cost N × $0.01, and the run is stopped at its budget because of them", async () => {
    anthropic.answer = anthropicSearching(7);
    const run = register({ usd: 0.1 });
    const before = anthropic.bodies.length;

    // 7 searches: $0.07 of the $0.10.
    expect((await post("/anthropic/v1/messages", run.token, searchMessage(true))).status).toBe(200);
    // What is left pays for two more: the request is told so, and the model keeps to it.
    expect((await post("/anthropic/v1/messages", run.token, searchMessage(false))).status).toBe(200);
    // $0.09 spent on searches, $0.001 on tokens: not enough for one more search.
    const refused = await post("/anthropic/v1/messages", run.token, searchMessage(true));

    expect(refused.status).toBe(400);
    expect(refused.text).toContain("run budget of $0.1 reached");
    const seen = anthropic.bodies.slice(before);
    expect(seen, "requests the provider received").toHaveLength(2);
    expect((seen[1]?.tools as Obj[])[0]?.max_uses).toBe(2);
    const report = gw.revoke(run.runId)!;
    expect(report.byModel[0]?.serverToolUses).toBe(9);
    expect(report.toolFeesUsd).toBeCloseTo(0.09, 10);
    expect(report.costUsd).toBeCloseTo(0.09 + 2 * TOKENS_USD, 10);
    expect(report.budgetExceeded?.limit).toEqual({ usd: 0.1 });
  });

  it("Anthropic: a streamed answer cut into two chunks anywhere in its usage or search blocks counts its searches once", async () => {
    const text = anthropicSearchStream(3);
    const cuts: number[] = [];
    for (const key of ['"server_tool_use"', '"web_search_requests"', "event: message_delta"]) {
      const at = text.indexOf(key);
      for (let k = at - 1; k <= at + key.length; k++) cuts.push(k);
    }
    let cut = 0;
    anthropic.answer = async (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(text.slice(0, cut));
      await sleep(5);
      res.end(text.slice(cut));
    };
    for (const c of cuts) {
      cut = c;
      const run = register();
      const r = await post("/anthropic/v1/messages", run.token, searchMessage(true));
      expect(r.text).toBe(text);
      const report = gw.revoke(run.runId)!;
      expect({ cut: c, uses: report.byModel[0]?.serverToolUses, fees: report.toolFeesUsd }).toEqual({ cut: c, uses: 3, fees: 0.03 });
    }
  });

  it("OpenAI Responses: each web_search_call that searched is a $0.01 call, streamed or not; max_tool_calls is set to what the budget pays", async () => {
    const item = (id: string, action: string) => ({ type: "web_search_call", id, status: "completed", action: { type: action } });
    const output = [item("ws_1", "search"), item("ws_2", "open_page"), item("ws_3", "search"), { type: "message", id: "msg_1", role: "assistant", content: [{ type: "output_text", text: "found", annotations: [] }] }];
    const response = { id: "resp_1", object: "response", model: "gpt-5", status: "completed", output, usage: { input_tokens: 100, output_tokens: 10, input_tokens_details: { cached_tokens: 0 } } };
    openai.answer = (_req, res, body) => {
      if (!body.stream) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(response));
        return;
      }
      const ev = (type: string, data: Obj) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.end(
        [
          ev("response.created", { response: { ...response, status: "in_progress", output: [], usage: null } }),
          ...output.flatMap((o, i) => [ev("response.output_item.added", { output_index: i, item: { ...o, status: "in_progress" } }), ev("response.output_item.done", { output_index: i, item: o })]),
          ev("response.completed", { response }),
        ].join(""),
      );
    };
    const request = (stream: boolean) => ({ model: "gpt-5", stream, tools: [{ type: "web_search" }], input: "search the web" });
    const free = register();
    expect((await post("/openai/v1/responses", free.token, request(true))).status).toBe(200);
    expect((await post("/openai/v1/responses", free.token, request(false))).status).toBe(200);
    const report = gw.revoke(free.runId)!;
    expect(report.byModel[0]?.serverToolUses).toBe(4);
    expect(report.toolFeesUsd).toBeCloseTo(0.04, 10);

    const before = openai.bodies.length;
    const tight = register({ usd: 0.035 });
    expect((await post("/openai/v1/responses", tight.token, request(true))).status).toBe(200);
    expect(openai.bodies[before]?.max_tool_calls).toBe(3);
    gw.revoke(tight.runId);
  });

  it("Gemini grounding: a Gemini 2.5 grounded prompt costs $0.035, Gemini 3 $0.014 per distinct query; a run whose budget cannot pay one is stopped", async () => {
    gemini.answer = (req, res, body) => {
      const queries = String(req.url).includes("gemini-3") ? ["first", "second", "", "first", "third"] : ["only"];
      const grounded = Array.isArray(body.tools) && body.tools.length > 0;
      const chunk = {
        candidates: [{ content: { role: "model", parts: [{ text: "found" }] }, ...(grounded ? { groundingMetadata: { webSearchQueries: queries, groundingChunks: [{ web: { uri: "https://example.com" } }] } } : {}) }],
        usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 10 },
      };
      res.writeHead(200, { "content-type": "text/event-stream" }).end(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
    };
    const ask = (token: string, model: string, tools: unknown[]) =>
      post(`/gemini/v1beta/models/${model}:streamGenerateContent?alt=sse`, token, { contents: [{ role: "user", parts: [{ text: "search" }] }], tools });
    const run = register();
    expect((await ask(run.token, "gemini-2.5-flash", [{ googleSearch: {} }])).status).toBe(200);
    expect((await ask(run.token, "gemini-3-flash-preview", [{ google_search: {} }])).status).toBe(200);
    const report = gw.revoke(run.runId)!;
    expect(report.toolFeesUsd).toBeCloseTo(0.035 + 3 * 0.014, 10);

    const before = gemini.bodies.length;
    const poor = register({ usd: 0.03 });
    const refused = await ask(poor.token, "gemini-2.5-flash", [{ googleSearch: {} }]);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("FAILED_PRECONDITION");
    // Without the tool the same run goes on.
    expect((await ask(poor.token, "gemini-2.5-flash", [])).status).toBe(200);
    expect(gemini.bodies.slice(before).map((b) => b.tools)).toEqual([[]]);
    gw.revoke(poor.runId);
  });
});

describe("Anthropic's server-side compaction", () => {
  it("its summarising step, left out of the top-level usage and listed in usage.iterations, is charged, streamed or not", async () => {
    const usage = {
      input_tokens: 23_000,
      output_tokens: 1_000,
      iterations: [
        { type: "compaction", input_tokens: 180_000, output_tokens: 3_500 },
        { type: "message", input_tokens: 23_000, output_tokens: 1_000 },
      ],
    };
    anthropic.answer = (_req, res, body) => {
      const content = [{ type: "compaction", content: "summary" }, { type: "text", text: "ok" }];
      if (!body.stream) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "m", type: "message", role: "assistant", model: "claude-sonnet-4-5", content, usage }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream" }).end(
        [
          sse("message_start", { message: { id: "m", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], usage: { input_tokens: 23_000, output_tokens: 1 } } }),
          sse("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
          sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "ok" } }),
          sse("content_block_stop", { index: 0 }),
          sse("message_delta", { delta: { stop_reason: "end_turn" }, usage }),
          sse("message_stop", {}),
        ].join(""),
      );
    };
    const compacting = { model: "claude-sonnet-4-5", max_tokens: 1000, context_management: { edits: [{ type: "compact_20260112" }] }, messages: [{ role: "user", content: "hi" }] };
    const run = register({ usd: 50 });
    expect((await post("/anthropic/v1/messages", run.token, { ...compacting, stream: true })).status).toBe(200);
    expect((await post("/anthropic/v1/messages", run.token, compacting)).status).toBe(200);
    const report = gw.revoke(run.runId)!;
    expect(report.tokens).toEqual({ input: 2 * 203_000, output: 2 * 4_500, cacheRead: 0, cacheWrite: 0 });
  });
});

describe("tools whose use the answer does not report", () => {
  const MESSAGE = { model: "claude-sonnet-4-5", max_tokens: 1000, messages: [{ role: "user", content: "hi" }] };
  const RESPONSE = { model: "gpt-5", input: "hi" };
  const CONTENT = { contents: [{ role: "user", parts: [{ text: "hi" }] }] };
  const GEMINI = "/gemini/v1beta/models/gemini-2.5-flash:generateContent";
  const refusedUnderBudget: [string, string, Obj][] = [
    ["Anthropic code execution", "/anthropic/v1/messages", { ...MESSAGE, tools: [{ type: "code_execution_20250825", name: "code_execution" }] }],
    ["Anthropic advisor", "/anthropic/v1/messages", { ...MESSAGE, tools: [{ type: "advisor_20260301", name: "advisor", model: "claude-opus-4-1" }] }],
    ["Anthropic tool search", "/anthropic/v1/messages", { ...MESSAGE, tools: [{ type: "tool_search_tool_regex_20251119", name: "tool_search_tool_regex" }] }],
    ["two Anthropic search tools", "/anthropic/v1/messages", { ...MESSAGE, tools: [WEB_SEARCH, { ...WEB_SEARCH, name: "web_search_2" }] }],
    ["OpenAI code interpreter", "/openai/v1/responses", { ...RESPONSE, tools: [{ type: "code_interpreter", container: { type: "auto" } }] }],
    ["OpenAI file search", "/openai/v1/responses", { ...RESPONSE, tools: [{ type: "file_search", vector_store_ids: ["vs_1"] }] }],
    ["OpenAI image generation", "/openai/v1/responses", { ...RESPONSE, tools: [{ type: "image_generation" }] }],
    ["OpenAI remote MCP", "/openai/v1/responses", { ...RESPONSE, tools: [{ type: "mcp", server_label: "x", server_url: "https://example.com/mcp" }] }],
    ["OpenAI tool in a Codex input item", "/openai/v1/responses", { ...RESPONSE, input: [{ type: "additional_tools", role: "developer", tools: [{ type: "namespace", name: "functions", tools: [{ type: "code_interpreter" }] }] }] }],
    ["Chat Completions search model", "/openai/v1/chat/completions", { model: "gpt-4o-search-preview", messages: [{ role: "user", content: "hi" }] }],
    ["Chat Completions web_search_options", "/openai/v1/chat/completions", { model: "gpt-4o", web_search_options: {}, messages: [{ role: "user", content: "hi" }] }],
    ["Anthropic fast mode (premium prices)", "/anthropic/v1/messages", { ...MESSAGE, speed: "fast" }],
    ["Anthropic US-only inference (premium prices)", "/anthropic/v1/messages", { ...MESSAGE, inference_geo: "us" }],
    ["OpenAI priority tier (premium prices)", "/openai/v1/responses", { ...RESPONSE, service_tier: "priority" }],
    ["Gemini Maps grounding", GEMINI, { ...CONTENT, tools: [{ googleMaps: {} }] }],
    ["Gemini file search", GEMINI, { ...CONTENT, tools: [{ file_search: { file_search_store_names: ["x"] } }] }],
  ];

  it("under a budget each is refused before the provider sees it, with a message that names it", async () => {
    const before = [anthropic.bodies.length, openai.bodies.length, gemini.bodies.length];
    const run = register({ usd: 5 });
    for (const [name, path, body] of refusedUnderBudget) {
      const r = await post(path, run.token, body);
      expect({ name, status: r.status }).toEqual({ name, status: 400 });
      expect(r.text, name).toContain("not passed under a budget");
    }
    expect([anthropic.bodies.length, openai.bodies.length, gemini.bodies.length], "requests the providers received").toEqual(before);
    const report = gw.revoke(run.runId)!;
    expect(report.refusals.filter((f) => f.kind === "model")).toHaveLength(refusedUnderBudget.length);
    expect(report.budgetExceeded).toBeUndefined();
  });

  it("a background response is never passed: its usage would come only to a later read", async () => {
    const before = openai.bodies.length;
    for (const budget of [undefined, { usd: 5 }]) {
      const run = register(budget);
      expect((await post("/openai/v1/responses", run.token, { ...RESPONSE, background: true })).status).toBe(400);
      gw.revoke(run.runId);
    }
    expect(openai.bodies.length).toBe(before);
  });

  it("tools that cost only their tokens still pass under a budget: web fetch, Codex's own tools, URL context, code execution on Gemini", async () => {
    anthropic.answer = anthropicSearching(0);
    openai.answer = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "r", model: "gpt-5", output: [], usage: { input_tokens: 10, output_tokens: 1 } }));
    };
    gemini.answer = (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ candidates: [], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1 } }));
    };
    const run = register({ usd: 5 });
    const codexTools = [{ type: "namespace", name: "functions", tools: [{ type: "custom", name: "exec" }, { type: "function", name: "wait", parameters: {} }] }];
    const passed = [
      await post("/anthropic/v1/messages", run.token, { ...MESSAGE, tools: [{ type: "web_fetch_20250910", name: "web_fetch" }, { type: "bash_20250124", name: "bash" }, { name: "Read", input_schema: { type: "object" } }] }),
      await post("/openai/v1/responses", run.token, { ...RESPONSE, input: [{ type: "additional_tools", role: "developer", tools: codexTools }, { role: "user", content: "hi" }] }),
      await post(GEMINI, run.token, { ...CONTENT, tools: [{ urlContext: {} }, { code_execution: {} }, { functionDeclarations: [] }] }),
    ];
    expect(passed.map((r) => r.status)).toEqual([200, 200, 200]);
    const report = gw.revoke(run.runId)!;
    expect(report.refusals).toEqual([]);
    expect(report.toolFeesUsd).toBe(0);
  });
});
