/**
 * The little SQL surface the store needs from a backend. Statements use `?`
 * placeholders; the PostgreSQL driver numbers them. A transaction gets its
 * own `Db` so that nothing else interleaves with it.
 */
export type SqlValue = string | number | null;
export type Row = Record<string, unknown>;

export interface TxOptions {
  /**
   * The commit need not be on disk before it returns (no fsync of its own):
   * a power failure may lose it, never a process crash, and commits stay in
   * order, so the next durable commit makes it durable too. For bookkeeping
   * that is redone when lost (claims, leases, planning), never for intake.
   */
  relaxed?: boolean;
}

export interface Db {
  readonly dialect: "sqlite" | "postgres";
  /** Rows of a query (or of a statement with RETURNING). */
  all(sql: string, params?: SqlValue[]): Promise<Row[]>;
  /** Run a statement; resolves to the number of rows changed. */
  run(sql: string, params?: SqlValue[]): Promise<number>;
  /** Run `fn` in one transaction that serialises with other writers; commit, or roll back if it throws. */
  tx<T>(fn: (db: Db) => Promise<T>, options?: TxOptions): Promise<T>;
  close(): Promise<void>;
}

/** A FIFO lock for backends with one connection (SQLite). */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
