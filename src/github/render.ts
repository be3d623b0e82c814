/** What the tracking comment says while a run works and when it ends. */
import type { RunReport } from "../gateway/types.js";
import { formatUsd } from "../runner/cost.js";
import { neutralizeAgentText } from "./agent-text.js";
import { oneLine } from "../util/terminal-text.js";
import { validSessionId } from "../util/session-id.js";
import { sessionMarker } from "./marker.js";
import { gatewayLines } from "./render-cost.js";
import { COMMENT_LIMIT, chunkText } from "./split.js";

export type RunOutcome = "succeeded" | "failed" | "timed_out" | "cancelled" | "budget_exceeded" | "disk_exceeded" | "awaiting_approval";

export interface RunSummary {
  agent: string;
  status: RunOutcome;
  answer?: string;
  changedFiles?: string[];
  branch?: { name: string; url?: string };
  pullRequest?: { number: number; url: string };
  durationMs?: number;
  usage?: { inputTokens?: number; outputTokens?: number; costUsd?: number };
  /** The run gateway's account: tokens and cost (over `usage`), blocked connections, the cap that stopped it. */
  gateway?: RunReport;
  runUrl?: string;
  /** Runtime session to resume on a follow-up; written as a hidden marker. */
  sessionId?: string;
  /** Approval requests this run opened. */
  approvals?: { number: number; url: string }[];
  /** For failures: what went wrong and what the user can do. */
  error?: { message: string; hint?: string };
}

/** Answers longer than this (characters or lines) are folded into <details>. */
export const FOLD_CHARS = 3000;
export const FOLD_LINES = 40;
const MAX_LISTED_FILES = 30;

const HEADLINE: Record<RunOutcome, string> = {
  succeeded: "✅ **{agent}** finished",
  failed: "❌ **{agent}** failed",
  timed_out: "⏱️ **{agent}** timed out",
  cancelled: "🚫 **{agent}** was cancelled",
  budget_exceeded: "💸 **{agent}** stopped at its budget",
  disk_exceeded: "💾 **{agent}** stopped at its disk limit",
  awaiting_approval: "⏸️ **{agent}** is waiting for approval",
};

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

function runLink(url: string | undefined): string {
  return url ? ` · [workflow run](${url})` : "";
}

/** One line of agent-reported status, kept short and on one line. */
function statusLine(status: string): string {
  const flat = neutralizeAgentText(status).replace(/\s+/g, " ").trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

export function renderWorking(agent: string, marker: string, runUrl?: string, status?: string): string {
  const lines = [`⏳ **${agent}** is working on it…${runLink(runUrl)}`];
  if (status && status.trim()) lines.push(`> ${statusLine(status)}`);
  lines.push(marker);
  return lines.join("\n\n");
}

function header(s: RunSummary): string {
  const took = s.durationMs !== undefined ? ` in ${formatDuration(s.durationMs)}` : "";
  return `${HEADLINE[s.status].replace("{agent}", s.agent)}${took}${runLink(s.runUrl)}`;
}

/**
 * Error text can be anything (a container log, a GitHub error echoing a
 * body): bounded, so the final comment always fits and never stays "working".
 */
export const ERROR_CHARS = 8_000;

function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}… [${text.length - cut} more characters cut]`;
}

function errorBlock(s: RunSummary): string {
  if (!s.error) return "";
  // On one line each: an error can quote what the agent named (a file), which must not start a paragraph of its own.
  const flat = (text: string) => neutralizeAgentText(text).replace(/\s*[\r\n\u2028\u2029]\s*/g, " ");
  const lines = [`**What went wrong:** ${bounded(flat(s.error.message), ERROR_CHARS)}`];
  if (s.error.hint) lines.push(`**What to do:** ${bounded(flat(s.error.hint), ERROR_CHARS / 4)}`);
  return lines.join("\n\n");
}

/**
 * A name the agent chose (a file, a branch), as inline code on one line: its
 * line breaks and control characters shown as escapes (a name cannot start a
 * line, a paragraph or a list of its own), no backtick to end the code early,
 * and no HTML comment (a gitcrew marker's form).
 */
function codeName(name: string): string {
  return `\`${neutralizeAgentText(oneLine(name)).replace(/`/g, "'")}\``;
}

function footer(s: RunSummary): string {
  const lines: string[] = [];
  const files = s.changedFiles ?? [];
  if (files.length > 0) {
    const shown = files.slice(0, MAX_LISTED_FILES).map(codeName);
    const more = files.length > MAX_LISTED_FILES ? ` and ${files.length - MAX_LISTED_FILES} more` : "";
    lines.push(`**Changed files (${files.length}):** ${shown.join(", ")}${more}`);
  }
  const links: string[] = [];
  if (s.branch) links.push(`**Branch:** ${s.branch.url ? `[${codeName(s.branch.name)}](${s.branch.url})` : codeName(s.branch.name)}`);
  if (s.pullRequest) links.push(`**Pull request:** [#${s.pullRequest.number}](${s.pullRequest.url})`);
  if (links.length) lines.push(links.join(" · "));
  if (s.approvals?.length) lines.push(`**Approval requested:** ${s.approvals.map((a) => `[#${a.number}](${a.url})`).join(", ")} — merging it approves, closing it rejects.`);
  const gw = gatewayLines(s.gateway, s.agent, s.status === "budget_exceeded" && s.error !== undefined);
  lines.push(...gw.notes);
  const u = s.usage;
  if (gw.cost) lines.push(gw.cost);
  else if (u && (u.inputTokens !== undefined || u.outputTokens !== undefined || u.costUsd !== undefined)) {
    const bits: string[] = [];
    if (u.inputTokens !== undefined || u.outputTokens !== undefined) {
      bits.push(`tokens: ${(u.inputTokens ?? 0).toLocaleString("en-US")} in / ${(u.outputTokens ?? 0).toLocaleString("en-US")} out`);
    }
    if (u.costUsd !== undefined) bits.push(`cost: ${formatUsd(u.costUsd)}`);
    lines.push(`<sub>${bits.join(" · ")}</sub>`);
  }
  // Only an id the next run may pass to its resume flag (never one read as an option).
  if (validSessionId(s.sessionId)) lines.push(sessionMarker(s.agent, s.sessionId));
  return lines.join("\n\n");
}

function details(summary: string, text: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${text}\n\n</details>`;
}

function isLong(text: string): boolean {
  return text.length > FOLD_CHARS || text.split("\n").length > FOLD_LINES;
}

/**
 * The final tracking comment, as one body or, above GitHub's limit, several:
 * the first keeps the headline, errors and links; the answer continues in
 * further comments, each part folded on its own. Every part has the marker.
 */
export function renderFinal(s: RunSummary, marker: string, limit = COMMENT_LIMIT): string[] {
  // The agent's words can never write a gitcrew marker (agent-text.ts).
  const answer = neutralizeAgentText(s.answer ?? "").trim();
  const top = [header(s), errorBlock(s)].filter(Boolean).join("\n\n");
  const bottom = footer(s);
  const join = (...blocks: string[]) => blocks.filter(Boolean).join("\n\n");
  const lines = answer.split("\n").length;
  const inline = answer && isLong(answer) ? details(`Answer (${lines} lines)`, answer) : answer;
  const single = join(top, inline, bottom, marker);
  if (single.length <= limit) return [single];

  const budget = limit - join(top, bottom, marker).length - 600;
  const chunks = chunkText(answer, budget);
  const n = chunks.length;
  return chunks.map((chunk, i) => {
    const part = details(`Answer, part ${i + 1} of ${n}`, chunk);
    if (i === 0) return join(top, part, `<sub>The answer continues in the next ${n - 1} comment(s).</sub>`, bottom, marker);
    return join(`<sub>**${s.agent}**'s answer, continued (${i + 1}/${n})</sub>`, part, marker);
  });
}
