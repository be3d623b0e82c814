/**
 * Embedded SQLite backend (better-sqlite3): one file, WAL, fsync on commit.
 * Webhook intake commits on a thread of the store's own, so the serving
 * thread is not held up by the disk.
 */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { withNativeModule } from "../util/native-module.js";
import { Mutex, type Db, type Row, type SqlValue, type StatementOptions, type TxOptions } from "./db.js";
import { startStoreThread, type StoreThread } from "./sqlite-thread.js";
import { sqliteParams } from "./stored-text.js";

type Statement = Database.Statement<unknown[]>;

class SqliteDb implements Db {
  readonly dialect = "sqlite" as const;
  private readonly statements = new Map<string, Statement>();
  private readonly mutex = new Mutex();

  constructor(
    private readonly db: Database.Database,
    private readonly thread?: StoreThread,
  ) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private allNow(sql: string, params: SqlValue[]): Row[] {
    return this.prepare(sql).all(...sqliteParams(params)) as Row[];
  }

  private runNow(sql: string, params: SqlValue[]): number {
    return this.prepare(sql).run(...sqliteParams(params)).changes;
  }

  // Outside a transaction each call waits for the one in progress: one connection is shared.
  all(sql: string, params: SqlValue[] = [], options: StatementOptions = {}): Promise<Row[]> {
    // The lock is held while the thread commits, so the two connections never contend.
    const thread = options.offThread && this.thread?.usable ? this.thread : undefined;
    return this.mutex.lock(async () => (thread ? thread.all(sql, params) : options.relaxed ? this.relaxedNow(() => this.allNow(sql, params)) : this.allNow(sql, params)), options.urgent);
  }

  /** WAL + NORMAL: this commit skips its fsync; the next FULL commit syncs the WAL up to and past it. */
  private relaxedNow<T>(fn: () => T): T {
    this.db.pragma("synchronous = NORMAL");
    try {
      return fn();
    } finally {
      this.db.pragma("synchronous = FULL");
    }
  }

  run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.mutex.lock(async () => this.runNow(sql, params));
  }

  tx<T>(fn: (db: Db) => Promise<T>, options: TxOptions = {}): Promise<T> {
    return this.mutex.lock(async () => {
      // WAL + NORMAL: this commit skips its fsync; the next FULL commit syncs the WAL up to and past it.
      if (options.relaxed) this.db.pragma("synchronous = NORMAL");
      try {
        return await this.txNow(fn);
      } finally {
        if (options.relaxed) this.db.pragma("synchronous = FULL");
      }
    }, options.urgent);
  }

  private async txNow<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    // IMMEDIATE takes the write lock up front, so that two processes on one file serialise.
    this.db.exec("BEGIN IMMEDIATE");
    const inner: Db = {
      dialect: "sqlite",
      all: async (sql, params = []) => this.allNow(sql, params),
      run: async (sql, params = []) => this.runNow(sql, params),
      tx: (nested) => nested(inner),
      close: async () => undefined,
    };
    try {
      const result = await fn(inner);
      this.db.exec("COMMIT");
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.mutex.lock(async () => {
      if (this.thread) await this.thread.stop().catch(() => undefined);
      this.db.close();
    });
  }
}

export function openSqlite(file: string): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  // The addon is loaded here, on the first open: a build for another Node fails with the fix.
  const db = withNativeModule("better-sqlite3", () => new Database(file));
  db.pragma("journal_mode = WAL");
  // FULL: a commit is on disk before the webhook is answered 202.
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 10000");
  if (file === ":memory:") return new SqliteDb(db);
  // A checkpoint copies the WAL into the database file and fsyncs it; on ext4 that fsync holds
  // up the commits' fsyncs (one journal), the longer the bigger the checkpoint (measured: 4 MiB
  // pieces gave a p99 of 15 ms at 500 deliveries/s, 80 MiB ones over 300 ms). The store's thread
  // checkpoints whenever the store is quiet for a moment; during a burst the writing connections
  // checkpoint small pieces (1 MiB of WAL) as they go.
  db.pragma(`wal_autocheckpoint = ${BURST_CHECKPOINT_PAGES}`);
  return new SqliteDb(db, startStoreThread({ file, quietMs: QUIET_MS, everyMs: LOOK_EVERY_MS, burstPages: BURST_CHECKPOINT_PAGES }));
}

/** WAL pages (4 KiB each) after which a connection checkpoints during a burst. */
const BURST_CHECKPOINT_PAGES = 250;
/** How long the WAL must be unwritten before the thread checkpoints, and how often it looks. */
const QUIET_MS = 200;
const LOOK_EVERY_MS = 100;
