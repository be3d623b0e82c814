/** Embedded SQLite backend (better-sqlite3): one file, WAL, fsync on commit. */
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Mutex, type Db, type Row, type SqlValue } from "./db.js";

type Statement = Database.Statement<SqlValue[]>;

class SqliteDb implements Db {
  readonly dialect = "sqlite" as const;
  private readonly statements = new Map<string, Statement>();
  private readonly mutex = new Mutex();

  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<SqlValue[]>(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private allNow(sql: string, params: SqlValue[]): Row[] {
    return this.prepare(sql).all(...params) as Row[];
  }

  private runNow(sql: string, params: SqlValue[]): number {
    return this.prepare(sql).run(...params).changes;
  }

  // Outside a transaction each call waits for the one in progress: one connection is shared.
  all(sql: string, params: SqlValue[] = []): Promise<Row[]> {
    return this.mutex.lock(async () => this.allNow(sql, params));
  }

  run(sql: string, params: SqlValue[] = []): Promise<number> {
    return this.mutex.lock(async () => this.runNow(sql, params));
  }

  tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
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
    });
  }

  async close(): Promise<void> {
    await this.mutex.lock(async () => this.db.close());
  }
}

export function openSqlite(file: string): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  // FULL: a commit is on disk before the webhook is answered 202.
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 10000");
  return new SqliteDb(db);
}
