/**
 * A scripted OpenAI Responses API (`POST /v1/responses`, streamed as SSE) on
 * node:http, for running the real Codex CLI offline. Codex reaches it through
 * a custom model provider (see `codexProviderArgs`). Each request takes the
 * next scripted answer (a text, a function call, web searches the server
 * ran); every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedResponsesRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  json?: { input?: unknown[]; [key: string]: unknown };
}

export interface FakeOpenAI {
  /** Base URL including `/v1`. */
  url: string;
  requests: RecordedResponsesRequest[];
  errors: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** One scripted answer: a text, or a function call; web searches the server ran come first. */
export type OpenAITurn = string | { text?: string; functionCall?: { name: string; arguments: string }; webSearches?: number; inputTokens?: number };

function sendStream(res: ServerResponse, n: number, turn: OpenAITurn): void {
  const t = typeof turn === "string" ? { text: turn } : turn;
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  const id = `resp_fake${n}`;
  const output: Record<string, unknown>[] = [];
  for (let i = 0; i < (t.webSearches ?? 0); i++) {
    output.push({ type: "web_search_call", id: `ws_fake${n}_${i}`, status: "completed", action: { type: "search", query: `search ${i + 1}` } });
  }
  if (t.functionCall) output.push({ type: "function_call", id: `fc_fake${n}`, call_id: `call_fake${n}`, name: t.functionCall.name, arguments: t.functionCall.arguments });
  else output.push({ type: "message", role: "assistant", id: `msg_fake${n}`, content: [{ type: "output_text", text: t.text ?? "", annotations: [] }] });
  event("response.created", { response: { id } });
  output.forEach((item, i) => event("response.output_item.done", { output_index: i, item }));
  const input = t.inputTokens ?? 100;
  event("response.completed", {
    response: {
      id,
      output,
      usage: { input_tokens: input, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: input + 20 },
    },
  });
  res.end();
}

export async function startFakeOpenAI(opts: { script: OpenAITurn[]; host?: string }): Promise<FakeOpenAI> {
  const requests: RecordedResponsesRequest[] = [];
  const errors: string[] = [];
  let used = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      let json: RecordedResponsesRequest["json"];
      try {
        json = raw ? (JSON.parse(raw) as RecordedResponsesRequest["json"]) : undefined;
      } catch {
        json = undefined;
      }
      requests.push({ method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, json });
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "POST" || path !== "/v1/responses") {
        errors.push(`fake-openai: unexpected ${req.method} ${req.url}`);
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"not found"}}');
        return;
      }
      const turn = opts.script[used];
      if (turn === undefined) {
        errors.push(`fake-openai: script exhausted at request ${used + 1}`);
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"message":"fake-openai: script exhausted"}}');
        return;
      }
      used += 1;
      sendStream(res, used, turn);
    });
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/v1`,
    requests,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `codex exec` options that route it to `baseUrl` over plain HTTP, authenticated with CODEX_API_KEY. */
export function codexProviderArgs(baseUrl: string): string[] {
  return [
    ["model_provider", "fake"],
    ["model_providers.fake.name", "fake"],
    ["model_providers.fake.base_url", baseUrl],
    ["model_providers.fake.wire_api", "responses"],
    ["model_providers.fake.requires_openai_auth", "true"],
  ].flatMap(([k, v]) => ["-c", `${k}=${v}`]);
}

/** All text in a Responses request's input items. */
export function inputText(json: RecordedResponsesRequest["json"]): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      if (o.content !== undefined) walk(o.content);
    }
  };
  walk(json?.input);
  return out.join("\n");
}
