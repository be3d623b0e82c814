/** What a route handler gets, and how it answers. */
import type { IncomingHttpHeaders } from "node:http";
import type { Json, JsonObject, MatchedOperation } from "./spec.js";
import type { DoubleState, RepoRecord } from "./state.js";
import type { Shapes } from "./objects.js";

export interface Reply {
  status: number;
  body?: Json;
  headers?: Record<string, string>;
}

export interface ProducedEvent {
  event: string;
  payload: JsonObject;
}

export interface RouteContext {
  state: DoubleState;
  shapes: Shapes;
  match: MatchedOperation;
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
  headers: IncomingHttpHeaders;
  /** Login the token belongs to; undefined for anonymous requests. */
  actor: string | undefined;
  /** Tells the double that GitHub would send this webhook now. */
  emit(event: ProducedEvent): void;
}

export type Handler = (ctx: RouteContext) => Reply | Promise<Reply>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: JsonObject[],
  ) {
    super(message);
  }

  toReply(): Reply {
    const body: JsonObject = { message: this.message, documentation_url: "https://docs.github.com/rest" };
    if (this.errors) body.errors = this.errors;
    if (this.status === 422) body.status = "422";
    return { status: this.status, body };
  }
}

export function notFound(): HttpError {
  return new HttpError(404, "Not Found");
}

export function repoOf(ctx: RouteContext): RepoRecord {
  const r = ctx.state.repo(ctx.params.owner ?? "", ctx.params.repo ?? "");
  if (!r) throw notFound();
  return r;
}

export function intParam(ctx: RouteContext, name: string): number {
  return Number(ctx.params[name]);
}

export function str(body: JsonObject, key: string): string | undefined {
  const v = body[key];
  return typeof v === "string" ? v : undefined;
}

export function requireActor(ctx: RouteContext): string {
  if (!ctx.actor) throw new HttpError(401, "Requires authentication");
  return ctx.actor;
}

/** page/per_page as GitHub applies them (per_page capped at 100). */
export function paginate<T>(ctx: RouteContext, items: T[]): Reply & { items: T[] } {
  const perPage = Math.min(Number(ctx.query.get("per_page") ?? 30) || 30, 100);
  const page = Math.max(Number(ctx.query.get("page") ?? 1) || 1, 1);
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const headers: Record<string, string> = {};
  if (last > 1) {
    const links: string[] = [];
    const base = (p: number): string => {
      const q = new URLSearchParams(ctx.query);
      q.set("page", String(p));
      q.set("per_page", String(perPage));
      return `<${ctx.shapes.origin}${currentPath(ctx)}?${q.toString()}>`;
    };
    if (page < last) links.push(`${base(page + 1)}; rel="next"`, `${base(last)}; rel="last"`);
    if (page > 1) links.push(`${base(1)}; rel="first"`, `${base(page - 1)}; rel="prev"`);
    if (links.length) headers.link = links.join(", ");
  }
  return { status: 200, body: slice as Json, headers, items: slice };
}

function currentPath(ctx: RouteContext): string {
  return ctx.match.template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(ctx.params[name] ?? ""));
}
