/**
 * Read a webhook body while verifying it: the HMAC-SHA256 is updated with each
 * chunk as it arrives and compared in constant time at the end, so the body is
 * never read twice and an unverified body is never decoded or parsed. Bytes
 * held by unverified bodies are bounded twice: per request (`maxBytes`) and
 * across all requests (a shared ByteBudget), so that many connections sending
 * large bodies cannot grow the process.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export type SignedBody =
  | { ok: true; text: string; /** The verified signature, hex: a keyed hash of the body. */ key: string }
  | { ok: false; reason: "too-large" | "busy" | "bad-signature" | "aborted" };

/** Bytes of request bodies held at once, across requests. */
export class ByteBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  get inUse(): number {
    return this.used;
  }

  /** A holder for one request: takes bytes as they arrive, gives all of them back once. */
  hold(): { take(n: number): boolean; release(): void } {
    let held = 0;
    return {
      take: (n) => {
        if (this.used + n > this.limit) return false;
        this.used += n;
        held += n;
        return true;
      },
      release: () => {
        this.used -= held;
        held = 0;
      },
    };
  }
}

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** The expected digest from X-Hub-Signature-256, or undefined when the header is not one. */
export function parseSignature(header: string): Buffer | undefined {
  const m = SIGNATURE.exec(header.trim());
  return m ? Buffer.from(m[1] ?? "", "hex") : undefined;
}

export function readSignedBody(
  req: IncomingMessage,
  o: { secret: string; expected: Buffer; maxBytes: number; take(n: number): boolean },
): Promise<SignedBody> {
  return new Promise((resolve) => {
    const hmac = createHmac("sha256", o.secret);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (body: SignedBody) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      if (!body.ok) chunks.length = 0;
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > o.maxBytes) return (req.pause(), finish({ ok: false, reason: "too-large" }));
      if (!o.take(chunk.length)) return (req.pause(), finish({ ok: false, reason: "busy" }));
      hmac.update(chunk);
      chunks.push(chunk);
    };
    const end = () => {
      if (settled) return;
      const digest = hmac.digest();
      if (digest.length !== o.expected.length || !timingSafeEqual(digest, o.expected)) return finish({ ok: false, reason: "bad-signature" });
      // A body that came in one chunk (the usual webhook) is decoded without copying it first.
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString("utf8");
      finish({ ok: true, text, key: digest.toString("hex") });
    };
    req.on("data", onData);
    req.on("end", end);
    req.on("aborted", () => finish({ ok: false, reason: "aborted" }));
    req.on("error", () => finish({ ok: false, reason: "aborted" }));
    req.on("close", () => (req.complete ? end() : finish({ ok: false, reason: "aborted" })));
  });
}
