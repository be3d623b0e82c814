/**
 * Approvals as pull requests (GitOps): the repository is the truth.
 * The hooks the pipeline calls; see docs/approvals.md.
 */
import type { Crew } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import type { Plan } from "../plan/types.js";
import { repoId, type Services } from "../pipeline/types.js";
import { handleApproveCommand } from "./approve-refused.js";
import { pullView } from "./pull-view.js";
import { APPROVAL_LABEL, idFromBranch } from "./request.js";
import { resolvePull } from "./resolve-pull.js";
import { handled, notHandled, type ApprovalEventResult } from "./result.js";
import { handleReview } from "./review.js";

export { openApprovalRequests } from "./open-requests.js";
export { reconcileApprovals } from "./reconcile.js";
export { replyToRefusals } from "./refusals.js";
export type { ApprovalEventResult } from "./result.js";

/**
 * Approval PR merged or closed, approving review by an approver, `/approve`
 * of a refused run: what to start. Called before the normal plan is acted on.
 */
export async function handleApprovalEvent(s: Services, t: Trigger, crew: Crew, plan: Plan): Promise<ApprovalEventResult> {
  const pr = t.thread?.pr;
  if (t.event === "pull_request" && pr && !pr.fork && idFromBranch(pr.headRef) && t.thread) {
    // Approval PRs are not work for agents: opening, pushing or labelling one starts nothing.
    if (t.action !== "closed") return handled();
    // Fresh from GitHub: who merged, the merge commit, and the raw body (the trigger's has markers stripped).
    const view = pullView(await s.github.getPullRequest(repoId(t), t.thread.number));
    // Only gitcrew's own approval PRs resolve (resolvePull checks); the label is the quick test.
    if (view.labels.includes(APPROVAL_LABEL)) return resolvePull(s, crew, view, t.actor.login);
    return notHandled();
  }
  if (t.event === "pull_request_review") {
    const r = await handleReview(s, t, crew);
    if (r.handled) return r;
  }
  const approve = plan.commands.find((c) => c.name === "approve");
  if (approve?.allowed && t.thread) return handleApproveCommand(s, t, crew, approve.args);
  return notHandled();
}
