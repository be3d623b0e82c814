import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import { openPostgres } from "../../src/store/postgres.js";
import { openSqlite } from "../../src/store/sqlite.js";
import { SqlStore } from "../../src/store/sql-store.js";
import type { StoreThread } from "../../src/store/sqlite-thread.js";
import type { RunInput, Store } from "../../src/store/types.js";
import { BACKENDS, freshStore } from "../support/stores.js";
import { freshPgUrl } from "../support/pg-store.js";

const T0 = 1_700_000_000_000;
const LEASE = 30_000;

function run(agent: string, threadKey: string, extra: Partial<RunInput> = {}): RunInput {
  return { agent, threadKey, agentLimit: 5, plan: { prompt: `hello ${agent}` }, ...extra };
}

async function delivered(store: Store, id: string, runs: RunInput[], now = T0): Promise<string[]> {
  await store.recordDelivery({ id, event: "issue_comment", payload: "{}", receivedAt: now });
  const d = await store.claimDelivery("planner", now, LEASE);
  expect(d?.id).toBe(id);
  return (await store.completeDelivery(id, runs, now)).map((r) => r.id);
}

describe.each(BACKENDS)("store on $name", (backend) => {
  let store: Store;
  afterEach(async () => store?.close());

  it("records a delivery once, however often GitHub redelivers it", async () => {
    store = await freshStore(backend, "dedupe");
    const results = [];
    for (let i = 0; i < 100; i++) results.push(await store.recordDelivery({ id: "d-1", event: "issues", payload: `{"n":${i}}`, receivedAt: T0 + i }));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.getDelivery("d-1"))?.payload).toBe('{"n":0}');
    expect(await store.pendingDeliveries()).toBe(1);
  });

  it("gives back each payload exactly as it was received, alone or in a group", async () => {
    store = await freshStore(backend, "payloads");
    const payload = (i: number) => JSON.stringify({ n: i, body: `résumé 🚀 \u0000 "quoted" ${"x".repeat(12_000)}`, nested: { a: [1, 2, { b: null }] } });
    expect(await store.recordDelivery({ id: "alone", event: "issues", payload: payload(0), receivedAt: T0 })).toBe(true);
    const group = await Promise.all(Array.from({ length: 8 }, (_, i) => store.recordDelivery({ id: `g-${i}`, event: "issues", payload: payload(i + 1), receivedAt: T0 + 1 })));
    expect(group).toEqual(Array(8).fill(true));
    expect((await store.getDelivery("alone"))?.payload).toBe(payload(0));
    for (let i = 0; i < 8; i++) expect((await store.getDelivery(`g-${i}`))?.payload).toBe(payload(i + 1));
    expect((await store.claimDelivery("planner", T0 + 2, LEASE))?.payload).toBe(payload(0));
  });

  it("records a redelivery once when its copies land in batches written at the same time", async () => {
    store = await freshStore(backend, "dedupe-concurrent");
    const pending: Promise<boolean>[] = [];
    for (let i = 0; i < 60; i++) {
      pending.push(store.recordDelivery({ id: "dup", event: "issues", payload: `{"copy":${i}}`, receivedAt: T0 + i }));
      pending.push(store.recordDelivery({ id: `u-${i}`, event: "issues", payload: "{}", receivedAt: T0 + i }));
      // Next turn of the event loop: a new batch while earlier ones are still being written.
      await new Promise((r) => setImmediate(r));
    }
    const fresh = await Promise.all(pending);
    expect(fresh.filter((f, i) => i % 2 === 0 && f)).toHaveLength(1);
    expect(fresh.filter((f, i) => i % 2 === 1 && f)).toHaveLength(60);
    expect(await store.pendingDeliveries()).toBe(61);
  });

  it("plans a delivery into runs once, even when planned twice", async () => {
    store = await freshStore(backend, "plan-once");
    await delivered(store, "d-1", [run("dev", "o/r#1"), run("reviewer", "o/r#1")]);
    await store.completeDelivery("d-1", [run("dev", "o/r#1"), run("reviewer", "o/r#1")], T0);
    expect((await store.listRuns()).map((r) => r.id).sort()).toEqual(["d-1:dev", "d-1:reviewer"]);
    expect(await store.claimDelivery("planner", T0 + 1, LEASE)).toBeUndefined();
    expect((await store.getDelivery("d-1"))?.state).toBe("planned");
  });

  it("hands an unfinished delivery to another planner when its lease expires", async () => {
    store = await freshStore(backend, "delivery-lease");
    await store.recordDelivery({ id: "d-1", event: "issues", payload: "{}", receivedAt: T0 });
    expect((await store.claimDelivery("a", T0, LEASE))?.id).toBe("d-1");
    expect(await store.claimDelivery("b", T0 + 1, LEASE)).toBeUndefined();
    expect((await store.claimDelivery("b", T0 + LEASE + 1, LEASE))?.attempts).toBe(2);
  });

  it("stores a delivery its receiver plans itself already claimed by it, for nobody else until the lease ends", async () => {
    store = await freshStore(backend, "delivery-received-leased");
    const heard: string[] = [];
    const stop = store.subscribe?.((kind) => heard.push(kind));
    expect(await store.recordDelivery({ id: "d-1", event: "issues", payload: '{"n":1}', receivedAt: T0 }, { owner: "a", until: T0 + LEASE })).toBe(true);
    // A redelivery while it is leased: a duplicate, the lease untouched.
    expect(await store.recordDelivery({ id: "d-1", event: "issues", payload: '{"n":2}', receivedAt: T0 + 1 })).toBe(false);
    expect(await store.claimDelivery("b", T0 + 1, LEASE)).toBeUndefined();
    const later = await store.claimDelivery("b", T0 + LEASE + 1, LEASE);
    expect(later).toMatchObject({ id: "d-1", payload: '{"n":1}', attempts: 2, state: "pending" });
    // Its receiver knew; no planner was told of work.
    expect(heard).not.toContain("delivery");
    stop?.();
  });

  it("runs one run at a time per thread, in order", async () => {
    store = await freshStore(backend, "thread");
    await delivered(store, "d-1", [run("dev", "o/r#1")]);
    await delivered(store, "d-2", [run("dev", "o/r#1")], T0 + 1);
    await delivered(store, "d-3", [run("dev", "o/r#2")], T0 + 2);
    const opts = { owner: "w", now: T0 + 10, leaseMs: LEASE, ownerLimit: 10 };
    expect((await store.claimRun(opts))?.id).toBe("d-1:dev");
    expect((await store.claimRun(opts))?.id).toBe("d-3:dev");
    expect(await store.claimRun(opts)).toBeUndefined();
    expect(await store.finishRun("d-1:dev", "w", { status: "succeeded", sessionId: "s-1" }, T0 + 20)).toBe(true);
    const next = await store.claimRun({ ...opts, now: T0 + 30 });
    expect(next?.id).toBe("d-2:dev");
    expect(await store.lastSessionId("o/r#1")).toBe("s-1");
  });

  it("honours the agent's limit and the owner's limit at claim time", async () => {
    store = await freshStore(backend, "limits");
    for (let i = 0; i < 4; i++) await delivered(store, `d-${i}`, [run("dev", `o/r#${i}`, { agentLimit: 2 })], T0 + i);
    await delivered(store, "d-9", [run("ops", "o/r#9")], T0 + 9);
    const opts = { owner: "w", now: T0 + 10, leaseMs: LEASE, ownerLimit: 10 };
    const claimed = [await store.claimRun(opts), await store.claimRun(opts), await store.claimRun(opts)].map((r) => r?.id);
    expect(claimed).toEqual(["d-0:dev", "d-1:dev", "d-9:ops"]);
    expect(await store.claimRun(opts)).toBeUndefined();
    expect(await store.claimRun({ ...opts, owner: "small", ownerLimit: 0 })).toBeUndefined();
  });

  it("requeues an unstarted run and retries a started one when a lease expires", async () => {
    store = await freshStore(backend, "reap");
    await delivered(store, "d-1", [run("dev", "o/r#1")]);
    await delivered(store, "d-2", [run("dev", "o/r#2", { maxAttempts: 1 })]);
    await delivered(store, "d-3", [run("dev", "o/r#3")]);
    const opts = { owner: "dead", now: T0, leaseMs: LEASE, ownerLimit: 10 };
    for (let i = 0; i < 3; i++) await store.claimRun(opts);
    await store.markStarted("d-2:dev", "dead", T0 + 1, { containerId: "c-2" });
    await store.markStarted("d-3:dev", "dead", T0 + 1, { containerId: "c-3" });
    expect(await store.reapExpired(T0 + LEASE - 1)).toEqual({ requeued: [], retried: [], failed: [] });
    const reaped = await store.reapExpired(T0 + LEASE + 1);
    expect(reaped).toEqual({ requeued: ["d-1:dev"], retried: ["d-3:dev"], failed: ["d-2:dev"] });
    const failed = await store.getRun("d-2:dev");
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toMatch(/stopped renewing its lease/);
    const retried = await store.getRun("d-3:dev");
    expect(retried).toMatchObject({ status: "queued", attempt: 2 });
    expect(await store.finishRun("d-1:dev", "dead", { status: "succeeded" }, T0 + LEASE + 2)).toBe(false);
  });

  it("keeps a lease alive with heartbeats and reports a lost one", async () => {
    store = await freshStore(backend, "heartbeat");
    await delivered(store, "d-1", [run("dev", "o/r#1")]);
    await store.claimRun({ owner: "w", now: T0, leaseMs: LEASE, ownerLimit: 1 });
    expect(await store.heartbeat("w", ["d-1:dev"], T0 + LEASE - 1, LEASE)).toEqual([]);
    expect((await store.reapExpired(T0 + LEASE + 1)).requeued).toEqual([]);
    expect(await store.heartbeat("other", ["d-1:dev"], T0 + LEASE, LEASE)).toEqual(["d-1:dev"]);
  });

  it("retries an infrastructure failure after its backoff, then gives up", async () => {
    store = await freshStore(backend, "retry");
    await delivered(store, "d-1", [run("dev", "o/r#1", { maxAttempts: 2 })]);
    const opts = { owner: "w", now: T0, leaseMs: LEASE, ownerLimit: 1 };
    await store.claimRun(opts);
    expect(await store.retryLater("d-1:dev", "w", "docker engine down", T0 + 5000)).toBe(true);
    expect(await store.claimRun({ ...opts, now: T0 + 4999 })).toBeUndefined();
    const again = await store.claimRun({ ...opts, now: T0 + 5000 });
    expect(again).toMatchObject({ id: "d-1:dev", attempt: 2, error: "docker engine down" });
  });

  it("cancels a queued run at once and flags a running one", async () => {
    store = await freshStore(backend, "cancel");
    await delivered(store, "d-1", [run("dev", "o/r#1")]);
    await delivered(store, "d-2", [run("dev", "o/r#1")]);
    await store.claimRun({ owner: "w", now: T0, leaseMs: LEASE, ownerLimit: 5 });
    const cancelled = await store.cancelThread("o/r#1", T0 + 1);
    expect(cancelled.map((r) => [r.id, r.status, r.cancelRequested])).toEqual([
      ["d-1:dev", "running", true],
      ["d-2:dev", "cancelled", true],
    ]);
    expect(await store.cancelRequested(["d-1:dev", "nope"])).toEqual(["d-1:dev"]);
    expect(await store.finishRun("d-1:dev", "w", { status: "cancelled" }, T0 + 2)).toBe(true);
    expect((await store.countByStatus()).cancelled).toBe(2);
  });

  it("gives a shut-down run back without using an attempt", async () => {
    store = await freshStore(backend, "release");
    await delivered(store, "d-1", [run("dev", "o/r#1")]);
    await store.claimRun({ owner: "w", now: T0, leaseMs: LEASE, ownerLimit: 5 });
    expect(await store.release("d-1:dev", "w")).toBe(true);
    expect(await store.getRun("d-1:dev")).toMatchObject({ status: "queued", attempt: 1 });
  });

  it("keeps run logs in order and fires a schedule tick once", async () => {
    store = await freshStore(backend, "logs-once");
    await store.appendLog("r", "one\n", T0);
    await store.appendLog("r", "two\n", T0 + 1);
    const log = await store.readLog("r");
    expect(log.map((c) => c.text).join("")).toBe("one\ntwo\n");
    expect(await store.readLog("r", log[0]?.seq)).toHaveLength(1);
    const fired = await Promise.all(["a", "b", "c"].map((owner) => store.once("schedule:nightly:2024-01-01T00:00", owner, T0)));
    expect(fired.filter(Boolean)).toHaveLength(1);
  });

  it("prunes what finished before the cutoff, and nothing pending, unfinished, awaiting approval or a thread's latest run", async () => {
    store = await freshStore(backend, "prune");
    const DAY = 86_400_000;
    const opts = { owner: "w", now: T0, leaseMs: LEASE, ownerLimit: 10 };
    const finish = async (id: string, status: "succeeded" | "failed" | "awaiting_approval", at: number, sessionId?: string) => {
      expect((await store.claimRun({ ...opts, now: at }))?.id).toBe(id);
      await store.appendLog(id, `log of ${id}\n`, at);
      expect(await store.finishRun(id, "w", { status, ...(sessionId ? { sessionId } : {}) }, at)).toBe(true);
    };
    // Thread #1: two old runs; the later one stays as the thread's latest (its session resumes).
    await delivered(store, "old-1", [run("dev", "o/r#1")]);
    await finish("old-1:dev", "succeeded", T0 + 1, "s-old-1");
    await delivered(store, "old-2", [run("dev", "o/r#1")], T0 + 2);
    await finish("old-2:dev", "failed", T0 + 3, "s-old-2");
    // Thread #2: old and waiting for an approval.
    await delivered(store, "old-3", [run("dev", "o/r#2")], T0 + 4);
    await finish("old-3:dev", "awaiting_approval", T0 + 5);
    // Recent: kept whatever its state.
    await delivered(store, "new-1", [run("dev", "o/r#4")], T0 + 40 * DAY);
    await finish("new-1:dev", "succeeded", T0 + 40 * DAY + 1);
    await store.once("new-key", "w", T0 + 40 * DAY);
    // Thread #3: an old delivery whose run is still queued, an old delivery that planned no run, one still pending.
    await delivered(store, "old-queued", [run("dev", "o/r#3")], T0 + 6);
    await delivered(store, "old-norun", [], T0 + 7);
    await store.once("old-key", "w", T0 + 9);
    await store.recordDelivery({ id: "old-pending", event: "issues", payload: "{}", receivedAt: T0 + 8 });

    const gone = await store.prune(T0 + 30 * DAY);
    expect(gone).toEqual({ deliveries: 2, runs: 1, logs: 2, onceKeys: 1, spendRows: 0, repoTurns: 0, approvalDecisions: 0, answers: 0 });
    expect(await store.getRun("old-1:dev")).toBeUndefined();
    expect(await store.getDelivery("old-1")).toBeUndefined();
    expect(await store.getDelivery("old-norun")).toBeUndefined();
    expect(await store.readLog("old-1:dev")).toEqual([]);
    expect(await store.readLog("old-2:dev")).toEqual([]);
    expect(await store.lastSessionId("o/r#1")).toBe("s-old-2");
    expect((await store.getRun("old-3:dev"))?.status).toBe("awaiting_approval");
    expect(await store.readLog("old-3:dev")).toHaveLength(1);
    expect((await store.getRun("old-queued:dev"))?.status).toBe("queued");
    for (const id of ["old-2", "old-3", "old-queued", "old-pending", "new-1"]) expect((await store.getDelivery(id))?.id).toBe(id);
    expect(await store.readLog("new-1:dev")).toHaveLength(1);
    expect(await store.once("old-key", "w", T0 + 41 * DAY)).toBe(true);
    expect(await store.once("new-key", "w", T0 + 41 * DAY)).toBe(false);
    // A pruned delivery id is new again: why retention is never under GitHub's 3-day redelivery window.
    expect(await store.recordDelivery({ id: "old-1", event: "issue_comment", payload: "{}", receivedAt: T0 + 41 * DAY })).toBe(true);
    expect(await store.prune(T0 + 30 * DAY)).toEqual({ deliveries: 0, runs: 0, logs: 0, onceKeys: 0, spendRows: 0, repoTurns: 0, approvalDecisions: 0, answers: 0 });
  });

  it("prunes approval decisions no stored run lists and answers never written, made before the window; keeps the rest", async () => {
    store = await freshStore(backend, "prune-decisions-answers");
    const DAY = 86_400_000;
    const NOW = T0 + 40 * DAY;
    // Decisions on approval PRs #5, #6, #60 and #7 of o/r, decided long ago; #8 recently; #6 of another repository.
    for (const pull of [5, 6, 60, 7]) await store.approvalDecisions.record({ repo: "o/r", pull, decision: "approved", by: "alice", at: T0 + pull });
    await store.approvalDecisions.record({ repo: "o/r", pull: 8, decision: "rejected", at: NOW - DAY });
    await store.approvalDecisions.record({ repo: "o/other", pull: 6, decision: "rejected", at: T0 });
    // A run of o/r, kept (its thread's latest), that opened request #6: the dashboard still shows its decision.
    await delivered(store, "asked", [run("dev", "o/r#1")], T0);
    expect((await store.claimRun({ owner: "w", now: T0, leaseMs: LEASE, ownerLimit: 10 }))?.id).toBe("asked:dev");
    const outcome = { approvals: [{ kind: "package", reason: "json", pr: { number: 6, url: "https://github.com/o/r/pull/6" } }], decisionsRecorded: true };
    expect(await store.finishRun("asked:dev", "w", { status: "succeeded", outcome }, T0 + 1)).toBe(true);
    // Answers GitHub never took: one put off long ago, one long ago but leased right now, one yesterday.
    await store.answers.add({ what: "leased", answer: "{}", since: T0, delayMs: 1000 }, NOW);
    expect((await store.answers.claimDue("w", NOW, 60_000, 10)).map((a) => a.what)).toEqual(["leased"]);
    await store.answers.add({ what: "old", answer: "{}", since: T0, delayMs: 1000 }, T0);
    await store.answers.add({ what: "recent", answer: "{}", since: NOW - DAY, delayMs: 1000 }, NOW + DAY);

    const gone = await store.prune(T0 + 30 * DAY, NOW);
    expect([gone.approvalDecisions, gone.answers]).toEqual([4, 1]);
    expect((await store.approvalDecisions.of("o/r", [5, 6, 7, 8, 60])).map((d) => d.pull).sort((a, b) => a - b)).toEqual([6, 8]);
    expect(await store.approvalDecisions.of("o/other", [6])).toEqual([]);
    expect(await store.answers.count()).toBe(2);
    expect((await store.answers.claimDue("w2", NOW + 2 * DAY, 60_000, 10)).map((a) => a.what).sort()).toEqual(["leased", "recent"]);
    expect([(await store.prune(T0 + 30 * DAY, NOW)).approvalDecisions, (await store.prune(T0 + 30 * DAY, NOW)).answers]).toEqual([0, 0]);
  });

  it("prunes a large backlog in chunks, leaving none of it", async () => {
    store = await freshStore(backend, "prune-chunks");
    // More than one chunk (1000 rows).
    await Promise.all(Array.from({ length: 1100 }, (_, k) => store.recordDelivery({ id: `b-${k}`, event: "issues", payload: "{}", receivedAt: T0 })));
    while (await store.claimDelivery("planner", T0, LEASE).then((d) => d && store.completeDelivery(d.id, [], T0)));
    expect((await store.prune(T0 + 1)).deliveries).toBe(1100);
    expect(await store.getDelivery("b-0")).toBeUndefined();
    expect(await store.getDelivery("b-1099")).toBeUndefined();
  });
});

describe("SQLite checkpoints", () => {
  it("keep the WAL small during a burst, and copy what is left once writes pause", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gitcrew-ckpt-"));
    const file = join(dir, "gitcrew.db");
    const store = await openStore(file);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    try {
      // Random text: brotli leaves it at ~9 KB per row.
      const payload = JSON.stringify({ text: randomBytes(9_000).toString("base64") });
      let n = 0;
      const write = (count: number) =>
        Promise.all(Array.from({ length: count }, () => store.recordDelivery({ id: `d-${n++}`, event: "issues", payload, receivedAt: T0 })));
      // A burst of 4 MB, a write every 20 ms or so: the serving connection checkpoints 1 MiB pieces.
      let wal = 0;
      for (let i = 0; i < 40; i++) {
        await write(10);
        wal = Math.max(wal, statSync(`${file}-wal`).size);
        await sleep(20);
      }
      expect(statSync(file).size).toBeGreaterThan(3_000_000);
      expect(wal).toBeLessThan(3_000_000);
      await sleep(600);
      // Quiet, with less than a piece in the WAL: only the thread copies it, after the pause.
      const before = statSync(file).size;
      await write(15);
      expect(statSync(file).size).toBe(before);
      const deadline = Date.now() + 5_000;
      while (statSync(file).size === before && Date.now() < deadline) await sleep(50);
      expect(statSync(file).size).toBeGreaterThan(before + 100_000);
      expect(await store.pendingDeliveries()).toBe(415);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("SQLite's store thread", () => {
  it("takes groups of deliveries, and when it dies the serving connection commits them itself: nothing lost", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gitcrew-thread-"));
    const db = openSqlite(join(dir, "gitcrew.db"));
    const store = new SqlStore(db);
    try {
      await store.migrate();
      const thread = (db as unknown as { thread?: StoreThread }).thread;
      expect(thread?.usable).toBe(true);
      const write = (from: number) =>
        Promise.all(Array.from({ length: 8 }, (_, i) => store.recordDelivery({ id: `d-${from + i}`, event: "issues", payload: "{}", receivedAt: T0 })));
      expect(await write(0)).toEqual(Array(8).fill(true));
      await thread?.stop();
      expect(thread?.usable).toBe(false);
      expect(await write(8)).toEqual(Array(8).fill(true));
      expect(await write(0)).toEqual(Array(8).fill(false));
      expect(await store.pendingDeliveries()).toBe(16);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("PostgreSQL payloads", () => {
  it("are compressed with lz4, also in a database created before this version", async () => {
    const url = await freshPgUrl("lz4");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // As an older gitcrew left it: the table with PostgreSQL's default (pglz).
      await client.query(`CREATE TABLE gc_deliveries (id TEXT PRIMARY KEY, event TEXT NOT NULL, payload TEXT NOT NULL, received_at BIGINT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, not_before BIGINT NOT NULL DEFAULT 0,
        lease_owner TEXT, lease_expires_at BIGINT, error TEXT)`);
      const payload = JSON.stringify({ comment: { body: "x".repeat(12_000) } });
      await client.query(`INSERT INTO gc_deliveries (id, event, payload, received_at) VALUES ('old', 'issues', $1, 1)`, [payload]);
      for (let start = 0; start < 2; start++) {
        const store = await openStore(url);
        await store.recordDelivery({ id: `new-${start}`, event: "issues", payload, receivedAt: T0 });
        await store.close();
      }
      const rows = await client.query(`SELECT id, pg_column_compression(payload) AS method, payload = $1 AS same FROM gc_deliveries ORDER BY id`, [payload]);
      expect(rows.rows).toEqual([
        { id: "new-0", method: "lz4", same: true },
        { id: "new-1", method: "lz4", same: true },
        { id: "old", method: "pglz", same: true },
      ]);
    } finally {
      await client.end();
    }
  });

  it("keep working when a newer instance adds a column while this one runs (its prepared statements name their columns)", async () => {
    const url = await freshPgUrl("additive");
    const store = await openStore(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const record = (id: string) => store.recordDelivery({ id, event: "issues", payload: "{}", receivedAt: T0 });
      expect(await Promise.all(["a", "b", "c", "d", "e"].map(record))).toEqual(Array(5).fill(true));
      expect((await store.claimDelivery("planner", T0, LEASE))?.id).toBe("a");
      await client.query("ALTER TABLE gc_deliveries ADD COLUMN added_later TEXT");
      await client.query("ALTER TABLE gc_runs ADD COLUMN added_later TEXT");
      expect(await Promise.all(["f", "g", "h", "i", "a"].map(record))).toEqual([true, true, true, true, false]);
      expect((await store.claimDelivery("planner", T0, LEASE))?.id).toBe("b");
      expect(await store.pendingDeliveries()).toBe(9);
    } finally {
      await client.end();
      await store.close();
    }
  });
});

describe("PostgreSQL commits", () => {
  it("wait for the WAL flush for intake and outcomes; only relaxed work (claims, leases) does not", async () => {
    const db = openPostgres(await freshPgUrl("sync-commit"));
    const shown = (rows: Record<string, unknown>[]) => rows[0]?.synchronous_commit;
    try {
      expect(shown(await db.all("SHOW synchronous_commit"))).toBe("on");
      expect(shown(await db.all("SHOW synchronous_commit", [], { relaxed: true }))).toBe("off");
      expect(await db.tx(async (t) => shown(await t.all("SHOW synchronous_commit")))).toBe("on");
      expect(await db.tx(async (t) => shown(await t.all("SHOW synchronous_commit")), { relaxed: true })).toBe("off");
      // The durable pool stays durable after relaxed work ran beside it.
      expect(shown(await db.all("SHOW synchronous_commit"))).toBe("on");
    } finally {
      await db.close();
    }
  });
});

describe("SQLite payloads", () => {
  it("are stored brotli-compressed, and those an older version stored as TEXT still read back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gitcrew-payloads-"));
    const file = join(dir, "gitcrew.db");
    const payload = JSON.stringify({ comment: { body: "ünïcode ✓ ".repeat(1_500) } });
    const store = await openStore(file);
    const raw = new Database(file);
    try {
      raw.prepare("INSERT INTO gc_deliveries (id, event, payload, received_at) VALUES ('old', 'issues', ?, 1)").run(payload);
      await store.recordDelivery({ id: "single", event: "issues", payload, receivedAt: T0 });
      await Promise.all(Array.from({ length: 6 }, (_, i) => store.recordDelivery({ id: `group-${i}`, event: "issues", payload, receivedAt: T0 })));
      const stored = raw.prepare("SELECT id, typeof(payload) AS type, length(payload) AS size FROM gc_deliveries ORDER BY id").all() as { id: string; type: string; size: number }[];
      expect(stored.map((r) => `${r.id}:${r.type}`)).toEqual(["group-0:blob", "group-1:blob", "group-2:blob", "group-3:blob", "group-4:blob", "group-5:blob", "old:text", "single:blob"]);
      expect(Math.max(...stored.filter((r) => r.type === "blob").map((r) => r.size))).toBeLessThan(Buffer.byteLength(payload) / 5);
      for (const id of ["old", "single", "group-0", "group-5"]) expect((await store.getDelivery(id))?.payload).toBe(payload);
    } finally {
      raw.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
