/**
 * Approval PRs merged or closed while nobody listened (a webhook lost, the
 * Action not running): found again on GitHub and resolved, once.
 */
import type { Crew } from "../crew/types.js";
import type { RepoId } from "../github/types.js";
import type { RunJob, Services } from "../pipeline/types.js";
import { errorMessage } from "../util/errors.js";
import { repoFromOrigin } from "./git.js";
import { isApprovalPull, pullView } from "./pull-view.js";
import { RESOLVED_LABEL } from "./request.js";
import { resolvePull } from "./resolve-pull.js";

/** The follow-ups still owed; `repo` defaults to the clone's origin. */
export async function reconcileApprovals(s: Services, crew: Crew, repo?: RepoId): Promise<RunJob[]> {
  const rid = repo ?? (await repoFromOrigin(s.repoDir));
  if (!rid || !s.github.listPullRequests) return [];
  const closed = await s.github.listPullRequests(rid, { state: "closed", max: 300 });
  const jobs: RunJob[] = [];
  for (const p of closed) {
    // The resolved label is a shortcut: the claims would stop a second follow-up anyway.
    if (!isApprovalPull(p) || p.labels.includes(RESOLVED_LABEL)) continue;
    try {
      const view = pullView(await s.github.getPullRequest(rid, p.number));
      jobs.push(...(await resolvePull(s, crew, view)).jobs);
    } catch (err) {
      s.log(`reconcile: approval #${p.number}: ${errorMessage(err)}`);
    }
  }
  return jobs;
}
