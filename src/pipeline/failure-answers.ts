/**
 * What a thread is told when gitcrew itself fails around a run (planning,
 * queueing, preparing the container, losing the run): one place for these
 * texts, so the Action and the server say the same thing. Each answer says
 * what failed in one bounded line (no stack trace, no request body) and what
 * to do, or that gitcrew tries again by itself. The agent's own failures are
 * reported by the tracking comment (execute.ts), not here.
 */
import { neutralizeAgentText } from "../github/agent-text.js";
import { GitHubError } from "../github/errors.js";
import { originMarker } from "../github/marker.js";
import { renderFinal } from "../github/render.js";
import type { AgentOrigin } from "../events/trigger.js";
import type { CommentRef, GitHubClient, RepoId } from "../github/types.js";
import { EnvironmentError, GitcrewError, errorMessage } from "../util/errors.js";

export interface Failure {
  message: string;
  hint?: string;
}

/** Most characters of an error's own words shown in a thread. */
const DETAIL_CHARS = 300;

/** The first line of an error's message, bounded: a stack or a multi-line tool output stays in the log. */
export function detailOf(err: unknown): string {
  const line = errorMessage(err).split("\n").find((l) => l.trim()) ?? "unknown error";
  const flat = line.replace(/\s+/g, " ").trim();
  return flat.length > DETAIL_CHARS ? `${flat.slice(0, DETAIL_CHARS - 1)}…` : flat;
}

/** When gitcrew tries again, in UTC, as the thread reads it. */
export function atUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/**
 * Planning a request failed (the crew, GitHub's answers, the store).
 * `retryAt`: gitcrew plans it again then; otherwise this was the last try.
 */
export function planningFailure(caught: unknown, retryAt?: number): Failure {
  // A GitHub outage wrapped as a temporary failure keeps the GitHub error as its cause.
  const err = caught instanceof EnvironmentError && caught.cause instanceof GitHubError ? caught.cause : caught;
  const again = retryAt !== undefined ? `nothing to do: gitcrew tries again at ${atUtc(retryAt)}` : undefined;
  if (err instanceof GitHubError) {
    return {
      message: `gitcrew could not read what it needs from GitHub to start the run (GitHub answered ${err.status}${err.status >= 500 ? ", a GitHub outage" : ""})`,
      hint: again ?? (err.status >= 500 || err.status === 429 ? "comment again in a few minutes, once GitHub answers" : `${err.hint ?? "check gitcrew's GitHub token or App permissions"}; then comment again`),
    };
  }
  if (err instanceof CrewBroken) return { message: err.message, hint: again ?? err.hint };
  if (err instanceof QueueFailed) return { message: err.message, hint: again ?? "comment again; if it keeps failing, the server's administrator finds the store's error in its log" };
  return {
    message: `gitcrew could not plan this request: ${detailOf(err)}`,
    hint: again ?? (err instanceof GitcrewError && err.hint && !(err instanceof EnvironmentError) ? err.hint : "comment again; if it keeps failing, the server's log says more"),
  };
}

/** The crew on the default branch does not load: nothing can be planned. */
export class CrewBroken extends EnvironmentError {
  constructor(branch: string, problem: string) {
    super(`the crew on ${branch} does not load (${problem.length > DETAIL_CHARS ? `${problem.slice(0, DETAIL_CHARS - 1)}…` : problem}); no agent can run until it is fixed`, `run \`npx gitcrew validate\` on ${branch}, fix what it reports, push, then comment again`);
  }
}

/** The store did not take the planned runs (its database failed). */
export class QueueFailed extends EnvironmentError {
  constructor(err: unknown) {
    super(`gitcrew could not queue the run: its database failed (${detailOf(err)})`);
  }
}

/**
 * A run that could not go on, as the thread reads it. `retryAt`: another
 * attempt starts then (`attempt` of `of`); otherwise the run is over.
 */
export function runFailure(err: unknown, retry?: { attempt: number; of: number }): Failure {
  const base: Failure = err instanceof GitcrewError ? { message: detailOf(err), hint: err.hint } : { message: detailOf(err) };
  const saysRetry = base.hint !== undefined && RETRY_WORDS.test(base.hint);
  // The error's own words when they already say how gitcrew goes on (e.g. once the engine answers).
  if (retry) return { message: base.message, hint: saysRetry ? base.hint : `nothing to do: gitcrew tries again shortly (attempt ${retry.attempt} of ${retry.of}), in a new comment` };
  return { message: base.message, hint: base.hint && !saysRetry ? base.hint : "comment again to start a new run; if it keeps failing, the server's log says more" };
}

/** A queued run cancelled before any runner took it. */
export const CANCELLED_BEFORE_START: Failure = { message: "cancelled before it started", hint: "comment again to start a new run" };

/**
 * Attempt `attempt` of a run was lost: the server running it stopped
 * renewing its hold on it (it crashed, hung or lost its database).
 * `of`: another attempt follows; otherwise the run is over.
 */
export function lostRunFailure(attempt: number, of?: number): Failure {
  const message = `the server running this run (attempt ${attempt}) stopped answering, so the run was lost`;
  if (of !== undefined) return { message, hint: `nothing to do: gitcrew tries again shortly (attempt ${attempt + 1} of ${of}), in a new comment` };
  return { message: `${message}; no attempt is left`, hint: "comment again to start a new run; if it keeps happening, the servers' logs say why they stopped" };
}

/** A hint that promises another try: wrong once no attempt is left. */
const RETRY_WORDS = /tried again|tries again|queues the run again/;

/** The final text of a run's tracking comment for a failure outside the agent. */
export function failedRunBody(origin: AgentOrigin, failure: Failure, status: "failed" | "cancelled" = "failed", runUrl?: string): string {
  return renderFinal({ agent: origin.agent, status, runUrl, error: failure }, originMarker(origin))[0] ?? "";
}

/** A new comment for a request none of whose agents could start (no tracking comment to edit). */
export function couldNotStartBody(agents: string[], failure: Failure): string {
  const names = agents.map((a) => `**${a}**`).join(", ");
  // Error text can quote anything (a crew file, a GitHub message): it can never write a gitcrew marker (as renderFinal).
  const said = (text: string) => neutralizeAgentText(text);
  return [`❌ ${names} could not start: ${said(failure.message)}.`, failure.hint ? `**What to do:** ${said(failure.hint)}.` : ""].filter(Boolean).join("\n\n");
}

/** Edits a tracking comment into `body`; posts it anew when the comment is gone. */
export async function rewriteComment(client: GitHubClient, repo: RepoId, issue: number, ref: { id: number } | undefined, body: string): Promise<CommentRef> {
  if (ref) {
    try {
      return await client.updateComment(repo, ref.id, body);
    } catch (err) {
      if (!(err instanceof GitHubError && (err.status === 404 || err.status === 403))) throw err;
    }
  }
  return client.createComment(repo, issue, body);
}
