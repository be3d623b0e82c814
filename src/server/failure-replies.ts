/**
 * Where the server's failure answers go (texts: src/pipeline/failure-answers.ts):
 * a run's tracking comment when it has one (the early comment of its first
 * attempt, or the comment whose origin marker names the attempt), else a
 * new comment in the thread (what a request planning failed on is answered
 * with: src/pipeline/unplanned-answer.ts).
 */
import type { Crew } from "../crew/types.js";
import { normalize } from "../events/normalize.js";
import type { Trigger } from "../events/trigger.js";
import { parseOrigin } from "../github/marker.js";
import type { CommentRef, GitHubClient, RepoId } from "../github/types.js";
import { couldNotStartBody, detailOf, failedRunBody, rewriteComment, type Failure } from "../pipeline/failure-answers.js";
import { trackingOptionsFor } from "../pipeline/execute.js";
import { writtenByGitcrew } from "../pipeline/own-comments.js";
import { repoId, type RunJob, type Services, type ThreadAnswer } from "../pipeline/types.js";
import { crewRoutesEdits } from "../plan/route.js";
import type { FollowUpNotQueued } from "./follow-ups.js";
import { runnerRunId } from "./run-id.js";

/** Comments looked through for a run's tracking comment (newest kept). */
const LOOKED_AT = 100;

/** The runner ids of a stored run's attempts up to `attempt` (an attempt that failed before it posted a comment is told in an earlier one's). */
function attemptIds(runId: string, attempt: number): string[] {
  return Array.from({ length: Math.max(attempt, 1) }, (_, i) => runnerRunId(runId, i + 1));
}

/** gitcrew's newest comment in the thread whose origin marker names one of `runIds`. */
async function ownRunComment(github: GitHubClient, env: NodeJS.ProcessEnv, repo: RepoId, issue: number, runIds: string[]): Promise<CommentRef | undefined> {
  const wanted = new Set(runIds);
  const ours = await writtenByGitcrew({ env, github });
  const { comments } = await github.listComments(repo, issue, { max: LOOKED_AT });
  const found = comments.filter((c) => ours(c) && wanted.has(parseOrigin(c.body)?.runId ?? "")).pop();
  return found ? { id: found.id, url: "" } : undefined;
}

/**
 * The newest tracking comment of a stored run up to `attempt` (an attempt
 * that failed before it posted one is told in the previous attempt's), or
 * its early comment, if it has one in its thread.
 */
export async function runComment(s: Pick<Services, "env" | "github">, job: RunJob, runId: string, attempt: number): Promise<CommentRef | undefined> {
  const thread = job.trigger.thread;
  if (!thread) return undefined;
  const found = await ownRunComment(s.github, s.env, repoId(job.trigger), thread.number, attemptIds(runId, attempt));
  if (found) return found;
  const early = job.early?.tracking;
  return early ? { id: early.id, url: early.url } : undefined;
}

/**
 * One attempt of a run ended without its tracking comment saying why: the
 * answer that makes the comment (found when written: posted anew if it is
 * gone, or if the attempt had none) say so. Undefined: the run has no thread.
 */
export function runAnswer(s: Services, job: RunJob, runId: string, attempt: number, failure: Failure, status: "failed" | "cancelled" = "failed"): ThreadAnswer | undefined {
  const thread = job.trigger.thread;
  if (!thread) return undefined;
  // Only the origin marker is read from these options: nothing is written here.
  const opts = trackingOptionsFor(s, job, runnerRunId(runId, attempt), s.github, () => undefined);
  const early = job.early?.tracking;
  return {
    repo: job.trigger.repo.fullName,
    issue: thread.number,
    bodies: [failedRunBody(opts.origin, failure, status, s.runUrl)],
    runIds: attemptIds(runId, attempt),
    ...(early ? { edit: early.id } : {}),
    // As the run's own comments are written: with its agent's token.
    permissions: job.agent.permissions,
  };
}

/** Writes an answer (answer-outbox.ts keeps it when GitHub does not take it). */
export async function writeAnswer(github: GitHubClient, env: NodeJS.ProcessEnv, a: ThreadAnswer): Promise<void> {
  const [owner = "", repo = ""] = a.repo.split("/");
  const rid: RepoId = { owner, repo };
  let ref: { id: number } | undefined = a.edit !== undefined ? { id: a.edit } : undefined;
  if (a.runIds?.length) ref = (await ownRunComment(github, env, rid, a.issue, a.runIds)) ?? ref;
  const [first = "", ...rest] = a.bodies;
  await rewriteComment(github, rid, a.issue, ref, first);
  for (const body of rest) await github.createComment(rid, a.issue, body);
}

/** The trigger of a stored delivery, as planning read it (undefined: nothing to answer). */
export function triggerOf(event: string, payload: unknown, deliveryId: string, crew: Crew | undefined): Trigger | undefined {
  try {
    const n = normalize(event, payload, { deliveryId, edits: crew ? crewRoutesEdits(crew.agents) : false });
    return n.ok ? n.trigger : undefined;
  } catch {
    return undefined;
  }
}


/** What to do when an approved run was claimed and never queued, by what approved it (the claim key's kind). */
function followUpHint(key: string): string {
  const log = "if it keeps failing, the server's administrator finds the store's error in its log";
  // A merge: reconcile finds the claim without its run at every periodic fetch and queues it.
  if (key.startsWith("approval:")) return `nothing to do: gitcrew queues it again by itself at its next look at approval pull requests; ${log}`;
  // An approving review of a gated pull request: that review's claim is spent; a new review is a new approval.
  if (key.startsWith("review:")) return `approve the pull request again in a new review once the server's store works; ${log}`;
  // `/approve` (or an approving review of a fork head): the refusal still waits; approving it again queues the same run, once.
  return `comment \`/approve\` again once the server's store works (the approved run is queued once, not twice); ${log}`;
}

/**
 * The approvals whose runs the store never took, when no attempt is left:
 * one new comment per thread, naming the approved agents. An `/approve` or
 * a review names no agent, so nothing else would answer them.
 */
export function followUpsNotQueued(err: FollowUpNotQueued): ThreadAnswer[] {
  const byThread = new Map<string, { repo: string; issue: number; key: string; agents: string[] }>();
  for (const job of err.jobs) {
    const thread = job.trigger.thread;
    if (!thread || !job.followUp) continue;
    const at = `${job.trigger.repo.fullName}#${thread.number}`;
    const seen = byThread.get(at) ?? { repo: job.trigger.repo.fullName, issue: thread.number, key: job.followUp.key, agents: [] };
    if (!seen.agents.includes(job.agent.name)) seen.agents.push(job.agent.name);
    byThread.set(at, seen);
  }
  const failure = (key: string): Failure => ({
    message: `the approval is recorded, but gitcrew could not queue the approved run: its database failed (${detailOf(err.cause)})`,
    hint: followUpHint(key),
  });
  return [...byThread.values()].map((t) => ({ repo: t.repo, issue: t.issue, bodies: [couldNotStartBody(t.agents, failure(t.key))] }));
}
