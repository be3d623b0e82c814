/**
 * Approval follow-ups in the server's queue, each under the run id its claim
 * gives it (src/approvals/follow-up-runs.ts): a redelivered merge, `/approve`
 * or review, a delivery planned again after a crash or a failed insert, and
 * reconcile (merges) all queue the same single run.
 */
import { followUpRecorded } from "../approvals/follow-up-runs.js";
import type { RunJob, Services } from "../pipeline/types.js";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import type { RunInput, RunRecord, Store } from "../store/types.js";

export interface QueuedFollowUps {
  /** Queued by this call. */
  queued: RunRecord[];
  /** Already in the store (queued, running or finished): nothing added. */
  known: RunRecord[];
}

/**
 * Follow-ups claimed in their threads (the "✅ approved" / "▶️" comment is
 * there) that the store did not take: `jobs` are the ones not queued. The
 * delivery is planned again; when no attempt is left, each thread is told
 * (failure-replies.ts), since an `/approve` or a review names no agent that
 * would otherwise answer.
 */
export class FollowUpNotQueued extends EnvironmentError {
  constructor(
    readonly jobs: RunJob[],
    readonly cause: unknown,
  ) {
    super(`approval follow-up ${jobs[0]?.followUp?.runId ?? "?"} is claimed but could not be queued: ${errorMessage(cause)}`, "the delivery is tried again and queues it under the same run id");
  }
}

/** Queue the follow-ups among `jobs` (others are left to the caller), then label their approval PRs resolved. */
export async function queueFollowUps(store: Store, s: Services, jobs: RunJob[], deliveryId: string, runOf: (job: RunJob) => RunInput, now: () => number = Date.now): Promise<QueuedFollowUps> {
  const out: QueuedFollowUps = { queued: [], known: [] };
  for (const job of jobs) {
    if (!job.followUp) continue;
    const runId = job.followUp.runId;
    let before: RunRecord | undefined;
    let record: RunRecord;
    try {
      before = await store.getRun(runId);
      record = await store.enqueue(runId, deliveryId, runOf(job), now());
    } catch (err) {
      // The approval is claimed in the thread already: only planning the delivery again (or reconcile) queues its run.
      throw new FollowUpNotQueued(jobs.slice(jobs.indexOf(job)).filter((j) => j.followUp), err);
    }
    (before ? out.known : out.queued).push(record);
    // Durably queued: from now on reconcile may pass the approval PR by.
    await followUpRecorded(s, job);
  }
  return out;
}
