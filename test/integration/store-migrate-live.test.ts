/**
 * Starting a `serve` instance on a PostgreSQL database that running instances
 * are busy with. DDL locks tables even when it changes nothing, and a
 * migration's table locks can close a cycle with a running instance's
 * transaction: PostgreSQL then rolls one of them back. A second start on a
 * current schema must take no table lock at all; a real migration that meets
 * a cycle must be tried again, not stop the new instance.
 */
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { freshPgUrl } from "../support/pg-store.js";

const RUN_ROW = `INSERT INTO gc_runs (id, delivery_id, agent, thread_key, status, plan, created_at)
  VALUES ('held:dev', 'held', 'dev', 'o/r#1', 'queued', '{}', 1)`;

describe("a store opened while another instance is busy on PostgreSQL", () => {
  const stores: Store[] = [];
  const clients: pg.Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => undefined);
    for (const s of stores.splice(0)) await s.close();
  });

  async function client(url: string): Promise<pg.Client> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    clients.push(c);
    return c;
  }

  /** Statements waiting on a lock that `holder`'s transaction holds, as pg_stat_activity shows them. */
  async function waitingOn(observer: pg.Client, holder: pg.Client): Promise<string[]> {
    const pid = (holder as unknown as { processID: number }).processID;
    const { rows } = await observer.query(
      "SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND $1::int = ANY (pg_blocking_pids(pid))",
      [pid],
    );
    return rows.map((r: { query: string }) => r.query);
  }

  it("a second start on a current schema waits on no lock that a running transaction holds", async () => {
    const url = await freshPgUrl("migrate-current");
    stores.push(await openStore(url));
    // A running instance mid-transaction: it has read deliveries and written a run.
    const running = await client(url);
    await running.query("BEGIN");
    await running.query("SELECT count(*) FROM gc_deliveries");
    await running.query(RUN_ROW);
    const observer = await client(url);

    const second = openStore(url);
    let opened: Store | undefined;
    void second.then((s) => (opened = s), () => undefined);
    const waiting: string[] = [];
    while (!opened && waiting.length === 0) {
      waiting.push(...(await waitingOn(observer, running)));
      await new Promise((r) => setTimeout(r, 20));
      if (!opened) await Promise.race([second.catch(() => undefined), new Promise((r) => setTimeout(r, 20))]);
    }
    await running.query("COMMIT");
    stores.push(await second);
    expect(waiting).toEqual([]);
    const { rows } = await observer.query("SELECT status FROM gc_runs WHERE id = 'held:dev'");
    expect(rows).toEqual([{ status: "queued" }]);
  });

  it("a migration that closes a lock cycle with a running transaction is rolled back and tried again", async () => {
    const url = await freshPgUrl("migrate-deadlock");
    const first = await openStore(url);
    await first.close();
    // The schema of an earlier version: gc_runs has no cost column yet.
    const running = await client(url);
    await running.query("ALTER TABLE gc_runs DROP COLUMN cost");
    // The running instance has read deliveries; the migration then locks gc_runs and waits for gc_deliveries.
    await running.query("BEGIN");
    await running.query("SELECT count(*) FROM gc_deliveries");
    const observer = await client(url);
    const migrating = openStore(url);
    const outcome = migrating.then(
      (s) => (stores.push(s), "opened"),
      (err: Error) => err.message,
    );
    while ((await waitingOn(observer, running)).length === 0) await new Promise((r) => setTimeout(r, 10));
    // ...and the running instance now writes a run: each waits for the other.
    const write = running.query(RUN_ROW).then(
      () => "written",
      (err: Error) => err.message,
    );
    const written = await write;
    await running.query(written === "written" ? "COMMIT" : "ROLLBACK");

    expect(await outcome).toBe("opened");
    const { rows } = await observer.query(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'gc_runs' AND column_name = 'cost'",
    );
    expect(rows).toHaveLength(1);
  });
});
