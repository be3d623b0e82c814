/**
 * One store for many repositories (issue 19): every run and delivery names its
 * repository, claims take turns across repositories under a per-repository
 * limit, and a store written by the version before the repository columns
 * opens with its runs and deliveries named by repository. On both backends.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import type { ClaimOptions, RunInput, Store } from "../../src/store/types.js";
import { BACKENDS, freshStore, type Backend } from "../support/stores.js";

const T0 = 1_700_000_000_000;
const LEASE = 30_000;

function run(repo: string, thread: number, extra: Partial<RunInput> = {}): RunInput {
  return { repo, agent: "dev", threadKey: `${repo}#${thread}`, agentLimit: 1000, plan: { thread }, ...extra };
}

/** Claims until none is left; ids in claim order. */
async function claimAll(store: Store, o: ClaimOptions): Promise<string[]> {
  const ids: string[] = [];
  for (let r = await store.claimRun(o); r; r = await store.claimRun(o)) ids.push(r.id);
  return ids;
}

describe.each(BACKENDS)("a store serving many repositories on $name", (backend) => {
  let store: Store;
  afterEach(async () => store?.close());

  it("claims the first run of a repository within two claims, though another has 200 queued before it", async () => {
    store = await freshStore(backend, "fair");
    for (let i = 1; i <= 200; i++) await store.enqueue(`a-${i}`, `d-a-${i}`, run("acme/big", i), T0 + i);
    await store.enqueue("b-1", "d-b-1", run("acme/small", 1), T0 + 500);
    const opts = { owner: "w", now: T0 + 1000, leaseMs: LEASE, ownerLimit: 1000 };
    const first = [(await store.claimRun(opts))?.id, (await store.claimRun(opts))?.id];
    expect(first).toContain("b-1");
    // The busy repository's runs still go oldest first.
    const rest = await claimAll(store, opts);
    expect([...first, ...rest].filter((id) => id !== "b-1")).toEqual(Array.from({ length: 200 }, (_, i) => `a-${i + 1}`));
  });

  it("takes turns: each repository with queued runs is served before any is served twice", async () => {
    store = await freshStore(backend, "turns");
    for (const repo of ["o/one", "o/two", "o/three"]) {
      for (let i = 1; i <= 3; i++) await store.enqueue(`${repo}-${i}`, `d-${repo}-${i}`, run(repo, i), T0);
    }
    const ids = await claimAll(store, { owner: "w", now: T0 + 1, leaseMs: LEASE, ownerLimit: 100 });
    const repos = ids.map((id) => id.replace(/-\d+$/, ""));
    for (let round = 0; round < 3; round++) expect(new Set(repos.slice(round * 3, round * 3 + 3)).size).toBe(3);
  });

  it("runs at most repoLimit runs of one repository at once, across instances, whatever the case of its name", async () => {
    store = await freshStore(backend, "repo-limit");
    for (let i = 1; i <= 5; i++) await store.enqueue(`a-${i}`, `d-a-${i}`, run(i % 2 ? "Acme/Big" : "acme/BIG", i), T0 + i);
    for (let i = 1; i <= 3; i++) await store.enqueue(`b-${i}`, `d-b-${i}`, run("acme/small", i), T0 + 10 + i);
    const opts = { now: T0 + 100, leaseMs: LEASE, ownerLimit: 100, repoLimit: 2 };
    const one = await claimAll(store, { ...opts, owner: "one" });
    const two = await claimAll(store, { ...opts, owner: "two" });
    const running = [...one, ...two];
    expect(running.filter((id) => id.startsWith("a-"))).toHaveLength(2);
    expect(running.filter((id) => id.startsWith("b-"))).toHaveLength(2);
    expect((await store.countByRepo()).map((c) => [c.repo.toLowerCase(), c.queued, c.running])).toEqual([
      ["acme/big", 3, 2],
      ["acme/small", 1, 2],
    ]);
    // One finishes: exactly one more of that repository may run.
    expect(await store.finishRun("a-1", "one", { status: "succeeded" }, T0 + 200)).toBe(true);
    expect((await claimAll(store, { ...opts, owner: "two", now: T0 + 201 })).map((id) => id.slice(0, 2))).toEqual(["a-"]);
  });

  it("keeps the thread and agent rules within and across repositories", async () => {
    store = await freshStore(backend, "rules");
    await store.enqueue("a-1", "d1", run("o/a", 1), T0);
    await store.enqueue("a-1-again", "d2", run("o/a", 1), T0 + 1);
    await store.enqueue("b-1", "d3", run("o/b", 1, { agent: "solo", agentLimit: 1 }), T0 + 2);
    await store.enqueue("c-1", "d4", run("o/c", 1, { agent: "solo", agentLimit: 1 }), T0 + 3);
    const ids = await claimAll(store, { owner: "w", now: T0 + 10, leaseMs: LEASE, ownerLimit: 100 });
    // One run per thread at a time, and "solo" once across repositories.
    expect(ids.sort()).toEqual(["a-1", "b-1"]);
  });

  it("forgets a repository's claim turn with retention once it has no run queued, running or within the window", async () => {
    const DAY = 86_400_000;
    const spec = await backend.fresh("turns-prune");
    store = await openStore(spec);
    const opts = { owner: "w", leaseMs: LEASE, ownerLimit: 100 };
    const served = async (id: string, repo: string, at: number, finishedAt?: number) => {
      await store.enqueue(id, `d-${id}`, run(repo, 1), at);
      expect((await store.claimRun({ ...opts, now: at }))?.id).toBe(id);
      if (finishedAt !== undefined) expect(await store.finishRun(id, "w", { status: "succeeded" }, finishedAt)).toBe(true);
    };
    for (let i = 1; i <= 3; i++) await served(`old-${i}`, `o/old-${i}`, T0 + i, T0 + 10 + i);
    await served("recent", "o/recent", T0 + 20, T0 + 35 * DAY);
    await served("running", "o/running", T0 + 30);
    await served("waiting", "o/waiting", T0 + 40, T0 + 41);
    await store.enqueue("waiting-2", "d-waiting-2", run("o/waiting", 2), T0 + 50);
    expect(await turns(backend, spec)).toEqual(["o/old-1", "o/old-2", "o/old-3", "o/recent", "o/running", "o/waiting"]);

    expect((await store.prune(T0 + 30 * DAY, T0 + 40 * DAY)).repoTurns).toBe(3);
    expect(await turns(backend, spec)).toEqual(["o/recent", "o/running", "o/waiting"]);
    expect((await store.prune(T0 + 30 * DAY, T0 + 40 * DAY)).repoTurns).toBe(0);
    // A forgotten repository that comes back is served as least recently served: before the one served within the window.
    await store.enqueue("recent-2", "d-recent-2", run("o/recent", 2), T0 + 41 * DAY);
    await store.enqueue("old-1-again", "d-old-1-again", run("o/old-1", 2), T0 + 41 * DAY + 1);
    const next = await claimAll(store, { ...opts, now: T0 + 41 * DAY + 2 });
    expect(next.indexOf("old-1-again")).toBeLessThan(next.indexOf("recent-2"));
  });

  it("lists runs of one repository, case-insensitively, and records the repository of deliveries and their runs", async () => {
    store = await freshStore(backend, "list");
    await store.recordDelivery({ id: "d-1", event: "issue_comment", payload: "{}", receivedAt: T0, repo: "Acme/Widgets" });
    await store.claimDelivery("planner", T0, LEASE);
    const planned = await store.completeDelivery("d-1", [run("Acme/Widgets", 7)], T0);
    expect(planned.map((r) => r.repo)).toEqual(["Acme/Widgets"]);
    expect((await store.getDelivery("d-1"))?.repo).toBe("Acme/Widgets");
    // A caller that does not name it: the thread key does.
    await store.enqueue("s-1", "schedule-x", { agent: "nightly", threadKey: "acme/other@nightly", agentLimit: 1, plan: null }, T0 + 1);
    expect((await store.getRun("s-1"))?.repo).toBe("acme/other");
    expect((await store.listRuns({ repo: "ACME/widgets" })).map((r) => r.id)).toEqual(["d-1:dev"]);
    expect((await store.listRuns({ repo: "acme/other" })).map((r) => r.id)).toEqual(["s-1"]);
    // `_` is a LIKE wildcard: it must not match other names.
    expect(await store.listRuns({ repo: "acme_widgets" })).toEqual([]);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(["s-1", "d-1:dev"]);
  });
});

/** The repositories gc_repo_turns holds a claim turn for, sorted. */
async function turns(backend: Backend, spec: string): Promise<string[]> {
  const sql = "SELECT repo_key FROM gc_repo_turns ORDER BY repo_key";
  if (backend.name === "sqlite") {
    const db = new Database(spec, { readonly: true });
    try {
      return (db.prepare(sql).all() as { repo_key: string }[]).map((r) => r.repo_key);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: spec });
  await client.connect();
  try {
    return (await client.query<{ repo_key: string }>(sql)).rows.map((r) => r.repo_key);
  } finally {
    await client.end();
  }
}

/** The tables of the version before repositories were recorded (c015a44), with rows it wrote. */
async function storeOfEarlierVersion(backend: Backend): Promise<string> {
  const spec = await backend.fresh("before-repo");
  const serial = backend.name === "postgres" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
  const statements = [
    `CREATE TABLE gc_deliveries (id TEXT PRIMARY KEY, event TEXT NOT NULL, payload TEXT NOT NULL, received_at BIGINT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, not_before BIGINT NOT NULL DEFAULT 0,
      lease_owner TEXT, lease_expires_at BIGINT, error TEXT, body_key TEXT)`,
    `CREATE UNIQUE INDEX gc_deliveries_body_key ON gc_deliveries (body_key)`,
    `CREATE TABLE gc_runs (seq ${serial}, id TEXT NOT NULL UNIQUE, delivery_id TEXT NOT NULL, agent TEXT NOT NULL,
      thread_key TEXT NOT NULL, status TEXT NOT NULL, plan TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 1,
      max_attempts INTEGER NOT NULL DEFAULT 3, agent_limit INTEGER NOT NULL DEFAULT 1, not_before BIGINT NOT NULL DEFAULT 0,
      lease_owner TEXT, lease_expires_at BIGINT, started_at BIGINT, session_id TEXT, container_id TEXT, error TEXT,
      cancel_requested INTEGER NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, claimed_at BIGINT, finished_at BIGINT, cost TEXT)`,
    `CREATE INDEX gc_runs_queued ON gc_runs (seq) WHERE status = 'queued'`,
    `CREATE UNIQUE INDEX gc_runs_one_per_thread ON gc_runs (thread_key) WHERE status = 'running'`,
    `INSERT INTO gc_deliveries (id, event, payload, received_at, state) VALUES
      ('old', 'issue_comment', '{"repository":{"full_name":"Acme/Old"}}', 1, 'planned'),
      ('odd', 'ping', 'not json', 2, 'failed')`,
    `INSERT INTO gc_runs (id, delivery_id, agent, thread_key, status, plan, created_at, finished_at, session_id) VALUES
      ('old:dev', 'old', 'dev', 'Acme/Old#3', 'succeeded', '{}', 1, 5, 'sess-1'),
      ('old:nightly', 'schedule-x', 'nightly', 'Acme/Old@nightly', 'queued', '{}', 2, NULL, NULL)`,
  ];
  if (backend.name === "sqlite") {
    const db = new Database(spec);
    for (const sql of statements) db.exec(sql);
    db.close();
  } else {
    const client = new pg.Client({ connectionString: spec });
    await client.connect();
    for (const sql of statements) await client.query(sql);
    await client.end();
  }
  return spec;
}

/** A row as an instance of the earlier version writes it into the migrated store (it knows no repository columns). */
async function writeAsEarlierInstance(backend: Backend, spec: string, sql: string): Promise<void> {
  if (backend.name === "sqlite") {
    const db = new Database(spec);
    db.exec(sql);
    db.close();
  } else {
    const client = new pg.Client({ connectionString: spec });
    await client.connect();
    await client.query(sql);
    await client.end();
  }
}

describe.each(BACKENDS)("a store written before runs recorded their repository, on $name", (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it("opens with its runs and deliveries, each named by its repository, and serves them by repository", async () => {
    const spec = await storeOfEarlierVersion(backend);
    store = await openStore(spec);
    expect((await store.getRun("old:dev"))?.repo).toBe("Acme/Old");
    expect((await store.getRun("old:dev"))?.sessionId).toBe("sess-1");
    expect((await store.getDelivery("old"))?.repo).toBe("Acme/Old");
    expect((await store.getDelivery("odd"))?.repo).toBe("unknown");
    expect((await store.listRuns({ repo: "acme/old" })).map((r) => r.id)).toEqual(["old:nightly", "old:dev"]);
    await store.enqueue("new-1", "d-new", run("acme/new", 1), T0);
    expect((await store.claimRun({ owner: "w", now: T0 + 1, leaseMs: LEASE, ownerLimit: 10, repoLimit: 1 }))?.id).toBe("old:nightly");
    expect((await store.claimRun({ owner: "w", now: T0 + 1, leaseMs: LEASE, ownerLimit: 10, repoLimit: 1 }))?.id).toBe("new-1");
    // An instance of the earlier version, sharing the database, writes a run without a repository while this one runs.
    await writeAsEarlierInstance(
      backend,
      spec,
      `INSERT INTO gc_runs (id, delivery_id, agent, thread_key, status, plan, created_at) VALUES ('late:dev', 'late', 'dev', 'Acme/Old#9', 'queued', '{}', 3)`,
    );
    expect((await store.getRun("late:dev"))?.repo).toBe("Acme/Old");
    expect((await store.listRuns({ repo: "ACME/OLD", status: "queued" })).map((r) => r.id)).toEqual(["late:dev"]);
    // Matched by its thread key: LIKE's wildcards in a name match only themselves.
    expect(await store.listRuns({ repo: "acme_old" })).toEqual([]);
    expect(await store.listRuns({ repo: "acme%" })).toEqual([]);
    expect((await store.countByRepo()).map((c) => [c.repo.toLowerCase(), c.queued, c.running])).toEqual([
      ["acme/new", 0, 1],
      ["acme/old", 1, 1],
    ]);
    // Still found after a restart (SQLite fills the column at every start; a current PostgreSQL schema is not migrated again).
    await store.close();
    store = await openStore(spec);
    expect((await store.listRuns({ repo: "acme/old", status: "queued" })).map((r) => [r.id, r.repo])).toEqual([["late:dev", "Acme/Old"]]);
  });
});
