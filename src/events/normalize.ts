/**
 * GitHub webhook (event name + payload) → Trigger. The routing table is here;
 * each event family has its own small normaliser module. Pure: no I/O.
 */
import { InputError } from "../util/errors.js";
import type { NormalizeOptions, Normalizer } from "./common.js";
import { ignored } from "./common.js";
import { normalizeIssueComment } from "./issue-comment.js";
import { normalizeIssues } from "./issues.js";
import { normalizePullRequestReview } from "./pull-request-review.js";
import { normalizePullRequest } from "./pull-request.js";
import { normalizePush } from "./push.js";
import { normalizeReviewComment } from "./review-comment.js";
import { normalizeSchedule } from "./schedule.js";
import { normalizeWorkflowDispatch } from "./workflow-dispatch.js";
import { isObject, notEvent, PayloadReader } from "./read.js";
import type { Normalized } from "./trigger.js";

export type { NormalizeOptions } from "./common.js";
export { withPullRequest } from "./pull-request.js";

/** Events gitcrew acts on. Anything else is ignored with a reason. */
export const ROUTES: Readonly<Record<string, Normalizer>> = {
  issues: normalizeIssues,
  issue_comment: normalizeIssueComment,
  pull_request: normalizePullRequest,
  pull_request_review: normalizePullRequestReview,
  pull_request_review_comment: normalizeReviewComment,
  workflow_dispatch: normalizeWorkflowDispatch,
  schedule: normalizeSchedule,
  push: normalizePush,
};

/** Event names that `normalize` routes (the rest are ignored). */
export const ROUTED_EVENTS: readonly string[] = Object.keys(ROUTES);

/**
 * Normalise one webhook. Returns `{ ok: false, ignored }` for events and
 * actions gitcrew does not act on; throws InputError when the payload is not
 * an object or lacks (or mistypes) a field its event needs.
 */
export function normalize(event: string, payload: unknown, opts: NormalizeOptions = {}): Normalized {
  if (!isObject(payload)) {
    const got = payload === null ? "null" : Array.isArray(payload) ? "an array" : `a ${typeof payload}`;
    throw new InputError(`${notEvent(event)}: expected a JSON object, got ${got}`);
  }
  const route = Object.hasOwn(ROUTES, event) ? ROUTES[event] : undefined;
  if (!route) return ignored(`event "${event}" is not one gitcrew acts on (handled: ${ROUTED_EVENTS.join(", ")})`);
  const result = route(new PayloadReader(event, payload), opts);
  if (result.ok && result.trigger.truncated?.length === 0) delete result.trigger.truncated;
  return result;
}
