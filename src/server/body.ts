/** Read a request body up to a limit; stop reading (and say so) as soon as it is exceeded. */
import type { IncomingMessage } from "node:http";

export type Body = { ok: true; text: string } | { ok: false; reason: "too-large" | "aborted" };

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Body> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (body: Body) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        return finish({ ok: false, reason: "too-large" });
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    // A body that came in one chunk (the usual webhook) is decoded without copying it first.
    const text = () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString("utf8");
    req.on("end", () => finish({ ok: true, text: text() }));
    req.on("aborted", () => finish({ ok: false, reason: "aborted" }));
    req.on("error", () => finish({ ok: false, reason: "aborted" }));
    req.on("close", () => finish(req.complete ? { ok: true, text: text() } : { ok: false, reason: "aborted" }));
  });
}
