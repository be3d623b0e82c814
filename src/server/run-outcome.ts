/**
 * What a finished run leaves for the dashboard, bounded: the answer as posted
 * in the thread (the runner masked the secrets in it), the changed files, the
 * pull request and the approval requests it opened.
 */
import { neutralizeAgentText } from "../github/agent-text.js";
import type { RunReport } from "../pipeline/types.js";
import type { RunOutcomeDetail } from "../store/types.js";

/** Characters of an answer kept (64 KiB): a record stays small; the whole output is in the run's log. */
export const ANSWER_KEPT = 65_536;
/** Changed file paths kept; the rest is counted. */
export const FILES_KEPT = 1_000;

export function runOutcomeOf(report: RunReport): RunOutcomeDetail | undefined {
  const r = report.result;
  const answer = r ? neutralizeAgentText(r.answer ?? "").trim() : "";
  const files = r?.changedFiles ?? [];
  const out: RunOutcomeDetail = {
    ...(answer ? { answer: answer.length > ANSWER_KEPT ? `${answer.slice(0, ANSWER_KEPT)}\n\n[… answer cut]` : answer } : {}),
    ...(files.length ? { changedFiles: files.slice(0, FILES_KEPT) } : {}),
    ...(files.length > FILES_KEPT ? { changedFilesMore: files.length - FILES_KEPT } : {}),
    ...(r?.branch && r.commit ? { branch: r.branch } : {}),
    ...(report.pullRequest ? { pullRequest: { number: report.pullRequest.number, url: report.pullRequest.url } } : {}),
    ...(report.approvals.length
      ? {
          approvals: report.approvals.map((a) => ({ kind: a.kind ?? "", reason: a.reason ?? "", pr: { number: a.number, url: a.url } })),
          // This server records what becomes of them (approvalDecisions): the dashboard need not ask GitHub.
          decisionsRecorded: true,
        }
      : {}),
  };
  return Object.keys(out).length ? out : undefined;
}
