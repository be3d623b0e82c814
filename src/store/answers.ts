/**
 * Answers GitHub did not take (server/answer-outbox.ts), kept in the store so
 * that a restart, or another instance sharing the database, still writes
 * them. Each row is claimed with a lease like other work: exactly one
 * instance writes it at a time; a lost lease lets another take it over.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "./db.js";

export interface StoredAnswer {
  id: string;
  /** What it is, for the log ("the final comment of run …"). */
  what: string;
  /** The answer as JSON (a ThreadAnswer: where, and the text). */
  answer: string;
  /** When it was first put off (epoch ms): given up a day after. */
  since: number;
  /** The delay before the try after the next failure doubles from this one. */
  delayMs: number;
}

export interface PendingAnswers {
  /** Keep an answer to write at `notBefore`; returns its id. */
  add(a: Omit<StoredAnswer, "id">, notBefore: number): Promise<string>;
  /** Take up to `limit` answers due at `now`, leased to `owner` until `now + leaseMs`. */
  claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<StoredAnswer[]>;
  /** Not written yet: try again at `notBefore` (the lease is given up). False when `owner` lost it. */
  later(id: string, owner: string, notBefore: number, delayMs: number): Promise<boolean>;
  /** Written, or given up: forgotten. */
  remove(id: string, owner: string): Promise<void>;
  /** Shutdown: `owner`'s leases are given up, so another instance (or the restart) takes them at once. */
  release(owner: string): Promise<void>;
  /** Answers still waiting. */
  count(): Promise<number>;
}

export class SqlPendingAnswers implements PendingAnswers {
  constructor(private readonly db: Db) {}

  async add(a: Omit<StoredAnswer, "id">, notBefore: number): Promise<string> {
    const id = randomBytes(12).toString("hex");
    await this.db.run("INSERT INTO gc_answers (id, what, answer, since, not_before, delay_ms) VALUES (?, ?, ?, ?, ?, ?)", [
      id,
      a.what,
      a.answer,
      a.since,
      notBefore,
      a.delayMs,
    ]);
    return id;
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<StoredAnswer[]> {
    const skipLocked = this.db.dialect === "postgres" ? " FOR UPDATE SKIP LOCKED" : "";
    const rows = await this.db.all(
      `UPDATE gc_answers SET lease_owner = ?, lease_expires_at = ?
       WHERE id IN (SELECT id FROM gc_answers WHERE not_before <= ? AND (lease_expires_at IS NULL OR lease_expires_at < ?)
                    ORDER BY not_before, id LIMIT ?${skipLocked})
       RETURNING id, what, answer, since, delay_ms`,
      [owner, now + leaseMs, now, now, limit],
    );
    return rows.map((r) => ({ id: String(r.id), what: String(r.what), answer: String(r.answer), since: Number(r.since), delayMs: Number(r.delay_ms) }));
  }

  async later(id: string, owner: string, notBefore: number, delayMs: number): Promise<boolean> {
    const n = await this.db.run(
      "UPDATE gc_answers SET not_before = ?, delay_ms = ?, lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?",
      [notBefore, delayMs, id, owner],
    );
    return n === 1;
  }

  async remove(id: string, owner: string): Promise<void> {
    await this.db.run("DELETE FROM gc_answers WHERE id = ? AND lease_owner = ?", [id, owner]);
  }

  async release(owner: string): Promise<void> {
    await this.db.run("UPDATE gc_answers SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ?", [owner]);
  }

  async count(): Promise<number> {
    const [row] = await this.db.all("SELECT count(*) AS n FROM gc_answers");
    return Number(row?.n ?? 0);
  }
}
