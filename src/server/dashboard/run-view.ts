/**
 * Runs as the dashboard shows them: the summary `gitcrew ps` shows, plus
 * what the stored plan (a RunJob) says about the trigger and the branch.
 * Plans of other shapes (older rows, test pipelines) just show less.
 */
import type { RunRecord } from "../../store/types.js";
import { summary, type RunSummary } from "../api.js";

export interface RunRow extends RunSummary {
  trigger: { actor: string; event: string; url?: string };
  branch?: string;
  pullRequest?: { number: number; url: string };
  durationMs?: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : undefined);
const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

function job(run: RunRecord): { trigger?: Obj; planned?: Obj; note?: string } {
  const plan = obj(run.plan);
  return { trigger: obj(plan?.trigger), planned: obj(plan?.planned), note: text(plan?.note) };
}

export function runRow(run: RunRecord): RunRow {
  const { trigger, planned } = job(run);
  const actor = text(obj(trigger?.actor)?.login) ?? "";
  const event = text(trigger?.kind) ?? text(trigger?.event) ?? "";
  const url = text(obj(trigger?.comment)?.url) ?? text(obj(trigger?.thread)?.url);
  const branch = run.outcome?.branch ?? text(planned?.branch);
  const pr = run.outcome?.pullRequest;
  const began = run.startedAt ?? run.claimedAt;
  return {
    ...summary(run),
    trigger: { actor, event, ...(url && /^https?:\/\//.test(url) ? { url } : {}) },
    ...(branch ? { branch } : {}),
    ...(pr ? { pullRequest: { number: pr.number, url: pr.url } } : {}),
    ...(began !== undefined && run.finishedAt !== undefined ? { durationMs: Math.max(0, run.finishedAt - began) } : {}),
  };
}

/** One run in full: the plan entry (as `gitcrew dry-run --json` shows a run), its prompt and container. */
export function runDetail(run: RunRecord): Record<string, unknown> {
  const { trigger, planned, note } = job(run);
  const o = run.outcome;
  const entry = planned ? { agent: planned.agent, reason: planned.reason, prompt: planned.prompt, container: planned.container, branch: planned.branch, ref: planned.ref, untrusted: planned.untrusted } : undefined;
  return {
    run: runRow(run),
    plan: trigger || entry ? { trigger: trigger ?? null, runs: entry ? [entry] : [], ...(note ? { note } : {}) } : null,
    prompt: text(planned?.prompt) ?? null,
    container: obj(planned?.container) ?? null,
    // What the run left (stored when it finished; absent for runs finished before the store kept it).
    ...(o?.answer !== undefined ? { answer: o.answer } : {}),
    ...(o?.changedFiles ? { changedFiles: o.changedFilesMore ? [...o.changedFiles, `+${o.changedFilesMore} more`] : o.changedFiles } : {}),
    ...(o?.changedFilesMore ? { changedFilesMore: o.changedFilesMore } : {}),
    approvals: [],
  };
}
