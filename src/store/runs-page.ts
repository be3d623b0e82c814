/**
 * One page of runs, newest first, for the dashboard: keyset pagination on
 * (created_at, id) so that page 200 of 10,000 runs costs what page 1 does
 * (indexes gc_runs_created and gc_runs_repo_created), with the list's filters
 * and, for a signed-in person, only the repositories they may read.
 */
import type { Db, SqlValue } from "./db.js";
import { repoKey } from "./repo-key.js";
import { toRun } from "./rows.js";
import type { RunRecord, RunStatus } from "./types.js";

export interface RunsPageOptions {
  agent?: string;
  status?: RunStatus;
  threadKey?: string;
  /** `owner/name`, case-insensitive. */
  repo?: string;
  /** Only these repositories (case-insensitive); an empty list: none. Absent: all. */
  repos?: string[];
  /**
   * Only runs whose stored outcome lists approval requests (`approvals`), or
   * that an approval started (`followUp`): the dashboard's approvals page.
   * Matched on the stored JSON's key (text inside it is escaped, so cannot fake it).
   */
  has?: "approvals" | "followUp";
  /** Runs strictly older than this (the previous page's last run). */
  before?: { createdAt: number; id: string };
  limit: number;
}

export interface RunsPage {
  runs: RunRecord[];
  /** The last run of this page, when there may be more. */
  next?: { createdAt: number; id: string };
}

export async function readRunsPage(db: Db, o: RunsPageOptions): Promise<RunsPage> {
  if (o.repos && o.repos.length === 0) return { runs: [] };
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (o.agent) (where.push("agent = ?"), params.push(o.agent));
  if (o.status) (where.push("status = ?"), params.push(o.status));
  if (o.threadKey) (where.push("thread_key = ?"), params.push(o.threadKey));
  if (o.repo) (where.push("repo_key = ?"), params.push(repoKey(o.repo)));
  if (o.repos) (where.push(`repo_key IN (${o.repos.map(() => "?").join(", ")})`), params.push(...o.repos.map(repoKey)));
  if (o.has === "approvals") where.push(`outcome LIKE '%"approvals":%'`);
  if (o.has === "followUp") where.push(`plan LIKE '%"followUp":%'`);
  if (o.before) {
    // The bound first on its own, so both backends read it as a range of the (created_at, id) index.
    where.push("created_at <= ? AND (created_at < ? OR id < ?)");
    params.push(o.before.createdAt, o.before.createdAt, o.before.id);
  }
  const rows = await db.all(
    `SELECT * FROM gc_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id DESC LIMIT ?`,
    [...params, o.limit + 1],
  );
  const runs = rows.slice(0, o.limit).map(toRun);
  const last = runs[runs.length - 1];
  return rows.length > o.limit && last ? { runs, next: { createdAt: last.createdAt, id: last.id } } : { runs };
}

/** The repositories that have runs (one index probe each: a loose scan of gc_runs_repo_created). */
export async function readRunRepos(db: Db): Promise<string[]> {
  const rows = await db.all(
    `WITH RECURSIVE repos (k) AS (
       SELECT (SELECT repo_key FROM gc_runs WHERE repo_key > '' ORDER BY repo_key LIMIT 1)
       UNION ALL
       SELECT (SELECT repo_key FROM gc_runs WHERE repo_key > r.k ORDER BY repo_key LIMIT 1) FROM repos r WHERE r.k IS NOT NULL
     )
     SELECT k FROM repos WHERE k IS NOT NULL`,
  );
  return rows.map((r) => String(r.k));
}
