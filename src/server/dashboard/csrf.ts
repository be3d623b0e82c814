/**
 * Cross-site request forgery: a change asked with a session cookie must carry
 * the session's token in `x-gitcrew-csrf` (only our page can read it, from
 * /api/session) and come from our own origin. Requests with the API token
 * carry no cookie and need neither.
 */
import { timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** Origins our page is served from: the public URL's, or the Host's (http or https) without one. */
export function ownOrigins(publicUrl: string | undefined, host: string | undefined): string[] {
  if (publicUrl) return [new URL(publicUrl).origin];
  return host ? [`http://${host}`, `https://${host}`] : [];
}

/** Why this change is refused, or undefined when it may go on. */
export function csrfProblem(headers: IncomingHttpHeaders, csrf: string, origins: string[]): string | undefined {
  const given = headers["x-gitcrew-csrf"];
  if (typeof given !== "string" || !sameText(given, csrf)) return "missing or wrong x-gitcrew-csrf header: reload the page";
  const origin = headers.origin;
  if (typeof origin !== "string" || !origins.includes(origin)) return "this change must come from the dashboard's own page (Origin)";
  return undefined;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
