/** pull_request_review_comment: a comment on a line of a pull request's diff. */
import type { Normalizer } from "./common.js";
import { baseTrigger, forkReasons, ignored, ok, readActor, readBody, readPullThread, textFields } from "./common.js";
import type { Trigger } from "./trigger.js";

export const normalizeReviewComment: Normalizer = (r, opts) => {
  r.body("comment.body");
  r.str("comment.path");
  r.obj("pull_request");
  const action = r.str("action");
  if (action === "edited" && !opts.edits) {
    return ignored("pull_request_review_comment.edited: edited comments are ignored (an edited body is not trusted; enable edits to route them)");
  }
  if (action !== "created" && action !== "edited") {
    return ignored(`pull_request_review_comment.${action}: only created comments start runs`);
  }
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
  if (action === "edited") {
    trigger.untrusted.push("comment was edited after it was posted: its body may differ from what was reviewed");
  }
  return ok(trigger);
};
