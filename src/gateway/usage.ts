/**
 * Reads a model response's token usage while it passes through: from the
 * SSE events of a stream (parsed with eventsource-parser) or from a JSON
 * body. Only the events that carry usage are JSON-parsed, so text deltas
 * cost a substring test. Usage fields are cumulative in every provider's
 * stream, so the last value seen wins.
 */
import { createParser, type EventSourceMessage, type EventSourceParser } from "eventsource-parser";
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
const NEEDLE: Record<ProviderName, Buffer> = {
  anthropic: Buffer.from('usage"'),
  openai: Buffer.from('usage"'),
  gemini: Buffer.from('usageMetadata"'),
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
  private readonly needle: Buffer;
  /** Bytes after the last complete event. */
  private carry: Buffer = EMPTY;
  private readonly jsonChunks: Buffer[] = [];
  private jsonBytes = 0;

  constructor(
    private readonly provider: ProviderName,
    mode: "sse" | "json" | "none",
  ) {
    this.mode = mode;
    this.needle = NEEDLE[provider];
    if (mode === "sse") this.parser = createParser({ onEvent: (e) => this.onEvent(e) });
  }

  private readonly mode: "sse" | "json" | "none";

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
    // The needle may also straddle the carried bytes and this chunk.
    const n = this.needle;
    if (head.indexOf(n) >= 0 || (this.carry.length > 0 && (this.carry.indexOf(n) >= 0 || straddles(this.carry, head, n)))) {
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
      if (this.carry.indexOf(this.needle) >= 0) this.parser?.feed(`${this.carry.toString("utf8")}\n\n`);
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
      if (e.event !== "message_start" && e.event !== "message_delta") return;
    } else if (p === "openai") {
      if (!e.data.includes('"usage"')) return;
    } else if (!e.data.includes('"usageMetadata"')) return;
    let data: Obj | undefined;
    try {
      data = obj(JSON.parse(e.data));
    } catch {
      return;
    }
    if (!data) return;
    if (p === "anthropic") {
      if (e.event === "message_start") this.readObject(obj(data.message), false);
      else this.readAnthropic(obj(data.usage), true);
    } else if (p === "openai" && typeof data.type === "string" && data.type.startsWith("response.")) {
      this.readObject(obj(data.response), true);
    } else this.readObject(data, true);
  }

  /** A message/response/chunk object with `usage` or `usageMetadata` and a model name. */
  private readObject(o: Obj | undefined, final: boolean): void {
    if (!o) return;
    const model = o.model ?? o.modelVersion;
    if (typeof model === "string" && model) this.model = model;
    if (this.provider === "anthropic") this.readAnthropic(obj(o.usage), final);
    else if (this.provider === "openai") this.readOpenAI(obj(o.usage), final);
    else this.readGemini(obj(o.usageMetadata), final);
  }

  private readAnthropic(u: Obj | undefined, final: boolean): void {
    if (!u) return;
    const t = this.tokens;
    t.input = num(u.input_tokens) ?? t.input;
    t.output = num(u.output_tokens) ?? t.output;
    t.cacheRead = num(u.cache_read_input_tokens) ?? t.cacheRead;
    t.cacheWrite = num(u.cache_creation_input_tokens) ?? t.cacheWrite;
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

  /** promptTokenCount includes cached content; thinking tokens are billed as output. */
  private readGemini(u: Obj | undefined, final: boolean): void {
    if (!u) return;
    const prompt = num(u.promptTokenCount) ?? 0;
    const cached = num(u.cachedContentTokenCount) ?? 0;
    this.tokens.input = Math.max(0, prompt - cached);
    this.tokens.cacheRead = cached;
    this.tokens.output = (num(u.candidatesTokenCount) ?? 0) + (num(u.thoughtsTokenCount) ?? 0);
    if (final) this.final = true;
  }
}
