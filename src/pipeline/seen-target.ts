/** What 👀 goes on, by itself: the Action's early 👀 loads this before the executor's code. */
import type { Trigger } from "../events/trigger.js";

/** What 👀 goes on: the comment, or the issue opened. GitHub has no reactions on a review as a whole, only on its line comments. */
export function seenTarget(t: Trigger): { commentId: number } | { reviewCommentId: number } | { issueNumber: number } | undefined {
  const thread = t.thread;
  return t.comment?.kind === "issue" ? { commentId: t.comment.id } : t.comment?.kind === "review_comment" ? { reviewCommentId: t.comment.id } : thread && !t.comment && t.event === "issues" ? { issueNumber: thread.number } : undefined;
}
