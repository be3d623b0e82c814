/**
 * Failure injection: the next N calls to an operation answer like GitHub
 * does when it throttles or breaks. These replies are cross-cutting (GitHub
 * sends them on any route), so they are not checked against the operation.
 */
import type { Reply } from "./context.js";
import type { JsonObject } from "./spec.js";

export type FaultSpec =
  /** Primary rate limit: 403 with x-ratelimit-remaining 0 and a reset time. */
  | { kind: "rate-limit"; resetInSeconds?: number }
  /** Secondary rate limit: 403 with retry-after. */
  | { kind: "secondary-rate-limit"; retryAfterSeconds?: number }
  | { kind: "too-many-requests"; retryAfterSeconds?: number }
  /** `afterProcessing`: GitHub did the work, then answered 5xx (a gateway timing out after the write). */
  | { kind: "server-error"; status?: 500 | 502 | 503 | 504; afterProcessing?: boolean }
  /** A plain permission refusal: not a rate limit, must not be retried. */
  | { kind: "forbidden" };

interface Armed {
  operationId: string;
  remaining: number;
  spec: FaultSpec;
}

/** Changes a reply the double is about to send: proves the response check works. */
export type Corruption = (body: JsonObject) => JsonObject;

export class Faults {
  private armed: Armed[] = [];
  private corruptions: { operationId: string; change: Corruption }[] = [];

  corruptNext(operationId: string, change: Corruption): void {
    this.corruptions.push({ operationId, change });
  }

  /** The reply with the first armed corruption for this operation applied. */
  corrupt(operationId: string, reply: Reply): Reply {
    const i = this.corruptions.findIndex((c) => c.operationId === operationId);
    const hit = this.corruptions[i];
    if (!hit || !reply.body || typeof reply.body !== "object" || Array.isArray(reply.body)) return reply;
    this.corruptions.splice(i, 1);
    return { ...reply, body: hit.change(structuredClone(reply.body)) };
  }

  add(operationId: string, spec: FaultSpec, times: number): void {
    this.armed.push({ operationId, remaining: times, spec });
  }

  clear(): void {
    this.armed = [];
    this.corruptions = [];
  }

  /** The injected reply for this call, consuming one use, or undefined. */
  take(operationId: string): Reply | undefined {
    return this.takeWhere(operationId, false);
  }

  /** The reply that replaces this call's real one after the handler ran (`afterProcessing`), or undefined. */
  takeAfter(operationId: string): Reply | undefined {
    return this.takeWhere(operationId, true);
  }

  private takeWhere(operationId: string, after: boolean): Reply | undefined {
    const late = (spec: FaultSpec) => spec.kind === "server-error" && spec.afterProcessing === true;
    const hit = this.armed.find((a) => a.operationId === operationId && a.remaining > 0 && late(a.spec) === after);
    if (!hit) return undefined;
    hit.remaining--;
    return replyFor(hit.spec);
  }
}

function replyFor(spec: FaultSpec): Reply {
  const docs = "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api";
  switch (spec.kind) {
    case "rate-limit": {
      const reset = Math.ceil(Date.now() / 1000) + (spec.resetInSeconds ?? 1);
      return {
        status: 403,
        headers: { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
        body: { message: "API rate limit exceeded for installation.", documentation_url: docs },
      };
    }
    case "secondary-rate-limit":
      return {
        status: 403,
        headers: { "retry-after": String(spec.retryAfterSeconds ?? 1) },
        body: { message: "You have exceeded a secondary rate limit.", documentation_url: docs },
      };
    case "too-many-requests":
      return {
        status: 429,
        headers: { "retry-after": String(spec.retryAfterSeconds ?? 1) },
        body: { message: "Too Many Requests", documentation_url: docs },
      };
    case "forbidden":
      return { status: 403, body: { message: "Resource not accessible by integration", documentation_url: docs } };
    case "server-error":
      return { status: spec.status ?? 502, body: { message: "Server Error" } };
  }
}
