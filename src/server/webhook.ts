/**
 * POST /webhooks as pure functions: check the headers before reading the
 * body, then (once body.ts has read and verified it) parse and store. The
 * HTTP adapter only moves bytes.
 */
import type { DeliveryInput } from "../store/types.js";
import { DEFAULT_MAX_BODY_BYTES } from "./settings.js";
import { parseSignature } from "./body.js";
import { repoNameProblem } from "./repo-filter.js";

export type Headers = Record<string, string | string[] | undefined>;

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export interface WebhookDeps {
  /** Durable write; false when the delivery id or the body is already stored. */
  record(delivery: DeliveryInput): Promise<boolean>;
  now(): number;
}

export function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export const fail = (status: number, error: string): Reply => ({ status, body: { error } });

/** Everything decidable from the headers alone; undefined means "read the body". */
export function checkWebhookHeaders(headers: Headers, maxBytes = DEFAULT_MAX_BODY_BYTES): Reply | undefined {
  const type = header(headers, "content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return fail(415, `Content-Type must be application/json, got "${type || "(none)"}"; set the webhook's content type to application/json`);
  }
  const length = Number(header(headers, "content-length") ?? "0");
  if (length > maxBytes) return fail(413, `payload of ${length} bytes is above the ${maxBytes}-byte limit (gitcrew serve --max-body)`);
  const missing = ["x-github-event", "x-github-delivery"].filter((h) => !header(headers, h));
  if (missing.length) return fail(400, `missing header ${missing.join(", ")}`);
  const signature = header(headers, "x-hub-signature-256");
  if (!signature) return fail(401, "missing X-Hub-Signature-256: configure the webhook secret on GitHub");
  if (!parseSignature(signature)) return fail(401, "X-Hub-Signature-256 is not sha256= and 64 hex digits");
  return undefined;
}

export const BAD_SIGNATURE = fail(401, "signature does not match: check that the webhook secret (GITCREW_WEBHOOK_SECRET_FILE) is the secret configured on GitHub");

/** Parse and durably store one verified delivery: 202 once it is on disk. `key` is its verified signature. */
export async function acceptWebhook(headers: Headers, body: string, key: string, deps: WebhookDeps): Promise<Reply> {
  const id = header(headers, "x-github-delivery") ?? "";
  const event = header(headers, "x-github-event") ?? "";
  let repo: string | undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== "object") return fail(400, "payload is not a JSON object");
    // The delivery's repository for the store (views and claims by repository): only a name of GitHub's shape.
    const name = (parsed as { repository?: { full_name?: unknown } }).repository?.full_name;
    if (typeof name === "string" && !repoNameProblem(name)) repo = name;
  } catch {
    return fail(400, "payload is not valid JSON");
  }
  const fresh = await deps.record({ id, event, payload: body, receivedAt: deps.now(), bodyKey: key, ...(repo ? { repo } : {}) });
  return { status: 202, body: fresh ? { accepted: id } : { accepted: id, duplicate: true } };
}
