/**
 * The follow-up run an approval owes, made "exactly once" rather than "at
 * most once". The approval is claimed first (a `gitcrew:done` comment in the
 * thread, claim.ts); the run is then queued under an id derived from the
 * claim key, so queueing it twice is still one run:
 *
 * - `gitcrew serve`: the id is the run's id in the store (an insert of a
 *   known id is a no-op);
 * - the Action (no store): the id is written into the run's tracking comment
 *   (`<!-- gitcrew:origin … run=ID -->`); that comment in the thread is the
 *   durable record that the follow-up started.
 *
 * A claim whose run was never queued (the process died in between) is found
 * again by a redelivered webhook or by reconcile, which queue it again. Once
 * the run is queued (server) or started (Action), the approval PR is
 * labelled `gitcrew:resolved` and reconcile passes it by.
 */
import { createHash } from "node:crypto";
import { parseOrigin } from "../events/text.js";
import type { RepoId, ThreadComment } from "../github/types.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { errorMessage } from "../util/errors.js";
import { botComments } from "./claim.js";
import { RESOLVED_LABEL } from "./request.js";

/** Without a store, a claim younger than this may still be starting its run in another workflow. */
const ACTION_GRACE_SECONDS = 600;

/** The follow-up's run id: the same for every delivery of the same approval. */
export function followUpRunId(claimKey: string): string {
  return `approved-${createHash("sha256").update(claimKey).digest("hex").slice(0, 20)}`;
}

/** The hidden line in the claim comment naming its run (a claim of the same key that said "cannot continue" has none). */
export function followUpLine(runId: string): string {
  return `<!-- gitcrew:follow-up run=${runId} -->`;
}

export function claimsFollowUp(comment: ThreadComment, runId: string): boolean {
  return comment.body.includes(followUpLine(runId));
}

/** A tracking comment of the run (any attempt) is in the thread: it started. */
export async function followUpStarted(s: Services, repo: RepoId, issue: number, runId: string): Promise<boolean> {
  return (await botComments(s, repo, issue)).some((c) => {
    const run = parseOrigin(c.body)?.runId;
    return run === runId || !!run?.startsWith(`${runId}.attempt`);
  });
}

/**
 * May a claim found in the thread, whose run has not started, be queued again?
 * With a store, always (the run id dedupes). Without one (the Action), only
 * once it is older than the grace (`GITCREW_FOLLOW_UP_GRACE_SECONDS`, default
 * 600): a younger one may belong to a workflow that is starting it right now.
 */
export function mayRequeue(s: Services, claimed: ThreadComment, now = Date.now()): boolean {
  if (s.once) return true;
  const set = Number(s.env.GITCREW_FOLLOW_UP_GRACE_SECONDS ?? Number.NaN);
  const grace = Number.isFinite(set) && set >= 0 ? set : ACTION_GRACE_SECONDS;
  // An unreadable creation time counts as old: the follow-up is not lost for a date.
  return !(now - Date.parse(claimed.createdAt) < grace * 1000);
}

/** The follow-up is queued (server) or started (Action): label its approval PR so reconcile passes it by. */
export async function followUpRecorded(s: Services, job: RunJob): Promise<void> {
  const pull = job.followUp?.pull;
  if (!pull) return;
  await s.github.addLabels?.(repoId(job.trigger), pull, [RESOLVED_LABEL]).catch((err) => s.log(`could not label #${pull}: ${errorMessage(err)}`));
}
