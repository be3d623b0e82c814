/**
 * The dashboard of `gitcrew serve`, on the server's own port: the built page
 * (static.ts), sign-in with GitHub (oauth.ts, sessions.ts), and every /api
 * route for the API token or a session, with CSRF checks on changes
 * (csrf.ts) and per-repository access (access.ts, principal.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Store } from "../../store/types.js";
import { hasApiToken, WRONG_TOKEN, type ApiDeps } from "../api.js";
import { RepoAccess, type RoleLookup } from "./access.js";
import { csrfProblem, ownOrigins } from "./csrf.js";
import { OAuth } from "./oauth.js";
import { Gate, type Principal } from "./principal.js";
import { fail, json, page, write, type Answer } from "./respond.js";
import { routeDashboardApi, type DashboardProviders } from "./routes.js";
import { SessionKeeper } from "./sessions.js";
import { defaultDashboardDir, StaticFiles } from "./static.js";
import { streamRun } from "./stream.js";

export type { DashboardProviders } from "./routes.js";

export interface DashboardOptions {
  store: Store;
  api: ApiDeps;
  apiToken: string;
  now(): number;
  log(line: string): void;
  /** Sign-in with GitHub; absent: the page says sign-in is not configured, and only the API token works. */
  oauth?: { clientId: string; clientSecret: string; webUrl: string; apiUrl: string };
  /** How browsers reach the server; default: the address it listens on. */
  publicUrl?: string;
  /** A person's role in a repository, asked with the server's own token. */
  roles?: RoleLookup;
  /** How long a role is trusted before GitHub is asked again (ms; 60 s). */
  accessTtlMs?: number;
  /** The built page (default: dist/dashboard beside the bundle). */
  dir?: string;
  providers?: DashboardProviders;
  /** Log poll interval of streams (ms). */
  streamPollMs?: number;
  /** How often a session's stream checks the session and access again (ms; 30 s). */
  streamRecheckMs?: number;
}

/** Query strings longer than this are refused (414) before anything reads them. */
export const MAX_QUERY = 2048;

export class Dashboard {
  private readonly files: StaticFiles;
  private readonly sessions: SessionKeeper;
  private readonly access?: RepoAccess;
  private readonly gate: Gate;
  private listenUrl = "";
  private oauthFlow?: OAuth;

  constructor(private readonly o: DashboardOptions) {
    this.files = new StaticFiles(o.dir ?? defaultDashboardDir());
    this.sessions = new SessionKeeper(o.store, o.now, Boolean(o.publicUrl?.startsWith("https:")));
    this.access = o.roles ? new RepoAccess(o.roles, o.now, o.log, o.accessTtlMs) : undefined;
    this.gate = new Gate(this.access);
  }

  /** The address the server listens on, the public URL's stand-in when none is given. */
  listening(url: string): void {
    this.listenUrl = url;
  }

  private get publicUrl(): string {
    return (this.o.publicUrl ?? this.listenUrl).replace(/\/+$/, "");
  }

  private get oauth(): OAuth | undefined {
    if (!this.o.oauth) return undefined;
    this.oauthFlow ??= new OAuth({ ...this.o.oauth, publicUrl: this.publicUrl }, this.sessions, this.publicUrl.startsWith("https:"), this.o.log);
    return this.oauthFlow;
  }

  /** Whether the dashboard answers this path (everything else stays with http.ts). */
  owns(pathname: string): boolean {
    return pathname === "/" || pathname.startsWith("/ui/") || pathname.startsWith("/assets/") || pathname.startsWith("/auth/") || pathname.startsWith("/api/");
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? "/";
    const method = req.method ?? "GET";
    const query = raw.indexOf("?");
    if (query >= 0 && raw.length - query - 1 > MAX_QUERY) {
      return write(res, raw.startsWith("/api/") ? fail(414, `query string above ${MAX_QUERY} bytes`) : page(414, "Request too long", `The address is longer than ${MAX_QUERY} bytes.`));
    }
    const url = new URL(raw, "http://localhost");
    const head = method === "HEAD";
    if (url.pathname.startsWith("/api/")) return this.api(req, res, url, method);
    if (url.pathname.startsWith("/auth/")) return write(res, await this.auth(req, url, method));
    if (method !== "GET" && !head) return write(res, page(405, "Method not allowed", `Use GET ${url.pathname}.`, { allow: "GET, HEAD" }));
    if (url.pathname.startsWith("/assets/")) return write(res, this.files.asset(url.pathname.slice(8)), head);
    return write(res, this.files.index(), head);
  }

  private async auth(req: IncomingMessage, url: URL, method: string): Promise<Answer> {
    const oauth = this.oauth;
    if (url.pathname === "/auth/logout") {
      if (method !== "POST") return page(405, "Method not allowed", "Sign out with POST /auth/logout.", { allow: "POST" });
      const active = await this.sessions.resolve(req.headers.cookie);
      if (!active) return json(200, { signedOut: true }, { "set-cookie": this.sessions.clear() });
      const problem = csrfProblem(req.headers, active.session.csrf, ownOrigins(this.o.publicUrl, req.headers.host));
      if (problem) return fail(403, problem);
      return json(200, { signedOut: true }, { "set-cookie": await this.sessions.end(active.idHash) });
    }
    if (url.pathname !== "/auth/login" && url.pathname !== "/auth/callback") return page(404, "Not found", "No such page.");
    if (method !== "GET") return page(405, "Method not allowed", `Use GET ${url.pathname}.`, { allow: "GET" });
    if (!oauth) return page(503, "Sign-in is not configured", "Start gitcrew serve with --oauth-client-id and --oauth-client-secret-file to sign in with GitHub.");
    return url.pathname === "/auth/login" ? oauth.login(url) : oauth.callback(url, req.headers.cookie);
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    let parts: string[];
    try {
      parts = url.pathname.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
    } catch {
      return write(res, fail(400, "the path is not valid percent-encoding"));
    }
    const who = await this.principal(req);
    if ("status" in who) return write(res, who);
    if (who.kind === "session" && method !== "GET" && method !== "HEAD") {
      const problem = csrfProblem(req.headers, who.session.csrf, ownOrigins(this.o.publicUrl, req.headers.host));
      if (problem) return write(res, fail(403, problem));
    }
    const lastId = req.headers["last-event-id"];
    const routed = await routeDashboardApi(method, url, parts, who, {
      store: this.o.store,
      api: this.o.api,
      gate: this.gate,
      now: this.o.now,
      providers: this.providers,
      ...(this.o.oauth ? { webUrl: this.o.oauth.webUrl } : {}),
      ...(typeof lastId === "string" ? { lastEventId: lastId } : {}),
    });
    if ("stream" in routed) {
      const { runId, after, repo } = routed.stream;
      const stillAllowed =
        who.kind === "session" ? async () => (await this.o.store.sessions.get(who.idHash, this.o.now())) !== undefined && this.gate.canRead(who, repo) : undefined;
      return streamRun(req, res, { store: this.o.store, runId, after, pollMs: this.o.streamPollMs, ...(stillAllowed ? { stillAllowed } : {}), recheckMs: this.o.streamRecheckMs });
    }
    write(res, routed);
  }

  private get providers(): DashboardProviders {
    const p = this.o.providers ?? {};
    return { ...p, githubProblem: () => p.githubProblem?.() ?? this.recentGitHubProblem() };
  }

  private recentGitHubProblem(): string | undefined {
    const e = this.access?.lastError;
    return e && this.o.now() - e.at < 5 * 60_000 ? "a permission lookup on GitHub failed; see the server's log" : undefined;
  }

  /** The API token (a wrong one is refused, never tried as a session), else the session cookie. */
  private async principal(req: IncomingMessage): Promise<Principal | Answer> {
    if (req.headers.authorization !== undefined) {
      return hasApiToken(req.headers.authorization, this.o.apiToken) ? { kind: "token" } : fail(401, WRONG_TOKEN);
    }
    const active = await this.sessions.resolve(req.headers.cookie);
    if (active) return { kind: "session", ...active };
    const signIn = this.o.oauth !== undefined;
    const why = this.sessions.hasCookie(req.headers.cookie)
      ? "your session has expired or is not valid: sign in again"
      : signIn
        ? "sign in with GitHub, or use the API token"
        : "sign-in is not configured on this server: use the API token";
    return json(401, { error: why, signIn }, this.sessions.hasCookie(req.headers.cookie) ? { "set-cookie": this.sessions.clear() } : {});
  }
}
