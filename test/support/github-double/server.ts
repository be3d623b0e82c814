/**
 * The HTTP side: parse, match to an OpenAPI operation, validate the request,
 * inject faults, authenticate, run the handler, validate the response.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpError, type Handler, type ProducedEvent, type Reply, type RouteContext } from "./context.js";
import type { Faults } from "./faults.js";
import type { OAuthWeb } from "./oauth.js";
import type { Shapes } from "./objects.js";
import { missingPermission } from "./permissions.js";
import { loadSpec, type Json, type JsonObject } from "./spec.js";
import type { DoubleState } from "./state.js";
import type { OpenApiValidator, Violation } from "./validator.js";

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  operationId?: string;
  params: Record<string, string>;
  body: Json | undefined;
  actor?: string;
  status: number;
  response: Json | undefined;
  /** Set when the reply came from failure injection. */
  injected: boolean;
  /** Set when an installation token lacked the permission (GitHub's 403). */
  refused?: string;
}

export interface ServerDeps {
  state: DoubleState;
  validator: OpenApiValidator;
  faults: Faults;
  routes: Record<string, Handler>;
  shapes: () => Shapes;
  log: LoggedRequest[];
  violations: Violation[];
  emit(event: ProducedEvent): void;
  /** What a request to the operation waits for before it is handled (latency, or a request held until something happened). */
  delay(operationId: string): Promise<unknown> | undefined;
  /** `permissions` only for installation tokens, which GitHub holds to what they were minted with. */
  authenticate(header: string | undefined): { actor?: string; permissions?: Record<string, string>; repositories?: Set<string>; error?: HttpError };
  /** github.com's OAuth web flow, which is not part of the REST description (see oauth.ts). */
  oauth: OAuthWeb;
}

const MAX_BODY = 32 * 1024 * 1024;

export async function listen(deps: ServerDeps): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    handle(deps, req, res).catch((err: unknown) => {
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      send(res, { status: 500, body: { message: `github double crashed: ${message}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new HttpError(413, "Payload too large");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const raw = await readBody(req);
  const entry: LoggedRequest = {
    method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    params: {},
    body: undefined,
    status: 0,
    response: undefined,
    injected: false,
  };
  const violate = (v: Omit<Violation, "method" | "path">): Reply => {
    const violation: Violation = { ...v, method, path: url.pathname };
    deps.violations.push(violation);
    return { status: 500, body: { message: `github double: ${v.kind} violation: ${v.message}` } };
  };
  const finish = (reply: Reply): void => {
    entry.status = reply.status;
    entry.response = reply.body;
    deps.log.push(entry);
    send(res, reply);
  };

  const web = deps.oauth.handle(method, url, raw, req.headers);
  if (web) {
    entry.operationId = web.step;
    entry.status = web.status;
    deps.log.push(entry);
    res.writeHead(web.status, web.headers).end(web.text);
    return;
  }
  if (raw.length > 0) {
    try {
      entry.body = JSON.parse(raw) as Json;
    } catch {
      return finish(violate({ kind: "request", message: "body is not valid JSON" }));
    }
  }
  const match = loadSpec().match(method, url.pathname);
  if (!match) {
    return finish(violate({ kind: "unknown-route", message: `no operation for ${method} ${url.pathname}` }));
  }
  entry.operationId = match.operationId;
  entry.params = match.pathParams;
  const operationId = match.operationId;
  const problems = deps.validator.validateRequest(match, url.searchParams, entry.body, req.headers["content-type"]);
  if (problems.length > 0) return finish(violate({ kind: "request", operationId, message: problems.join("; ") }));

  const waited = deps.delay(operationId);
  if (waited) await waited;
  const injected = deps.faults.take(operationId);
  if (injected) {
    entry.injected = true;
    return finish(injected);
  }
  const auth = deps.authenticate(req.headers.authorization);
  if (auth.error) return finish(auth.error.toReply());
  entry.actor = auth.actor;
  const missing = auth.permissions && missingPermission(operationId, auth.permissions);
  if (missing) {
    entry.refused = missing;
    return finish({ status: 403, body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" } });
  }
  if (auth.repositories && outsideRepositories(deps, match.pathParams, auth.repositories)) {
    entry.refused = "repository";
    return finish({ status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } });
  }

  const handler = deps.routes[operationId];
  if (!handler) {
    return finish(violate({ kind: "unimplemented", operationId, message: `the double does not implement ${operationId}` }));
  }
  const ctx: RouteContext = {
    state: deps.state,
    shapes: deps.shapes(),
    match,
    params: match.pathParams,
    query: url.searchParams,
    body: isObject(entry.body) ? entry.body : {},
    headers: req.headers,
    actor: auth.actor,
    emit: deps.emit,
  };
  let reply: Reply;
  try {
    reply = await handler(ctx);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    reply = err.toReply();
  }
  reply = deps.faults.corrupt(operationId, reply);
  const wrong = deps.validator.validateResponse(match, reply.status, reply.body);
  if (wrong.length > 0) return finish(violate({ kind: "response", operationId, message: wrong.join("; ") }));
  // The work is done; the caller is told it failed.
  const late = deps.faults.takeAfter(operationId);
  if (late) {
    entry.injected = true;
    return finish(late);
  }
  finish(reply);
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function send(res: ServerResponse, reply: Reply): void {
  const reset = String(Math.ceil(Date.now() / 1000) + 3600);
  const headers: Record<string, string> = {
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4999",
    "x-ratelimit-reset": reset,
    "x-ratelimit-resource": "core",
    "x-github-request-id": `DOUBLE:${Date.now().toString(16)}`,
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  const text = JSON.stringify(reply.body);
  headers["content-type"] = "application/json; charset=utf-8";
  res.writeHead(reply.status, headers).end(text);
}

/** A token minted for some repositories sees another repository only when it is public, as on GitHub. */
function outsideRepositories(deps: ServerDeps, params: Record<string, string>, repositories: Set<string>): boolean {
  const { owner, repo } = params;
  if (!owner || !repo || repositories.has(`${owner}/${repo}`.toLowerCase())) return false;
  const record = deps.state.repo(owner, repo);
  return !record || record.private;
}
