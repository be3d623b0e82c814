/**
 * The GitHub route: `/github/api/…` is the container's GITHUB_API_URL and
 * `/github/git/…` the place its git fetches `https://github.com/…` from
 * (a root-owned gitconfig rewrites the URL). The container sends plain HTTP
 * with the run token; the gateway forwards to the run's GitHub (its API
 * base, its web host for git) with the run's narrowed GitHub token added,
 * which therefore never enters the container. It serves reads (the API,
 * clone and fetch); pushes and API writes are refused (github-rules.ts) and
 * recorded; a run whose agent has no GitHub permissions has no GitHub here.
 */
import { request as httpRequest, type Agent as HttpAgent, type IncomingMessage, type ServerResponse } from "node:http";
import { request as httpsRequest, type Agent as HttpsAgent } from "node:https";
import { apiRule, type Decision, gitRule } from "./github-rules.js";
import { BodyTooLarge, forwardHeaders, readBody } from "./http-util.js";
import type { RunRegistry, RunState } from "./runs.js";

export interface GitHubContext {
  runs: RunRegistry;
  maxBodyBytes: number;
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  httpAgent: HttpAgent;
  httpsAgent: HttpsAgent;
  ca?: string | Buffer | (string | Buffer)[];
}

const REALM = 'Basic realm="gitcrew run gateway"';

/**
 * What GitHub last said is left of a rate limit, per run and resource. An
 * installation's limit is shared by all its tokens, gitcrew's own included:
 * a run that spent it would leave gitcrew unable to answer anyone in the
 * installation until the hour is over. So the last part is gitcrew's.
 */
const left = new WeakMap<RunState, Map<string, { remaining: number; limit: number; reset: number }>>();
/** API requests of one run at once (each in flight until its answer ends). */
const MAX_API_IN_FLIGHT = 8;
const inFlight = new WeakMap<RunState, number>();
/** The REST and GraphQL limits are the ones gitcrew itself spends (search and others have their own). */
const KEPT_RESOURCES = new Set(["core", "graphql"]);

/** The part of a rate limit runs may not spend: a fifth, at least 100 requests (or points). */
export function githubReserve(limit: number): number {
  return Math.max(100, Math.ceil(limit / 5));
}
/** Never passed on: the container's credentials and what describes its own connection to us. */
const DROP = new Set(["host", "authorization", "content-length", "cookie", "x-http-method-override", "x-http-method", "x-method-override"]);

/** The run token: `Authorization: Bearer|token TOKEN`, or Basic with the token as password (or user), as git and curl send it. */
export function githubRunToken(headers: IncomingMessage["headers"]): string | undefined {
  const v = headers.authorization;
  if (typeof v !== "string") return undefined;
  const m = /^(bearer|token|basic)\s+(\S+)$/i.exec(v.trim());
  if (!m?.[2]) return undefined;
  if (m[1]?.toLowerCase() !== "basic") return m[2];
  const decoded = Buffer.from(m[2], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const pass = colon < 0 ? "" : decoded.slice(colon + 1);
  return pass || user || undefined;
}

function send(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  // GitHub's error shape: gh, Octokit and git show `message`.
  const body = JSON.stringify({ message: `gitcrew gateway: ${message}` });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** `rest` is the request's path after `/github`, with its query. */
export async function handleGitHub(ctx: GitHubContext, rest: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const found = ctx.runs.lookup(githubRunToken(req.headers));
  if (typeof found === "string") {
    const why = found === "missing" ? "the run token is required (Authorization: Bearer $GITCREW_RUN_TOKEN)" : found === "revoked" ? "run token expired: the run has ended" : "unknown run token";
    send(res, 401, why, { "www-authenticate": REALM });
    return;
  }
  const run = found;
  // Parsed once; what is checked below is exactly the path sent on (dot segments resolved).
  const url = new URL(rest, "http://gateway");
  const m = /^\/(api|git)(\/.*)?$/.exec(url.pathname);
  if (!m?.[1]) {
    send(res, 404, "no such route: use /github/api/… (the REST and GraphQL API) or /github/git/… (git clone and fetch)");
    return;
  }
  const kind = m[1] as "api" | "git";
  const path = m[2] ?? "/";
  const gh = run.reg.github;
  if (!gh) {
    const fallback = new URL("https://api.github.com");
    refuse(run, res, fallback, { ok: false, status: 403, reason: "this run has no GitHub access: the agent's `permissions` grant none" });
    return;
  }
  const base = new URL(kind === "api" ? gh.apiUrl : gh.gitUrl);
  if (kind === "git") {
    const d = gitRule(req.method ?? "GET", path, url.searchParams);
    if (!d.ok) {
      refuse(run, res, base, d);
      return;
    }
  }

  let body: Buffer;
  try {
    body = await readBody(req, ctx.maxBodyBytes);
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      res.setHeader("connection", "close");
      send(res, 413, err.message);
    } else res.destroy();
    return;
  }
  if (kind === "api") {
    const d = apiRule(req.method ?? "GET", path, body);
    if (!d.ok) {
      refuse(run, res, base, d);
      return;
    }
    if (d.body) body = d.body;
  }
  if (kind === "api") {
    const seen = left.get(run)?.get(path === "/graphql" ? "graphql" : "core");
    if (seen && seen.remaining < githubReserve(seen.limit) && Date.now() / 1000 < seen.reset) {
      res.setHeader("connection", "close");
      run.refuse("github", base.hostname, Number(base.port) || (base.protocol === "http:" ? 80 : 443), "the installation's GitHub rate limit is nearly spent");
      send(res, 429, `GitHub's rate limit left for this installation (${seen.remaining} of ${seen.limit}) is kept for gitcrew itself until ${new Date(seen.reset * 1000).toISOString()}`, {
        "retry-after": String(Math.max(1, Math.ceil(seen.reset - Date.now() / 1000))),
      });
      return;
    }
    // Requests sent at once are not yet counted by any answer: a burst would pass the reserve before GitHub says so.
    if ((inFlight.get(run) ?? 0) >= MAX_API_IN_FLIGHT) {
      res.setHeader("connection", "close");
      send(res, 429, `at most ${MAX_API_IN_FLIGHT} GitHub API requests of a run at once`, { "retry-after": "1" });
      return;
    }
    inFlight.set(run, (inFlight.get(run) ?? 0) + 1);
    res.once("close", () => inFlight.set(run, (inFlight.get(run) ?? 1) - 1));
  }
  let token: string;
  try {
    token = typeof gh.token === "string" ? gh.token : await gh.token();
  } catch (err) {
    send(res, 502, `no GitHub token for this run: ${(err as Error).message}`);
    return;
  }
  forward(ctx, kind, base, path, url.search, token, body, req, res, (up) => noteRateLimit(run, up.headers));
}

/** Remembers what GitHub says is left of the rate limit a response was counted against. */
function noteRateLimit(run: RunState, headers: IncomingMessage["headers"]): void {
  const resource = String(headers["x-ratelimit-resource"] ?? "");
  const [remaining, limit, reset] = ["x-ratelimit-remaining", "x-ratelimit-limit", "x-ratelimit-reset"].map((h) => Number(headers[h]));
  if (!KEPT_RESOURCES.has(resource) || !Number.isFinite(remaining) || !Number.isFinite(limit) || !Number.isFinite(reset)) return;
  let byResource = left.get(run);
  if (!byResource) left.set(run, (byResource = new Map()));
  byResource.set(resource, { remaining: remaining!, limit: limit!, reset: reset! });
}

function refuse(run: RunState, res: ServerResponse, base: URL, d: Exclude<Decision, { ok: true }>): void {
  // A refused request's body may be unread (a push's pack): the connection is not reused.
  res.setHeader("connection", "close");
  if (d.status === 403) run.refuse("github", base.hostname, Number(base.port) || (base.protocol === "http:" ? 80 : 443), d.reason);
  send(res, d.status, d.reason);
}

function upstreamPath(kind: "api" | "git", base: URL, path: string): string {
  let basePath = base.pathname.replace(/\/+$/, "");
  // GitHub Enterprise's REST API is at /api/v3, its GraphQL at /api/graphql.
  if (kind === "api" && path === "/graphql" && basePath.endsWith("/api/v3")) basePath = basePath.slice(0, -3);
  return `${basePath}${path}`;
}

function forward(
  ctx: GitHubContext,
  kind: "api" | "git",
  base: URL,
  path: string,
  search: string,
  token: string,
  body: Buffer,
  req: IncomingMessage,
  res: ServerResponse,
  onResponse: (up: IncomingMessage) => void,
): void {
  const headers: Record<string, string | string[]> = {
    ...forwardHeaders(req.headers, DROP),
    host: base.host,
    // git over HTTPS takes the token as Basic (x-access-token), the API as a bearer token.
    authorization: kind === "git" ? `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}` : `Bearer ${token}`,
    "content-length": String(body.length),
  };
  const options = {
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port || undefined,
    method: req.method,
    path: `${upstreamPath(kind, base, path)}${search}`,
    headers,
  };
  const upstream = base.protocol === "https:" ? httpsRequest({ ...options, agent: ctx.httpsAgent, ca: ctx.ca }) : httpRequest({ ...options, agent: ctx.httpAgent });
  const headersTimer = setTimeout(() => upstream.destroy(new Error(`GitHub did not answer within ${ctx.headersTimeoutMs} ms`)), ctx.headersTimeoutMs);
  upstream.on("error", (err) => {
    clearTimeout(headersTimer);
    if (res.headersSent) res.destroy();
    else send(res, 502, `cannot reach ${base.host}: ${err.message}`);
  });
  upstream.on("response", (up: IncomingMessage) => {
    clearTimeout(headersTimer);
    onResponse(up);
    res.writeHead(up.statusCode ?? 502, forwardHeaders(up.headers, new Set(["set-cookie"])));
    // Streamed as it comes (a clone's pack can be large), with back-pressure; silence past the idle time cuts it.
    let last = performance.now();
    let idle: NodeJS.Timeout | undefined;
    const check = (): void => {
      const quiet = performance.now() - last;
      if (quiet >= ctx.idleTimeoutMs) up.destroy(new Error("GitHub stalled mid-response"));
      else idle = setTimeout(check, ctx.idleTimeoutMs - quiet);
    };
    idle = setTimeout(check, ctx.idleTimeoutMs);
    up.on("data", () => (last = performance.now()));
    up.on("close", () => clearTimeout(idle));
    up.on("error", () => res.destroy());
    up.pipe(res);
  });
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.end(body);
}
