/**
 * Links the page makes from server data (a trigger comment, a pull request)
 * point at GitHub: only an absolute https: URL, or one on the configured
 * GitHub web URL's origin (an http:// GitHub double in tests). Anything
 * else (javascript:, data:, relative, credentials in the URL) gives no link,
 * and the text is shown alone.
 */
export function safeLink(raw: unknown, webUrl?: string): string | undefined {
  if (typeof raw !== "string" || raw.length > 2048) return undefined;
  const url = parse(raw);
  if (!url || url.username !== "" || url.password !== "") return undefined;
  if (url.protocol === "https:") return url.href;
  const web = webUrl === undefined ? undefined : parse(webUrl);
  if (web && (web.protocol === "http:" || web.protocol === "https:") && url.origin === web.origin) return url.href;
  return undefined;
}

/** An avatar only from GitHub's avatar host (the CSP allows no other image source). */
export function safeAvatar(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const url = parse(raw);
  return url && url.protocol === "https:" && url.host === "avatars.githubusercontent.com" && url.username === "" ? url.href : undefined;
}

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
