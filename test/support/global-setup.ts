/**
 * Once per test run: build dist/ so CLI tests exercise the shipped bundle,
 * and clean up after the run: one temporary root (TMPDIR, inherited by the
 * test workers and every process they start) and the run's PostgreSQL
 * schemas are removed at the end, so the clones, worktrees, stores and homes
 * the tests make never pile up.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { runSchemaPrefix, TEST_PG_URL } from "./pg-store.js";

async function dropRunSchemas(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE starts_with(nspname, $1)", [prefix]);
    for (const { name } of rows) await client.query(`DROP SCHEMA "${name}" CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export default function setup(): () => Promise<void> {
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  const root = mkdtempSync(join(tmpdir(), "gitcrew-test-run-"));
  process.env.TMPDIR = root;
  process.env.GITCREW_TEST_RUN = randomBytes(3).toString("hex");
  const prefix = runSchemaPrefix();
  return async () => {
    // Run folders with a filesystem of their own (a root runner's, runner/disk-guard.ts) that a test's
    // runner never closed: a worker ended by the pool runs no exit handler, and a mount point cannot be removed.
    unmountUnder(root);
    try {
      rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (err) {
      console.warn(`could not remove the test run's temporary root ${root}: ${String(err)}`);
    }
    // The store tests fail on their own when PostgreSQL is missing; here it only means nothing to drop.
    await dropRunSchemas(prefix).catch((err: unknown) => console.warn(`could not drop the test run's PostgreSQL schemas (${prefix}*): ${String(err)}`));
  };
}

function unmountUnder(root: string): void {
  let mounts: string[];
  try {
    mounts = readFileSync("/proc/self/mounts", "utf8").split("\n").map((l) => l.split(" ")[1] ?? "");
  } catch {
    return;
  }
  for (const m of mounts.filter((m) => m.startsWith(`${root}/`))) {
    try {
      execFileSync("umount", ["-l", m], { stdio: "ignore" });
    } catch {
      // not ours to unmount (a runner that is not root makes none)
    }
  }
}
