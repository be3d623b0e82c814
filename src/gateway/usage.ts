/**
 * Reads a model response's token usage while it passes through: from the
 * SSE events of a stream (parsed with eventsource-parser) or from a JSON
 * body. Only the events that carry usage are JSON-parsed, so text deltas
 * cost a substring test. Usage fields are cumulative in every provider's
 * stream, so the last value seen wins.
 *
 * It also counts the provider's own tool uses that are billed per use
 * (server-tools.ts): Anthropic's web searches (the usage's count, or the
 * search blocks seen if more: a cut stream still counts those that ran),
 * OpenAI's `web_search_call` items (by id, so an item seen in several
 * events counts once) and Gemini's grounding (the distinct search queries,
 * and whether the answer was grounded). Anthropic's server-side compaction
 * is a sampling step of its own, left out of the top-level usage and listed
 * in `usage.iterations`: each field counts the larger of the two. It may
 * parse more than it needs, never miss.
 */
import { createParser, type EventSourceMessage, type EventSourceParser } from "eventsource-parser";
import type { ToolCounts } from "./server-tools.js";
import { type ProviderName, type Tokens, zeroTokens } from "./types.js";

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : undefined);

/** Largest JSON body kept for reading usage; larger bodies pass through uncounted beyond what streamed. */
const MAX_JSON_KEPT = 64 * 1024 * 1024;
/** An SSE event longer than this is not one that carries usage; dropped rather than kept growing. */
const MAX_EVENT = 16 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);
// Needles as buffers: a string needle is converted to bytes on every search.
/**
 * What marks a stretch holding a usage event, per provider: the JSON key
 * onEvent reads, which the providers write unescaped, without its opening
 * quote. Node's byte search looks for a needle's first byte with memchr and
 * compares from there, so the first byte decides its speed: a quote starts
 * every key and string of every text delta (a candidate every few bytes),
 * while `u` is rare in the deltas' JSON. Dropping the quote finds more
 * stretches (a text ending in "usage"), never fewer; a stretch found only
 * costs its parsing, and onEvent still reads only the events that carry
 * usage.
 */
/*
 * The second needle marks the billed tool uses: Anthropic's
 * `server_tool_use` blocks, OpenAI's `web_search_call` items. Gemini's one
 * needle finds both `usageMetadata` and `groundingMetadata` (a capital M is
 * rare in text). Needles stay under 7 bytes: node searches shorter ones
 * with memchr on their first byte, longer ones byte by byte (measured: a
 * 10-byte needle made a 64 KiB chunk of text deltas cost 65 µs instead of
 * 10).
 */
const NEEDLES: Record<ProviderName, Buffer[]> = {
  anthropic: [Buffer.from('usage"'), Buffer.from("ver_to")],
  openai: [Buffer.from('usage"'), Buffer.from("web_se")],
  gemini: [Buffer.from("Metada")],
};
const LFLF = Buffer.from("\n\n");
const CRLFCRLF = Buffer.from("\r\n\r\n");
const CRCR = Buffer.from("\r\r");

/** Offset just past the last blank line (an SSE event's end) in `b`, or -1. */
function lastBoundary(b: Buffer): number {
  const lf = b.lastIndexOf(LFLF);
  if (lf >= 0) return lf + 2;
  const crlf = b.lastIndexOf(CRLFCRLF);
  if (crlf >= 0) return crlf + 4;
  const cr = b.lastIndexOf(CRCR);
  return cr >= 0 ? cr + 2 : -1;
}

/** Whether `needle` starts in the last bytes of `a` and ends in the first bytes of `b`. */
function straddles(a: Buffer, b: Buffer, needle: Buffer): boolean {
  const n = needle.length;
  for (let k = Math.max(1, n - b.length); k < n && k <= a.length; k++) {
    // The needle's first k bytes end `a`, its other n-k bytes begin `b`.
    if (a.compare(needle, 0, k, a.length - k, a.length) === 0 && b.compare(needle, k, n, 0, n - k) === 0) return true;
  }
  return false;
}

export class UsageMeter {
  readonly tokens: Tokens = zeroTokens();
  model: string | undefined;
  /** The provider's final usage was seen (not only a partial one). */
  final = false;
  private readonly parser: EventSourceParser | undefined;
  private readonly needles: Buffer[];
  /** Anthropic's reported count of web searches (cumulative). */
  private searchesReported = 0;
  /** Billed search uses per block or item id (an item may change, e.g. from in progress to open_page). */
  private readonly searchIds = new Map<string, number>();
  private readonly queries = new Set<string>();
  private grounded = false;
  /** Bytes after the last complete event. */
  private carry: Buffer = EMPTY;
  private readonly jsonChunks: Buffer[] = [];
  private jsonBytes = 0;

  constructor(
    private readonly provider: ProviderName,
    mode: "sse" | "json" | "none",
  ) {
    this.mode = mode;
    this.needles = NEEDLES[provider];
    if (mode === "sse") this.parser = createParser({ onEvent: (e) => this.onEvent(e) });
  }

  readonly mode: "sse" | "json" | "none";

  feed(chunk: Buffer): void {
    if (this.mode === "sse") this.feedSse(chunk);
    else if (this.mode === "json" && this.jsonBytes + chunk.length <= MAX_JSON_KEPT) {
      this.jsonChunks.push(chunk);
      this.jsonBytes += chunk.length;
    }
  }

  /**
   * Hands the parser whole events only, and only those stretches of the
   * stream that mention usage: text deltas (nearly all the bytes) are
   * skipped with native byte searches, without being copied, decoded or
   * parsed. Only the bytes after the chunk's last event boundary are kept.
   */
  private feedSse(chunk: Buffer): void {
    const cut = lastBoundary(chunk);
    if (cut < 0) {
      // No event ends in this chunk (or only one straddling the chunks): keep it whole.
      this.carry = this.carry.length + chunk.length > MAX_EVENT ? EMPTY : Buffer.concat([this.carry, chunk]);
      return;
    }
    const head = chunk.subarray(0, cut);
    // A needle may also straddle the carried bytes and this chunk.
    const carry = this.carry;
    if (this.needles.some((n) => head.indexOf(n) >= 0 || (carry.length > 0 && (carry.indexOf(n) >= 0 || straddles(carry, head, n))))) {
      if (this.carry.length > 0) this.parser?.feed(this.carry.toString("utf8"));
      this.parser?.feed(head.toString("utf8"));
    }
    // A view, not a copy: it keeps at most this one chunk alive until the next.
    this.carry = cut === chunk.length ? EMPTY : chunk.subarray(cut);
  }

  /** The body ended (or was cut): read what the JSON body says. */
  end(): void {
    if (this.mode === "sse" && this.carry.length > 0) {
      // A last event without its blank line still counts (the stream was cut).
      const carry = this.carry;
      if (this.needles.some((n) => carry.indexOf(n) >= 0)) this.parser?.feed(`${carry.toString("utf8")}\n\n`);
      this.carry = EMPTY;
    }
    if (this.mode !== "json" || this.jsonChunks.length === 0) return;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(this.jsonChunks).toString("utf8"));
    } catch {
      return;
    }
    // Gemini's streamGenerateContent without alt=sse answers a JSON array of chunks.
    for (const item of Array.isArray(body) ? body : [body]) this.readObject(obj(item), true);
  }

  private onEvent(e: EventSourceMessage): void {
    const p = this.provider;
    if (p === "anthropic") {
      if (e.event !== "message_start" && e.event !== "message_delta" && !(e.event === "content_block_start" && e.data.includes("server_tool_use"))) return;
    } else if (p === "openai") {
      if (!e.data.includes('"usage"') && !e.data.includes("web_search_call")) return;
    } else if (!e.data.includes('"usageMetadata"') && !e.data.includes('"groundingMetadata"')) return;
    let data: Obj | undefined;
    try {
      data = obj(JSON.parse(e.data));
    } catch {
      return;
    }
    if (!data) return;
    if (p === "anthropic") {
      if (e.event === "message_start") this.readObject(obj(data.message), false);
      else if (e.event === "content_block_start") this.readAnthropicBlock(obj(data.content_block));
      else this.readAnthropic(obj(data.usage), true);
    } else if (p === "openai" && typeof data.type === "string" && data.type.startsWith("response.")) {
      // response.completed (and .incomplete, .failed) carry the whole response; output_item events one item.
      if (obj(data.response)) this.readObject(obj(data.response), true);
      if (obj(data.item)) this.readOpenAIItem(obj(data.item));
    } else this.readObject(data, true);
  }

  /** Billed tool uses the answer reported so far. */
  get toolCounts(): ToolCounts {
    let ids = 0;
    for (const n of this.searchIds.values()) ids += n;
    return { webSearches: Math.max(this.searchesReported, ids), grounded: this.grounded, searchQueries: this.queries.size };
  }

  /** A `server_tool_use` block: one web search when its name says so. */
  private readAnthropicBlock(b: Obj | undefined): void {
    if (b?.type === "server_tool_use" && b.name === "web_search" && typeof b.id === "string") this.searchIds.set(b.id, 1);
  }

  /** A Responses output item: a web search call is one billed call unless it only opened or searched a page. */
  private readOpenAIItem(item: Obj | undefined): void {
    if (item?.type !== "web_search_call") return;
    const action = obj(item.action)?.type;
    const billed = action === "open_page" || action === "find_in_page" ? 0 : 1;
    this.searchIds.set(typeof item.id === "string" ? item.id : `#${this.searchIds.size}`, billed);
  }

  private readGrounding(candidates: unknown): void {
    for (const c of Array.isArray(candidates) ? candidates : []) {
      const g = obj(obj(c)?.groundingMetadata);
      if (!g) continue;
      const queries = Array.isArray(g.webSearchQueries) ? g.webSearchQueries : [];
      for (const q of queries) if (typeof q === "string" && q.trim() !== "") this.queries.add(q);
      if (this.queries.size > 0 || (Array.isArray(g.groundingChunks) && g.groundingChunks.length > 0)) this.grounded = true;
    }
  }

  /** A message/response/chunk object with `usage` or `usageMetadata` and a model name. */
  private readObject(o: Obj | undefined, final: boolean): void {
    if (!o) return;
    const model = o.model ?? o.modelVersion;
    if (typeof model === "string" && model) this.model = model;
    if (this.provider === "anthropic") {
      this.readAnthropic(obj(o.usage), final);
      // A JSON message holds its blocks; message_start's content is empty.
      for (const b of Array.isArray(o.content) ? o.content : []) this.readAnthropicBlock(obj(b));
    } else if (this.provider === "openai") {
      this.readOpenAI(obj(o.usage), final);
      for (const item of Array.isArray(o.output) ? o.output : []) this.readOpenAIItem(obj(item));
    } else {
      this.readGemini(obj(o.usageMetadata), final);
      this.readGrounding(o.candidates);
    }
  }

  private readAnthropic(u: Obj | undefined, final: boolean): void {
    if (!u) return;
    const t = this.tokens;
    t.input = num(u.input_tokens) ?? t.input;
    t.output = num(u.output_tokens) ?? t.output;
    t.cacheRead = num(u.cache_read_input_tokens) ?? t.cacheRead;
    t.cacheWrite = num(u.cache_creation_input_tokens) ?? t.cacheWrite;
    this.searchesReported = num(obj(u.server_tool_use)?.web_search_requests) ?? this.searchesReported;
    // Server-side compaction samples once more; the top-level usage leaves that step out, its iterations hold it.
    if (Array.isArray(u.iterations) && u.iterations.length > 0) {
      const sum = zeroTokens();
      for (const it of u.iterations) {
        const i = obj(it);
        sum.input += num(i?.input_tokens) ?? 0;
        sum.output += num(i?.output_tokens) ?? 0;
        sum.cacheRead += num(i?.cache_read_input_tokens) ?? 0;
        sum.cacheWrite += num(i?.cache_creation_input_tokens) ?? 0;
      }
      t.input = Math.max(t.input, sum.input);
      t.output = Math.max(t.output, sum.output);
      t.cacheRead = Math.max(t.cacheRead, sum.cacheRead);
      t.cacheWrite = Math.max(t.cacheWrite, sum.cacheWrite);
    }
    if (final) this.final = true;
  }

  /** Chat Completions (prompt/completion) and Responses (input/output); both count cached input inside input. */
  private readOpenAI(u: Obj | undefined, final: boolean): void {
    if (!u) return;
    const input = num(u.input_tokens) ?? num(u.prompt_tokens);
    const output = num(u.output_tokens) ?? num(u.completion_tokens);
    if (input === undefined && output === undefined) return;
    const cached = num(obj(u.input_tokens_details)?.cached_tokens) ?? num(obj(u.prompt_tokens_details)?.cached_tokens) ?? 0;
    this.tokens.input = Math.max(0, (input ?? 0) - cached);
    this.tokens.cacheRead = cached;
    this.tokens.output = output ?? 0;
    if (final) this.final = true;
  }

  /**
   * promptTokenCount includes cached content; thinking tokens are billed as
   * output; what the provider's tools read (URL context pages, search
   * results, code output) is `toolUsePromptTokenCount`, billed as input. A
   * totalTokenCount larger than the parts counts its rest as input.
   */
  private readGemini(u: Obj | undefined, final: boolean): void {
    if (!u) return;
    const prompt = num(u.promptTokenCount) ?? 0;
    const cached = num(u.cachedContentTokenCount) ?? 0;
    const output = (num(u.candidatesTokenCount) ?? 0) + (num(u.thoughtsTokenCount) ?? 0);
    const input = Math.max(0, prompt - cached) + (num(u.toolUsePromptTokenCount) ?? 0);
    this.tokens.input = Math.max(input, (num(u.totalTokenCount) ?? 0) - cached - output);
    this.tokens.cacheRead = cached;
    this.tokens.output = output;
    if (final) this.final = true;
  }
}
