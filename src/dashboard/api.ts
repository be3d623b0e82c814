/**
 * The page's only I/O: same-origin `/api/*` with the session cookie. Actions
 * carry the session's CSRF token; a 401 anywhere means the session ended.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

let onSignedOut: (signIn: boolean) => void = () => {};
let csrf = "";

export function setSessionHooks(token: string, signedOut: (signIn: boolean) => void): void {
  csrf = token;
  onSignedOut = signedOut;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>("GET", path, signal);
}

export async function postJson<T>(path: string): Promise<T> {
  return request<T>("POST", path);
}

async function request<T>(method: string, path: string, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") headers["x-gitcrew-csrf"] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: "same-origin", cache: "no-store", ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, "the server cannot be reached");
  }
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!res.ok) {
    const message = typeof body?.error === "string" && body.error ? body.error : `the server answered ${res.status} ${res.statusText}`.trim();
    if (res.status === 401 && path !== "/api/session") onSignedOut(body?.signIn !== false);
    throw new ApiError(res.status, message, body ?? {});
  }
  if (body === undefined) throw new ApiError(res.status, "the server's answer is not JSON");
  return body as T;
}

/** Sign out: the server deletes the session and its cookie. */
export async function signOut(): Promise<void> {
  await fetch("/auth/logout", { method: "POST", headers: { "x-gitcrew-csrf": csrf }, credentials: "same-origin" }).catch(() => undefined);
}

export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
