/**
 * The shared caps a run is held to, from crew.cue's `budgets`: the agent's
 * day (UTC) and the thread's. Keys name what the ledger keeps, so every run
 * and every `serve` instance charging the same day or thread adds to one total.
 */
import type { Budget, CrewConfig } from "./types.js";

export interface SharedCap extends Budget {
  scope: "agent_day" | "thread";
  key: string;
}

/** `agent_day:<agent>:<YYYY-MM-DD>` of the UTC day of `now`. */
export function agentDayKey(agent: string, now: Date): string {
  return `agent_day:${agent}:${now.toISOString().slice(0, 10)}`;
}

/** `thread:<owner/repo>#<n>`. */
export function threadBudgetKey(repo: string, number: number): string {
  return `thread:${repo}#${number}`;
}

/** Caps of a run of `agent`, in the thread `repo#number` when it has one. */
export function sharedCaps(config: CrewConfig, agent: string, thread: { repo: string; number: number } | undefined, now: Date): SharedCap[] {
  const caps: SharedCap[] = [];
  const day = config.budgets.agents[agent]?.agent_day ?? config.budgets.agent_day;
  if (day && (day.tokens !== undefined || day.usd !== undefined)) caps.push({ scope: "agent_day", key: agentDayKey(agent, now), ...day });
  const t = config.budgets.thread;
  if (thread && t && (t.tokens !== undefined || t.usd !== undefined)) caps.push({ scope: "thread", key: threadBudgetKey(thread.repo, thread.number), ...t });
  return caps;
}
