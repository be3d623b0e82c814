/**
 * The little SQL surface the store needs from a backend. Statements use `?`
 * placeholders; the PostgreSQL driver numbers them. A transaction gets its
 * own `Db` so that nothing else interleaves with it.
 */
/** Text the backend stores compressed, each its own way (stored-text.ts). */
export interface CompressedText {
  compressed: string;
}
export type SqlValue = string | number | null | CompressedText;
export type Row = Record<string, unknown>;

export interface TxOptions {
  /**
   * The commit need not be on disk before it returns (no fsync of its own):
   * a power failure may lose it, never a process crash, and commits stay in
   * order, so the next durable commit makes it durable too. For bookkeeping
   * that is redone when lost (claims, leases, planning), never for intake.
   */
  relaxed?: boolean;
  /** Webhook intake: goes before other waiting work on a one-connection backend, so a 202 does not queue behind the worker. */
  urgent?: boolean;
  /**
   * A statement worth handing to the backend's own thread (SQLite), so the
   * serving thread goes on while it commits: a group of deliveries. A single
   * one is committed in place, where the hop would cost more than it saves.
   */
  offThread?: boolean;
  /**
   * A hot statement PostgreSQL should prepare once per connection instead of
   * parsing and planning it on every call. Only for a fixed result shape (no
   * `SELECT *`): a newer instance on the same database may add columns, and a
   * prepared `*` would then fail.
   */
  prepared?: boolean;
}

/** `relaxed` on a single statement: on PostgreSQL it runs on a connection whose commits do not wait for the WAL flush (no BEGIN/SET/COMMIT round trips). */
export type StatementOptions = Pick<TxOptions, "urgent" | "offThread" | "prepared" | "relaxed">;

export interface Db {
  readonly dialect: "sqlite" | "postgres";
  /** Rows of a query (or of a statement with RETURNING). */
  all(sql: string, params?: SqlValue[], options?: StatementOptions): Promise<Row[]>;
  /** Run a statement; resolves to the number of rows changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /** Run `fn` in one transaction that serialises with other writers; commit, or roll back if it throws. */
  tx<T>(fn: (db: Db) => Promise<T>, options?: TxOptions): Promise<T>;
  close(): Promise<void>;
  /**
   * Backends shared by several processes (PostgreSQL): call `onNotify` whenever
   * any of them runs `NOTIFY channel` (with its payload), on a connection of
   * its own that is reopened when lost (then without a payload: anything may
   * have been missed). Returns how to stop listening.
   */
  listen?(channel: string, onNotify: (payload?: string) => void): () => void;
}

/** A lock for backends with one connection (SQLite): FIFO, with a lane for urgent work that goes first. */
export class Mutex {
  private busy = false;
  private readonly urgent: (() => void)[] = [];
  private readonly normal: (() => void)[] = [];

  async lock<T>(fn: () => Promise<T>, urgent = false): Promise<T> {
    if (this.busy) await new Promise<void>((resolve) => (urgent ? this.urgent : this.normal).push(resolve));
    else this.busy = true;
    try {
      return await fn();
    } finally {
      // Hand the lock straight to the next waiter (it stays busy), urgent ones first.
      const next = this.urgent.shift() ?? this.normal.shift();
      if (next) next();
      else this.busy = false;
    }
  }
}
