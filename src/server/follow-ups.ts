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
      throw new EnvironmentError(`approval follow-up ${runId} is claimed but could not be queued: ${errorMessage(err)}`, "the delivery is tried again and queues it under the same run id");
    }
    (before ? out.known : out.queued).push(record);
    // Durably queued: from now on reconcile may pass the approval PR by.
    await followUpRecorded(s, job);
  }
  return out;
}
