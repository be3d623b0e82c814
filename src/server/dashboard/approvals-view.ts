/**
 * Approval requests as the dashboard shows them, read from the store alone
 * (no GitHub call per request): each finished run's stored outcome lists the
 * requests it opened (their PRs); a run an approval started (plan.followUp)
 * says which PR was approved and by whom. Who may decide comes from the crew.
 * A request closed without merging leaves nothing in the store: its PR's
 * state is asked of GitHub (withPullDecisions), and remembered once final.
 */
import type { Approvers } from "../../crew/types.js";
import { repoKey } from "../../store/repo-key.js";
import type { RunRecord, Store } from "../../store/types.js";
import type { ApprovalView, CrewView, PullState } from "./routes.js";

/** Most runs read per list (newest first): the page shows recent requests. */
const RUNS_READ = 200;

export interface Decision {
  decision: "approved";
  decidedBy?: string;
  runId: string;
}

/** crew.cue's approvers in words; with none listed, maintainers decide (approvals/approvers.ts). */
export function approverNames(a: Approvers): string[] {
  const names = [...a.users.map((u) => `@${u}`), ...a.teams.map((t) => `@${t}`), ...(a.codeowners ? ["CODEOWNERS of the touched paths"] : [])];
  return names.length ? names : ["maintainers (maintain or admin)"];
}

const key = (repo: string, pr: number) => `${repoKey(repo)}#${pr}`;

/** The PRs approvals went on from: `owner/name#N` (lower case) → who approved and the run it started. */
export function decisionsOf(followUps: RunRecord[]): Map<string, Decision> {
  const out = new Map<string, Decision>();
  for (const run of followUps) {
    const plan = run.plan as { followUp?: { pull?: unknown }; note?: unknown } | null;
    const pull = plan?.followUp?.pull;
    if (typeof pull !== "number") continue;
    const by = typeof plan?.note === "string" ? /\bby @([A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?)/.exec(plan.note)?.[1] : undefined;
    if (!out.has(key(run.repo, pull))) out.set(key(run.repo, pull), { decision: "approved", runId: run.id, ...(by ? { decidedBy: by } : {}) });
  }
  return out;
}

/** The requests one run opened, with who may decide them and what was decided when known. */
export function approvalsOfRun(run: RunRecord, approvers: string[], decisions: Map<string, Decision>): ApprovalView[] {
  return (run.outcome?.approvals ?? []).map((a, i) => {
    const d = decisions.get(key(run.repo, a.pr.number));
    return {
      id: `${run.id}/${i + 1}`,
      repo: run.repo,
      agent: run.agent,
      runId: run.id,
      kind: a.kind,
      reason: a.reason,
      pr: { number: a.pr.number, url: a.pr.url, state: d ? "approved" : run.status === "awaiting_approval" ? "open" : "unknown" },
      approvers,
      ...(d ? { decision: d.decision, ...(d.decidedBy ? { decidedBy: d.decidedBy } : {}), followUpRunId: d.runId } : {}),
      createdAt: run.finishedAt ?? run.createdAt,
    };
  });
}

export function approversFor(repo: string, crews: CrewView[]): string[] {
  return crews.find((c) => c.repo.toLowerCase() === repo.toLowerCase())?.approvers ?? [];
}

/** Recent runs' approval requests: `open` = undecided requests of runs still awaiting approval. */
export async function storedApprovals(store: Store, state: "open" | "all", crews: CrewView[]): Promise<ApprovalView[]> {
  const [asked, followUps] = await Promise.all([store.runsPage({ has: "approvals", limit: RUNS_READ }), store.runsPage({ has: "followUp", limit: RUNS_READ })]);
  const decisions = decisionsOf(followUps.runs);
  const all = asked.runs.flatMap((run) => approvalsOfRun(run, approversFor(run.repo, crews), decisions));
  return state === "all" ? all : all.filter((a) => !a.decision && a.pr.state === "open");
}

/** One run's requests, for its page. */
export async function runApprovals(store: Store, run: RunRecord, crews: CrewView[]): Promise<ApprovalView[]> {
  if (!run.outcome?.approvals?.length) return [];
  const followUps = await store.runsPage({ has: "followUp", repo: run.repo, limit: RUNS_READ });
  return approvalsOfRun(run, approversFor(run.repo, crews), decisionsOf(followUps.runs));
}

/** Requests still open by the store's account whose PR was closed since: rejected (not merged) or merged (gitcrew's judgement pending). */
export async function withPullDecisions(views: ApprovalView[], pullState: ((repo: string, n: number) => Promise<PullState>) | undefined): Promise<ApprovalView[]> {
  if (!pullState) return views;
  const asked = views.filter((v) => !v.decision && v.pr.state === "open" && v.pr.number > 0).slice(0, PULLS_ASKED);
  const states = await Promise.all(asked.map((v) => pullState(v.repo, v.pr.number).catch(() => undefined)));
  const found = new Map(asked.map((v, i) => [v, states[i]]));
  return views.map((v) => {
    const state = found.get(v);
    if (state === "closed") return { ...v, pr: { ...v.pr, state: "closed" }, decision: "rejected" as const };
    if (state === "merged") return { ...v, pr: { ...v.pr, state: "merged" } };
    return v;
  });
}

/** Open requests whose PR state is asked per list (the rest show as the store knows them). */
const PULLS_ASKED = 50;

/** `pullState` remembering final answers (closed, merged; bounded): open is asked again next time. */
export function rememberingFinal(pullState: (repo: string, n: number) => Promise<PullState>): (repo: string, n: number) => Promise<PullState> {
  const final = new Map<string, PullState>();
  return async (repo, n) => {
    const k = key(repo, n);
    const known = final.get(k);
    if (known) return known;
    const state = await pullState(repo, n);
    if (state !== "open") {
      if (final.size >= 10_000) final.clear();
      final.set(k, state);
    }
    return state;
  };
}

/** What `?state=open` lists: undecided requests whose PR is still open. */
export const isOpen = (a: ApprovalView): boolean => !a.decision && a.pr.state === "open";
