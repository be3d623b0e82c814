/**
 * Sign-in with GitHub (the web application flow of a GitHub App or an OAuth
 * app): /auth/login sends the browser to GitHub with a random state bound to
 * an HttpOnly cookie; /auth/callback checks the state, trades the code for
 * the person's token, asks GitHub who they are, and throws the token away.
 * Only a session (store/sessions.ts) remains.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { errorMessage } from "../../util/errors.js";
import { OAUTH_COOKIE, OAUTH_SECONDS, clearCookie, readCookie, setCookie } from "./cookies.js";
import { safeNext } from "./next-path.js";
import { page, redirect, type Answer } from "./respond.js";
import type { GitHubUser, SessionKeeper } from "./sessions.js";

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** Where browsers reach this server (the callback is `${publicUrl}/auth/callback`). */
  publicUrl: string;
  /** GitHub's web address (https://github.com, or GitHub Enterprise). */
  webUrl: string;
  /** GitHub's REST API (https://api.github.com). */
  apiUrl: string;
}

/** A reply from GitHub larger than this is not a token answer or a user. */
const MAX_GITHUB_REPLY = 64 * 1024;
const GITHUB_TIMEOUT_MS = 10_000;

export class OAuth {
  constructor(
    private readonly o: OAuthSettings,
    private readonly sessions: SessionKeeper,
    private readonly secure: boolean,
    private readonly log: (line: string) => void,
  ) {}

  private get redirectUri(): string {
    return `${this.o.publicUrl}/auth/callback`;
  }

  login(url: URL): Answer {
    const next = safeNext(url.searchParams.get("next"));
    if (next === undefined) return page(400, "Sign-in refused", "The page to return to must be a path on this server.");
    const state = randomBytes(32).toString("base64url");
    const authorize = new URL(`${this.o.webUrl}/login/oauth/authorize`);
    authorize.search = new URLSearchParams({ client_id: this.o.clientId, redirect_uri: this.redirectUri, state, allow_signup: "false" }).toString();
    const bound = `${state}.${Buffer.from(next).toString("base64url")}`;
    return redirect(authorize.toString(), [setCookie(OAUTH_COOKIE, bound, { path: "/auth", maxAge: OAUTH_SECONDS, secure: this.secure })]);
  }

  async callback(url: URL, cookieHeader: string | undefined): Promise<Answer> {
    const clear = clearCookie(OAUTH_COOKIE, { path: "/auth", secure: this.secure });
    const refuse = (status: number, text: string): Answer => page(status, "Sign-in failed", text, { "set-cookie": [clear] });
    const bound = readCookie(cookieHeader, OAUTH_COOKIE);
    const [expected = "", nextCoded = ""] = (bound ?? "").split(".");
    const state = url.searchParams.get("state") ?? "";
    const code = url.searchParams.get("code") ?? "";
    if (!bound || !expected || !sameText(state, expected)) {
      return refuse(400, "The sign-in did not start here, or took too long (its state does not match). Sign in again from the dashboard.");
    }
    if (url.searchParams.get("error")) return refuse(403, "GitHub did not sign you in (access was denied).");
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(code)) return refuse(400, "GitHub's answer has no usable code. Sign in again.");
    const next = safeNext(Buffer.from(nextCoded, "base64url").toString("utf8")) ?? "/";
    let user: GitHubUser;
    try {
      user = await this.whoIs(await this.exchange(code));
    } catch (err) {
      // The log names the step; the page says nothing GitHub or the exchange carried.
      this.log(`dashboard: sign-in failed: ${errorMessage(err)}`);
      return refuse(502, "GitHub did not confirm the sign-in. Try again; if it keeps failing, the server's OAuth client id and secret may be wrong.");
    }
    const session = await this.sessions.start(user);
    return redirect(next, [clear, session]);
  }

  /** The code for the person's token (used once, for GET /user, then dropped). */
  private async exchange(code: string): Promise<string> {
    const res = await fetch(`${this.o.webUrl}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ client_id: this.o.clientId, client_secret: this.o.clientSecret, code, redirect_uri: this.redirectUri }),
      signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
    });
    const body = (await boundedJson(res)) as { access_token?: unknown; error?: unknown };
    if (!res.ok || typeof body.access_token !== "string" || !body.access_token) {
      throw new Error(`POST /login/oauth/access_token answered ${res.status}${typeof body.error === "string" ? ` (${body.error.slice(0, 60)})` : ""}`);
    }
    return body.access_token;
  }

  private async whoIs(token: string): Promise<GitHubUser> {
    const res = await fetch(`${this.o.apiUrl}/user`, {
      headers: { accept: "application/vnd.github+json", authorization: `Bearer ${token}`, "x-github-api-version": "2022-11-28" },
      signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
    });
    const body = (await boundedJson(res)) as { login?: unknown; id?: unknown; avatar_url?: unknown };
    if (!res.ok || typeof body.login !== "string" || typeof body.id !== "number") throw new Error(`GET /user answered ${res.status}`);
    return { login: body.login, id: body.id, ...(typeof body.avatar_url === "string" ? { avatarUrl: body.avatar_url } : {}) };
  }
}

async function boundedJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text.length > MAX_GITHUB_REPLY) throw new Error(`an answer of ${text.length} characters from GitHub`);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
