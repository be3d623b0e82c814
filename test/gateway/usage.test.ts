/**
 * The usage meter reads the same numbers however the stream is cut into
 * chunks (the skipping of text deltas must never skip a usage event), for
 * LF and CRLF streams, and from JSON bodies.
 */
import { describe, expect, it } from "vitest";
import { UsageMeter } from "../../src/gateway/usage.js";
import type { ProviderName } from "../../src/gateway/types.js";
import { sse } from "./support.js";

const anthropic = [
  sse("message_start", { message: { model: "claude-x", usage: { input_tokens: 11, cache_read_input_tokens: 5, cache_creation_input_tokens: 3, output_tokens: 1 } } }),
  sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "the word usage in a text delta, and ünïcödé" } }),
  sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: "x".repeat(300) } }),
  sse("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 42 } }),
  sse("message_stop", {}),
].join("");

const gemini = [
  { candidates: [{ content: { parts: [{ text: "a" }] } }], usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 1 }, modelVersion: "gemini-x" },
  { candidates: [{ content: { parts: [{ text: "b" }] } }], usageMetadata: { promptTokenCount: 20, cachedContentTokenCount: 8, candidatesTokenCount: 9, thoughtsTokenCount: 4 } },
]
  .map((d) => `data: ${JSON.stringify(d)}\r\n\r\n`)
  .join("");

const openaiChat = [
  `data: ${JSON.stringify({ model: "gpt-x", choices: [{ delta: { content: "hi" } }] })}\n\n`,
  `data: ${JSON.stringify({ model: "gpt-x", choices: [], usage: { prompt_tokens: 30, completion_tokens: 6, prompt_tokens_details: { cached_tokens: 10 } } })}\n\n`,
  "data: [DONE]\n\n",
].join("");

function meter(provider: ProviderName, text: string, cuts: number[]) {
  const m = new UsageMeter(provider, "sse");
  const bytes = Buffer.from(text);
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    m.feed(bytes.subarray(at, c));
    at = c;
  }
  m.end();
  return { tokens: { ...m.tokens }, model: m.model, final: m.final };
}

describe("usage meter", () => {
  for (const [provider, text, expected] of [
    ["anthropic", anthropic, { tokens: { input: 11, output: 42, cacheRead: 5, cacheWrite: 3 }, model: "claude-x", final: true }],
    ["gemini", gemini, { tokens: { input: 12, output: 13, cacheRead: 8, cacheWrite: 0 }, model: "gemini-x", final: true }],
    ["openai", openaiChat, { tokens: { input: 20, output: 6, cacheRead: 10, cacheWrite: 0 }, model: "gpt-x", final: true }],
  ] as const) {
    it(`${provider}: same usage at every single cut and at many pairs of cuts`, () => {
      const n = Buffer.byteLength(text);
      expect(meter(provider, text, [])).toEqual(expected);
      for (let i = 1; i < n; i++) expect(meter(provider, text, [i])).toEqual(expected);
      for (let i = 1; i < n; i += 7) for (let j = i + 1; j < n; j += 13) expect(meter(provider, text, [i, j])).toEqual(expected);
    });
  }

  it("byte by byte", () => {
    const n = Buffer.byteLength(anthropic);
    expect(meter("anthropic", anthropic, Array.from({ length: n - 1 }, (_, i) => i + 1)).tokens.output).toBe(42);
  });

  it("a usage key cut between two chunks at each of its bytes, after text that looks like the key, counts exactly once", () => {
    // Text deltas that end in "usage" or hold an escaped "usage" key: the byte search finds them too; they must change nothing.
    const tricky = [
      sse("message_start", { message: { model: "claude-x", usage: { input_tokens: 11, output_tokens: 1 } } }),
      sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: 'token usage' } }),
      sse("content_block_delta", { index: 0, delta: { type: "text_delta", text: 'say {"usage": {"output_tokens": 999}}' } }),
      sse("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 42 } }),
      sse("message_stop", {}),
    ].join("");
    const at = tricky.lastIndexOf('"usage"');
    for (let k = at - 2; k <= at + 9; k++) {
      expect(meter("anthropic", tricky, [k])).toEqual({ tokens: { input: 11, output: 42, cacheRead: 0, cacheWrite: 0 }, model: "claude-x", final: true });
      // The same cut with the event's start in a chunk of its own: the key straddles a carried part that has no event end.
      expect(meter("anthropic", tricky, [tricky.lastIndexOf("event: message_delta"), k]).tokens.output).toBe(42);
    }
    const g = gemini.lastIndexOf('"usageMetadata"');
    for (let k = g; k <= g + 16; k++) expect(meter("gemini", gemini, [k]).tokens).toEqual({ input: 12, output: 13, cacheRead: 8, cacheWrite: 0 });
  });

  it("a stream cut before its last blank line still counts its last usage event", () => {
    expect(meter("anthropic", anthropic.slice(0, anthropic.indexOf("event: message_stop") - 2), []).tokens.output).toBe(42);
  });

  it("JSON bodies: Anthropic message, OpenAI Responses, Gemini array", () => {
    const json = (provider: ProviderName, body: unknown) => {
      const m = new UsageMeter(provider, "json");
      m.feed(Buffer.from(JSON.stringify(body)));
      m.end();
      return m.tokens;
    };
    expect(json("anthropic", { model: "c", usage: { input_tokens: 7, output_tokens: 2 } })).toEqual({ input: 7, output: 2, cacheRead: 0, cacheWrite: 0 });
    expect(json("openai", { usage: { input_tokens: 9, output_tokens: 3, input_tokens_details: { cached_tokens: 4 } } })).toEqual({ input: 5, output: 3, cacheRead: 4, cacheWrite: 0 });
    expect(json("gemini", [{ usageMetadata: { promptTokenCount: 1 } }, { usageMetadata: { promptTokenCount: 6, candidatesTokenCount: 2 } }])).toEqual({ input: 6, output: 2, cacheRead: 0, cacheWrite: 0 });
  });
});

/*
 * The provider's own billed tool uses (server-tools.ts), read from the same
 * streams: counted once however the stream is cut, and a stream cut before
 * its final usage still counts the searches it showed.
 */
const anthropicSearch = [
  sse("message_start", { message: { model: "claude-x", usage: { input_tokens: 11, output_tokens: 1, server_tool_use: { web_search_requests: 0 } } } }),
  ...["srvtoolu_1", "srvtoolu_2"].flatMap((id, index) => [
    sse("content_block_start", { index, content_block: { type: "server_tool_use", id, name: "web_search", input: {} } }),
    sse("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: '{"query":"web_search usage"}' } }),
    sse("content_block_stop", { index }),
    sse("content_block_start", { index: index + 10, content_block: { type: "web_search_tool_result", tool_use_id: id, content: [{ type: "web_search_result", url: "https://example.com", encrypted_content: "x".repeat(500) }] } }),
    sse("content_block_stop", { index: index + 10 }),
  ]),
  sse("content_block_delta", { index: 20, delta: { type: "text_delta", text: "found it on the web_search results" } }),
  sse("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 42, server_tool_use: { web_search_requests: 2 } } }),
  sse("message_stop", {}),
].join("");

const searchItem = (id: string, status: string, action?: Record<string, unknown>) => ({ type: "web_search_call", id, status, ...(action ? { action } : {}) });
const openaiSearch = [
  ["response.created", { response: { id: "resp_1", model: "gpt-x" } }],
  ["response.output_item.added", { output_index: 0, item: searchItem("ws_1", "in_progress") }],
  ["response.web_search_call.searching", { output_index: 0, item_id: "ws_1" }],
  ["response.output_item.done", { output_index: 0, item: searchItem("ws_1", "completed", { type: "search", query: "q1" }) }],
  ["response.output_item.added", { output_index: 1, item: searchItem("ws_2", "in_progress") }],
  ["response.output_item.done", { output_index: 1, item: searchItem("ws_2", "completed", { type: "open_page", url: "https://example.com" }) }],
  ["response.output_item.done", { output_index: 2, item: searchItem("ws_3", "completed", { type: "search", query: "q2" }) }],
  ["response.output_text.delta", { output_index: 3, delta: "a web_search_call said so" }],
  [
    "response.completed",
    {
      response: {
        id: "resp_1",
        model: "gpt-x",
        output: [searchItem("ws_1", "completed", { type: "search" }), searchItem("ws_2", "completed", { type: "open_page" }), searchItem("ws_3", "completed", { type: "search" })],
        usage: { input_tokens: 30, output_tokens: 6, input_tokens_details: { cached_tokens: 0 } },
      },
    },
  ],
]
  .map(([type, data]) => `event: ${type as string}\ndata: ${JSON.stringify({ type, ...(data as object) })}\n\n`)
  .join("");

const grounding = (queries: string[]) => ({ webSearchQueries: queries, groundingChunks: [{ web: { uri: "https://example.com", title: "x" } }] });
const geminiGrounded = [
  { candidates: [{ content: { parts: [{ text: "a" }] } }], modelVersion: "gemini-3-x" },
  { candidates: [{ content: { parts: [{ text: "b" }] }, groundingMetadata: grounding(["first query", "", "second query"]) }], usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 4 } },
  { candidates: [{ content: { parts: [{ text: "c" }] }, groundingMetadata: grounding(["second query", "first query"]) }], usageMetadata: { promptTokenCount: 20, candidatesTokenCount: 9 } },
]
  .map((d) => `data: ${JSON.stringify(d)}\r\n\r\n`)
  .join("");

function toolMeter(provider: ProviderName, text: string, cuts: number[]) {
  const m = new UsageMeter(provider, "sse");
  const bytes = Buffer.from(text);
  let at = 0;
  for (const c of [...cuts, bytes.length]) {
    m.feed(bytes.subarray(at, c));
    at = c;
  }
  m.end();
  return m.toolCounts;
}

describe("usage meter: server tool uses", () => {
  for (const [provider, text, expected] of [
    ["anthropic", anthropicSearch, { webSearches: 2, grounded: false, searchQueries: 0 }],
    ["openai", openaiSearch, { webSearches: 2, grounded: false, searchQueries: 0 }],
    ["gemini", geminiGrounded, { webSearches: 0, grounded: true, searchQueries: 2 }],
  ] as const) {
    it(`${provider}: counted once at every single cut of the stream`, () => {
      expect(toolMeter(provider, text, [])).toEqual(expected);
      const n = Buffer.byteLength(text);
      for (let i = 1; i < n; i++) expect(toolMeter(provider, text, [i]), `cut at ${i}`).toEqual(expected);
    });
  }

  it("a stream cut before its final usage still counts the searches it showed", () => {
    expect(toolMeter("anthropic", anthropicSearch.slice(0, anthropicSearch.indexOf("event: message_delta")), []).webSearches).toBe(2);
    expect(toolMeter("openai", openaiSearch.slice(0, openaiSearch.indexOf("event: response.completed")), []).webSearches).toBe(2);
    // Only the first search had started: it ran, and is billed.
    expect(toolMeter("openai", openaiSearch.slice(0, openaiSearch.indexOf("event: response.web_search_call.searching")), []).webSearches).toBe(1);
    // One event a chunk: the search events are found by their own needle, not by a usage key in the same chunk.
    const eventByEvent = (text: string) => [...text.matchAll(/\n\n/g)].map((m) => (m.index ?? 0) + 2).slice(0, -1);
    const a = anthropicSearch.slice(0, anthropicSearch.indexOf("event: message_delta"));
    expect(toolMeter("anthropic", a, eventByEvent(a)).webSearches).toBe(2);
    const o = openaiSearch.slice(0, openaiSearch.indexOf("event: response.completed"));
    expect(toolMeter("openai", o, eventByEvent(o)).webSearches).toBe(2);
    const g = geminiGrounded.replace(/"usageMetadata":\{[^}]*\}/g, '"modelVersion":"gemini-3-x"');
    expect(toolMeter("gemini", g, [...g.matchAll(/\r\n\r\n/g)].map((m) => (m.index ?? 0) + 4).slice(0, -1)).searchQueries).toBe(2);
  });

  it("the provider's reported count wins when it is higher than the blocks seen", () => {
    const text = anthropicSearch.replace('"web_search_requests":2', '"web_search_requests":5');
    expect(toolMeter("anthropic", text, []).webSearches).toBe(5);
  });

  it("JSON bodies: Anthropic message, OpenAI response, Gemini array", () => {
    const json = (provider: ProviderName, body: unknown) => {
      const m = new UsageMeter(provider, "json");
      m.feed(Buffer.from(JSON.stringify(body)));
      m.end();
      return m.toolCounts;
    };
    expect(json("anthropic", { model: "c", content: [{ type: "server_tool_use", id: "s1", name: "web_search", input: {} }], usage: { input_tokens: 7, output_tokens: 2, server_tool_use: { web_search_requests: 3 } } }).webSearches).toBe(3);
    expect(json("openai", { output: [searchItem("ws_1", "completed", { type: "search" }), searchItem("ws_2", "completed", { type: "find_in_page" })], usage: { input_tokens: 9, output_tokens: 3 } }).webSearches).toBe(1);
    expect(json("gemini", [{ candidates: [{ groundingMetadata: grounding(["q"]) }], usageMetadata: { promptTokenCount: 1 } }])).toEqual({ webSearches: 0, grounded: true, searchQueries: 1 });
  });

  it("Gemini: what the provider's tools read (URL context, search results) is input; so is any rest of totalTokenCount", () => {
    const tokens = (usageMetadata: Record<string, number>) => {
      const m = new UsageMeter("gemini", "json");
      m.feed(Buffer.from(JSON.stringify({ usageMetadata })));
      m.end();
      return m.tokens;
    };
    expect(tokens({ promptTokenCount: 100, toolUsePromptTokenCount: 5000, candidatesTokenCount: 20, thoughtsTokenCount: 10, totalTokenCount: 5130 })).toEqual({ input: 5100, output: 30, cacheRead: 0, cacheWrite: 0 });
    expect(tokens({ promptTokenCount: 100, cachedContentTokenCount: 40, candidatesTokenCount: 20, totalTokenCount: 900 })).toEqual({ input: 840, output: 20, cacheRead: 40, cacheWrite: 0 });
    expect(tokens({ promptTokenCount: 100, cachedContentTokenCount: 40, candidatesTokenCount: 20, totalTokenCount: 120 })).toEqual({ input: 60, output: 20, cacheRead: 40, cacheWrite: 0 });
  });
});
