/** Tables of the store, per dialect. Additive only: instances of several versions may share one database. */
import type { Db } from "./db.js";
import { repoKey, repoOfThreadKey } from "./repo-key.js";

// gc_deliveries.payload is the webhook's JSON; SQLite rows written by this
// version hold it as a brotli BLOB, earlier ones as TEXT (stored-text.ts).
function tables(dialect: Db["dialect"]): string[] {
  const serial = dialect === "postgres" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
  return [
    `CREATE TABLE IF NOT EXISTS gc_deliveries (
      id TEXT PRIMARY KEY,
      event TEXT NOT NULL,
      payload TEXT NOT NULL,
      received_at BIGINT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending',
      attempts INTEGER NOT NULL DEFAULT 0,
      not_before BIGINT NOT NULL DEFAULT 0,
      lease_owner TEXT,
      lease_expires_at BIGINT,
      error TEXT,
      body_key TEXT
    )`,
    `CREATE INDEX IF NOT EXISTS gc_deliveries_pending ON gc_deliveries (received_at) WHERE state = 'pending'`,
    `CREATE TABLE IF NOT EXISTS gc_runs (
      seq ${serial},
      id TEXT NOT NULL UNIQUE,
      delivery_id TEXT NOT NULL,
      agent TEXT NOT NULL,
      thread_key TEXT NOT NULL,
      status TEXT NOT NULL,
      plan TEXT NOT NULL,
      attempt INTEGER NOT NULL DEFAULT 1,
      max_attempts INTEGER NOT NULL DEFAULT 3,
      agent_limit INTEGER NOT NULL DEFAULT 1,
      not_before BIGINT NOT NULL DEFAULT 0,
      lease_owner TEXT,
      lease_expires_at BIGINT,
      started_at BIGINT,
      session_id TEXT,
      container_id TEXT,
      error TEXT,
      cancel_requested INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      claimed_at BIGINT,
      finished_at BIGINT
    )`,
    `CREATE INDEX IF NOT EXISTS gc_runs_queued ON gc_runs (seq) WHERE status = 'queued'`,
    `CREATE INDEX IF NOT EXISTS gc_runs_thread ON gc_runs (thread_key, status, seq)`,
    `CREATE INDEX IF NOT EXISTS gc_runs_agent ON gc_runs (agent, status)`,
    `CREATE INDEX IF NOT EXISTS gc_runs_owner ON gc_runs (lease_owner, status)`,
    `CREATE INDEX IF NOT EXISTS gc_runs_delivery ON gc_runs (delivery_id)`,
    // The database itself refuses a second running run in one thread.
    `CREATE UNIQUE INDEX IF NOT EXISTS gc_runs_one_per_thread ON gc_runs (thread_key) WHERE status = 'running'`,
    `CREATE TABLE IF NOT EXISTS gc_logs (
      seq ${serial},
      run_id TEXT NOT NULL,
      at BIGINT NOT NULL,
      text TEXT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS gc_logs_run ON gc_logs (run_id, seq)`,
    `CREATE TABLE IF NOT EXISTS gc_once (
      key TEXT PRIMARY KEY,
      owner TEXT NOT NULL,
      at BIGINT NOT NULL
    )`,
    // Model spend per budget key (agent_day:<agent>:<date>, thread:<repo>#<n>). USD in
    // nano-dollars, an integer, so that concurrent additions sum exactly on both backends.
    `CREATE TABLE IF NOT EXISTS gc_spend (
      key TEXT PRIMARY KEY,
      tokens BIGINT NOT NULL DEFAULT 0,
      usd_nano BIGINT NOT NULL DEFAULT 0,
      updated_at BIGINT NOT NULL
    )`,
    // Queue-position edits of queued runs' tracking comments (store/queue.ts): the last text, the throttle, the editor's lease.
    `CREATE TABLE IF NOT EXISTS gc_queue_edits (
      run_id TEXT PRIMARY KEY,
      text TEXT,
      edited_at BIGINT NOT NULL DEFAULT 0,
      editor TEXT,
      editing_until BIGINT
    )`,
    // Whose turn it is among repositories for claims: the repository with the lowest `turn` was served least recently.
    `CREATE TABLE IF NOT EXISTS gc_repo_turns (
      repo_key TEXT PRIMARY KEY,
      turn BIGINT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS gc_repo_turns_turn ON gc_repo_turns (turn)`,
    // Dashboard sign-in (store/sessions.ts): the sha256 of the cookie value, never the value.
    `CREATE TABLE IF NOT EXISTS gc_sessions (
      id_hash TEXT PRIMARY KEY,
      login TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      avatar TEXT,
      csrf TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL
    )`,
    `CREATE INDEX IF NOT EXISTS gc_sessions_expires ON gc_sessions (expires_at)`,
    // Approval pull requests gitcrew resolved (store/approval-decisions.ts): the dashboard reads decisions here, not from GitHub.
    `CREATE TABLE IF NOT EXISTS gc_approval_decisions (
      repo_key TEXT NOT NULL,
      pull BIGINT NOT NULL,
      repo TEXT NOT NULL,
      decision TEXT NOT NULL,
      decided_by TEXT,
      decided_at BIGINT NOT NULL,
      PRIMARY KEY (repo_key, pull)
    )`,
    // Answers GitHub did not take, written again later by any instance (store/answers.ts, server/answer-outbox.ts).
    `CREATE TABLE IF NOT EXISTS gc_answers (
      id TEXT PRIMARY KEY,
      what TEXT NOT NULL,
      answer TEXT NOT NULL,
      since BIGINT NOT NULL,
      not_before BIGINT NOT NULL,
      delay_ms BIGINT NOT NULL,
      lease_owner TEXT,
      lease_expires_at BIGINT
    )`,
    `CREATE INDEX IF NOT EXISTS gc_answers_due ON gc_answers (not_before)`,
    // Each serve's heartbeat, for the dashboard's health page.
    `CREATE TABLE IF NOT EXISTS gc_instances (
      name TEXT PRIMARY KEY,
      last_seen BIGINT NOT NULL,
      runs INTEGER NOT NULL DEFAULT 0
    )`,
  ];
}

export async function migrate(db: Db): Promise<void> {
  if (db.dialect === "sqlite") return db.tx(async (t) => migrateIn(t));
  // A started instance's store is current: reading the catalog takes no lock
  // on the tables, while the DDL below (even when it changes nothing) locks
  // them against the running instances' transactions and can deadlock.
  if (await postgresIsCurrent(db)) return;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.tx(async (t) => {
        // Several instances may start together: one migrates at a time.
        await t.all("SELECT pg_advisory_xact_lock(7428105)");
        if (await postgresIsCurrent(t)) return;
        await migrateIn(t);
      });
    } catch (err) {
      // PostgreSQL broke a lock cycle with a running instance by rolling the migration back: nothing was changed, so try again.
      if ((err as { code?: string }).code !== DEADLOCK_DETECTED || attempt >= MIGRATE_ATTEMPTS) throw err;
    }
  }
}

const DEADLOCK_DETECTED = "40P01";
const MIGRATE_ATTEMPTS = 5;

async function migrateIn(t: Db): Promise<void> {
  for (const sql of tables(t.dialect)) await t.run(sql);
  await addBodyKey(t);
  await addRunCost(t);
  await addRepo(t);
  await addRunOutcome(t);
  for (const sql of PAGE_INDEXES) await t.run(sql);
  if (t.dialect === "postgres") await compressPayloadsWithLz4(t);
}

/** Every table, index and added column this version makes, named in `tables()` and the additions below. */
function expectedRelations(): string[] {
  const names = tables("postgres").flatMap((sql) => [...sql.matchAll(/IF NOT EXISTS (\w+)/g)].map((m) => m[1]!));
  return [...names, "gc_deliveries_body_key", ...[...REPO_INDEXES, ...PAGE_INDEXES].map((sql) => /IF NOT EXISTS (\w+)/.exec(sql)![1]!)];
}
const ADDED_COLUMNS: [table: string, column: string][] = [
  ["gc_deliveries", "body_key"],
  ["gc_runs", "cost"],
  ["gc_deliveries", "repo"],
  ["gc_runs", "repo"],
  ["gc_runs", "repo_key"],
  ["gc_runs", "outcome"],
];

/** Whether the schema already has everything `migrateIn` would make, read from the catalog alone. */
async function postgresIsCurrent(t: Db): Promise<boolean> {
  const [row] = await t.all(
    `SELECT
       (SELECT count(*) FROM unnest(?::text[]) AS n WHERE to_regclass(n) IS NULL) AS missing_relations,
       (SELECT count(*) FROM unnest(?::text[], ?::text[]) AS c(tab, col)
          WHERE to_regclass(c.tab) IS NULL OR NOT EXISTS (
            SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(c.tab) AND a.attname = c.col AND NOT a.attisdropped)) AS missing_columns`,
    [pgArray(expectedRelations()), pgArray(ADDED_COLUMNS.map((c) => c[0])), pgArray(ADDED_COLUMNS.map((c) => c[1]))],
  );
  if (Number(row?.missing_relations) !== 0 || Number(row?.missing_columns) !== 0) return false;
  return !(await lz4Pending(t));
}

/** Whether this server has lz4 and gc_deliveries.payload does not use it yet (attcompression exists from PostgreSQL 14, like lz4). */
async function lz4Pending(t: Db): Promise<boolean> {
  const lz4 = await t.all(`SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`);
  if (!lz4.length) return false;
  const column = await t.all(
    `SELECT attcompression AS c FROM pg_attribute WHERE attrelid = 'gc_deliveries'::regclass AND attname = 'payload'`,
  );
  return column[0]?.c !== "l";
}

/** A text[] literal of plain identifiers (no quoting needed: they are ours and match \w+). */
function pgArray(items: string[]): string {
  return `{${items.join(",")}}`;
}

/**
 * gc_deliveries.body_key (stores made before it have no such column): a
 * delivery whose body was stored before is a duplicate. Rows written before
 * the column, or by an older instance sharing the database, have none and
 * are not matched; the retention window ends that.
 */
async function addBodyKey(t: Db): Promise<void> {
  if (t.dialect === "postgres") {
    await t.run("ALTER TABLE gc_deliveries ADD COLUMN IF NOT EXISTS body_key TEXT");
  } else {
    const columns = await t.all("SELECT name FROM pragma_table_info('gc_deliveries')");
    if (!columns.some((c) => c.name === "body_key")) await t.run("ALTER TABLE gc_deliveries ADD COLUMN body_key TEXT");
  }
  // NULLs never conflict: keyless rows stay distinct.
  await t.run("CREATE UNIQUE INDEX IF NOT EXISTS gc_deliveries_body_key ON gc_deliveries (body_key)");
}

/**
 * gc_runs.cost (stores made before it have none): a finished run's tokens and
 * USD as JSON, for `ps` and the API. Runs finished before it, or by an older
 * instance, have none and show no cost.
 */
async function addRunCost(t: Db): Promise<void> {
  if (t.dialect === "postgres") {
    await t.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS cost TEXT");
  } else {
    const columns = await t.all("SELECT name FROM pragma_table_info('gc_runs')");
    if (!columns.some((c) => c.name === "cost")) await t.run("ALTER TABLE gc_runs ADD COLUMN cost TEXT");
  }
}

/**
 * gc_runs.outcome (stores made before it have none): what a finished run left
 * (answer, changed files, PR, approval requests) as JSON, for the dashboard.
 * Runs finished before it, or by an older instance, show none.
 */
async function addRunOutcome(t: Db): Promise<void> {
  if (t.dialect === "postgres") {
    await t.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS outcome TEXT");
  } else {
    const columns = await t.all("SELECT name FROM pragma_table_info('gc_runs')");
    if (!columns.some((c) => c.name === "outcome")) await t.run("ALTER TABLE gc_runs ADD COLUMN outcome TEXT");
  }
}

/** Indexes on gc_runs.repo_key, made once the column exists. */
const REPO_INDEXES = [
  // A repository's runs, newest first (`ps --repo`, the API's filter).
  `CREATE INDEX IF NOT EXISTS gc_runs_repo ON gc_runs (repo_key, seq)`,
  // Claims: the repositories with queued runs (one probe each) and each one's oldest.
  `CREATE INDEX IF NOT EXISTS gc_runs_repo_queued ON gc_runs (repo_key, seq) WHERE status = 'queued'`,
  // Claims: a repository's running runs, against its limit.
  `CREATE INDEX IF NOT EXISTS gc_runs_repo_running ON gc_runs (repo_key) WHERE status = 'running'`,
];

/** The dashboard's runs list, newest first by (created_at, id) (store/runs-page.ts); made once repo_key exists. */
const PAGE_INDEXES = [
  `CREATE INDEX IF NOT EXISTS gc_runs_created ON gc_runs (created_at, id)`,
  `CREATE INDEX IF NOT EXISTS gc_runs_repo_created ON gc_runs (repo_key, created_at, id)`,
];

/**
 * gc_deliveries.repo, gc_runs.repo and gc_runs.repo_key (its lower case; ''
 * when unknown) — stores made before them have none. Existing runs get the
 * repository their thread key names (`owner/name#12`, `owner/name@agent`).
 * Rows an older instance sharing the database writes later have none: the
 * store reads their repository from the thread key (runs) or the body
 * (deliveries).
 */
async function addRepo(t: Db): Promise<void> {
  if (t.dialect === "postgres") {
    await t.run("ALTER TABLE gc_deliveries ADD COLUMN IF NOT EXISTS repo TEXT");
    await t.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS repo TEXT");
    await t.run("ALTER TABLE gc_runs ADD COLUMN IF NOT EXISTS repo_key TEXT NOT NULL DEFAULT ''");
  } else {
    const deliveries = await t.all("SELECT name FROM pragma_table_info('gc_deliveries')");
    if (!deliveries.some((c) => c.name === "repo")) await t.run("ALTER TABLE gc_deliveries ADD COLUMN repo TEXT");
    const runs = await t.all("SELECT name FROM pragma_table_info('gc_runs')");
    if (!runs.some((c) => c.name === "repo")) await t.run("ALTER TABLE gc_runs ADD COLUMN repo TEXT");
    if (!runs.some((c) => c.name === "repo_key")) await t.run("ALTER TABLE gc_runs ADD COLUMN repo_key TEXT NOT NULL DEFAULT ''");
  }
  for (const sql of REPO_INDEXES) await t.run(sql);
  await fillRunRepos(t);
}

/** Runs without a repository get the one their thread key names (a few statements: one per repository). */
async function fillRunRepos(t: Db): Promise<void> {
  const threads = await t.all("SELECT DISTINCT thread_key FROM gc_runs WHERE repo_key = ''");
  const byRepo = new Map<string, string[]>();
  for (const row of threads) {
    const thread = String(row.thread_key);
    const repo = repoOfThreadKey(thread);
    if (repo) byRepo.set(repo, [...(byRepo.get(repo) ?? []), thread]);
  }
  for (const [repo, keys] of byRepo) {
    for (let i = 0; i < keys.length; i += 500) {
      const part = keys.slice(i, i + 500);
      await t.run(`UPDATE gc_runs SET repo = ?, repo_key = ? WHERE repo_key = '' AND thread_key IN (${part.map(() => "?").join(", ")})`, [
        repo,
        repoKey(repo),
        ...part,
      ]);
    }
  }
}

/**
 * PostgreSQL compresses a stored payload (12 KB is typical) with pglz by
 * default, which cost its server ~150 µs of CPU per delivery; lz4 (PostgreSQL
 * 14+, when built with it) is several times cheaper and compresses as well
 * (bench/RESULTS.md). Old rows keep pglz; a server without lz4 keeps pglz.
 */
async function compressPayloadsWithLz4(t: Db): Promise<void> {
  // ALTER TABLE locks the table: only the first instance to start on this database does it.
  if (await lz4Pending(t)) await t.run("ALTER TABLE gc_deliveries ALTER COLUMN payload SET COMPRESSION lz4");
}
