/**
 * Errors the gateway itself answers with, shaped like the provider's own so
 * the agent CLI shows them as it shows an API error. A spent budget is
 * answered in the shape each CLI treats as final rather than retryable:
 * Anthropic's 400 invalid_request_error (as for a credit balance that is too
 * low; Claude Code retries 429 and 5xx), OpenAI's 429 insufficient_quota
 * (Codex stops on it), Gemini's 400 FAILED_PRECONDITION (Gemini CLI retries
 * 429 and 5xx only).
 */
import type { ServerResponse } from "node:http";
import type { ProviderName } from "./types.js";

export type GatewayErrorKind = "auth" | "forbidden" | "too_large" | "bad_request" | "budget" | "upstream" | "timeout" | "not_found";

const STATUS: Record<GatewayErrorKind, number> = {
  auth: 401,
  forbidden: 403,
  too_large: 413,
  bad_request: 400,
  budget: 400,
  upstream: 502,
  timeout: 504,
  not_found: 404,
};

const ANTHROPIC_TYPE: Record<GatewayErrorKind, string> = {
  auth: "authentication_error",
  forbidden: "permission_error",
  too_large: "request_too_large",
  bad_request: "invalid_request_error",
  budget: "invalid_request_error",
  upstream: "api_error",
  timeout: "timeout_error",
  not_found: "not_found_error",
};

const GEMINI_STATUS: Record<GatewayErrorKind, string> = {
  auth: "UNAUTHENTICATED",
  forbidden: "PERMISSION_DENIED",
  too_large: "INVALID_ARGUMENT",
  bad_request: "INVALID_ARGUMENT",
  budget: "FAILED_PRECONDITION",
  upstream: "UNAVAILABLE",
  timeout: "DEADLINE_EXCEEDED",
  not_found: "NOT_FOUND",
};

export function errorBody(provider: ProviderName, kind: GatewayErrorKind, message: string): { status: number; body: unknown } {
  const text = `gitcrew: ${message}`;
  if (provider === "anthropic") {
    return { status: STATUS[kind], body: { type: "error", error: { type: ANTHROPIC_TYPE[kind], message: text } } };
  }
  if (provider === "openai") {
    const status = kind === "budget" ? 429 : STATUS[kind];
    const type = kind === "budget" ? "insufficient_quota" : kind === "auth" ? "invalid_request_error" : kind === "upstream" || kind === "timeout" ? "server_error" : "invalid_request_error";
    const code = kind === "budget" ? "insufficient_quota" : kind === "auth" ? "invalid_api_key" : null;
    return { status, body: { error: { message: text, type, param: null, code } } };
  }
  return { status: STATUS[kind], body: { error: { code: STATUS[kind], message: text, status: GEMINI_STATUS[kind] } } };
}

export function sendProviderError(res: ServerResponse, provider: ProviderName, kind: GatewayErrorKind, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, body } = errorBody(provider, kind, message);
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    // The Anthropic and OpenAI SDKs honour this before their own retry rules.
    ...(kind === "budget" || kind === "auth" || kind === "forbidden" ? { "x-should-retry": "false" } : {}),
  });
  res.end(text);
}
