/** The job summary: what was planned (and refused) and how each run ended. */
import * as core from "@actions/core";
import type { Plan } from "../plan/types.js";
import type { RunReport } from "../pipeline/types.js";
import { costCell } from "./cost-outputs.js";

type Summary = typeof core.summary;

/** A table cell is raw HTML in the summary: agent and stranger text in it is escaped. */
const cell = (text: string) => escapeHtml(text.replace(/\s*\n\s*/g, " ").slice(0, 300));

export function planSummary(plan: Plan, dryRun: boolean): Summary {
  const t = plan.trigger;
  const where = t.thread ? `${t.repo.fullName}#${t.thread.number}` : t.repo.fullName;
  const s = core.summary.addHeading(dryRun ? "gitcrew (dry run)" : "gitcrew", 3).addRaw(`${t.kind} by @${t.actor.login} on ${where}`, true);
  const rows = [
    ...plan.runs.map((r) => [r.agent, "runs", cell(r.reason)]),
    ...plan.skipped.filter((k) => k.code !== "not-addressed").map((k) => [k.agent, "skipped", cell(k.reason)]),
  ];
  if (rows.length) s.addTable([[{ data: "agent", header: true }, { data: "decision", header: true }, { data: "why", header: true }], ...rows]);
  return s;
}

export function resultSummary(s: Summary, reports: RunReport[]): Summary {
  if (!reports.length) return s;
  s.addHeading("Runs", 4);
  s.addTable([
    [
      { data: "agent", header: true },
      { data: "status", header: true },
      { data: "pull request", header: true },
      { data: "details", header: true },
      { data: "tokens · cost", header: true },
    ],
    ...reports.map((r) => [
      r.job.agent.name,
      r.status,
      // Not "": @actions/core writes an empty cell as an unclosed <td>.
      r.pullRequest ? `<a href="${r.pullRequest.url}">#${r.pullRequest.number}</a>` : "—",
      cell(r.error ? `${r.error.message}${r.error.hint ? ` — ${r.error.hint}` : ""}` : (r.result?.changedFiles.length ? `${r.result.changedFiles.length} file(s) changed` : "no changes")),
      cell(costCell(r)),
    ]),
  ]);
  return s;
}

/** Nothing ran (the crew does not load, the job stopped, an error before any run): what failed and what to do. */
export function failureSummary(status: string, message: string, hint?: string, problems: { file: string; line: number; column: number; message: string }[] = []): Summary {
  const s = core.summary.addHeading("gitcrew", 3).addRaw(`<b>${status}</b>: ${escapeHtml(message)}`, true);
  if (problems.length) s.addList(problems.slice(0, 20).map((p) => escapeHtml(`${p.file}:${p.line}:${p.column}: ${p.message}`)));
  if (hint) s.addRaw(`What to do: ${escapeHtml(hint)}`, true);
  return s;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
