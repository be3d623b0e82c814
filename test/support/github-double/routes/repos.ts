/** Repositories, users, collaborator permissions, reactions and git refs. */
import type { Permission } from "../../../../src/events/trigger.js";
import { deleteRef, listRefs, objectExists, updateRef } from "../git.js";
import { HttpError, intParam, notFound, paginate, repoOf, requireActor, str, type Handler, type RouteContext } from "../context.js";
import { REACTIONS, sameTarget } from "../objects.js";
import { isoNow, type ReactionRecord, type RepoRecord } from "../state.js";
import type { JsonObject } from "../spec.js";
import { commentOf, issueOf } from "./issues.js";

/** The legacy `permission` field folds maintain and triage into write and read. */
const LEGACY: Record<Permission, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
  none: "none",
};

function permissionOf(r: RepoRecord, login: string): Permission {
  if (login.toLowerCase() === r.owner.toLowerCase()) return "admin";
  return r.permissions.get(login.toLowerCase()) ?? (r.private ? "none" : "read");
}

function react(ctx: RouteContext, r: RepoRecord, target: ReactionRecord["target"]) {
  const user = requireActor(ctx);
  const content = str(ctx.body, "content") ?? "";
  const existing = r.reactions.find((x) => x.user === user && x.content === content && sameTarget(x.target, target));
  // GitHub answers 200 with the existing reaction when it is repeated.
  if (existing) return { status: 200, body: ctx.shapes.reaction(existing) };
  const x: ReactionRecord = { id: ctx.state.id(), content, user, createdAt: isoNow(), target };
  r.reactions.push(x);
  return { status: 201, body: ctx.shapes.reaction(x) };
}

function refJson(ctx: RouteContext, r: RepoRecord, ref: string, sha: string): JsonObject {
  return {
    ref,
    node_id: `REF_${Buffer.from(ref).toString("base64url")}`,
    url: `${ctx.shapes.repoUrl(r)}/git/${ref}`,
    object: { type: "commit", sha, url: `${ctx.shapes.repoUrl(r)}/git/commits/${sha}` },
  };
}

export const repoRoutes: Record<string, Handler> = {
  "repos/get": (ctx) => {
    const r = repoOf(ctx);
    // GitHub does not admit that a private repository exists to whoever cannot read it.
    if (r.private && (!ctx.actor || permissionOf(r, ctx.actor) === "none")) throw notFound();
    return { status: 200, body: ctx.shapes.repo(r) };
  },

  "users/get-by-username": (ctx) => {
    const login = ctx.params.username ?? "";
    if (!ctx.state.users.has(login.toLowerCase())) throw notFound();
    return { status: 200, body: { ...ctx.shapes.user(login), ...PUBLIC_USER } };
  },

  "users/get-authenticated": (ctx) => {
    const login = requireActor(ctx);
    return { status: 200, body: { ...ctx.shapes.user(login), ...PUBLIC_USER } };
  },

  "repos/get-collaborator-permission-level": (ctx) => {
    const r = repoOf(ctx);
    const login = ctx.params.username ?? "";
    if (!ctx.state.users.has(login.toLowerCase())) throw notFound();
    const role = permissionOf(r, login);
    const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(role);
    const permissions = { pull: rank >= 1, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 };
    return {
      status: 200,
      body: {
        permission: LEGACY[role],
        role_name: role,
        user: { ...ctx.shapes.user(login), permissions, role_name: role },
      },
    };
  },

  "reactions/create-for-issue-comment": (ctx) => {
    const r = repoOf(ctx);
    return react(ctx, r, { kind: "comment", id: commentOf(ctx, r).id });
  },

  "reactions/create-for-issue": (ctx) => {
    const r = repoOf(ctx);
    return react(ctx, r, { kind: "issue", number: issueOf(ctx, r).number });
  },

  "reactions/create-for-pull-request-review-comment": (ctx) => {
    const r = repoOf(ctx);
    const comment = r.reviewComments.get(intParam(ctx, "comment_id"));
    if (!comment) throw notFound();
    return react(ctx, r, { kind: "review_comment", id: comment.id });
  },

  "reactions/list-for-issue-comment": (ctx) => {
    const r = repoOf(ctx);
    const target = { kind: "comment", id: commentOf(ctx, r).id } as const;
    const content = ctx.query.get("content");
    const list = r.reactions.filter((x) => sameTarget(x.target, target) && (!content || x.content === content));
    return paginate(ctx, list.map((x) => ctx.shapes.reaction(x)));
  },

  "reactions/delete-for-issue-comment": (ctx) => {
    const r = repoOf(ctx);
    const id = intParam(ctx, "reaction_id");
    const before = r.reactions.length;
    r.reactions = r.reactions.filter((x) => x.id !== id);
    if (r.reactions.length === before) throw notFound();
    return { status: 204 };
  },

  "git/get-ref": async (ctx) => {
    const r = repoOf(ctx);
    const ref = `refs/${ctx.params.ref ?? ""}`;
    const found = (await listRefs(r.bareDir, ref)).find((x) => x.ref === ref);
    if (!found) throw notFound();
    return { status: 200, body: refJson(ctx, r, found.ref, found.sha) };
  },

  "git/list-matching-refs": async (ctx) => {
    const r = repoOf(ctx);
    const prefix = `refs/${ctx.params.ref ?? ""}`;
    const refs = (await listRefs(r.bareDir)).filter((x) => x.ref.startsWith(prefix));
    return { status: 200, body: refs.map((x) => refJson(ctx, r, x.ref, x.sha)) };
  },

  "git/create-ref": async (ctx) => {
    const r = repoOf(ctx);
    requireActor(ctx);
    const ref = str(ctx.body, "ref") ?? "";
    const sha = str(ctx.body, "sha") ?? "";
    if (!/^refs\/.+\/.+/.test(ref)) throw new HttpError(422, "Reference name is invalid");
    if (!(await objectExists(r.bareDir, sha))) throw new HttpError(422, "Object does not exist");
    if ((await listRefs(r.bareDir, ref)).some((x) => x.ref === ref)) throw new HttpError(422, "Reference already exists");
    await updateRef(r.bareDir, ref, sha);
    return { status: 201, body: refJson(ctx, r, ref, sha) };
  },

  "git/update-ref": async (ctx) => {
    const r = repoOf(ctx);
    requireActor(ctx);
    const ref = `refs/${ctx.params.ref ?? ""}`;
    const sha = str(ctx.body, "sha") ?? "";
    if (!(await objectExists(r.bareDir, sha))) throw new HttpError(422, "Object does not exist");
    await updateRef(r.bareDir, ref, sha);
    return { status: 200, body: refJson(ctx, r, ref, sha) };
  },

  "git/delete-ref": async (ctx) => {
    const r = repoOf(ctx);
    requireActor(ctx);
    const ref = `refs/${ctx.params.ref ?? ""}`;
    if (!(await listRefs(r.bareDir, ref)).some((x) => x.ref === ref)) throw new HttpError(422, "Reference does not exist");
    await deleteRef(r.bareDir, ref);
    return { status: 204 };
  },
};

const PUBLIC_USER: JsonObject = {
  name: null,
  company: null,
  blog: null,
  location: null,
  email: null,
  hireable: null,
  bio: null,
  public_repos: 0,
  public_gists: 0,
  followers: 0,
  following: 0,
  created_at: "2020-01-01T00:00:00Z",
  updated_at: "2020-01-01T00:00:00Z",
};

export { REACTIONS };
