/** issue_comment: a comment on an issue or on a pull request's conversation. */
import type { Normalizer } from "./common.js";
import { baseTrigger, ignored, ok, readActor, readBody, readIssueThread, textFields } from "./common.js";
import type { Trigger } from "./trigger.js";

export const normalizeIssueComment: Normalizer = (r, opts) => {
  // Check the shape before the action: a payload of another event must fail loudly.
  r.body("comment.body");
  r.obj("issue");
  const action = r.str("action");
  if (action === "edited" && !opts.edits) {
    return ignored("issue_comment.edited: edited comments are ignored (an edited body is not trusted; enable edits to route them)");
  }
  if (action !== "created" && action !== "edited") {
    return ignored(`issue_comment.${action}: only created comments start runs`);
  }
  const cut: string[] = [];
  const raw = readBody(r, "comment.body", cut);
  const thread = readIssueThread(r, "issue", cut);
  const trigger: Trigger = {
    ...baseTrigger(r, opts, readActor(r, "comment"), cut),
    ...textFields(raw),
    thread,
    comment: { id: r.num("comment.id"), url: r.optStr("comment.html_url") ?? "", kind: "issue" },
  };
  if (action === "edited") {
    trigger.untrusted.push("comment was edited after it was posted: its body may differ from what was reviewed");
  }
  return ok(trigger);
};
