/** Write helpers shared by the store's operations. */
import type { Db, SqlValue, StatementOptions } from "./db.js";
import type { RunInput } from "./types.js";
import type { IntakeRow } from "./batch.js";
import { repoKey, repoOfThreadKey, UNKNOWN_REPO } from "./repo-key.js";

const DEFAULT_MAX_ATTEMPTS = 3;
const ROWS_PER_STATEMENT = 100;
/** From this many deliveries in one statement, it is committed off the serving thread (measured: see docs/server.md). */
const OFF_THREAD_ROWS = 4;

/** Insert deliveries distinct by id and body key; returns the ids that were new. One statement (one commit) when the batch is small. */
export async function insertDeliveries(db: Db, batch: IntakeRow[]): Promise<Set<string>> {
  const write = async (d: Db, options: StatementOptions = {}) => {
    const inserted = new Set<string>();
    for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
      const part = batch.slice(i, i + ROWS_PER_STATEMENT);
      const rows = await d.all(
        // No conflict target: a known delivery id or a known body (body_key) makes the row a duplicate.
        `INSERT INTO gc_deliveries (id, event, payload, received_at, body_key, repo, lease_owner, lease_expires_at, attempts)
         VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
         ON CONFLICT DO NOTHING RETURNING id`,
        // A leased delivery is stored as its owner's first attempt (as claimDelivery would count it).
        part.flatMap((x) => [x.id, x.event, { compressed: x.payload }, x.receivedAt, x.bodyKey ?? null, x.repo ?? null, x.lease?.owner ?? null, x.lease?.until ?? null, x.lease ? 1 : 0]),
        { ...options, prepared: true },
      );
      for (const row of rows) inserted.add(String(row.id));
    }
    return inserted;
  };
  // A single statement is atomic on its own: no BEGIN/COMMIT round trips.
  return batch.length <= ROWS_PER_STATEMENT ? write(db, { urgent: true, offThread: batch.length >= OFF_THREAD_ROWS }) : db.tx((t) => write(t), { urgent: true });
}

export async function insertRun(db: Db, id: string, deliveryId: string, run: RunInput, now: number): Promise<void> {
  const repo = run.repo ?? repoOfThreadKey(run.threadKey) ?? UNKNOWN_REPO;
  await db.run(
    `INSERT INTO gc_runs (id, delivery_id, repo, repo_key, agent, thread_key, status, plan, max_attempts, agent_limit, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    [
      id,
      deliveryId,
      repo,
      repoKey(repo),
      run.agent,
      run.threadKey,
      JSON.stringify(run.plan ?? null),
      run.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      Math.max(1, run.agentLimit),
      now,
    ],
  );
}

/** Queued runs are cancelled outright; running ones are flagged for the worker holding them. */
export async function cancelWhere(db: Db, where: string, params: SqlValue[], now: number): Promise<void> {
  await db.run(
    `UPDATE gc_runs SET status = 'cancelled', cancel_requested = 1, finished_at = ?, error = 'cancelled before it started' WHERE status = 'queued' AND ${where}`,
    [now, ...params],
  );
  await db.run(`UPDATE gc_runs SET cancel_requested = 1 WHERE status = 'running' AND ${where}`, params);
}
