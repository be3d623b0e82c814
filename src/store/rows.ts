/** Database rows → store records. */
import type { Row } from "./db.js";
import { storedText } from "./stored-text.js";
import type { RunCost } from "../runner/cost.js";
import type { Delivery, DeliveryState, RunOutcomeDetail, RunRecord, RunStatus } from "./types.js";
import { repoOfPayload, repoOfThreadKey, UNKNOWN_REPO } from "./repo-key.js";

function str(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}
function num(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : Number(v);
}

export function toRun(row: Row): RunRecord {
  return {
    id: String(row.id),
    deliveryId: String(row.delivery_id),
    // Rows stored before the column, or by an older instance, have none: their thread key names it.
    repo: str(row.repo) ?? repoOfThreadKey(String(row.thread_key)) ?? UNKNOWN_REPO,
    agent: String(row.agent),
    threadKey: String(row.thread_key),
    status: String(row.status) as RunStatus,
    plan: JSON.parse(String(row.plan)) as unknown,
    agentLimit: Number(row.agent_limit),
    attempt: Number(row.attempt),
    maxAttempts: Number(row.max_attempts),
    notBefore: Number(row.not_before),
    leaseOwner: str(row.lease_owner),
    leaseExpiresAt: num(row.lease_expires_at),
    startedAt: num(row.started_at),
    sessionId: str(row.session_id),
    containerId: str(row.container_id),
    error: str(row.error),
    cancelRequested: Number(row.cancel_requested) === 1,
    createdAt: Number(row.created_at),
    claimedAt: num(row.claimed_at),
    finishedAt: num(row.finished_at),
    ...(row.cost ? { cost: JSON.parse(String(row.cost)) as RunCost } : {}),
    ...(row.outcome ? { outcome: JSON.parse(String(row.outcome)) as RunOutcomeDetail } : {}),
  };
}

export function toDelivery(row: Row): Delivery {
  const payload = storedText(row.payload);
  return {
    id: String(row.id),
    event: String(row.event),
    payload,
    // Rows stored before the column, or by an older instance, have none: the body names it.
    repo: str(row.repo) ?? repoOfPayload(payload) ?? UNKNOWN_REPO,
    receivedAt: Number(row.received_at),
    state: String(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    error: str(row.error),
  };
}

/** Backoff for a retried attempt: 2s, 4s, 8s … capped at 5 minutes. */
export function backoffMs(attempt: number, baseMs = 2000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 300_000);
}
