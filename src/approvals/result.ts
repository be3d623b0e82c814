/** What the approval hooks answer the pipeline. */
import type { RunJob } from "../pipeline/types.js";

/** A comment posted in a thread. */
export type Reply = { issue: number; url: string };

export interface ApprovalEventResult {
  /** The event was about approvals: `jobs` run instead of normal routing. */
  handled: boolean;
  jobs: RunJob[];
  /** Comments posted while handling (rejections, "approved by …"). */
  replies: Reply[];
}

/** Not about approvals: the pipeline routes the event as usual. */
export const notHandled = (): ApprovalEventResult => ({ handled: false, jobs: [], replies: [] });

/** About approvals: only `jobs` run (none when the event starts nothing). */
export const handled = (jobs: RunJob[] = [], replies: Reply[] = []): ApprovalEventResult => ({ handled: true, jobs, replies });
