/** Small HTTP pieces shared by the proxy and the model routes. */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

/** Headers that describe one connection, not the message; never forwarded. */
const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
  "te", "trailer", "transfer-encoding", "upgrade",
]);

/** Copies headers minus hop-by-hop ones, those named in `Connection`, and `drop`. */
export function forwardHeaders(headers: IncomingHttpHeaders, drop: Set<string> = new Set()): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || named.has(k) || drop.has(k)) continue;
    out[k] = v;
  }
  return out;
}

export class BodyTooLarge extends Error {}

/** Reads a request body of at most `limit` bytes; past it, stops reading and rejects. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge(`request body of ${declared} bytes is over the ${limit}-byte limit`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limit) {
        req.off("data", onData);
        reject(new BodyTooLarge(`request body is over the ${limit}-byte limit`));
        return;
      }
      chunks.push(c);
    };
    req.on("data", onData);
    let ended = false;
    req.on("end", () => {
      ended = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on("error", reject);
    // Every request closes; only one closed before its end is an error (and only then is one made, stack and all).
    req.on("close", () => {
      if (!ended) reject(new Error("client closed the request"));
    });
  });
}

/** The run token of a proxy request: `Proxy-Authorization: Basic` with the token as password (or user). */
export function proxyToken(headers: IncomingHttpHeaders): string | undefined {
  const v = headers["proxy-authorization"];
  if (typeof v !== "string") return undefined;
  const m = /^basic\s+(\S+)$/i.exec(v.trim());
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const pass = colon < 0 ? "" : decoded.slice(colon + 1);
  return pass || user || undefined;
}

/** The run token of a model request, from whichever header the CLI sends its key in. */
export function modelToken(headers: IncomingHttpHeaders, query: URLSearchParams): string | undefined {
  const apiKey = headers["x-api-key"] ?? headers["x-goog-api-key"];
  if (typeof apiKey === "string" && apiKey) return apiKey.trim();
  const auth = headers.authorization;
  if (typeof auth === "string") {
    const m = /^bearer\s+(\S+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1];
  }
  return query.get("key") ?? undefined;
}
