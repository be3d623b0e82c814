/**
 * The gateway's part of a final comment: tokens and cost, what was blocked,
 * and for a run stopped at a cap, which cap, what was spent and how to raise
 * it. Hosts and model names come from the agent's requests: they are kept
 * to a host's or model id's characters and shown as code.
 */
import type { BudgetExceeded, Refusal, RunReport } from "../gateway/types.js";
import { type RunCost, formatUsd, runCostOf, tokensText, usdText } from "../runner/cost.js";

const MAX_HOSTS = 5;

export function costLine(cost: RunCost): string {
  return `<sub>tokens: ${tokensText(cost)} · cost: ${usdText(cost)}</sub>`;
}

function hostOf(r: Refusal): string {
  const host = r.host.replace(/[^A-Za-z0-9.:[\]-]/g, "?").slice(0, 100) || "?";
  return r.port === 443 || r.port === 80 || !r.port ? host : `${host}:${r.port}`;
}

const times = (k: number, what: string) => `${k} ${what}${k === 1 ? "" : "s"}`;

/** "**Blocked:** 3 requests to `evil.example`, 1 request to `x.test:8080`" (most first). */
export function blockedLine(refusals: Refusal[], notRecorded = 0): string | undefined {
  const egress = refusals.filter((r) => r.kind === "egress");
  if (egress.length === 0 && notRecorded === 0) return undefined;
  const byHost = new Map<string, number>();
  for (const r of egress) byHost.set(hostOf(r), (byHost.get(hostOf(r)) ?? 0) + 1);
  const sorted = [...byHost].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const parts = sorted.slice(0, MAX_HOSTS).map(([host, k]) => `${times(k, "request")} to \`${host}\``);
  if (sorted.length > MAX_HOSTS) parts.push(`${times(sorted.length - MAX_HOSTS, "other host")}`);
  if (notRecorded > 0) parts.push(`${times(notRecorded, "more refusal")} not itemised`);
  return `**Blocked:** ${parts.join(", ")} (not on the agent's \`limits.network.allow\`)`;
}

/** GitHub requests from inside that the gateway refused (writes, pushes): counted, never quoted (their paths are the agent's). */
export function githubRefusedLine(refusals: Refusal[]): string | undefined {
  const n = refusals.filter((r) => r.kind === "github").length;
  if (n === 0) return undefined;
  return `**Refused on GitHub:** ${times(n, "request")} from inside the run (agents read GitHub; writes and pushes are gitcrew's, after the run)`;
}

/** Model requests refused for what they asked the provider to reach (provider-egress.ts): counted, with what would allow them, never quoted. */
export function providerRefusedLine(refusals: Refusal[]): string | undefined {
  const reasons = refusals.filter((r) => r.kind === "model" && r.reason.startsWith("provider egress:")).map((r) => r.reason);
  if (reasons.length === 0) return undefined;
  const hints = [
    reasons.some((r) => r.includes("allow preset:web-search")) && "web search needs `preset:web-search`",
    reasons.some((r) => r.includes("allow preset:web-fetch")) && "fetching URLs `preset:web-fetch`",
    reasons.some((r) => r.includes("not on this agent's limits.network allow list")) && "an MCP server or a URL the provider fetches, its host on the list",
  ].filter(Boolean);
  const why = hints.length > 0 ? `; in \`limits.network.allow\`, ${hints.join(", ")}` : "";
  return `**Refused by the gateway:** ${times(reasons.length, "model request")} asking the model provider to reach the web for the agent${why}`;
}

const CAP_NAME: Record<BudgetExceeded["scope"], string> = {
  run: "the run's budget",
  agent_day: "the agent's budget for the day (UTC)",
  thread: "this thread's budget",
};

function amount(x: { tokens?: number; usd?: number }): string {
  const parts: string[] = [];
  if (x.usd !== undefined) parts.push(formatUsd(x.usd));
  if (x.tokens !== undefined) parts.push(`${x.tokens.toLocaleString("en-US")} tokens`);
  return parts.join(" / ");
}

/** Which cap stopped the run, what had been spent, and where to raise it. */
export function budgetBlock(b: BudgetExceeded, agent: string): string {
  const raise =
    b.scope === "run"
      ? `raise \`limits.budget\` in the agent's file (within \`ceilings\` in .gitcrew/crew.cue)`
      : b.scope === "agent_day"
        ? `raise \`budgets.agent_day\` (or \`budgets.agents.${agent}.agent_day\`) in .gitcrew/crew.cue, or wait for the next UTC day`
        : "raise `budgets.thread` in .gitcrew/crew.cue";
  const spent = `${formatUsd(b.spent.usd)} / ${b.spent.tokens.toLocaleString("en-US")} tokens`;
  return `**Budget reached:** ${CAP_NAME[b.scope]} of ${amount(b.limit)}; spent ${spent}. To go on, ${raise}, then comment again.`;
}

/** Lines for the final comment's footer (empty without a gateway report). */
export function gatewayLines(report: RunReport | undefined, agent: string, stated = false): { notes: string[]; cost?: string } {
  if (!report) return { notes: [] };
  const notes: string[] = [];
  // `stated`: the run's error already says which cap stopped it (the runner's reason).
  if (report.budgetExceeded && !stated) notes.push(budgetBlock(report.budgetExceeded, agent));
  const blocked = blockedLine(report.refusals, report.refusalsNotRecorded);
  if (blocked) notes.push(blocked);
  const github = githubRefusedLine(report.refusals);
  if (github) notes.push(github);
  const provider = providerRefusedLine(report.refusals);
  if (provider) notes.push(provider);
  const cost = runCostOf(report);
  return { notes, ...(cost ? { cost: costLine(cost) } : {}) };
}
