/**
 * Approvals as pull requests (GitOps): the repository is the truth.
 * The pipeline calls these hooks; see docs/approvals.md.
 */
import type { Crew } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import type { Plan } from "../plan/types.js";
import type { RunResult } from "../runner/types.js";
import type { RunJob, Services } from "../pipeline/types.js";

export interface ApprovalEventResult {
  /** The event was about approvals: `jobs` run instead of normal routing. */
  handled: boolean;
  jobs: RunJob[];
  /** Comments posted while handling (rejections, "approved by …"). */
  replies: { issue: number; url: string }[];
}

/**
 * Approval PR merged or closed, approving review by an approver, `/approve`
 * of a refused run: what to start. Called before the normal plan is acted on.
 */
export async function handleApprovalEvent(_s: Services, _trigger: Trigger, _crew: Crew, _plan: Plan): Promise<ApprovalEventResult> {
  return { handled: false, jobs: [], replies: [] };
}

/** Runs refused for permission or a fork: reply in the thread naming who can approve. */
export async function replyToRefusals(_s: Services, _plan: Plan, _crew: Crew): Promise<{ issue: number; url: string }[]> {
  return [];
}

/** After a run that called `gitcrew-request-approval`: one PR per request. */
export async function openApprovalRequests(_s: Services, _job: RunJob, _result: RunResult): Promise<{ number: number; url: string }[]> {
  return [];
}

/** Approval PRs merged or closed while nobody listened: the follow-ups still owed. */
export async function reconcileApprovals(_s: Services, _crew: Crew): Promise<RunJob[]> {
  return [];
}
