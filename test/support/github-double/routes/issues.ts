/** Issues, issue comments, labels and assignees. */
import { HttpError, intParam, notFound, paginate, repoOf, requireActor, str, type Handler, type RouteContext } from "../context.js";
import type { Json } from "../spec.js";
import { isoNow, type CommentRecord, type IssueRecord, type RepoRecord } from "../state.js";
import { commentPayload } from "../webhooks.js";

/** GitHub's limit on comment and issue bodies, in characters. */
export const BODY_LIMIT = 65_536;

export function checkBodyLength(body: string | undefined, resource: string): void {
  if (body !== undefined && [...body].length > BODY_LIMIT) {
    throw new HttpError(422, "Validation Failed", [
      { resource, code: "custom", field: "body", message: `body is too long (maximum is ${BODY_LIMIT} characters)` },
    ]);
  }
}

export function issueOf(ctx: RouteContext, r: RepoRecord): IssueRecord {
  const issue = r.issues.get(intParam(ctx, "issue_number"));
  if (!issue) throw notFound();
  return issue;
}

export function commentOf(ctx: RouteContext, r: RepoRecord): CommentRecord {
  const c = r.comments.get(intParam(ctx, "comment_id"));
  if (!c) throw notFound();
  return c;
}

function stringList(v: Json | undefined): string[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((x) => (typeof x === "string" ? [x] : typeof x === "object" && x && !Array.isArray(x) && typeof x.name === "string" ? [x.name] : []));
}

export const issueRoutes: Record<string, Handler> = {
  "issues/get": (ctx) => {
    const r = repoOf(ctx);
    return { status: 200, body: ctx.shapes.issue(r, issueOf(ctx, r)) };
  },

  "issues/list-for-repo": (ctx) => {
    const r = repoOf(ctx);
    const state = ctx.query.get("state") ?? "open";
    const labels = (ctx.query.get("labels") ?? "").split(",").filter(Boolean);
    const creator = ctx.query.get("creator");
    const list = [...r.issues.values()]
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .filter((i) => !creator || i.user.toLowerCase() === creator.toLowerCase())
      .sort((a, b) => (ctx.query.get("direction") === "asc" ? a.number - b.number : b.number - a.number));
    return paginate(ctx, list.map((i) => ctx.shapes.issue(r, i)));
  },

  "issues/create": (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    checkBodyLength(str(ctx.body, "body"), "Issue");
    const now = isoNow();
    const issue: IssueRecord = {
      number: r.nextNumber++,
      id: ctx.state.id(),
      title: str(ctx.body, "title") ?? "",
      body: str(ctx.body, "body") ?? null,
      user,
      state: "open",
      stateReason: null,
      labels: stringList(ctx.body.labels),
      assignees: stringList(ctx.body.assignees),
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    r.issues.set(issue.number, issue);
    return { status: 201, body: ctx.shapes.issue(r, issue) };
  },

  "issues/update": (ctx) => {
    const r = repoOf(ctx);
    requireActor(ctx);
    const issue = issueOf(ctx, r);
    checkBodyLength(str(ctx.body, "body"), "Issue");
    const title = str(ctx.body, "title");
    if (title !== undefined) issue.title = title;
    if ("body" in ctx.body) issue.body = str(ctx.body, "body") ?? null;
    const state = str(ctx.body, "state");
    if (state === "open" || state === "closed") {
      issue.state = state;
      issue.closedAt = state === "closed" ? isoNow() : null;
    }
    if ("labels" in ctx.body) issue.labels = stringList(ctx.body.labels);
    if ("assignees" in ctx.body) issue.assignees = stringList(ctx.body.assignees);
    issue.updatedAt = isoNow();
    return { status: 200, body: ctx.shapes.issue(r, issue) };
  },

  "issues/add-labels": (ctx) => {
    const r = repoOf(ctx);
    const issue = issueOf(ctx, r);
    const names = Array.isArray(ctx.body.labels) ? stringList(ctx.body.labels) : [];
    for (const n of names) if (!issue.labels.includes(n)) issue.labels.push(n);
    return { status: 200, body: issue.labels.map((n) => ctx.shapes.labelByName(r, n)) };
  },

  "issues/remove-label": (ctx) => {
    const r = repoOf(ctx);
    const issue = issueOf(ctx, r);
    const name = ctx.params.name ?? "";
    if (!issue.labels.includes(name)) throw notFound();
    issue.labels = issue.labels.filter((n) => n !== name);
    return { status: 200, body: issue.labels.map((n) => ctx.shapes.labelByName(r, n)) };
  },

  "issues/list-labels-on-issue": (ctx) => {
    const r = repoOf(ctx);
    return paginate(ctx, issueOf(ctx, r).labels.map((n) => ctx.shapes.labelByName(r, n)));
  },

  "issues/add-assignees": (ctx) => {
    const r = repoOf(ctx);
    const issue = issueOf(ctx, r);
    for (const a of stringList(ctx.body.assignees)) if (!issue.assignees.includes(a)) issue.assignees.push(a);
    return { status: 201, body: ctx.shapes.issue(r, issue) };
  },

  "issues/create-comment": (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    const issue = issueOf(ctx, r);
    const body = str(ctx.body, "body") ?? "";
    checkBodyLength(body, "IssueComment");
    const now = isoNow();
    const c: CommentRecord = { id: ctx.state.id(), issueNumber: issue.number, body, user, createdAt: now, updatedAt: now };
    r.comments.set(c.id, c);
    ctx.emit({ event: "issue_comment", payload: commentPayload(ctx.shapes, r, issue, c, "created", user) });
    return { status: 201, body: ctx.shapes.comment(r, c), headers: { location: `${ctx.shapes.repoUrl(r)}/issues/comments/${c.id}` } };
  },

  "issues/list-comments": (ctx) => {
    const r = repoOf(ctx);
    const issue = issueOf(ctx, r);
    const since = ctx.query.get("since");
    const all = [...r.comments.values()]
      .filter((c) => c.issueNumber === issue.number && (!since || c.updatedAt >= since))
      .sort((a, b) => a.id - b.id);
    return paginate(ctx, all.map((c) => ctx.shapes.comment(r, c)));
  },

  "issues/get-comment": (ctx) => {
    const r = repoOf(ctx);
    return { status: 200, body: ctx.shapes.comment(r, commentOf(ctx, r)) };
  },

  "issues/update-comment": (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    const c = commentOf(ctx, r);
    const body = str(ctx.body, "body") ?? "";
    checkBodyLength(body, "IssueComment");
    const from = c.body;
    c.body = body;
    c.updatedAt = isoNow();
    const issue = r.issues.get(c.issueNumber);
    if (issue) ctx.emit({ event: "issue_comment", payload: commentPayload(ctx.shapes, r, issue, c, "edited", user, from) });
    return { status: 200, body: ctx.shapes.comment(r, c) };
  },

  "issues/delete-comment": (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    const c = commentOf(ctx, r);
    r.comments.delete(c.id);
    const issue = r.issues.get(c.issueNumber);
    if (issue) ctx.emit({ event: "issue_comment", payload: commentPayload(ctx.shapes, r, issue, c, "deleted", user) });
    return { status: 204 };
  },
};
