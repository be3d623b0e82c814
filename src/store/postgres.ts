/** PostgreSQL backend (pg): a pool; transactions hold one client. */
import pg from "pg";
import type { Db, Row, SqlValue, StatementOptions } from "./db.js";
import { postgresParams } from "./stored-text.js";

// BIGINT (20) and COUNT come back as strings by default; our values fit in a double.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/** `?` → `$1, $2, …` (the store's SQL has no `?` inside literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Named statements by SQL: pg prepares each once per connection (see TxOptions.prepared). */
const named = new Map<string, { name: string; text: string }>();
function prepared(sql: string): { name: string; text: string } {
  let s = named.get(sql);
  if (!s) named.set(sql, (s = { name: `gitcrew_${named.size + 1}`, text: numbered(sql) }));
  return s;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

function query(client: Queryable, sql: string, params: SqlValue[], options: StatementOptions = {}): Promise<pg.QueryResult> {
  const values = postgresParams(params);
  return options.prepared ? client.query({ ...prepared(sql), values }) : client.query(numbered(sql), values);
}

function on(client: Queryable, dbTx: Db["tx"], close: () => Promise<void>, relaxed?: () => Queryable): Db {
  return {
    dialect: "postgres",
    all: async (sql, params: SqlValue[] = [], options) => (await query(options?.relaxed && relaxed ? relaxed() : client, sql, params, options)).rows as Row[],
    run: async (sql, params: SqlValue[] = []) => (await query(client, sql, params)).rowCount ?? 0,
    tx: dbTx,
    close,
  };
}

export function openPostgres(url: string, maxConnections = 10): Db {
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, types });
  // An idle client that loses its connection must not crash the server.
  pool.on("error", () => undefined);
  // Relaxed work (claims, leases, planning's bookkeeping) on connections of its own whose every commit returns before
  // the WAL flush (a later synchronous commit flushes past it): no `SET LOCAL` round trip per transaction, and a
  // single relaxed statement needs no transaction at all. Opened at its first use.
  let relaxedPool: pg.Pool | undefined;
  const relaxed = (): pg.Pool => {
    if (relaxedPool) return relaxedPool;
    const p = new pg.Pool({ connectionString: url, max: Math.max(2, Math.ceil(maxConnections / 2)), types });
    p.on("error", () => undefined);
    // Queued on the new client before anything it is handed out for.
    p.on("connect", (client) => void client.query("SET synchronous_commit = off").catch(() => undefined));
    return (relaxedPool = p);
  };
  const tx: Db["tx"] = async (fn, options = {}) => {
    const client = await (options.relaxed ? relaxed() : pool).connect();
    try {
      await client.query("BEGIN");
      const inner = on(client, (nested) => nested(inner), async () => undefined);
      const result = await fn(inner);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  };
  const listeners = new Set<{ stop(): Promise<void> }>();
  const db = on(pool, tx, async () => {
    await Promise.all([...listeners].map((l) => l.stop()));
    await Promise.all([pool.end(), relaxedPool?.end()]);
  }, relaxed);
  db.listen = (channel, onNotify) => {
    const l = listenOn(url, channel, onNotify);
    listeners.add(l);
    return () => void (listeners.delete(l), l.stop());
  };
  return db;
}

/** Time before a lost LISTEN connection is opened again; meanwhile the worker's poll finds the work. */
const RELISTEN_MS = 1000;

/**
 * LISTEN on a client of its own (a pooled one would be handed to others). A
 * notification calls `onNotify` with its payload, and every (re)connection
 * without one: work queued while the connection was down is looked for at once.
 */
function listenOn(url: string, channel: string, onNotify: (payload?: string) => void): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const again = () => {
    client = undefined;
    if (!stopped) (timer = setTimeout(() => void connect(), RELISTEN_MS)).unref();
  };
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on("notification", (n) => n.channel === channel && onNotify(n.payload));
    c.on("error", () => undefined);
    c.once("end", () => client === c && again());
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (stopped) return void (await c.end().catch(() => undefined));
      onNotify();
    } catch {
      await c.end().catch(() => undefined);
      if (client === c) again();
    }
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
