/** Pull requests backed by the bare repository: heads are real refs, merges real commits. */
import { branchSha, changedFiles, commitCount, merge, updateRef } from "../git.js";
import { HttpError, intParam, notFound, paginate, repoOf, requireActor, str, type Handler, type RouteContext } from "../context.js";
import type { Shapes } from "../objects.js";
import type { JsonObject } from "../spec.js";
import { isoNow, type IssueRecord, type RepoRecord, type ReviewRecord } from "../state.js";
import { pullRequestPayload, reviewPayload } from "../webhooks.js";
import { checkBodyLength } from "./issues.js";

type Pull = IssueRecord & { pull: NonNullable<IssueRecord["pull"]> };

function pullOf(ctx: RouteContext, r: RepoRecord): Pull {
  const issue = r.issues.get(intParam(ctx, "pull_number"));
  if (!issue?.pull) throw notFound();
  return issue as Pull;
}

/** Open pull requests follow their branches; closed ones keep what they had. */
async function liveShas(r: RepoRecord, p: Pull): Promise<{ head: string; base: string }> {
  if (p.state === "closed") return { head: p.pull.headSha, base: p.pull.baseSha };
  const head = (await branchSha(r.bareDir, p.pull.head)) ?? p.pull.headSha;
  // GitHub keeps refs/pull/N/head at the head (the only way to fetch a fork's commits from the base repo).
  await updateRef(r.bareDir, `refs/pull/${p.number}/head`, head).catch(() => undefined);
  return { head, base: (await branchSha(r.bareDir, p.pull.base)) ?? p.pull.baseSha };
}

export async function pullJson(shapes: Shapes, r: RepoRecord, p: Pull, full = true): Promise<JsonObject> {
  const issue = shapes.issue(r, p);
  const shas = await liveShas(r, p);
  const url = `${shapes.repoUrl(r)}/pulls/${p.number}`;
  const html = `${shapes.origin}/${r.owner}/${r.name}/pull/${p.number}`;
  const side = (ref: string, sha: string): JsonObject => ({
    label: `${r.owner}:${ref}`,
    ref,
    sha,
    repo: shapes.repo(r),
    user: shapes.user(r.owner),
  });
  const link = (href: string): JsonObject => ({ href });
  const out: JsonObject = {
    ...issue,
    // GitHub's description has a PR's labels' descriptions as strings (issues allow null).
    labels: ((issue.labels as JsonObject[] | undefined) ?? []).map((l) => ({ ...l, description: l.description ?? "" })),
    url,
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${shapes.repoUrl(r)}/issues/${p.number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${shapes.repoUrl(r)}/pulls/comments{/number}`,
    comments_url: `${shapes.repoUrl(r)}/issues/${p.number}/comments`,
    statuses_url: `${shapes.repoUrl(r)}/statuses/${shas.head}`,
    head: side(p.pull.head, shas.head),
    base: side(p.pull.base, shas.base),
    _links: {
      self: link(url),
      html: link(html),
      issue: link(`${shapes.repoUrl(r)}/issues/${p.number}`),
      comments: link(`${shapes.repoUrl(r)}/issues/${p.number}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${shapes.repoUrl(r)}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${shapes.repoUrl(r)}/statuses/${shas.head}`),
    },
    draft: p.pull.draft,
    merged_at: p.pull.mergedAt,
    merge_commit_sha: p.pull.mergeCommitSha,
    requested_reviewers: [],
    requested_teams: [],
    auto_merge: null,
    active_lock_reason: null,
  };
  delete out.pull_request;
  delete out.comments;
  delete out.reactions;
  if (!full) return out;
  const files = await changedFiles(r.bareDir, shas.base, shas.head);
  return {
    ...out,
    comments: issue.comments ?? 0,
    merged: p.pull.merged,
    mergeable: p.state === "open" ? true : null,
    mergeable_state: p.state === "open" ? "clean" : "unknown",
    merged_by: p.pull.mergedBy ? shapes.user(p.pull.mergedBy) : null,
    maintainer_can_modify: p.pull.maintainerCanModify,
    review_comments: 0,
    commits: await commitCount(r.bareDir, shas.base, shas.head),
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}

/** "owner:branch" or "branch" → branch, as GitHub accepts for `head`. */
function branchName(head: string): string {
  const i = head.indexOf(":");
  return i >= 0 ? head.slice(i + 1) : head;
}

const CLOSING = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)/gi;

export const pullRoutes: Record<string, Handler> = {
  "pulls/create": async (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    const head = branchName(str(ctx.body, "head") ?? "");
    const base = str(ctx.body, "base") ?? "";
    checkBodyLength(str(ctx.body, "body"), "PullRequest");
    const headSha = await branchSha(r.bareDir, head);
    const baseSha = await branchSha(r.bareDir, base);
    const invalid = (field: string, message: string) =>
      new HttpError(422, "Validation Failed", [{ resource: "PullRequest", field, code: "invalid", message }]);
    if (!headSha) throw invalid("head", `head branch ${head} does not exist`);
    if (!baseSha) throw invalid("base", `base branch ${base} does not exist`);
    const open = [...r.issues.values()].find((i) => i.state === "open" && i.pull?.head === head && i.pull.base === base);
    if (open) throw invalid("head", `A pull request already exists for ${r.owner}:${head}.`);
    if ((await commitCount(r.bareDir, baseSha, headSha)) === 0) throw invalid("head", `No commits between ${base} and ${head}`);
    const now = isoNow();
    const p: Pull = {
      number: r.nextNumber++,
      id: ctx.state.id(),
      title: str(ctx.body, "title") ?? "",
      body: str(ctx.body, "body") ?? null,
      user,
      state: "open",
      stateReason: null,
      labels: [],
      assignees: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      pull: {
        head,
        base,
        draft: ctx.body.draft === true,
        headSha,
        baseSha,
        merged: false,
        mergedAt: null,
        mergedBy: null,
        mergeCommitSha: null,
        maintainerCanModify: ctx.body.maintainer_can_modify !== false,
      },
    };
    r.issues.set(p.number, p);
    const json = await pullJson(ctx.shapes, r, p);
    ctx.emit({ event: "pull_request", payload: pullRequestPayload(ctx.shapes, r, json, "opened", user) });
    return { status: 201, body: json, headers: { location: String(json.url) } };
  },

  "pulls/list": async (ctx) => {
    const r = repoOf(ctx);
    const state = ctx.query.get("state") ?? "open";
    const head = ctx.query.get("head");
    const base = ctx.query.get("base");
    const pulls = [...r.issues.values()]
      .filter((i): i is Pull => i.pull !== undefined)
      .filter((p) => state === "all" || p.state === state)
      .filter((p) => !head || (head.includes(":") ? `${r.owner}:${p.pull.head}` === head : p.pull.head === head))
      .filter((p) => !base || p.pull.base === base)
      .sort((a, b) => b.number - a.number);
    const page = paginate(ctx, pulls);
    return { ...page, body: await Promise.all(page.items.map((p) => pullJson(ctx.shapes, r, p, false))) };
  },

  "pulls/get": async (ctx) => {
    const r = repoOf(ctx);
    return { status: 200, body: await pullJson(ctx.shapes, r, pullOf(ctx, r)) };
  },

  "pulls/update": async (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    const p = pullOf(ctx, r);
    checkBodyLength(str(ctx.body, "body"), "PullRequest");
    const title = str(ctx.body, "title");
    if (title !== undefined) p.title = title;
    if ("body" in ctx.body) p.body = str(ctx.body, "body") ?? null;
    const base = str(ctx.body, "base");
    if (base !== undefined) p.pull.base = base;
    const state = str(ctx.body, "state");
    if (state === "closed" && p.state === "open") {
      const shas = await liveShas(r, p);
      Object.assign(p.pull, { headSha: shas.head, baseSha: shas.base });
      Object.assign(p, { state: "closed", closedAt: isoNow() });
      const json = await pullJson(ctx.shapes, r, p);
      ctx.emit({ event: "pull_request", payload: pullRequestPayload(ctx.shapes, r, json, "closed", user) });
    } else if (state === "open") Object.assign(p, { state: "open", closedAt: null });
    p.updatedAt = isoNow();
    return { status: 200, body: await pullJson(ctx.shapes, r, p) };
  },

  "pulls/merge": async (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    const p = pullOf(ctx, r);
    if (p.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
    const shas = await liveShas(r, p);
    const expected = str(ctx.body, "sha");
    if (expected && expected !== shas.head) throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
    // The double has no rebase; a squash gives the same tree on a linear history.
    const method = str(ctx.body, "merge_method") === "merge" || !ctx.body.merge_method ? "merge" : "squash";
    const title = str(ctx.body, "commit_title") ?? `Merge pull request #${p.number} from ${r.owner}/${p.pull.head}`;
    const message = [title, str(ctx.body, "commit_message") ?? p.title].join("\n\n");
    const outcome = await merge(r.bareDir, { base: p.pull.base, head: shas.head, method, message, author: user });
    if (!outcome.ok || !outcome.sha) throw new HttpError(405, "Pull Request is not mergeable");
    const now = isoNow();
    Object.assign(p, { state: "closed", closedAt: now, updatedAt: now });
    Object.assign(p.pull, { merged: true, mergedAt: now, mergedBy: user, mergeCommitSha: outcome.sha, headSha: shas.head, baseSha: shas.base });
    if (p.pull.base === r.defaultBranch) closeLinkedIssues(r, p, now);
    const json = await pullJson(ctx.shapes, r, p);
    ctx.emit({ event: "pull_request", payload: pullRequestPayload(ctx.shapes, r, json, "closed", user) });
    return { status: 200, body: { sha: outcome.sha, merged: true, message: "Pull Request successfully merged" } };
  },

  "pulls/list-files": async (ctx) => {
    const r = repoOf(ctx);
    const p = pullOf(ctx, r);
    const shas = await liveShas(r, p);
    const files = await changedFiles(r.bareDir, shas.base, shas.head);
    const raw = (f: string) => `${ctx.shapes.origin}/${r.owner}/${r.name}/raw/${shas.head}/${f}`;
    return paginate(
      ctx,
      files.map((f) => ({
        sha: shas.head,
        filename: f.filename,
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
        changes: f.additions + f.deletions,
        blob_url: raw(f.filename),
        raw_url: raw(f.filename),
        contents_url: `${ctx.shapes.repoUrl(r)}/contents/${f.filename}?ref=${shas.head}`,
        ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
      })),
    );
  },

  "pulls/create-review": async (ctx) => {
    const r = repoOf(ctx);
    const user = requireActor(ctx);
    const p = pullOf(ctx, r);
    const event = str(ctx.body, "event");
    const states: Record<string, ReviewRecord["state"]> = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" };
    const review: ReviewRecord = {
      id: ctx.state.id(),
      pullNumber: p.number,
      user,
      body: str(ctx.body, "body") ?? "",
      state: event ? (states[event] ?? "PENDING") : "PENDING",
      commitId: str(ctx.body, "commit_id") ?? (await liveShas(r, p)).head,
      submittedAt: isoNow(),
    };
    r.reviews.push(review);
    const json = ctx.shapes.review(r, review);
    if (review.state !== "PENDING") {
      const pull = await pullJson(ctx.shapes, r, p, false);
      ctx.emit({ event: "pull_request_review", payload: reviewPayload(ctx.shapes, r, pull, json, user) });
    }
    return { status: 200, body: json };
  },

  "pulls/list-reviews": (ctx) => {
    const r = repoOf(ctx);
    const p = pullOf(ctx, r);
    return paginate(ctx, r.reviews.filter((v) => v.pullNumber === p.number).map((v) => ctx.shapes.review(r, v)));
  },
};

function closeLinkedIssues(r: RepoRecord, p: Pull, now: string): void {
  for (const m of (p.body ?? "").matchAll(CLOSING)) {
    const issue = r.issues.get(Number(m[1]));
    if (issue && !issue.pull && issue.state === "open") Object.assign(issue, { state: "closed", stateReason: "completed", closedAt: now });
  }
}
