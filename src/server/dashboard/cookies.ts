/** The dashboard's two cookies: the session, and the OAuth state while GitHub asks the person. */

export const SESSION_COOKIE = "gitcrew_session";
export const OAUTH_COOKIE = "gitcrew_oauth";
/** A session lasts a working day; then GitHub is asked again. */
export const SESSION_SECONDS = 8 * 3600;
export const OAUTH_SECONDS = 600;

/** Cookie values we set are base64url (and `.`): anything else is not ours and is ignored. */
const VALUE = /^[A-Za-z0-9_.-]{1,1200}$/;

/** The value of cookie `name` in a Cookie header; a value of another shape counts as absent. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return VALUE.test(value) ? value : undefined;
  }
  return undefined;
}

export function setCookie(name: string, value: string, o: { path: string; maxAge: number; secure: boolean }): string {
  return `${name}=${value}; Path=${o.path}; Max-Age=${o.maxAge}; HttpOnly; SameSite=Lax${o.secure ? "; Secure" : ""}`;
}

export function clearCookie(name: string, o: { path: string; secure: boolean }): string {
  return setCookie(name, "", { ...o, maxAge: 0 });
}
