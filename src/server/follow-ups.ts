/**
 * Approval follow-ups in the server's queue, each under the run id its claim
 * gives it (src/approvals/follow-up-runs.ts): a redelivered merge, a delivery
 * planned again after a crash, and reconcile all queue the same single run.
 */
import { followUpRecorded } from "../approvals/follow-up-runs.js";
import type { RunJob, Services } from "../pipeline/types.js";
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
    const before = await store.getRun(job.followUp.runId);
    const record = await store.enqueue(job.followUp.runId, deliveryId, runOf(job), now());
    (before ? out.known : out.queued).push(record);
    // Durably queued: from now on reconcile may pass the approval PR by.
    await followUpRecorded(s, job);
  }
  return out;
}
