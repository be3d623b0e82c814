/** pull_request: opened, synchronize, labeled and closed (merged) start runs. */
import type { Normalizer } from "./common.js";
import { baseTrigger, forkReasons, ignored, ok, readAction, readActor, readBody, readPullThread, textFields } from "./common.js";
import { PayloadReader } from "./read.js";
import type { Trigger } from "./trigger.js";

const HANDLED = ["opened", "synchronize", "labeled", "closed"];

/** Every action GitHub sends with pull_request. */
export const PULL_REQUEST_ACTIONS = (
  "assigned auto_merge_disabled auto_merge_enabled closed converted_to_draft demilestoned dequeued edited enqueued labeled " +
  "locked milestoned opened ready_for_review reopened review_request_removed review_requested synchronize unassigned unlabeled unlocked"
).split(" ");

/**
 * `closed` is normalised merged or not: approvals read an unmerged close as a
 * rejection. Agents only run on a merged one (plan/route.ts).
 */
export const normalizePullRequest: Normalizer = (r, opts) => {
  r.obj("pull_request");
  r.obj("pull_request.head");
  const action = readAction(r, PULL_REQUEST_ACTIONS, opts);
  if (!HANDLED.includes(action)) {
    return ignored(`pull_request.${action}: only ${HANDLED.join(", ")} start runs`);
  }
  const cut: string[] = [];
  const thread = readPullThread(r, "pull_request", cut);
  // Only the opening carries text meant for agents: a push or a label must not
  // re-read mentions from the description.
  const opened = action === "opened";
  const trigger: Trigger = {
    ...baseTrigger(r, opts, readActor(r, opened ? "pull_request" : undefined), cut),
    ...textFields(opened ? readBody(r, "pull_request.body", []) : ""),
    thread,
    ref: thread.pr?.headRef ?? "",
    sha: thread.pr?.headSha ?? "",
  };
  trigger.untrusted.push(...forkReasons(thread, "pull request"));
  if (action === "labeled") trigger.label = r.str("label.name");
  return ok(trigger);
};

/**
 * An issue_comment on a PR carries no head repository, so fork status needs a
 * lookup. Give the pull request object (REST `pulls.get`, same shape as the
 * webhook's) and get the trigger with `thread.pr` filled and fork reasons added.
 */
export function withPullRequest(trigger: Trigger, pullRequest: unknown): Trigger {
  const r = new PayloadReader("pull_request", { pull_request: pullRequest });
  const cut: string[] = [];
  const thread = readPullThread(r, "pull_request", cut);
  const what = trigger.comment ? "comment on a pull request" : "pull request";
  const untrusted = [...trigger.untrusted, ...forkReasons(thread, what).filter((u) => !trigger.untrusted.includes(u))];
  return { ...trigger, thread: { ...thread, body: trigger.thread?.body ?? thread.body }, untrusted };
}
