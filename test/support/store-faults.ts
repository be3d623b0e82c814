/**
 * A store that refuses new runs, as a full disk or a broken database would:
 * a trigger on gc_runs that raises on INSERT, added beside the running
 * server (its own connection) and dropped again.
 */
import Database from "better-sqlite3";
import pg from "pg";

const isPg = (spec: string) => /^postgres(ql)?:/.test(spec);

async function exec(spec: string, sql: string[]): Promise<void> {
  if (isPg(spec)) {
    const client = new pg.Client({ connectionString: spec });
    await client.connect();
    try {
      for (const q of sql) await client.query(q);
    } finally {
      await client.end();
    }
    return;
  }
  // The store's own connections and checkpoint thread hold the file now and then: wait for them.
  for (let attempt = 1; ; attempt++) {
    const db = new Database(spec, { timeout: 15_000 });
    try {
      for (const q of sql) db.exec(q);
      return;
    } catch (err) {
      if (attempt >= 20 || !/locked|busy/i.test(String(err))) throw err;
    } finally {
      db.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** From now on every insert into the run queue fails with `message`. */
export function refuseRuns(spec: string, message: string): Promise<void> {
  const quoted = message.replace(/'/g, "''");
  if (isPg(spec)) {
    return exec(spec, [
      `CREATE OR REPLACE FUNCTION gitcrew_test_refuse_runs() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '${quoted}'; END $$ LANGUAGE plpgsql`,
      "CREATE TRIGGER gitcrew_test_refuse_runs BEFORE INSERT ON gc_runs FOR EACH ROW EXECUTE FUNCTION gitcrew_test_refuse_runs()",
    ]);
  }
  return exec(spec, [`CREATE TRIGGER gitcrew_test_refuse_runs BEFORE INSERT ON gc_runs BEGIN SELECT RAISE(ABORT, '${quoted}'); END`]);
}

/** Inserts work again. */
export function acceptRuns(spec: string): Promise<void> {
  return exec(spec, [isPg(spec) ? "DROP TRIGGER gitcrew_test_refuse_runs ON gc_runs" : "DROP TRIGGER gitcrew_test_refuse_runs"]);
}

/** Runs statements on the store beside the running server (a row as an older version left it, in tests). */
export function execOn(spec: string, sql: string[]): Promise<void> {
  return exec(spec, sql);
}
