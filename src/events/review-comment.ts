/** pull_request_review_comment: a comment on a line of a pull request's diff. */
import type { Normalizer } from "./common.js";
import { EDITS_OFF, baseTrigger, forkReasons, ignored, markEdited, ok, readAction, readActor, readBody, readPullThread, textFields } from "./common.js";
import type { Trigger } from "./trigger.js";

/** Every action GitHub sends with pull_request_review_comment. */
export const REVIEW_COMMENT_ACTIONS = ["created", "edited", "deleted"] as const;

export const normalizeReviewComment: Normalizer = (r, opts) => {
  r.body("comment.body");
  r.str("comment.path");
  r.obj("pull_request");
  const action = readAction(r, REVIEW_COMMENT_ACTIONS, opts);
  if (action === "deleted") return ignored("pull_request_review_comment.deleted: a deleted comment starts nothing");
  if (action !== "created" && action !== "edited") return ignored(`pull_request_review_comment.${action}: only created (and edited) comments start runs`);
  if (action === "edited" && !opts.edits) return ignored(`pull_request_review_comment.edited: ${EDITS_OFF}`);
  const cut: string[] = [];
  const raw = readBody(r, "comment.body", cut);
  const thread = readPullThread(r, "pull_request", cut);
  const line = r.optNum("comment.line") ?? r.optNum("comment.original_line");
  const trigger: Trigger = {
    ...baseTrigger(r, opts, readActor(r, "comment"), cut),
    ...textFields(raw),
    thread,
    comment: {
      id: r.num("comment.id"),
      url: r.optStr("comment.html_url") ?? "",
      kind: "review_comment",
      path: r.str("comment.path"),
      ...(line !== undefined ? { line } : {}),
    },
    ref: thread.pr?.headRef ?? "",
    sha: r.optStr("comment.commit_id") ?? thread.pr?.headSha ?? "",
  };
  trigger.untrusted.push(...forkReasons(thread, "review comment on a pull request"));
  // Edits are routed only to agents that set triggers.edits (see plan/route.ts).
  if (action === "edited") markEdited(trigger, r, "comment");
  return ok(trigger);
};
