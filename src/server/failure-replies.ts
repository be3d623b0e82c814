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
import type { CommentRef, GitHubClient } from "../github/types.js";
import { couldNotStartBody, failedRunBody, rewriteComment, type Failure } from "../pipeline/failure-answers.js";
export { namedAgents } from "../pipeline/failure-answers.js";
import { trackingOptionsFor } from "../pipeline/execute.js";
import { writtenByGitcrew } from "../pipeline/own-comments.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { crewRoutesEdits } from "../plan/route.js";
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
