/**
 * How the dashboard answers: JSON, HTML status pages and redirects, each with
 * the page's security headers (a strict CSP, no sniffing, no referrer off the
 * site) and, except for assets, `no-store` so no cache keeps a signed-in answer.
 */
import type { ServerResponse } from "node:http";

export const CSP =
  "default-src 'self'; img-src 'self' data: https://avatars.githubusercontent.com; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

export interface Answer {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
}

const NO_STORE = { "cache-control": "no-store" };

export function json(status: number, body: unknown, headers: Record<string, string | string[]> = {}): Answer {
  return { status, headers: { ...NO_STORE, "content-type": "application/json", ...headers }, body: JSON.stringify(body) + "\n" };
}

/** Every error body: one sentence, nothing else. */
export function fail(status: number, error: string): Answer {
  return json(status, { error });
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A status page for the browser (sign-in errors): plain HTML, no script, no style. */
export function page(status: number, title: string, text: string, headers: Record<string, string | string[]> = {}): Answer {
  const html = `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · gitcrew</title></head>\n<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><a href="/">Back to the dashboard</a></p></body></html>\n`;
  return { status, headers: { ...NO_STORE, "content-type": "text/html; charset=utf-8", ...headers }, body: html };
}

export function redirect(location: string, cookies: string[] = []): Answer {
  return { status: 302, headers: { ...NO_STORE, location, ...(cookies.length ? { "set-cookie": cookies } : {}) } };
}

export function write(res: ServerResponse, answer: Answer, headOnly = false): void {
  const body = answer.body ?? "";
  res.writeHead(answer.status, { ...SECURITY_HEADERS, ...answer.headers, "content-length": Buffer.byteLength(body) });
  res.end(headOnly ? undefined : body);
}
