/** GitHub App installation tokens, issued only for a valid app JWT. */
import { createVerify, randomBytes } from "node:crypto";
import { HttpError, intParam, notFound, repoOf, type Handler, type RouteContext } from "../context.js";
import type { JsonObject } from "../spec.js";
import { INSTALLATION_PERMISSIONS } from "../permissions.js";
import type { InstallationRecord } from "../state.js";

function decodePart(part: string): JsonObject {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as JsonObject;
}

/** Checks the RS256 JWT an app signs with its private key (header, claims, signature). */
function verifyAppJwt(ctx: RouteContext, inst: InstallationRecord): void {
  const header = ctx.headers.authorization ?? "";
  const token = header.replace(/^Bearer\s+/i, "");
  const parts = token.split(".");
  const unauthorized = (why: string) => new HttpError(401, `A JSON web token could not be decoded (${why})`);
  if (!/^Bearer\s/i.test(header) || parts.length !== 3) throw unauthorized("expected Authorization: Bearer <JWT>");
  const [head = "", claims = "", signature = ""] = parts;
  let h: JsonObject;
  let c: JsonObject;
  try {
    h = decodePart(head);
    c = decodePart(claims);
  } catch {
    throw unauthorized("malformed JWT");
  }
  if (h.alg !== "RS256") throw unauthorized(`alg must be RS256, got ${String(h.alg)}`);
  if (String(c.iss) !== String(inst.appId)) throw unauthorized(`iss ${String(c.iss)} is not app ${inst.appId}`);
  const now = Math.floor(Date.now() / 1000);
  const iat = Number(c.iat);
  const exp = Number(c.exp);
  if (!(iat <= now + 60) || !(exp > now) || exp - iat > 600 + 60) throw unauthorized("iat/exp outside GitHub's 10 minute window");
  const ok = createVerify("RSA-SHA256").update(`${head}.${claims}`).verify(inst.publicKey, Buffer.from(signature, "base64url"));
  if (!ok) throw unauthorized("signature does not match the app's key");
}

export const appRoutes: Record<string, Handler> = {
  "apps/get-repo-installation": (ctx) => {
    const r = repoOf(ctx);
    const full = `${r.owner}/${r.name}`.toLowerCase();
    const inst = [...ctx.state.installations.values()].find((i) => i.owner.toLowerCase() === r.owner.toLowerCase() && (!i.selected || i.selected.has(full)));
    if (!inst) throw notFound();
    verifyAppJwt(ctx, inst);
    const now = "2024-01-01T00:00:00Z";
    return {
      status: 200,
      body: {
        id: inst.id,
        app_id: inst.appId,
        app_slug: inst.appSlug,
        target_id: ctx.state.user(r.owner).id,
        target_type: "Organization",
        account: ctx.shapes.user(r.owner),
        single_file_name: null,
        repository_selection: "all",
        access_tokens_url: `${ctx.shapes.origin}/app/installations/${inst.id}/access_tokens`,
        html_url: `${ctx.shapes.origin}/settings/installations/${inst.id}`,
        repositories_url: `${ctx.shapes.origin}/installation/repositories`,
        events: ["issue_comment", "issues", "pull_request", "pull_request_review"],
        permissions: INSTALLATION_PERMISSIONS,
        created_at: now,
        updated_at: now,
        suspended_by: null,
        suspended_at: null,
      },
    };
  },

  "apps/create-installation-access-token": (ctx) => {
    const inst = ctx.state.installations.get(intParam(ctx, "installation_id"));
    if (!inst) throw notFound();
    verifyAppJwt(ctx, inst);
    const asked = ctx.body.permissions;
    const permissions: Record<string, string> = {};
    if (asked && typeof asked === "object" && !Array.isArray(asked)) {
      for (const [k, v] of Object.entries(asked)) if (typeof v === "string") permissions[k] = v;
    }
    const repositories = askedRepositories(ctx, inst);
    const token = `ghs_${randomBytes(18).toString("hex")}`;
    inst.tokens.push({ token, permissions });
    if (repositories) ctx.state.tokenRepositories.set(token, repositories);
    ctx.state.tokens.set(token, `${inst.appSlug}[bot]`);
    ctx.state.tokenPermissions.set(token, Object.keys(permissions).length ? { ...permissions, metadata: "read" } : INSTALLATION_PERMISSIONS);
    ctx.state.user(`${inst.appSlug}[bot]`, "Bot");
    const expires = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return {
      status: 201,
      body: { token, expires_at: expires, permissions, repository_selection: repositories ? "selected" : "all" },
    };
  },
};

/** `repositories` (names under the installation's owner) narrows a token; a name the installation does not cover is a 422, as on GitHub. */
function askedRepositories(ctx: RouteContext, inst: InstallationRecord): Set<string> | undefined {
  const asked = ctx.body.repositories;
  if (!Array.isArray(asked)) return undefined;
  const out = new Set<string>();
  for (const name of asked) {
    const full = `${inst.owner}/${String(name)}`.toLowerCase();
    const exists = ctx.state.repo(inst.owner, String(name));
    if (!exists || (inst.selected && !inst.selected.has(full))) {
      throw new HttpError(422, "There is at least one repository that does not exist or is not accessible to the parent installation.");
    }
    out.add(full);
  }
  return out;
}
