/** Check runs, as a GitHub App (or the Actions token) creates them. */
import { HttpError, intParam, notFound, repoOf, requireActor, str, type Handler, type RouteContext } from "../context.js";
import { objectExists } from "../git.js";
import type { JsonObject } from "../spec.js";
import { isoNow, type CheckRunRecord } from "../state.js";

function applyFields(c: CheckRunRecord, body: JsonObject): void {
  const status = str(body, "status");
  const conclusion = str(body, "conclusion");
  if (status) c.status = status;
  if (conclusion) {
    // GitHub completes a check run as soon as it has a conclusion.
    c.conclusion = conclusion;
    c.status = "completed";
  }
  if (c.status === "completed") c.completedAt = str(body, "completed_at") ?? c.completedAt ?? isoNow();
  const details = str(body, "details_url");
  if (details !== undefined) c.detailsUrl = details;
  const external = str(body, "external_id");
  if (external !== undefined) c.externalId = external;
  const name = str(body, "name");
  if (name) c.name = name;
  const output = body.output;
  if (output && typeof output === "object" && !Array.isArray(output)) {
    c.output = {
      title: str(output, "title") ?? c.output.title,
      summary: str(output, "summary") ?? c.output.summary,
      text: str(output, "text") ?? c.output.text,
    };
  }
  if (c.status === "completed" && !c.conclusion) {
    throw new HttpError(422, "Validation Failed", [
      { resource: "CheckRun", code: "missing_field", field: "conclusion", message: "conclusion is required when status is completed" },
    ]);
  }
}

function checkOf(ctx: RouteContext): CheckRunRecord {
  const c = repoOf(ctx).checkRuns.get(intParam(ctx, "check_run_id"));
  if (!c) throw notFound();
  return c;
}

export const checkRoutes: Record<string, Handler> = {
  "checks/create": async (ctx) => {
    const r = repoOf(ctx);
    requireActor(ctx);
    const headSha = str(ctx.body, "head_sha") ?? "";
    if (!(await objectExists(r.bareDir, headSha))) {
      throw new HttpError(422, "Validation Failed", [{ resource: "CheckRun", code: "invalid", field: "head_sha", message: "No commit found for SHA" }]);
    }
    const c: CheckRunRecord = {
      id: ctx.state.id(),
      name: str(ctx.body, "name") ?? "",
      headSha,
      status: "queued",
      conclusion: null,
      startedAt: str(ctx.body, "started_at") ?? isoNow(),
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null },
    };
    applyFields(c, ctx.body);
    r.checkRuns.set(c.id, c);
    return { status: 201, body: ctx.shapes.checkRun(r, c) };
  },

  "checks/update": (ctx) => {
    requireActor(ctx);
    const c = checkOf(ctx);
    applyFields(c, ctx.body);
    return { status: 200, body: ctx.shapes.checkRun(repoOf(ctx), c) };
  },

  "checks/get": (ctx) => ({ status: 200, body: ctx.shapes.checkRun(repoOf(ctx), checkOf(ctx)) }),
};
