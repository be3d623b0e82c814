/**
 * A scripted Anthropic Messages API on node:http, for running the real
 * Claude Code CLI offline. Each agent turn (a POST /v1/messages that offers
 * tools) takes the next reply of the script; every request is recorded so
 * tests can assert what reached the model.
 *
 *   const model = await startFakeAnthropic({ script: [
 *     { toolUses: [{ name: "Write", input: { file_path: "/w/a.txt", content: "hi" } }] },
 *     { text: "done" },
 *   ] });
 *   // ANTHROPIC_BASE_URL=model.url claude -p …
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendError, sendJson, sendStream, toMessage, type Reply } from "./reply.js";

export type { Reply, ToolUse } from "./reply.js";

export interface MessagesBody {
  model: string;
  stream?: boolean;
  system?: unknown;
  messages: { role: string; content: unknown }[];
  tools?: { name: string }[];
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  /** Path with query, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  json?: unknown;
  raw: string;
}

/** A fixed reply, or one computed from the request (e.g. echo a tool result). */
export type Turn = Reply | ((body: MessagesBody) => Reply);

export interface FakeAnthropicOptions {
  script: Turn[];
  /** Interface to bind: loopback by default; `0.0.0.0` so containers reach it. */
  host?: string;
  /** Which message requests are agent turns; the rest get `sideReply`. Default: those offering tools. */
  isAgentTurn?: (body: MessagesBody) => boolean;
  /** Answer to side requests (titles, summaries) that are not agent turns. */
  sideReply?: Reply;
  /** Print each request on stderr while developing. */
  log?: boolean;
}

export interface FakeAnthropic {
  /** Base URL for ANTHROPIC_BASE_URL (uses the bound host; replace it for containers). */
  url: string;
  port: number;
  /** Every request, in order. */
  requests: RecordedRequest[];
  /** Bodies of the agent turns, in order. */
  turns: MessagesBody[];
  /** Agent turns answered so far. */
  readonly used: number;
  /** Problems such as an exhausted script; tests should expect this to be empty. */
  errors: string[];
  close(): Promise<void>;
}

function hasTools(body: MessagesBody): boolean {
  return Array.isArray(body.tools) && body.tools.length > 0;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function isMessagesBody(v: unknown): v is MessagesBody {
  return typeof v === "object" && v !== null && Array.isArray((v as { messages?: unknown }).messages);
}

export async function startFakeAnthropic(opts: FakeAnthropicOptions): Promise<FakeAnthropic> {
  const isAgentTurn = opts.isAgentTurn ?? hasTools;
  const requests: RecordedRequest[] = [];
  const turns: MessagesBody[] = [];
  const errors: string[] = [];
  let used = 0;

  const answer = (res: ServerResponse, body: MessagesBody, reply: Reply): void => {
    const msg = toMessage(reply, body.model);
    if (body.stream) sendStream(res, msg);
    else sendJson(res, 200, msg);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const url = req.url ?? "/";
    const path = url.split("?")[0] ?? "/";
    const json = parseJson(raw);
    requests.push({ method: req.method ?? "GET", url, headers: req.headers, json, raw });
    if (opts.log) process.stderr.write(`fake-anthropic: ${req.method} ${url} ${raw.length}B\n`);

    // The CLI probes the base URL with HEAD / before its first call.
    if (req.method === "HEAD" || (req.method === "GET" && path === "/")) {
      res.writeHead(200).end();
      return;
    }
    if (req.method === "POST" && path === "/v1/messages/count_tokens") {
      sendJson(res, 200, { input_tokens: Math.ceil(raw.length / 4) });
      return;
    }
    if (req.method === "POST" && path === "/v1/messages") {
      if (!isMessagesBody(json)) {
        sendError(res, 400, "invalid_request_error", "fake-anthropic: body is not a Messages request");
        return;
      }
      if (!isAgentTurn(json)) {
        answer(res, json, opts.sideReply ?? { text: "ok" });
        return;
      }
      turns.push(json);
      const turn = opts.script[used];
      if (!turn) {
        const msg = `fake-anthropic: script exhausted (agent turn ${used + 1}, script has ${opts.script.length})`;
        errors.push(msg);
        sendError(res, 400, "invalid_request_error", msg);
        return;
      }
      used += 1;
      answer(res, json, typeof turn === "function" ? turn(json) : turn);
      return;
    }
    errors.push(`fake-anthropic: unexpected ${req.method} ${url}`);
    sendError(res, 404, "not_found_error", `fake-anthropic: no route for ${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    readBody(req).then(
      (raw) => handle(req, res, raw),
      (err: unknown) => sendError(res, 400, "invalid_request_error", String(err)),
    );
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === "0.0.0.0" ? "127.0.0.1" : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    requests,
    turns,
    get used() {
      return used;
    },
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** All text the model was shown in one request: system prompt, messages, tool results. */
export function textOf(body: MessagesBody): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.text === "string") out.push(o.text);
      if (o.content !== undefined) walk(o.content);
    }
  };
  walk(body.system);
  walk(body.messages);
  return out.join("\n");
}

/** Tool results the client sent back in this request (the last user message). */
export function toolResults(body: MessagesBody): { tool_use_id: string; content: string; is_error: boolean }[] {
  const last = body.messages.at(-1);
  if (!last || !Array.isArray(last.content)) return [];
  return (last.content as Record<string, unknown>[])
    .filter((b) => b.type === "tool_result")
    .map((b) => ({
      tool_use_id: String(b.tool_use_id),
      content: textOf({ model: "", messages: [{ role: "user", content: b.content }] }),
      is_error: b.is_error === true,
    }));
}
