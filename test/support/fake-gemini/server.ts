/**
 * A scripted Gemini API (`models/<m>:generateContent` and
 * `:streamGenerateContent?alt=sse`) on node:http, for running the real
 * Gemini CLI offline with GOOGLE_GEMINI_BASE_URL. The CLI's router call (a
 * request with a JSON response schema) gets a fixed routing answer; every
 * other request takes the next scripted text. Every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface GeminiBody {
  contents?: { role?: string; parts?: { text?: string }[] }[];
  systemInstruction?: { parts?: { text?: string }[] };
  generationConfig?: { responseJsonSchema?: unknown; responseMimeType?: string };
}

export interface RecordedGeminiRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  json?: GeminiBody;
}

export interface FakeGemini {
  url: string;
  requests: RecordedGeminiRequest[];
  /** Requests that took a scripted turn (not the router's). */
  turns: GeminiBody[];
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

/** One scripted answer: a text, or a function call; `searchQueries` make it a grounded answer (Google Search ran them). */
export type GeminiTurn = string | { text?: string; functionCall?: { name: string; args: Record<string, unknown> }; searchQueries?: string[] };

function reply(res: ServerResponse, url: string, turn: GeminiTurn): void {
  const t = typeof turn === "string" ? { text: turn } : turn;
  const parts = t.functionCall ? [{ functionCall: t.functionCall }] : [{ text: t.text ?? "" }];
  const grounding = t.searchQueries
    ? { groundingMetadata: { webSearchQueries: t.searchQueries, groundingChunks: [{ web: { uri: "https://example.com/", title: "example.com" } }] } }
    : {};
  const payload = {
    candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0, ...grounding }],
    usageMetadata: { promptTokenCount: 100, candidatesTokenCount: 20, totalTokenCount: 120 },
    modelVersion: "gemini-fake",
  };
  if (url.includes("alt=sse")) {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(`data: ${JSON.stringify(payload)}\r\n\r\n`);
  } else {
    const body = JSON.stringify(url.includes(":streamGenerateContent") ? [payload] : payload);
    res.writeHead(200, { "content-type": "application/json" }).end(body);
  }
}

export async function startFakeGemini(opts: { script: GeminiTurn[]; host?: string }): Promise<FakeGemini> {
  const requests: RecordedGeminiRequest[] = [];
  const turns: GeminiBody[] = [];
  const errors: string[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const url = req.url ?? "/";
      let json: GeminiBody | undefined;
      try {
        json = raw ? (JSON.parse(raw) as GeminiBody) : undefined;
      } catch {
        json = undefined;
      }
      requests.push({ url, headers: req.headers, json });
      if (req.method !== "POST" || !/:(stream)?[gG]enerateContent/.test(url)) {
        errors.push(`fake-gemini: unexpected ${req.method} ${url}`);
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"code":404,"message":"not found"}}');
        return;
      }
      // The CLI asks a small model to rate the task's complexity before the real turn.
      if (json?.generationConfig?.responseJsonSchema) {
        reply(res, url, JSON.stringify({ complexity_reasoning: "scripted", complexity_score: 10 }));
        return;
      }
      const turn = opts.script[turns.length];
      if (turn === undefined || !json) {
        errors.push(`fake-gemini: script exhausted at turn ${turns.length + 1}`);
        res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"code":400,"message":"fake-gemini: script exhausted"}}');
        return;
      }
      turns.push(json);
      reply(res, url, turn);
    });
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    turns,
    errors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** All text the model was shown: system instruction and contents. */
export function geminiText(body: GeminiBody | undefined): string {
  const parts = [...(body?.systemInstruction?.parts ?? []), ...(body?.contents ?? []).flatMap((c) => c.parts ?? [])];
  return parts.map((p) => p.text ?? "").join("\n");
}
