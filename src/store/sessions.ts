/**
 * Dashboard sign-in sessions and instance heartbeats, in the store so that
 * every instance sharing one database accepts a session and lists every
 * instance. A session row is keyed by the sha256 of its cookie value: the
 * value itself is never stored, so a read of the table signs nobody in.
 */
import type { Db } from "./db.js";

export interface SessionRecord {
  login: string;
  userId: number;
  avatarUrl?: string;
  /** The session's CSRF token (not a secret of the sign-in: it only proves the page read /api/session). */
  csrf: string;
  createdAt: number;
  expiresAt: number;
}

export interface Sessions {
  create(idHash: string, session: SessionRecord): Promise<void>;
  /** The session, when it exists and has not expired at `now`. */
  get(idHash: string, now: number): Promise<SessionRecord | undefined>;
  remove(idHash: string): Promise<void>;
  /** Forget expired sessions; returns how many. */
  prune(now: number): Promise<number>;
}

export interface InstanceBeat {
  name: string;
  lastSeen: number;
  /** Runs it was running at its last beat. */
  runs: number;
}

export interface Instances {
  beat(name: string, now: number, runs: number): Promise<void>;
  /** Instances seen since `since`, most recently seen first. */
  list(since: number): Promise<InstanceBeat[]>;
  /** Forget instances not seen since `before` (a name per host and pid adds one per restart). */
  prune(before: number): Promise<number>;
}

export class SqlSessions implements Sessions {
  constructor(private readonly db: Db) {}

  async create(idHash: string, s: SessionRecord): Promise<void> {
    await this.db.run(
      "INSERT INTO gc_sessions (id_hash, login, user_id, avatar, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      [idHash, s.login, s.userId, s.avatarUrl ?? null, s.csrf, s.createdAt, s.expiresAt],
    );
  }

  async get(idHash: string, now: number): Promise<SessionRecord | undefined> {
    const [row] = await this.db.all(
      "SELECT login, user_id, avatar, csrf, created_at, expires_at FROM gc_sessions WHERE id_hash = ? AND expires_at > ?",
      [idHash, now],
    );
    if (!row) return undefined;
    return {
      login: String(row.login),
      userId: Number(row.user_id),
      ...(row.avatar === null || row.avatar === undefined ? {} : { avatarUrl: String(row.avatar) }),
      csrf: String(row.csrf),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async remove(idHash: string): Promise<void> {
    await this.db.run("DELETE FROM gc_sessions WHERE id_hash = ?", [idHash]);
  }

  prune(now: number): Promise<number> {
    return this.db.run("DELETE FROM gc_sessions WHERE expires_at <= ?", [now]);
  }
}

export class SqlInstances implements Instances {
  constructor(private readonly db: Db) {}

  async beat(name: string, now: number, runs: number): Promise<void> {
    await this.db.run(
      "INSERT INTO gc_instances (name, last_seen, runs) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen, runs = excluded.runs",
      [name, now, runs],
    );
  }

  async list(since: number): Promise<InstanceBeat[]> {
    const rows = await this.db.all("SELECT name, last_seen, runs FROM gc_instances WHERE last_seen >= ? ORDER BY last_seen DESC, name LIMIT 1000", [since]);
    return rows.map((r) => ({ name: String(r.name), lastSeen: Number(r.last_seen), runs: Number(r.runs) }));
  }

  prune(before: number): Promise<number> {
    return this.db.run("DELETE FROM gc_instances WHERE last_seen < ?", [before]);
  }
}
