/**
 * The follow-up run an approval owes, made "exactly once" rather than "at
 * most once": an approval PR's merge, a maintainer's `/approve` of a refused
 * run, an approving review (of an agent's gated PR, or of a fork PR at a
 * head). All go through `claimFollowUp`. The approval is claimed first (a
 * `gitcrew:done` comment in the thread, claim.ts); the run is then queued
 * under an id derived from the claim key, so queueing it twice is still one
 * run:
 *
 * - `gitcrew serve`: the id is the run's id in the store (an insert of a
 *   known id is a no-op);
 * - the Action (no store): the id is written into the run's tracking comment
 *   (`<!-- gitcrew:origin … run=ID -->`); that comment in the thread is the
 *   durable record that the follow-up started.
 *
 * A claim whose run was never queued (the process died in between) is found
 * again by whoever handles the same approval again — a redelivered webhook,
 * a delivery planned again, reconcile (merges only) — and queued again. Once
 * the run is queued (server) or started (Action), an approval PR is labelled
 * `gitcrew:resolved` and reconcile passes it by.
 */
import { createHash } from "node:crypto";
import { parseOrigin } from "../events/text.js";
import type { RepoId, ThreadComment } from "../github/types.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { errorMessage } from "../util/errors.js";
import { botComments, claimOnce } from "./claim.js";
import { followUpMarker, hasDoneMarker, parseFollowUpMarkers } from "../github/marker.js";
import { RESOLVED_LABEL } from "./request.js";
import type { Reply } from "./result.js";

/** Without a store, a claim younger than this may still be starting its run in another workflow. */
const ACTION_GRACE_SECONDS = 600;

/** The follow-up's run id: the same for every delivery of the same approval. */
export function followUpRunId(claimKey: string): string {
  return `approved-${createHash("sha256").update(claimKey).digest("hex").slice(0, 20)}`;
}

/** Does this claim comment owe the run `runId`? (A claim of the same key that said "cannot continue" owes none.) */
export function claimsFollowUp(comment: ThreadComment, runId: string): boolean {
  return parseFollowUpMarkers(comment.body).some((m) => m.run === runId);
}

/** A tracking comment of the run (any attempt) among these comments: it started. */
function startedIn(comments: ThreadComment[], runId: string): boolean {
  return comments.some((c) => {
    const run = parseOrigin(c.body)?.runId;
    return run === runId || !!run?.startsWith(`${runId}.attempt`);
  });
}

/** A tracking comment of the run (any attempt) is in the thread: it started. */
export async function followUpStarted(s: Services, repo: RepoId, issue: number, runId: string): Promise<boolean> {
  return startedIn(await botComments(s, repo, issue), runId);
}

/**
 * Where the follow-up claimed under `key` stands, read from the thread's bot
 * comments: not claimed yet, claimed but its run not started (`owed`: never
 * queued, or queued in a store and not started yet), or `settled` (started,
 * or a claim that owes no run).
 */
export function followUpState(comments: ThreadComment[], key: string): "unclaimed" | "owed" | "settled" {
  const claim = comments.find((c) => hasDoneMarker(c.body, key));
  if (!claim) return "unclaimed";
  const runId = followUpRunId(key);
  return claimsFollowUp(claim, runId) && !startedIn(comments, runId) ? "owed" : "settled";
}

/** Did a follow-up claimed via this approving event (`issue-123`, `review-9`) get claimed already? A redelivery then says nothing. */
export async function claimedVia(s: Services, repo: RepoId, issue: number, via: string): Promise<boolean> {
  return (await botComments(s, repo, issue)).some((c) => parseFollowUpMarkers(c.body).some((m) => m.via === via));
}

/**
 * May a claim found in the thread, whose run has not started, be queued again?
 * With a store, always (the run id dedupes). Without one (the Action), only
 * once it is older than the grace (`GITCREW_FOLLOW_UP_GRACE_SECONDS`, default
 * 600): a younger one may belong to a workflow that is starting it right now.
 */
export function mayRequeue(s: Services, claimed: ThreadComment, now = Date.now()): boolean {
  if (s.once) return true;
  return !(now - Date.parse(claimed.createdAt) < graceSeconds(s) * 1000);
}

function graceSeconds(s: Services): number {
  const set = Number(s.env.GITCREW_FOLLOW_UP_GRACE_SECONDS ?? Number.NaN);
  // An unreadable creation time counts as old (in mayRequeue): the follow-up is not lost for a date.
  return Number.isFinite(set) && set >= 0 ? set : ACTION_GRACE_SECONDS;
}

/** One follow-up to claim and queue once. */
export interface FollowUpClaimInput {
  repo: RepoId;
  /** The thread the claim comment goes to (the run's thread). */
  issue: number;
  /** The claim key: the once guard's key, and what the run id is derived from. */
  key: string;
  /** The claim comment, as people read it (the markers are added). */
  body: string;
  /** The run, as planned; returned with `followUp` set. */
  job: RunJob;
  /** The approval PR to label resolved once the run is queued/started. */
  pull?: number;
  /** What approved it (`issue-123`, `review-9`): recorded so a redelivery of that event knows it acted. */
  via?: string;
}

/**
 * How claiming went: `queue` is the run to queue (under its claim's run id,
 * so queueing it again adds nothing), with the claim comment when this call
 * posted it, without when it queues again a run claimed earlier and never
 * started. `settled`: claimed earlier and started (or queued, where the
 * store says so), or a claim that owes no run. `busy`: another delivery is
 * handling it right now (a lost race, or a claim younger than the grace).
 */
export type FollowUpClaim = { queue: RunJob; reply?: Reply } | { settled: true } | { busy: true };

/** Claim the follow-up, then hand back the run to queue under the claim's run id: at most one claim, exactly one run. */
export async function claimFollowUp(s: Services, f: FollowUpClaimInput): Promise<FollowUpClaim> {
  const runId = followUpRunId(f.key);
  const job: RunJob = { ...f.job, followUp: { key: f.key, runId, ...(f.pull ? { pull: f.pull } : {}) } };
  const claimed = await claimOnce(s, f.repo, f.issue, f.key, `${f.body}\n${followUpMarker({ run: runId, via: f.via })}`);
  if ("lost" in claimed) return { busy: true };
  if ("won" in claimed) return { queue: job, reply: { issue: f.issue, url: claimed.won.url } };
  // Claimed earlier: the run may never have been queued (the process died in between). Queue it again, once.
  if (!claimsFollowUp(claimed.earlier, runId)) return { settled: true };
  if (await followUpStarted(s, f.repo, f.issue, runId)) return { settled: true };
  if (mayRequeue(s, claimed.earlier)) return { queue: job };
  s.log(`approvals: follow-up ${runId} was claimed at ${claimed.earlier.createdAt} and has not started; left to the workflow that claimed it for ${graceSeconds(s)} s (GITCREW_FOLLOW_UP_GRACE_SECONDS), run again after that`);
  return { busy: true };
}

/** The follow-up is queued (server) or started (Action): label its approval PR so reconcile passes it by. */
export async function followUpRecorded(s: Services, job: RunJob): Promise<void> {
  const pull = job.followUp?.pull;
  if (!pull) return;
  await s.github.addLabels?.(repoId(job.trigger), pull, [RESOLVED_LABEL]).catch((err) => s.log(`could not label #${pull}: ${errorMessage(err)}`));
}
