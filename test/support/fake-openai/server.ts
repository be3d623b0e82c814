/**
 * A scripted OpenAI Responses API (`POST /v1/responses`, streamed as SSE) on
 * node:http, for running the real Codex CLI offline. Codex reaches it through
 * a custom model provider (see `codexProviderArgs`). Each request takes the
 * next scripted text; every request is recorded.
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

function sendStream(res: ServerResponse, n: number, text: string): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  const id = `resp_fake${n}`;
  const item = { type: "message", role: "assistant", id: `msg_fake${n}`, content: [{ type: "output_text", text, annotations: [] }] };
  event("response.created", { response: { id } });
  event("response.output_item.done", { output_index: 0, item });
  event("response.completed", {
    response: {
      id,
      usage: { input_tokens: 100, input_tokens_details: { cached_tokens: 0 }, output_tokens: 20, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 120 },
    },
  });
  res.end();
}

export async function startFakeOpenAI(opts: { script: string[]; host?: string }): Promise<FakeOpenAI> {
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
      const text = opts.script[used];
      if (text === undefined) {
        errors.push(`fake-openai: script exhausted at request ${used + 1}`);
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"message":"fake-openai: script exhausted"}}');
        return;
      }
      used += 1;
      sendStream(res, used, text);
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
