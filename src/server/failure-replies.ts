/**
 * Where the server's failure answers go (texts: src/pipeline/failure-answers.ts):
 * a run's tracking comment when it has one (the early comment of its first
 * attempt, or the comment whose origin marker names the attempt), else a
 * new comment in the thread, and only when the request addressed an agent by
 * name or command (a broken crew must not answer every comment).
 */
import type { Crew } from "../crew/types.js";
import { normalize } from "../events/normalize.js";
import type { Trigger } from "../events/trigger.js";
import { parseOrigin } from "../github/marker.js";
import type { CommentRef, GitHubClient, RepoId } from "../github/types.js";
import { couldNotStartBody, detailOf, failedRunBody, rewriteComment, type Failure } from "../pipeline/failure-answers.js";
export { namedAgents } from "../pipeline/failure-answers.js";
import { trackingOptionsFor } from "../pipeline/execute.js";
import { writtenByGitcrew } from "../pipeline/own-comments.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { crewRoutesEdits } from "../plan/route.js";
import type { FollowUpNotQueued } from "./follow-ups.js";
import { runnerRunId } from "./run-id.js";

/** Comments looked through for a run's tracking comment (newest kept). */
const LOOKED_AT = 100;

/**
 * The newest tracking comment of a stored run up to `attempt` (an attempt
 * that failed before it posted one is told in the previous attempt's), or
 * its early comment, if it has one in its thread.
 */
export async function runComment(s: Pick<Services, "env" | "github">, job: RunJob, runId: string, attempt: number): Promise<CommentRef | undefined> {
  const thread = job.trigger.thread;
  if (!thread) return undefined;
  const wanted = new Set(Array.from({ length: Math.max(attempt, 1) }, (_, i) => runnerRunId(runId, i + 1)));
  const ours = await writtenByGitcrew(s);
  const { comments } = await s.github.listComments(repoId(job.trigger), thread.number, { max: LOOKED_AT });
  const found = comments.filter((c) => ours(c) && wanted.has(parseOrigin(c.body)?.runId ?? "")).pop();
  if (found) return { id: found.id, url: "" };
  const early = job.early?.tracking;
  return early ? { id: early.id, url: early.url } : undefined;
}

/**
 * One attempt of a run ended without its tracking comment saying why: the
 * comment (posted anew if it is gone, or if the attempt had none) now does.
 */
export async function tellRun(s: Services, job: RunJob, runId: string, attempt: number, failure: Failure, status: "failed" | "cancelled" = "failed"): Promise<void> {
  const thread = job.trigger.thread;
  if (!thread) return;
  const github = s.clientFor ? await s.clientFor(job.agent) : s.github;
  const opts = trackingOptionsFor(s, job, runnerRunId(runId, attempt), github, () => undefined);
  const ref = await runComment({ env: s.env, github }, job, runId, attempt);
  await rewriteComment(github, opts.repo, thread.number, ref, failedRunBody(opts.origin, failure, status, s.runUrl));
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

/** A request none of whose agents could start, answered by a new comment in its thread. */
export async function tellThread(github: GitHubClient, t: Trigger, agents: string[], failure: Failure): Promise<void> {
  if (!t.thread || !agents.length) return;
  await github.createComment(repoId(t), t.thread.number, couldNotStartBody(agents, failure));
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
export function followUpsNotQueued(err: FollowUpNotQueued): { repo: RepoId; issue: number; body: string }[] {
  const byThread = new Map<string, { repo: RepoId; issue: number; key: string; agents: string[] }>();
  for (const job of err.jobs) {
    const thread = job.trigger.thread;
    if (!thread || !job.followUp) continue;
    const at = `${job.trigger.repo.fullName}#${thread.number}`;
    const seen = byThread.get(at) ?? { repo: repoId(job.trigger), issue: thread.number, key: job.followUp.key, agents: [] };
    if (!seen.agents.includes(job.agent.name)) seen.agents.push(job.agent.name);
    byThread.set(at, seen);
  }
  const failure = (key: string): Failure => ({
    message: `the approval is recorded, but gitcrew could not queue the approved run: its database failed (${detailOf(err.cause)})`,
    hint: followUpHint(key),
  });
  return [...byThread.values()].map((t) => ({ repo: t.repo, issue: t.issue, body: couldNotStartBody(t.agents, failure(t.key)) }));
}
