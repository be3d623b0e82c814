/**
 * Approval requests as the dashboard shows them, read from the store alone
 * (no GitHub call per request): each finished run's stored outcome lists the
 * requests it opened (their PRs); what became of each PR is recorded when
 * gitcrew resolves it (store.approvalDecisions: rejected, approved, merged
 * by someone who does not count); a run an approval started (plan.followUp)
 * names the run it went on with. Who may decide comes from the crew.
 * Requests of runs finished before decisions were recorded
 * (outcome.decisionsRecorded unset) have their PR's state asked of GitHub
 * (withPullDecisions), remembered once final.
 */
import type { Approvers } from "../../crew/types.js";
import { repoKey } from "../../store/repo-key.js";
import type { RunRecord, Store } from "../../store/types.js";
import type { ApprovalDecision } from "../../store/approval-decisions.js";
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

/**
 * Views whose PR state the store cannot tell (their run finished before
 * decisions were recorded): only these are asked of GitHub. A symbol key,
 * so it never reaches the JSON answer.
 */
const ASK_GITHUB = Symbol("pull state not in the store");
type Viewed = ApprovalView & { [ASK_GITHUB]?: true };

/** The requests one run opened, with who may decide them and what was decided when known. */
export function approvalsOfRun(run: RunRecord, approvers: string[], decisions: Map<string, Decision>, recorded: Map<string, ApprovalDecision> = new Map()): ApprovalView[] {
  return (run.outcome?.approvals ?? []).map((a, i) => {
    const k = key(run.repo, a.pr.number);
    const d = decisions.get(k);
    const r = recorded.get(k);
    const approved = d || r?.decision === "approved";
    const by = d?.decidedBy ?? r?.by;
    const state = approved ? "approved" : r?.decision === "rejected" ? "closed" : r?.decision === "not-counted" ? "merged" : run.status === "awaiting_approval" ? "open" : "unknown";
    const view: Viewed = {
      id: `${run.id}/${i + 1}`,
      repo: run.repo,
      agent: run.agent,
      runId: run.id,
      kind: a.kind,
      reason: a.reason,
      pr: { number: a.pr.number, url: a.pr.url, state },
      approvers,
      ...(approved ? { decision: "approved" as const } : r?.decision === "rejected" ? { decision: "rejected" as const } : {}),
      ...((approved || r?.decision === "rejected") && by ? { decidedBy: by } : {}),
      ...(d ? { followUpRunId: d.runId } : {}),
      createdAt: run.finishedAt ?? run.createdAt,
    };
    if (!r && !d && !run.outcome?.decisionsRecorded) view[ASK_GITHUB] = true;
    return view;
  });
}

/** The recorded decisions of these runs' requests, by `owner/name#N` (lower case): one query per repository. */
async function recordedDecisions(store: Store, runs: RunRecord[]): Promise<Map<string, ApprovalDecision>> {
  const pulls = new Map<string, { repo: string; numbers: number[] }>();
  for (const run of runs) {
    for (const a of run.outcome?.approvals ?? []) {
      const p = pulls.get(repoKey(run.repo)) ?? { repo: run.repo, numbers: [] };
      p.numbers.push(a.pr.number);
      pulls.set(repoKey(run.repo), p);
    }
  }
  const out = new Map<string, ApprovalDecision>();
  for (const { repo, numbers } of pulls.values()) for (const d of await store.approvalDecisions.of(repo, numbers)) out.set(key(repo, d.pull), d);
  return out;
}

export function approversFor(repo: string, crews: CrewView[]): string[] {
  return crews.find((c) => c.repo.toLowerCase() === repo.toLowerCase())?.approvers ?? [];
}

/** Recent runs' approval requests: `open` = undecided requests of runs still awaiting approval. */
export async function storedApprovals(store: Store, state: "open" | "all", crews: CrewView[]): Promise<ApprovalView[]> {
  const [asked, followUps] = await Promise.all([store.runsPage({ has: "approvals", limit: RUNS_READ }), store.runsPage({ has: "followUp", limit: RUNS_READ })]);
  const decisions = decisionsOf(followUps.runs);
  const recorded = await recordedDecisions(store, asked.runs);
  const all = asked.runs.flatMap((run) => approvalsOfRun(run, approversFor(run.repo, crews), decisions, recorded));
  return state === "all" ? all : all.filter((a) => !a.decision && a.pr.state === "open");
}

/** One run's requests, for its page. */
export async function runApprovals(store: Store, run: RunRecord, crews: CrewView[]): Promise<ApprovalView[]> {
  if (!run.outcome?.approvals?.length) return [];
  const followUps = await store.runsPage({ has: "followUp", repo: run.repo, limit: RUNS_READ });
  return approvalsOfRun(run, approversFor(run.repo, crews), decisionsOf(followUps.runs), await recordedDecisions(store, [run]));
}

/**
 * Requests of runs from before decisions were recorded, still open by the
 * store's account, whose PR was closed since: rejected (not merged) or
 * merged (gitcrew's judgement pending). The others are never asked.
 */
export async function withPullDecisions(views: ApprovalView[], pullState: ((repo: string, n: number) => Promise<PullState>) | undefined): Promise<ApprovalView[]> {
  if (!pullState) return views;
  const asked = views.filter((v) => (v as Viewed)[ASK_GITHUB] && !v.decision && v.pr.state === "open" && v.pr.number > 0).slice(0, PULLS_ASKED);
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
