/**
 * The queue as people see it: what waits, in order, and why each run waits,
 * by the same rules as SqlStore.claimRun (due, first of its thread with
 * nothing running there, its agent under its limit, a free runner slot).
 * One query over queued runs in claim order (the gc_runs_queued index) with
 * the running counts of each run's agent, thread and repository; the
 * reasons come from replaying the next claims over that list. (Claims take
 * turns between repositories: across repositories the order is the order
 * queued, which claims may not follow exactly.)
 *
 * And the leases behind the queue positions in tracking comments
 * (server/queue-comments.ts): one editor per comment across instances, a
 * throttle and the last text kept in gc_queue_edits, and no edit once the run
 * has been claimed.
 */
import type { Db } from "./db.js";

export type QueueReason =
  /** An infrastructure failure is retried, not before `notBefore`. */
  | { kind: "retry"; notBefore: number; attempt: number }
  /** Runs of its thread run one at a time, in order: `ahead` are running or queued before it. */
  | { kind: "thread"; ahead: number }
  /** Its agent runs at most `limit` at once: `ahead` of its runs are running or queued before it. */
  | { kind: "agent"; ahead: number; limit: number }
  /** Its repository runs at most `limit` at once (`--repo-concurrency`): `ahead` of its runs are running or queued before it. */
  | { kind: "repo"; repo: string; ahead: number; limit: number }
  /** Nothing else holds it, but every runner slot of the answering instance is busy. */
  | { kind: "capacity" }
  /** Nothing holds it: the next claim takes it. */
  | { kind: "next" };

export interface QueueEntry {
  id: string;
  agent: string;
  threadKey: string;
  repo: string;
  /** 1 = the first in line (running runs are not in line). */
  position: number;
  createdAt: number;
  attempt: number;
  reason: QueueReason;
}

export interface QueueOptions {
  now: number;
  /** The first `limit` runs in line (default 100). */
  limit?: number;
  /**
   * Runner slots free on the instance asking (its concurrency minus its
   * running runs); only the instance knows. Absent: no run is said to wait
   * for capacity.
   */
  freeSlots?: number;
  /** Runs of one repository at once, as the asking instance claims (`--repo-concurrency`); absent: no such limit. */
  repoLimit?: number;
}

export interface QueueView {
  entries: QueueEntry[];
  /** Runs queued in all. */
  queued: number;
  /** Runs running on all instances. */
  running: number;
}

export async function readQueue(db: Db, o: QueueOptions): Promise<QueueView> {
  const limit = Math.max(0, Math.floor(o.limit ?? 100));
  const rows = await db.all(
    `SELECT q.id, q.agent, q.thread_key, q.repo, q.repo_key, q.not_before, q.agent_limit, q.attempt, q.created_at,
       (SELECT count(*) FROM gc_runs a WHERE a.agent = q.agent AND a.status = 'running') AS agent_running,
       (SELECT count(*) FROM gc_runs t WHERE t.thread_key = q.thread_key AND t.status = 'running') AS thread_running,
       (SELECT count(*) FROM gc_runs p WHERE p.repo_key = q.repo_key AND p.status = 'running') AS repo_running,
       (SELECT count(*) FROM gc_runs c WHERE c.status = 'queued') AS queued_total,
       (SELECT count(*) FROM gc_runs c WHERE c.status = 'running') AS running_total
     FROM gc_runs q WHERE q.status = 'queued' ORDER BY q.seq LIMIT ?`,
    [limit],
  );
  const threadAhead = new Map<string, number>();
  const agentAhead = new Map<string, number>();
  // Runs the next claims would start, per agent and in all, replaying claimRun over the list.
  const starting = new Map<string, number>();
  const repoAhead = new Map<string, number>();
  const repoStarting = new Map<string, number>();
  const repoLimit = o.repoLimit !== undefined && Number.isFinite(o.repoLimit) ? Math.max(1, Math.floor(o.repoLimit)) : undefined;
  let started = 0;
  const entries = rows.map((r, i): QueueEntry => {
    const agent = String(r.agent);
    const threadKey = String(r.thread_key);
    const agentRunning = Number(r.agent_running);
    const repoKey = String(r.repo_key);
    const repoRunning = Number(r.repo_running);
    const limitOfAgent = Number(r.agent_limit);
    const inThread = Number(r.thread_running) + (threadAhead.get(threadKey) ?? 0);
    const ofAgent = agentRunning + (agentAhead.get(agent) ?? 0);
    let reason: QueueReason;
    if (Number(r.not_before) > o.now) reason = { kind: "retry", notBefore: Number(r.not_before), attempt: Number(r.attempt) };
    else if (inThread > 0) reason = { kind: "thread", ahead: inThread };
    else if (agentRunning + (starting.get(agent) ?? 0) >= limitOfAgent) reason = { kind: "agent", ahead: ofAgent, limit: limitOfAgent };
    else if (repoLimit !== undefined && repoRunning + (repoStarting.get(repoKey) ?? 0) >= repoLimit) {
      reason = { kind: "repo", repo: String(r.repo), ahead: repoRunning + (repoAhead.get(repoKey) ?? 0), limit: repoLimit };
    } else if (o.freeSlots !== undefined && started >= o.freeSlots) reason = { kind: "capacity" };
    else {
      reason = { kind: "next" };
      started++;
      starting.set(agent, (starting.get(agent) ?? 0) + 1);
      repoStarting.set(repoKey, (repoStarting.get(repoKey) ?? 0) + 1);
    }
    repoAhead.set(repoKey, (repoAhead.get(repoKey) ?? 0) + 1);
    threadAhead.set(threadKey, (threadAhead.get(threadKey) ?? 0) + 1);
    agentAhead.set(agent, (agentAhead.get(agent) ?? 0) + 1);
    return { id: String(r.id), agent, threadKey, repo: String(r.repo), position: i + 1, createdAt: Number(r.created_at), attempt: Number(r.attempt), reason };
  });
  const totals = rows[0] ?? (await db.all(
      `SELECT (SELECT count(*) FROM gc_runs WHERE status = 'queued') AS queued_total, (SELECT count(*) FROM gc_runs WHERE status = 'running') AS running_total`,
    ))[0];
  return { entries, queued: Number(totals?.queued_total ?? 0), running: Number(totals?.running_total ?? 0) };
}

/** What is known of one queued run's tracking-comment edits. */
export interface QueueEditState {
  /** The queue text last written (absent: only the "queued" of the first post). */
  text?: string;
  editedAt: number;
  /** An edit is in flight until then. */
  editingUntil?: number;
}

export interface QueueEdits {
  /** Every run with an edit on record (runs that left the queue are swept). */
  states(): Promise<Map<string, QueueEditState>>;
  /**
   * Take the edit of `runId`'s comment to `text`, for `leaseMs`: only while
   * the run is queued (serialised with claims), nobody else is editing it, and
   * its last edit is at least `throttleMs` old and said something else.
   */
  take(runId: string, text: string, owner: string, now: number, throttleMs: number, leaseMs: number): Promise<boolean>;
  /** The edit ended: `text` was written, or (undefined) it failed and the old text stands. */
  done(runId: string, owner: string, text: string | undefined, now: number): Promise<void>;
  /**
   * The run left the queue: 0 when no edit of its comment is in flight (its
   * record is then forgotten), otherwise the time its edit's lease ends.
   */
  settle(runId: string, now: number): Promise<number>;
  /** Forget the records of runs no longer queued that no edit holds. */
  sweep(now: number): Promise<number>;
}

/** The same advisory lock as SqlStore.claimRun: a take and a claim of one run never interleave. */
const CLAIM_LOCK = "SELECT pg_advisory_xact_lock(7428106)";

export class SqlQueueEdits implements QueueEdits {
  constructor(private readonly db: Db) {}

  async states(): Promise<Map<string, QueueEditState>> {
    const rows = await this.db.all("SELECT run_id, text, edited_at, editing_until FROM gc_queue_edits");
    return new Map(
      rows.map((r) => [
        String(r.run_id),
        {
          ...(r.text === null || r.text === undefined ? {} : { text: String(r.text) }),
          editedAt: Number(r.edited_at),
          ...(r.editing_until === null || r.editing_until === undefined ? {} : { editingUntil: Number(r.editing_until) }),
        },
      ]),
    );
  }

  take(runId: string, text: string, owner: string, now: number, throttleMs: number, leaseMs: number): Promise<boolean> {
    return this.db.tx(async (t) => {
      if (t.dialect === "postgres") await t.all(CLAIM_LOCK);
      const [queued] = await t.all("SELECT 1 AS one FROM gc_runs WHERE id = ? AND status = 'queued'", [runId]);
      if (!queued) return false;
      const n = await t.run(
        `INSERT INTO gc_queue_edits (run_id, text, edited_at, editor, editing_until) VALUES (?, NULL, 0, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET editor = excluded.editor, editing_until = excluded.editing_until
         WHERE (gc_queue_edits.editing_until IS NULL OR gc_queue_edits.editing_until < ?)
           AND gc_queue_edits.edited_at <= ? AND (gc_queue_edits.text IS NULL OR gc_queue_edits.text <> ?)`,
        [runId, owner, now + leaseMs, now, now - throttleMs, text],
      );
      return n === 1;
    }, { relaxed: true });
  }

  async done(runId: string, owner: string, text: string | undefined, now: number): Promise<void> {
    await this.db.run(
      "UPDATE gc_queue_edits SET text = COALESCE(?, text), edited_at = ?, editor = NULL, editing_until = NULL WHERE run_id = ? AND editor = ?",
      [text ?? null, now, runId, owner],
    );
  }

  async settle(runId: string, now: number): Promise<number> {
    const [row] = await this.db.all("SELECT editing_until FROM gc_queue_edits WHERE run_id = ?", [runId]);
    const until = row?.editing_until === null || row?.editing_until === undefined ? 0 : Number(row.editing_until);
    if (until >= now) return until;
    if (row) await this.db.run("DELETE FROM gc_queue_edits WHERE run_id = ? AND (editing_until IS NULL OR editing_until < ?)", [runId, now]);
    return 0;
  }

  sweep(now: number): Promise<number> {
    return this.db.run(
      `DELETE FROM gc_queue_edits WHERE (editing_until IS NULL OR editing_until < ?)
         AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.id = gc_queue_edits.run_id AND r.status = 'queued')`,
      [now],
    );
  }
}
