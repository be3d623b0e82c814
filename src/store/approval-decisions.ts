/**
 * What became of approval pull requests, as gitcrew resolved them
 * (approvals/resolve-pull.ts, on the webhook or by reconcile): rejected
 * (closed without merging), approved, or merged by someone who does not count.
 * The repository keeps the truth (refs/gitcrew/*); this copy lets the
 * dashboard show decisions without asking GitHub per request. One row per
 * pull request; a later resolution of the same PR (reopened, then merged)
 * replaces the earlier one.
 */
import type { Db } from "./db.js";
import { repoKey } from "./repo-key.js";

export type ApprovalDecisionKind = "approved" | "rejected" | "not-counted";

export interface ApprovalDecision {
  /** `owner/name` (compared case-insensitively). */
  repo: string;
  pull: number;
  decision: ApprovalDecisionKind;
  /** Who closed or merged it, when known (a GitHub login). */
  by?: string;
  at: number;
}

export interface ApprovalDecisions {
  record(d: ApprovalDecision): Promise<void>;
  /** The decisions recorded for these pull requests of `repo` (absent: none recorded). */
  of(repo: string, pulls: number[]): Promise<ApprovalDecision[]>;
}

const KINDS: readonly string[] = ["approved", "rejected", "not-counted"];
/** Pull numbers asked in one statement. */
const CHUNK = 500;

export class SqlApprovalDecisions implements ApprovalDecisions {
  constructor(private readonly db: Db) {}

  async record(d: ApprovalDecision): Promise<void> {
    await this.db.run(
      `INSERT INTO gc_approval_decisions (repo_key, pull, repo, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo_key, pull) DO UPDATE SET repo = excluded.repo, decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at`,
      [repoKey(d.repo), d.pull, d.repo, d.decision, d.by ?? null, d.at],
    );
  }

  async of(repo: string, pulls: number[]): Promise<ApprovalDecision[]> {
    const wanted = [...new Set(pulls.filter((n) => Number.isSafeInteger(n) && n > 0))];
    const out: ApprovalDecision[] = [];
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const part = wanted.slice(i, i + CHUNK);
      const rows = await this.db.all(
        `SELECT repo, pull, decision, decided_by, decided_at FROM gc_approval_decisions WHERE repo_key = ? AND pull IN (${part.map(() => "?").join(", ")})`,
        [repoKey(repo), ...part],
      );
      for (const r of rows) {
        if (!KINDS.includes(String(r.decision))) continue;
        out.push({
          repo: String(r.repo),
          pull: Number(r.pull),
          decision: String(r.decision) as ApprovalDecisionKind,
          ...(r.decided_by === null || r.decided_by === undefined ? {} : { by: String(r.decided_by) }),
          at: Number(r.decided_at),
        });
      }
    }
    return out;
  }
}
