/** issues: opened, labeled and assigned start runs; everything else is ignored. */
import type { Normalizer } from "./common.js";
import { baseTrigger, ignored, ok, readAction, readActor, readBody, readIssueThread, textFields } from "./common.js";
import type { Trigger } from "./trigger.js";

const HANDLED = ["opened", "labeled", "assigned"];

/** Every action GitHub sends with issues (a payload with another action is of another event). */
export const ISSUES_ACTIONS = (
  "opened edited deleted pinned unpinned closed reopened assigned unassigned labeled unlabeled " +
  "locked unlocked transferred milestoned demilestoned typed untyped"
).split(" ");

export const normalizeIssues: Normalizer = (r, opts) => {
  r.obj("issue");
  r.num("issue.number");
  const action = readAction(r, ISSUES_ACTIONS, opts);
  if (!HANDLED.includes(action)) {
    return ignored(`issues.${action}: only ${HANDLED.join(", ")} start runs`);
  }
  const cut: string[] = [];
  const thread = readIssueThread(r, "issue", cut);
  // Only the opening carries text meant for agents; a label or an assignment
  // must not re-read mentions from a body written long ago.
  const opened = action === "opened";
  const trigger: Trigger = {
    ...baseTrigger(r, opts, readActor(r, opened ? "issue" : undefined), cut),
    ...textFields(opened ? readBody(r, "issue.body", []) : ""),
    thread,
  };
  if (action === "labeled") trigger.label = r.str("label.name");
  if (action === "assigned") trigger.assignee = r.str("assignee.login");
  return ok(trigger);
};
