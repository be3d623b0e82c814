/** GitHubClient over Octokit. Retries and masking come from the Octokit hooks (octokit.ts). */
import type { Octokit } from "@octokit/rest";
import type { Permission } from "../events/trigger.js";
import { InputError } from "../util/errors.js";
import { GitHubError } from "./errors.js";
import { COMMENT_LIMIT, splitBody } from "./split.js";
import type { CheckRunInput, CommentRef, GitHubClient, PullRequestInput, PullSummary, RepoId, ThreadComment } from "./types.js";

const ROLES: readonly Permission[] = ["admin", "maintain", "write", "triage", "read", "none"];

/** role_name is the precise role; custom roles fall back to the legacy `permission`. */
export function toPermission(roleName: string | undefined, legacy: string | undefined): Permission {
  const role = ROLES.find((r) => r === roleName);
  if (role) return role;
  return ROLES.find((r) => r === legacy) ?? "none";
}

/** `selfLogin`: gitcrew's own login when the caller knows it (a GitHub App's `<slug>[bot]`). */
export function createGitHubClient(octokit: Octokit, known: { selfLogin?: string } = {}): GitHubClient {
  const defaults = new Map<string, string>();
  let self: Promise<string | undefined> | undefined = known.selfLogin ? Promise.resolve(known.selfLogin) : undefined;

  const client: GitHubClient = {
    selfLogin() {
      // A personal token answers with its login; integration tokens (GITHUB_TOKEN, an App's) are refused: unknown.
      self ??= octokit.users.getAuthenticated().then(
        ({ data }) => data.login,
        (err) => {
          if (err instanceof GitHubError && err.status < 500 && err.status !== 429) return undefined;
          self = undefined;
          throw err;
        },
      );
      return self;
    },

    async permissionOf(repo, login) {
      try {
        const { data } = await octokit.repos.getCollaboratorPermissionLevel({ ...repo, username: login });
        return toPermission(data.role_name, data.permission);
      } catch (err) {
        // GitHub answers 404 for a login that does not exist: no permission at all.
        if (err instanceof GitHubError && err.status === 404) return "none";
        throw err;
      }
    },

    async react(repo, target, content) {
      if ("commentId" in target) await octokit.reactions.createForIssueComment({ ...repo, comment_id: target.commentId, content });
      else if ("reviewCommentId" in target) await octokit.reactions.createForPullRequestReviewComment({ ...repo, comment_id: target.reviewCommentId, content });
      else await octokit.reactions.createForIssue({ ...repo, issue_number: target.issueNumber, content });
    },

    async createComment(repo, issueNumber, body) {
      if (body.length > COMMENT_LIMIT) {
        throw new InputError(`comment body has ${body.length} characters; GitHub allows ${COMMENT_LIMIT}`, "use postComments, which splits it");
      }
      const { data } = await octokit.issues.createComment({ ...repo, issue_number: issueNumber, body });
      return { id: data.id, url: data.html_url };
    },

    async postComments(repo, issueNumber, body) {
      const refs: CommentRef[] = [];
      for (const part of splitBody(body)) refs.push(await client.createComment(repo, issueNumber, part));
      return refs;
    },

    async updateComment(repo, commentId, body) {
      const { data } = await octokit.issues.updateComment({ ...repo, comment_id: commentId, body });
      return { id: data.id, url: data.html_url };
    },

    async deleteComment(repo, commentId) {
      await octokit.issues.deleteComment({ ...repo, comment_id: commentId });
    },

    async listComments(repo, issueNumber, opts = {}) {
      const max = Math.max(opts.max ?? 50, 0);
      const { data: issue } = await octokit.issues.get({ ...repo, issue_number: issueNumber });
      const total = issue.comments;
      // Pages are oldest first: read from the last page backwards until `max` are in.
      const perPage = 100;
      const collected: ThreadComment[] = [];
      for (let page = Math.ceil(total / perPage); page >= 1 && collected.length < max; page--) {
        const { data } = await octokit.issues.listComments({ ...repo, issue_number: issueNumber, per_page: perPage, page });
        const mapped = data.map((c) => ({
          id: c.id,
          author: c.user?.login ?? "ghost",
          authorType: c.user?.type ?? "User",
          body: c.body ?? "",
          createdAt: c.created_at,
          url: c.html_url,
        }));
        collected.unshift(...mapped);
      }
      const comments = collected.slice(Math.max(collected.length - max, 0));
      return { comments, omitted: Math.max(total - comments.length, 0) };
    },

    async listPullFiles(repo, pullNumber, opts = {}) {
      const max = opts.max ?? 300;
      const { data: pr } = await octokit.pulls.get({ ...repo, pull_number: pullNumber });
      const files = [];
      for (let page = 1; files.length < Math.min(max, pr.changed_files); page++) {
        const { data } = await octokit.pulls.listFiles({ ...repo, pull_number: pullNumber, per_page: 100, page });
        files.push(...data.map((f) => ({ filename: f.filename, status: f.status, additions: f.additions, deletions: f.deletions })));
        if (data.length < 100) break;
      }
      const kept = files.slice(0, max);
      return { files: kept, omitted: Math.max(pr.changed_files - kept.length, 0) };
    },

    async getPullRequest(repo, pullNumber) {
      const { data } = await octokit.pulls.get({ ...repo, pull_number: pullNumber });
      return data;
    },

    async defaultBranch(repo) {
      const key = `${repo.owner}/${repo.repo}`;
      const known = defaults.get(key);
      if (known) return known;
      const { data } = await octokit.repos.get({ ...repo });
      defaults.set(key, data.default_branch);
      return data.default_branch;
    },

    async openOrUpdatePullRequest(repo, pr) {
      const def = await client.defaultBranch(repo);
      const base = pr.base ?? def;
      refuseBranches(pr, def, base);
      const body = withClosing(pr.body, pr.closes);
      const { data: open } = await octokit.pulls.list({ ...repo, head: `${repo.owner}:${pr.head}`, base, state: "open" });
      const existing = open[0];
      if (existing) {
        const { data } = await octokit.pulls.update({ ...repo, pull_number: existing.number, title: pr.title, body });
        return { number: data.number, url: data.html_url, created: false };
      }
      const { data } = await octokit.pulls.create({ ...repo, head: pr.head, base, title: pr.title, body, draft: pr.draft });
      return { number: data.number, url: data.html_url, created: true };
    },

    async addLabels(repo, issueNumber, labels) {
      await octokit.issues.addLabels({ ...repo, issue_number: issueNumber, labels });
    },

    async getIssue(repo, issueNumber) {
      const { data } = await octokit.issues.get({ ...repo, issue_number: issueNumber });
      return data;
    },

    async listPullRequests(repo, opts) {
      const max = opts.max ?? 100;
      const out: PullSummary[] = [];
      for (let page = 1; out.length < max; page++) {
        const { data } = await octokit.pulls.list({
          ...repo,
          state: opts.state,
          ...(opts.head ? { head: `${repo.owner}:${opts.head}` } : {}),
          sort: "created",
          direction: "desc",
          per_page: 100,
          page,
        });
        out.push(
          ...data.map((p) => ({
            number: p.number,
            url: p.html_url,
            state: p.state,
            title: p.title,
            body: p.body ?? "",
            author: p.user?.login ?? "ghost",
            headRef: p.head.ref,
            headSha: p.head.sha,
            baseRef: p.base.ref,
            labels: p.labels.map((l) => l.name ?? "").filter(Boolean),
            merged: p.merged_at !== null,
            ...(p.merge_commit_sha ? { mergeCommitSha: p.merge_commit_sha } : {}),
            createdAt: p.created_at,
            ...(p.closed_at ? { closedAt: p.closed_at } : {}),
          })),
        );
        if (data.length < 100) break;
      }
      return out.slice(0, max);
    },

    async isTeamMember(org, team, login) {
      try {
        const { data } = await octokit.teams.getMembershipForUserInOrg({ org, team_slug: team, username: login });
        return data.state === "active";
      } catch (err) {
        if (err instanceof GitHubError && err.status === 404) return false;
        throw err;
      }
    },

    async createCheckRun(repo, check) {
      const { data } = await octokit.checks.create({ ...repo, name: check.name, head_sha: check.headSha, ...checkFields(check) });
      return { id: data.id, url: data.html_url ?? data.url };
    },

    async updateCheckRun(repo, id, check) {
      await octokit.checks.update({ ...repo, check_run_id: id, ...(check.name ? { name: check.name } : {}), ...checkFields(check) });
    },
  };
  return client;
}

function checkFields(check: Partial<CheckRunInput>) {
  return {
    ...(check.status ? { status: check.status } : {}),
    ...(check.conclusion ? { conclusion: check.conclusion } : {}),
    ...(check.detailsUrl ? { details_url: check.detailsUrl } : {}),
    ...(check.externalId ? { external_id: check.externalId } : {}),
    ...(check.output ? { output: check.output } : {}),
  };
}

/** gitcrew never proposes the default branch itself as the change. */
function refuseBranches(pr: PullRequestInput, defaultBranch: string, base: string): void {
  if (!pr.head.trim()) throw new InputError("a pull request needs a head branch");
  if (pr.head === defaultBranch) {
    throw new InputError(`refusing to open a pull request from the default branch "${defaultBranch}"`, "push the agent's work to its own branch, e.g. gitcrew/<agent>/<issue>");
  }
  if (pr.head === base) throw new InputError(`head and base are both "${base}"`);
}

/** Adds `Closes #N` unless the body already links the issue that way. */
export function withClosing(body: string, issue: number | undefined): string {
  if (issue === undefined) return body;
  const already = new RegExp(`\\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\\s+#${issue}\\b`, "i");
  return already.test(body) ? body : `${body.trimEnd()}\n\nCloses #${issue}`;
}

export type { RepoId };
