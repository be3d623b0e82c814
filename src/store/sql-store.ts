/** The Store on top of a SQL backend; the queries are shared by SQLite and PostgreSQL. */
import { randomBytes } from "node:crypto";
import type { Db, SqlValue } from "./db.js";
import { migrate } from "./schema.js";
import { backoffMs, toDelivery, toRun } from "./rows.js";
import { DeliveryBatcher } from "./batch.js";
import { cancelWhere, insertDeliveries, insertRun } from "./writes.js";
import { repoKey, repoOfThreadKey, UNKNOWN_REPO } from "./repo-key.js";
import { readQueue, SqlQueueEdits, type QueueEdits, type QueueOptions, type QueueView } from "./queue.js";
import { readRunRepos, readRunsPage, type RunsPage, type RunsPageOptions } from "./runs-page.js";
import { SqlInstances, SqlSessions, type Instances, type Sessions } from "./sessions.js";
import { SqlApprovalDecisions, type ApprovalDecisions } from "./approval-decisions.js";
import { SqlPendingAnswers, type PendingAnswers } from "./answers.js";
import {
  RUN_STATUSES,
  type ClaimOptions,
  type Delivery,
  type DeliveryInput,
  type DeliveryLease,
  FINAL_STATUSES,
  type ListOptions,
  type LogChunk,
  type PruneResult,
  type ReapResult,
  type RepoRunCount,
  type RunInput,
  type RunOutcomeRecord,
  type RunRecord,
  type RunStatus,
  type SpendTotal,
  type Store,
  type WorkKind,
} from "./types.js";

/** The PostgreSQL channel on which instances sharing a store tell each other there is work. */
const WORK_CHANNEL = "gitcrew_work";

/** Claims, leases and planning are redone if a power failure loses them; intake and outcomes are not relaxed. */
const RELAXED = { relaxed: true } as const;

export class SqlStore implements Store {
  readonly kind: string;
  private readonly intake: DeliveryBatcher;
  readonly queueEdits: QueueEdits;
  readonly sessions: Sessions;
  readonly instances: Instances;
  readonly approvalDecisions: ApprovalDecisions;
  readonly answers: PendingAnswers;
  constructor(private readonly db: Db) {
    this.kind = db.dialect;
    this.queueEdits = new SqlQueueEdits(db);
    this.sessions = new SqlSessions(db);
    this.instances = new SqlInstances(db);
    this.approvalDecisions = new SqlApprovalDecisions(db);
    this.answers = new SqlPendingAnswers(db);
    // PostgreSQL commits batches on several pooled connections at once; SQLite has one writer.
    this.intake = new DeliveryBatcher((batch) => insertDeliveries(this.db, batch), { inFlight: db.dialect === "postgres" ? 4 : 1 });
  }

  /** `FOR UPDATE SKIP LOCKED` where the backend has row locks; SQLite locks the whole file instead. */
  private get skipLocked(): string {
    return this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
  }

  migrate(): Promise<void> {
    return migrate(this.db);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return this.db.close();
  }

  private readonly listeners = new Set<(kind: WorkKind) => void>();
  /** Names this process in its NOTIFY payloads: its own come back through LISTEN, and its listeners were told already. */
  private readonly nonce = randomBytes(6).toString("hex");

  subscribe(listener: (kind: WorkKind) => void): () => void {
    this.listeners.add(listener);
    const unlisten = this.listeners.size === 1 ? this.db.listen?.(WORK_CHANNEL, (payload) => this.heard(payload)) : undefined;
    if (unlisten) this.unlisten = unlisten;
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) (this.unlisten?.(), (this.unlisten = undefined));
    };
  }

  private unlisten: (() => void) | undefined;

  private tell(kind: WorkKind): void {
    for (const l of this.listeners) l(kind);
  }

  /** A NOTIFY `<kind>:<nonce>` (an older instance's has no payload; a reconnection none either: anything may have been missed). */
  private heard(payload: string | undefined): void {
    const [kind, from] = (payload ?? "").split(":");
    if (from === this.nonce) return;
    this.tell(kind === "delivery" || kind === "run" ? kind : "any");
  }

  /** Work to do (a delivery stored, runs queued or handed back): wake this process's workers, and the others' through NOTIFY. */
  private announce(kind: Exclude<WorkKind, "any">): void {
    this.tell(kind);
    if (this.db.dialect === "postgres") void this.db.all(`NOTIFY ${WORK_CHANNEL}, '${kind}:${this.nonce}'`, [], { relaxed: true }).catch(() => undefined);
  }

  async recordDelivery(d: DeliveryInput, lease?: DeliveryLease): Promise<boolean> {
    const fresh = await this.intake.record(lease ? { ...d, lease } : d);
    // A leased delivery is its owner's to plan (it knows); nobody else may take it before the lease ends.
    if (fresh && !lease) this.announce("delivery");
    return fresh;
  }

  async getDelivery(id: string): Promise<Delivery | undefined> {
    const [row] = await this.db.all("SELECT * FROM gc_deliveries WHERE id = ?", [id]);
    return row ? toDelivery(row) : undefined;
  }

  /** One relaxed statement (on PostgreSQL one round trip, no WAL flush awaited): a lost claim is claimed again. */
  async claimDelivery(owner: string, now: number, leaseMs: number): Promise<Delivery | undefined> {
    const [row] = await this.db.all(
      `UPDATE gc_deliveries SET lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1
       WHERE id = (SELECT id FROM gc_deliveries WHERE state = 'pending' AND not_before <= ?
                     AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                   ORDER BY received_at, id LIMIT 1${this.skipLocked})
       RETURNING id, event, payload, received_at, state, attempts, error, repo`,
      [owner, now + leaseMs, now, now],
      { relaxed: true, prepared: true },
    );
    return row ? toDelivery(row) : undefined;
  }

  completeDelivery(id: string, runs: RunInput[], now: number): Promise<RunRecord[]> {
    return this.db.tx(async (t) => {
      const seen = new Set<string>();
      for (const run of runs) {
        let runId = `${id}:${run.agent}`;
        for (let i = 2; seen.has(runId); i++) runId = `${id}:${run.agent}:${i}`;
        seen.add(runId);
        await insertRun(t, runId, id, run, now);
      }
      await t.run("UPDATE gc_deliveries SET state = 'planned', lease_owner = NULL, lease_expires_at = NULL, error = NULL WHERE id = ?", [id]);
      return (await t.all("SELECT * FROM gc_runs WHERE delivery_id = ? ORDER BY seq", [id])).map(toRun);
    }, RELAXED).then((stored) => {
      if (runs.length) this.announce("run");
      return stored;
    });
  }

  async failDelivery(id: string, error: string, retryAt: number | undefined): Promise<void> {
    await this.db.run(
      "UPDATE gc_deliveries SET state = ?, error = ?, not_before = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?",
      [retryAt === undefined ? "failed" : "pending", error, retryAt ?? 0, id],
    );
  }

  async enqueue(id: string, deliveryId: string, run: RunInput, now: number): Promise<RunRecord> {
    await insertRun(this.db, id, deliveryId, run, now);
    this.announce("run");
    const record = await this.getRun(id);
    if (!record) throw new Error(`run ${id} vanished after insert`);
    return record;
  }

  claimRun(o: ClaimOptions): Promise<RunRecord | undefined> {
    return this.db.tx(async (t) => {
      // Claims are serialised so that the thread, agent and repository checks below cannot race between instances.
      if (t.dialect === "postgres") await t.all("SELECT pg_advisory_xact_lock(7428106)");
      const [held] = await t.all("SELECT count(*) AS n FROM gc_runs WHERE status = 'running' AND lease_owner = ?", [o.owner]);
      if (Number(held?.n ?? 0) >= o.ownerLimit) return undefined;
      for (const repo of await this.repoTurns(t, o.repoLimit)) {
        const [row] = await t.all(
          `SELECT r.id FROM gc_runs r
           WHERE r.status = 'queued' AND r.repo_key = ? AND r.not_before <= ?
             AND NOT EXISTS (SELECT 1 FROM gc_runs o WHERE o.thread_key = r.thread_key
                             AND (o.status = 'running' OR (o.status = 'queued' AND o.seq < r.seq)))
             AND (SELECT count(*) FROM gc_runs a WHERE a.agent = r.agent AND a.status = 'running') < r.agent_limit
           ORDER BY r.seq LIMIT 1${this.skipLocked}`,
          [repo, o.now],
        );
        if (!row) continue;
        await t.run(
          `UPDATE gc_runs SET status = 'running', lease_owner = ?, lease_expires_at = ?, claimed_at = ?,
             started_at = NULL, container_id = NULL WHERE id = ? AND status = 'queued'`,
          [o.owner, o.now + o.leaseMs, o.now, String(row.id)],
        );
        // This repository goes to the back of the line.
        await t.run(
          `INSERT INTO gc_repo_turns (repo_key, turn) VALUES (?, (SELECT COALESCE(max(turn), 0) + 1 FROM gc_repo_turns))
           ON CONFLICT (repo_key) DO UPDATE SET turn = excluded.turn`,
          [repo],
        );
        const [claimed] = await t.all("SELECT * FROM gc_runs WHERE id = ?", [String(row.id)]);
        return claimed ? toRun(claimed) : undefined;
      }
      return undefined;
    }, RELAXED);
  }

  /**
   * Repositories with queued runs, in the order they get a turn: served least
   * recently first (never served: first), then the one waiting longest. Those
   * at `repoLimit` are left out. The distinct repositories are read one index
   * probe each (a loose index scan), not by reading every queued run.
   */
  private async repoTurns(t: Db, repoLimit: number | undefined): Promise<string[]> {
    const limited = repoLimit !== undefined && Number.isFinite(repoLimit);
    const rows = await t.all(
      `WITH RECURSIVE queued (k) AS (
         SELECT (SELECT repo_key FROM gc_runs WHERE status = 'queued' ORDER BY repo_key LIMIT 1)
         UNION ALL
         SELECT (SELECT repo_key FROM gc_runs WHERE status = 'queued' AND repo_key > q.k ORDER BY repo_key LIMIT 1) FROM queued q WHERE q.k IS NOT NULL
       )
       SELECT q.k AS repo_key FROM queued q LEFT JOIN gc_repo_turns turns ON turns.repo_key = q.k
       WHERE q.k IS NOT NULL${limited ? " AND (SELECT count(*) FROM gc_runs x WHERE x.repo_key = q.k AND x.status = 'running') < ?" : ""}
       ORDER BY COALESCE(turns.turn, 0), (SELECT seq FROM gc_runs m WHERE m.repo_key = q.k AND m.status = 'queued' ORDER BY seq LIMIT 1)`,
      limited ? [Math.max(1, Math.floor(repoLimit))] : [],
    );
    return rows.map((r) => String(r.repo_key));
  }

  async heartbeat(owner: string, runIds: string[], now: number, leaseMs: number): Promise<string[]> {
    if (runIds.length === 0) return [];
    const lost: string[] = [];
    await this.db.tx(async (t) => {
      for (const id of runIds) {
        const n = await t.run("UPDATE gc_runs SET lease_expires_at = ? WHERE id = ? AND lease_owner = ? AND status = 'running'", [
          now + leaseMs,
          id,
          owner,
        ]);
        if (n === 0) lost.push(id);
      }
    }, RELAXED);
    return lost;
  }

  async markStarted(id: string, owner: string, now: number, patch: { containerId?: string; sessionId?: string }): Promise<void> {
    await this.db.run(
      `UPDATE gc_runs SET started_at = COALESCE(started_at, ?), container_id = COALESCE(?, container_id),
         session_id = COALESCE(?, session_id) WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [now, patch.containerId ?? null, patch.sessionId ?? null, id, owner],
    );
  }

  async finishRun(id: string, owner: string, outcome: RunOutcomeRecord, now: number): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE gc_runs SET status = ?, error = ?, session_id = COALESCE(?, session_id), finished_at = ?, cost = ?, outcome = ?,
         lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [outcome.status, outcome.error ?? null, outcome.sessionId ?? null, now, outcome.cost ? JSON.stringify(outcome.cost) : null, outcome.outcome ? JSON.stringify(outcome.outcome) : null, id, owner],
    );
    // The next run of its thread or agent may be claimable now, on any instance.
    if (n === 1) this.announce("run");
    return n === 1;
  }

  async retryLater(id: string, owner: string, error: string, notBefore: number): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE gc_runs SET status = 'queued', attempt = attempt + 1, error = ?, not_before = ?, lease_owner = NULL,
         lease_expires_at = NULL, started_at = NULL WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [error, notBefore, id, owner],
    );
    return n === 1;
  }

  async release(id: string, owner: string): Promise<boolean> {
    const n = await this.db.run(
      `UPDATE gc_runs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, started_at = NULL
       WHERE id = ? AND lease_owner = ? AND status = 'running'`,
      [id, owner],
    );
    if (n === 1) this.announce("run");
    return n === 1;
  }

  reapExpired(now: number): Promise<ReapResult> {
    return this.db.tx(async (t) => {
      const result: ReapResult = { requeued: [], retried: [], failed: [] };
      const rows = await t.all(`SELECT * FROM gc_runs WHERE status = 'running' AND lease_expires_at < ?${this.skipLocked}`, [now]);
      for (const run of rows.map(toRun)) {
        const lost = `the instance ${run.leaseOwner ?? "?"} holding this run stopped renewing its lease`;
        if (run.startedAt === undefined && !run.cancelRequested) {
          await t.run("UPDATE gc_runs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL WHERE id = ?", [run.id]);
          result.requeued.push(run.id);
        } else if (run.attempt < run.maxAttempts && !run.cancelRequested) {
          await t.run(
            `UPDATE gc_runs SET status = 'queued', attempt = attempt + 1, not_before = ?, error = ?, lease_owner = NULL,
               lease_expires_at = NULL, started_at = NULL WHERE id = ?`,
            [now + backoffMs(run.attempt), `attempt ${run.attempt} lost: ${lost}`, run.id],
          );
          result.retried.push(run.id);
        } else {
          const status: RunStatus = run.cancelRequested ? "cancelled" : "failed";
          await t.run(
            "UPDATE gc_runs SET status = ?, error = ?, finished_at = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ?",
            [status, run.cancelRequested ? "cancelled" : `failed after ${run.attempt} attempts: ${lost}`, now, run.id],
          );
          result.failed.push(run.id);
        }
      }
      return result;
    });
  }

  requestCancel(id: string, now: number): Promise<RunRecord | undefined> {
    return this.db.tx(async (t) => {
      await cancelWhere(t, "id = ?", [id], now);
      const [row] = await t.all("SELECT * FROM gc_runs WHERE id = ?", [id]);
      return row ? toRun(row) : undefined;
    });
  }

  cancelThread(threadKey: string, now: number): Promise<RunRecord[]> {
    return this.db.tx(async (t) => {
      const ids = (await t.all("SELECT id FROM gc_runs WHERE thread_key = ? AND status IN ('queued', 'running') ORDER BY seq", [threadKey])).map((r) =>
        String(r.id),
      );
      await cancelWhere(t, "thread_key = ?", [threadKey], now);
      const out: RunRecord[] = [];
      for (const id of ids) {
        const [row] = await t.all("SELECT * FROM gc_runs WHERE id = ?", [id]);
        if (row) out.push(toRun(row));
      }
      return out;
    });
  }

  async cancelRequested(runIds: string[]): Promise<string[]> {
    if (runIds.length === 0) return [];
    const marks = runIds.map(() => "?").join(", ");
    const rows = await this.db.all(`SELECT id FROM gc_runs WHERE cancel_requested = 1 AND id IN (${marks})`, runIds);
    return rows.map((r) => String(r.id));
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const [row] = await this.db.all("SELECT * FROM gc_runs WHERE id = ?", [id]);
    return row ? toRun(row) : undefined;
  }

  queue(o: QueueOptions): Promise<QueueView> {
    return readQueue(this.db, o);
  }

  runsPage(o: RunsPageOptions): Promise<RunsPage> {
    return readRunsPage(this.db, o);
  }

  runRepos(): Promise<string[]> {
    return readRunRepos(this.db);
  }

  async listRuns(o: ListOptions = {}): Promise<RunRecord[]> {
    const where: string[] = [];
    const params: SqlValue[] = [];
    if (o.status) (where.push("status = ?"), params.push(o.status));
    if (o.threadKey) (where.push("thread_key = ?"), params.push(o.threadKey));
    if (o.repo) {
      const r = sameRepo(o.repo);
      where.push(r.sql);
      params.push(...r.params);
    }
    const sql = `SELECT * FROM gc_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC LIMIT ?`;
    return (await this.db.all(sql, [...params, o.limit ?? 50])).map(toRun);
  }

  async lastSessionId(threadKey: string): Promise<string | undefined> {
    const [row] = await this.db.all("SELECT session_id FROM gc_runs WHERE thread_key = ? AND session_id IS NOT NULL ORDER BY seq DESC LIMIT 1", [
      threadKey,
    ]);
    return row ? String(row.session_id) : undefined;
  }

  async countByStatus(): Promise<Record<RunStatus, number>> {
    const counts = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
    for (const row of await this.db.all("SELECT status, count(*) AS n FROM gc_runs GROUP BY status")) {
      counts[String(row.status) as RunStatus] = Number(row.n);
    }
    return counts;
  }

  async countByRepo(): Promise<RepoRunCount[]> {
    const rows = await this.db.all(
      `SELECT repo_key, max(repo) AS repo, status, count(*) AS n FROM gc_runs
       WHERE status IN ('queued', 'running') AND repo_key <> '' GROUP BY repo_key, status`,
    );
    // Runs an older instance wrote have no repository column: their thread key names it.
    const unnamed = await this.db.all(
      `SELECT thread_key, status, count(*) AS n FROM gc_runs WHERE status IN ('queued', 'running') AND repo_key = '' GROUP BY thread_key, status`,
    );
    const counts = new Map<string, RepoRunCount>();
    const add = (repo: string, status: unknown, n: unknown) => {
      const key = repoKey(repo);
      const c = counts.get(key) ?? { repo, queued: 0, running: 0 };
      c[status === "running" ? "running" : "queued"] += Number(n);
      counts.set(key, c);
    };
    for (const row of rows) add(String(row.repo ?? row.repo_key), row.status, row.n);
    for (const row of unnamed) add(repoOfThreadKey(String(row.thread_key)) ?? UNKNOWN_REPO, row.status, row.n);
    return [...counts.values()].sort((a, b) => a.repo.localeCompare(b.repo));
  }

  async pendingDeliveries(): Promise<number> {
    const [row] = await this.db.all("SELECT count(*) AS n FROM gc_deliveries WHERE state = 'pending'");
    return Number(row?.n ?? 0);
  }

  async appendLog(runId: string, text: string, now: number): Promise<void> {
    await this.db.run("INSERT INTO gc_logs (run_id, at, text) VALUES (?, ?, ?)", [runId, now, text]);
  }

  async readLog(runId: string, afterSeq = 0): Promise<LogChunk[]> {
    const rows = await this.db.all("SELECT seq, at, text FROM gc_logs WHERE run_id = ? AND seq > ? ORDER BY seq", [runId, afterSeq]);
    return rows.map((r) => ({ seq: Number(r.seq), at: Number(r.at), text: String(r.text) }));
  }

  async spent(key: string): Promise<SpendTotal> {
    const [row] = await this.db.all("SELECT tokens, usd_nano FROM gc_spend WHERE key = ?", [key]);
    return row ? { tokens: Number(row.tokens), usd: Number(row.usd_nano) / NANO } : { tokens: 0, usd: 0 };
  }

  async addSpend(key: string, spend: SpendTotal, now: number): Promise<void> {
    // One statement: the database adds under its row lock, so instances charging one key at once lose nothing.
    await this.db.run(
      `INSERT INTO gc_spend (key, tokens, usd_nano, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET tokens = gc_spend.tokens + excluded.tokens,
         usd_nano = gc_spend.usd_nano + excluded.usd_nano, updated_at = excluded.updated_at`,
      [key, Math.round(spend.tokens), Math.round(spend.usd * NANO), now],
    );
  }

  async once(key: string, owner: string, now: number): Promise<boolean> {
    return (await this.db.run("INSERT INTO gc_once (key, owner, at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING", [key, owner, now])) === 1;
  }

  async prune(before: number, now = before): Promise<PruneResult> {
    // Awaiting approval is final for the queue, but a later approval still refers to the run.
    const over = FINAL_STATUSES.filter((s) => s !== "awaiting_approval");
    const finishedBefore = (run: string) => `${run}.status IN (${over.map(() => "?").join(", ")}) AND ${run}.finished_at < ?`;
    const old = [...over, before];
    return {
      logs: await this.deleteInChunks(
        `DELETE FROM gc_logs WHERE seq IN (SELECT l.seq FROM gc_logs l JOIN gc_runs r ON r.id = l.run_id WHERE ${finishedBefore("r")} LIMIT ${PRUNE_CHUNK})`,
        old,
      ),
      // The thread's latest run stays (its session id resumes the conversation).
      runs: await this.deleteInChunks(
        `DELETE FROM gc_runs WHERE seq IN (SELECT seq FROM gc_runs old WHERE ${finishedBefore("old")}
           AND EXISTS (SELECT 1 FROM gc_runs newer WHERE newer.thread_key = old.thread_key AND newer.seq > old.seq) LIMIT ${PRUNE_CHUNK})`,
        old,
      ),
      deliveries: await this.deleteInChunks(
        `DELETE FROM gc_deliveries WHERE id IN (SELECT id FROM gc_deliveries d WHERE state <> 'pending' AND received_at < ?
           AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.delivery_id = d.id) LIMIT ${PRUNE_CHUNK})`,
        [before],
      ),
      onceKeys: await this.deleteInChunks(`DELETE FROM gc_once WHERE key IN (SELECT key FROM gc_once WHERE at < ? LIMIT ${PRUNE_CHUNK})`, [before]),
      spendRows: await this.pruneSpend(before, now),
      repoTurns: await this.pruneRepoTurns(before),
      approvalDecisions: await this.pruneApprovalDecisions(before),
      answers: await this.pruneAnswers(before, now),
    };
  }

  /**
   * Decisions on approval pull requests (gc_approval_decisions) made before
   * the window whose request no stored run lists any more: the dashboard reads
   * a decision only for a stored run's request (its outcome names the pull
   * request as `"pr":{"number":N,` , server/run-outcome.ts), so one still
   * listed (a thread's latest run, a run awaiting approval) keeps its decision.
   */
  private async pruneApprovalDecisions(before: number): Promise<number> {
    return this.deleteInChunks(
      `DELETE FROM gc_approval_decisions WHERE (repo_key, pull) IN (SELECT d.repo_key, d.pull FROM gc_approval_decisions d WHERE d.decided_at < ?
         AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.repo_key = d.repo_key AND r.outcome LIKE ('%"pr":{"number":' || CAST(d.pull AS TEXT) || ',%'))
         LIMIT ${PRUNE_CHUNK})`,
      [before],
    );
  }

  /**
   * Answers GitHub never took (gc_answers) first put off before the window and
   * over ANSWERS_KEPT_MS ago, not leased now: the outbox gives an answer up a
   * day after it was put off (server/answer-outbox.ts); one still here was
   * left by instances that stopped before they got to it.
   */
  private async pruneAnswers(before: number, now: number): Promise<number> {
    return this.deleteInChunks(
      `DELETE FROM gc_answers WHERE id IN (SELECT id FROM gc_answers WHERE since < ? AND (lease_expires_at IS NULL OR lease_expires_at < ?) LIMIT ${PRUNE_CHUNK})`,
      [Math.min(before, now - ANSWERS_KEPT_MS), now],
    );
  }

  /**
   * A repository's claim turn once it has no run queued or running and none
   * created or finished within the window: served longer ago than that, it
   * would come first anyway, as a repository never served does.
   */
  private async pruneRepoTurns(before: number): Promise<number> {
    return this.deleteInChunks(
      `DELETE FROM gc_repo_turns WHERE repo_key IN (SELECT t.repo_key FROM gc_repo_turns t WHERE NOT EXISTS
         (SELECT 1 FROM gc_runs r WHERE r.repo_key = t.repo_key AND (r.finished_at IS NULL OR r.finished_at >= ? OR r.created_at >= ?))
         LIMIT ${PRUNE_CHUNK})`,
      [before, before],
    );
  }

  /**
   * Budget rows no cap reads any more: an agent's day (`agent_day:<agent>:<date>`)
   * once that UTC day ended before the retention window and at least 2 days
   * ago (a run started late in a day charges it after midnight); a thread's
   * (`thread:<thread key>`) once the thread has no run queued, running,
   * awaiting approval or finished within the window.
   */
  private async pruneSpend(before: number, now: number): Promise<number> {
    const cutoff = Math.min(before, now - 2 * 86_400_000);
    const days = await this.deleteInChunks(
      `DELETE FROM gc_spend WHERE key IN (SELECT key FROM gc_spend WHERE substr(key, 1, 10) = 'agent_day:'
         AND substr(key, length(key) - 9) < ? AND updated_at < ? LIMIT ${PRUNE_CHUNK})`,
      [new Date(cutoff).toISOString().slice(0, 10), cutoff],
    );
    const threads = await this.deleteInChunks(
      `DELETE FROM gc_spend WHERE key IN (SELECT s.key FROM gc_spend s WHERE substr(s.key, 1, 7) = 'thread:' AND s.updated_at < ?
         AND NOT EXISTS (SELECT 1 FROM gc_runs r WHERE r.thread_key = substr(s.key, 8)
           AND (r.finished_at IS NULL OR r.finished_at >= ? OR r.created_at >= ? OR r.status = 'awaiting_approval')) LIMIT ${PRUNE_CHUNK})`,
      [before, before, before],
    );
    return days + threads;
  }

  /** Short transactions, so that webhook intake never waits behind a large delete. */
  private async deleteInChunks(sql: string, params: SqlValue[]): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.db.run(sql, params);
      total += n;
      if (n < PRUNE_CHUNK) return total;
    }
  }
}

const PRUNE_CHUNK = 1000;
/** An answer GitHub never took is kept at least this long (the outbox gives it up after one day). */
const ANSWERS_KEPT_MS = 2 * 86_400_000;

/** Runs of one repository (case-insensitive), including those an older instance stored without one (named by their thread key). */
function sameRepo(repo: string): { sql: string; params: SqlValue[] } {
  const key = repoKey(repo);
  const like = key.replace(/[\\%_]/g, (c) => `\\${c}`);
  return {
    sql: `(repo_key = ? OR (repo_key = '' AND (lower(thread_key) LIKE ? ESCAPE '\\' OR lower(thread_key) LIKE ? ESCAPE '\\')))`,
    params: [key, `${like}#%`, `${like}@%`],
  };
}
/** USD is kept in nano-dollars (a token of the cheapest models costs a few dozen). */
const NANO = 1e9;

