/**
 * POST /webhooks as pure functions: check the headers before reading the
 * body, then verify, parse and store. The HTTP adapter only moves bytes.
 */
import type { DeliveryInput } from "../store/types.js";

export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

export type Headers = Record<string, string | string[] | undefined>;

export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

export interface WebhookDeps {
  /** X-Hub-Signature-256 check over the exact body. */
  verify(body: string, signature: string): Promise<boolean>;
  /** Durable write; false when the delivery id is already stored. */
  record(delivery: DeliveryInput): Promise<boolean>;
  now(): number;
}

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const fail = (status: number, error: string): Reply => ({ status, body: { error } });

/** Everything decidable from the headers alone; undefined means "read the body". */
export function checkWebhookHeaders(headers: Headers, maxBytes = MAX_WEBHOOK_BYTES): Reply | undefined {
  const type = header(headers, "content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return fail(415, `Content-Type must be application/json, got "${type || "(none)"}"; set the webhook's content type to application/json`);
  }
  const length = Number(header(headers, "content-length") ?? "0");
  if (length > maxBytes) return fail(413, `payload of ${length} bytes is above the ${maxBytes}-byte limit`);
  const missing = ["x-github-event", "x-github-delivery"].filter((h) => !header(headers, h));
  if (missing.length) return fail(400, `missing header ${missing.join(", ")}`);
  if (!header(headers, "x-hub-signature-256")) return fail(401, "missing X-Hub-Signature-256: configure the webhook secret on GitHub");
  return undefined;
}

/** Verify, parse and durably store one delivery: 202 once it is on disk. */
export async function acceptWebhook(headers: Headers, body: string, deps: WebhookDeps): Promise<Reply> {
  const early = checkWebhookHeaders(headers);
  if (early) return early;
  const signature = header(headers, "x-hub-signature-256") ?? "";
  const id = header(headers, "x-github-delivery") ?? "";
  const event = header(headers, "x-github-event") ?? "";
  if (!(await deps.verify(body, signature).catch(() => false))) {
    return fail(401, "signature does not match: check that --webhook-secret is the secret configured on GitHub");
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== "object") return fail(400, "payload is not a JSON object");
  } catch {
    return fail(400, "payload is not valid JSON");
  }
  const fresh = await deps.record({ id, event, payload: body, receivedAt: deps.now() });
  return { status: 202, body: fresh ? { accepted: id } : { accepted: id, duplicate: true } };
}
