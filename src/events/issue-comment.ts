/** issue_comment: a comment on an issue or on a pull request's conversation. */
import type { Normalizer } from "./common.js";
import { EDITS_OFF, baseTrigger, ignored, markEdited, ok, readAction, readActor, readBody, readIssueThread, textFields } from "./common.js";
import type { Trigger } from "./trigger.js";

/** Every action GitHub sends with issue_comment. */
export const ISSUE_COMMENT_ACTIONS = ["created", "edited", "deleted"] as const;

export const normalizeIssueComment: Normalizer = (r, opts) => {
  // Check the shape before the action: a payload of another event must fail loudly.
  r.body("comment.body");
  r.obj("issue");
  const action = readAction(r, ISSUE_COMMENT_ACTIONS, opts);
  if (action === "deleted") return ignored("issue_comment.deleted: a deleted comment starts nothing");
  if (action !== "created" && action !== "edited") return ignored(`issue_comment.${action}: only created (and edited) comments start runs`);
  if (action === "edited" && !opts.edits) return ignored(`issue_comment.edited: ${EDITS_OFF}`);
  const cut: string[] = [];
  const raw = readBody(r, "comment.body", cut);
  const thread = readIssueThread(r, "issue", cut);
  const trigger: Trigger = {
    ...baseTrigger(r, opts, readActor(r, "comment"), cut),
    ...textFields(raw),
    thread,
    comment: { id: r.num("comment.id"), url: r.optStr("comment.html_url") ?? "", kind: "issue" },
  };
  // Edits are routed only to agents that set triggers.edits (see plan/route.ts).
  if (action === "edited") markEdited(trigger, r, "comment");
  return ok(trigger);
};
