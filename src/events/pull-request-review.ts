/** pull_request_review: a submitted review (approve, request changes, comment). */
import type { Normalizer } from "./common.js";
import { baseTrigger, forkReasons, ignored, ok, readAction, readActor, readBody, readPullThread, textFields } from "./common.js";
import type { Trigger } from "./trigger.js";

/** Every action GitHub sends with pull_request_review. */
export const REVIEW_ACTIONS = ["submitted", "edited", "dismissed"] as const;

export const normalizePullRequestReview: Normalizer = (r, opts) => {
  r.obj("review");
  r.body("review.body");
  r.obj("pull_request");
  const action = readAction(r, REVIEW_ACTIONS, opts);
  if (action !== "submitted") return ignored(`pull_request_review.${action}: only submitted reviews start runs`);
  const cut: string[] = [];
  const raw = readBody(r, "review.body", cut);
  const thread = readPullThread(r, "pull_request", cut);
  const trigger: Trigger = {
    ...baseTrigger(r, opts, readActor(r, "review"), cut),
    ...textFields(raw),
    thread,
    comment: { id: r.num("review.id"), url: r.optStr("review.html_url") ?? "", kind: "review" },
    reviewState: r.str("review.state").toLowerCase(),
    ref: thread.pr?.headRef ?? "",
    // The review is on this commit; the head may have moved since.
    sha: r.optStr("review.commit_id") ?? thread.pr?.headSha ?? "",
  };
  trigger.untrusted.push(...forkReasons(thread, "review on a pull request"));
  return ok(trigger);
};
