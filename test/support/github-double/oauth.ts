/**
 * GitHub's OAuth web flow on the double: `GET /login/oauth/authorize` and
 * `POST /login/oauth/access_token`. These live on github.com, not on the REST
 * API, so GitHub's OpenAPI description does not cover them; they follow
 * GitHub's documented web application flow instead ("Authorizing OAuth apps",
 * "Generating a user access token for a GitHub App", and the two
 * "Troubleshooting ... errors" pages):
 * - authorize: client_id required; a redirect_uri that is not the registered
 *   callback sends the browser to the registered callback with
 *   error=redirect_uri_mismatch (and the state); an unknown client_id is a 404
 *   page; a signed-in user who accepts goes to redirect_uri?code=…&state=…;
 *   the code lives 10 minutes and is good once.
 * - access_token: client_id, client_secret, code (and redirect_uri when it was
 *   sent to authorize) as a form or JSON body; errors come back with status
 *   200 and an `error` field (incorrect_client_credentials,
 *   redirect_uri_mismatch, bad_verification_code); JSON when the Accept header
 *   asks for it, else form-encoded, as GitHub does.
 * The redirect_uri must equal the registered callback exactly (the rule for
 * GitHub Apps; OAuth apps also allow sub-paths, which gitcrew never uses).
 */
import { randomBytes } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { DoubleState } from "./state.js";

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  /** The one registered callback URL, e.g. `${publicUrl}/auth/callback`. */
  callbackUrl: string;
}

/** What the double answers on github.com's web paths (not JSON API replies). */
export interface WebReply {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** For the request log: which flow step this was. */
  step: "oauth/authorize" | "oauth/access-token";
}

interface Grant {
  clientId: string;
  login: string;
  redirectUri: string | undefined;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** The browser's session on the double's "github.com": a cookie the test sets (see GitHubDouble.webSessionCookie). */
export const WEB_SESSION_COOKIE = "double_user_session";

export class OAuthWeb {
  private readonly apps = new Map<string, OAuthApp>();
  private readonly grants = new Map<string, Grant>();
  private readonly sessions = new Map<string, string>();
  /** Who is signed in to "github.com" in a browser that has no session cookie; undefined: nobody. */
  signedIn: string | undefined;

  constructor(private readonly state: DoubleState) {}

  register(app: OAuthApp): void {
    this.apps.set(app.clientId, app);
  }

  /** A session cookie value for a browser in which `login` is signed in to GitHub. */
  session(login: string): string {
    this.state.user(login);
    const value = randomBytes(16).toString("hex");
    this.sessions.set(value, login);
    return value;
  }

  /** Codes handed out and not yet exchanged (for tests that check single use). */
  get outstandingCodes(): number {
    return this.grants.size;
  }

  handle(method: string, url: URL, raw: string, headers: IncomingHttpHeaders): WebReply | undefined {
    if (url.pathname === "/login/oauth/authorize" && method === "GET") return this.authorize(url.searchParams, headers);
    if (url.pathname === "/login/oauth/access_token" && method === "POST") return this.exchange(raw, headers);
    return undefined;
  }

  private authorize(q: URLSearchParams, headers: IncomingHttpHeaders): WebReply {
    const step = "oauth/authorize" as const;
    const app = this.apps.get(q.get("client_id") ?? "");
    if (!app) return { step, status: 404, headers: HTML, text: page("Not Found", "This OAuth application does not exist.") };
    const state = q.get("state");
    const redirectUri = q.get("redirect_uri") ?? undefined;
    if (redirectUri !== undefined && redirectUri !== app.callbackUrl) {
      return redirect(step, app.callbackUrl, {
        error: "redirect_uri_mismatch",
        error_description: "The redirect_uri MUST match the registered callback URL for this application.",
        error_uri: "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch",
        ...(state !== null ? { state } : {}),
      });
    }
    const login = this.browserUser(headers.cookie);
    // GitHub shows its sign-in form; a test never fills it in.
    if (!login) return { step, status: 200, headers: HTML, text: page("Sign in to GitHub", "Nobody is signed in to the GitHub double in this browser.") };
    const code = randomBytes(10).toString("hex");
    this.grants.set(code, { clientId: app.clientId, login, redirectUri, expiresAt: Date.now() + CODE_LIFETIME_MS });
    return redirect(step, redirectUri ?? app.callbackUrl, { code, ...(state !== null ? { state } : {}) });
  }

  private exchange(raw: string, headers: IncomingHttpHeaders): WebReply {
    const params = parseBody(raw, headers["content-type"]);
    const json = /application\/json/i.test(headers.accept ?? "");
    const answer = (body: Record<string, string>): WebReply => ({
      step: "oauth/access-token",
      status: 200,
      headers: { "content-type": json ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded; charset=utf-8" },
      text: json ? JSON.stringify(body) : new URLSearchParams(body).toString(),
    });
    const app = this.apps.get(params.get("client_id") ?? "");
    if (!app || params.get("client_secret") !== app.clientSecret) {
      return answer(failure("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect."));
    }
    const code = params.get("code") ?? "";
    const grant = this.grants.get(code);
    // Single use: a code is forgotten on its first exchange, whatever the outcome.
    this.grants.delete(code);
    if (!grant || grant.clientId !== app.clientId || grant.expiresAt < Date.now()) {
      return answer(failure("bad_verification_code", "The code passed is incorrect or expired."));
    }
    const redirectUri = params.get("redirect_uri") ?? undefined;
    if (grant.redirectUri !== undefined && redirectUri !== grant.redirectUri) {
      return answer(failure("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application."));
    }
    const token = `gho_${randomBytes(18).toString("base64url")}`;
    this.state.tokens.set(token, grant.login);
    return answer({ access_token: token, scope: "", token_type: "bearer" });
  }

  private browserUser(cookie: string | undefined): string | undefined {
    for (const part of (cookie ?? "").split(";")) {
      const [name, value] = part.trim().split("=");
      if (name === WEB_SESSION_COOKIE && value) return this.sessions.get(value);
    }
    return this.signedIn;
  }
}

const HTML = { "content-type": "text/html; charset=utf-8" };

function page(title: string, text: string): string {
  return `<!doctype html><title>${title}</title><h1>${title}</h1><p>${text}</p>`;
}

function redirect(step: WebReply["step"], to: string, params: Record<string, string>): WebReply {
  const target = new URL(to);
  for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
  return { step, status: 302, headers: { location: target.toString() }, text: "" };
}

function failure(error: string, description: string): Record<string, string> {
  return { error, error_description: description, error_uri: `https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#${error.replace(/_/g, "-")}` };
}

function parseBody(raw: string, contentType: string | undefined): URLSearchParams {
  if (/application\/json/i.test(contentType ?? "")) {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
        return new URLSearchParams(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
      }
    } catch {
      // An unreadable body carries no credentials: answered as such below.
    }
    return new URLSearchParams();
  }
  return new URLSearchParams(raw);
}
