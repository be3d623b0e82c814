/**
 * What the scripted model answers, and how one answer is encoded as an
 * Anthropic Messages API response: a JSON message, or the Server-Sent Events
 * stream Claude Code asks for (`stream: true`).
 */
import type { ServerResponse } from "node:http";

export interface ToolUse {
  name: string;
  input: Record<string, unknown>;
  /** Defaults to a fresh `toolu_…` id. */
  id?: string;
}

/** One assistant message: optional text, then any tool calls. */
export interface Reply {
  text?: string;
  toolUses?: ToolUse[];
  usage?: { inputTokens: number; outputTokens: number };
  /** Web searches the server ran for this answer (the `web_search_*` server tool): their blocks come first, counted in the usage. */
  webSearches?: number;
}

type Block =
  | { type: "text"; text: string }
  | { type: "tool_use" | "server_tool_use"; id: string; name: string; input: Record<string, unknown> }
  | { type: "web_search_tool_result"; tool_use_id: string; content: Record<string, unknown>[] };

export interface AssistantMessage {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: Block[];
  stop_reason: "end_turn" | "tool_use";
  stop_sequence: null;
  usage: { input_tokens: number; output_tokens: number; server_tool_use?: { web_search_requests: number } };
}

let counter = 0;
function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}_fake${String(counter).padStart(6, "0")}`;
}

export function toMessage(reply: Reply, model: string): AssistantMessage {
  const content: Block[] = [];
  for (let i = 0; i < (reply.webSearches ?? 0); i++) {
    const id = nextId("srvtoolu");
    content.push({ type: "server_tool_use", id, name: "web_search", input: { query: `search ${i + 1}` } });
    content.push({
      type: "web_search_tool_result",
      tool_use_id: id,
      content: [{ type: "web_search_result", url: `https://example.com/${i + 1}`, title: `result ${i + 1}`, encrypted_content: "ZmFrZQ==", page_age: null }],
    });
  }
  if (reply.text !== undefined) content.push({ type: "text", text: reply.text });
  for (const t of reply.toolUses ?? []) {
    content.push({ type: "tool_use", id: t.id ?? nextId("toolu"), name: t.name, input: t.input });
  }
  // An empty assistant message confuses clients; say so rather than send one.
  if (content.length === 0) content.push({ type: "text", text: "(fake-anthropic: empty reply)" });
  return {
    id: nextId("msg"),
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: reply.toolUses && reply.toolUses.length > 0 ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage?.inputTokens ?? 100,
      output_tokens: reply.usage?.outputTokens ?? 20,
      ...(reply.webSearches ? { server_tool_use: { web_search_requests: reply.webSearches } } : {}),
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** The event sequence of the streaming Messages API, one content block at a time. */
export function sendStream(res: ServerResponse, msg: AssistantMessage): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const event = (type: string, data: Record<string, unknown>): void => {
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  };
  event("message_start", {
    message: { ...msg, content: [], stop_reason: null, usage: { input_tokens: msg.usage.input_tokens, output_tokens: 1 } },
  });
  msg.content.forEach((block, index) => {
    if (block.type === "text") {
      event("content_block_start", { index, content_block: { type: "text", text: "" } });
      event("content_block_delta", { index, delta: { type: "text_delta", text: block.text } });
    } else if (block.type === "web_search_tool_result") {
      event("content_block_start", { index, content_block: block });
    } else {
      event("content_block_start", { index, content_block: { ...block, input: {} } });
      event("content_block_delta", {
        index,
        delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) },
      });
    }
    event("content_block_stop", { index });
  });
  event("message_delta", {
    delta: { stop_reason: msg.stop_reason, stop_sequence: null },
    usage: { output_tokens: msg.usage.output_tokens, ...(msg.usage.server_tool_use ? { server_tool_use: msg.usage.server_tool_use } : {}) },
  });
  event("message_stop", {});
  res.end();
}

/** Error body in the API's shape; 4xx so that the client does not retry. */
export function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: "error", error: { type, message } });
}
