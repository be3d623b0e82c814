/**
 * A PlannedRun for one agent and a prompt typed on the command line
 * (`gitcrew run`): no trigger, no authorisation, the checkout's HEAD.
 */
import type { Agent, PriceOverride, SharedBudgets } from "../crew/types.js";
import { containerSpec } from "../plan/container.js";
import type { PlannedRun } from "../plan/types.js";

export interface LocalRunInput {
  agent: Agent;
  prompt: string;
  runId: string;
  /** Label for the repo (folder name). */
  repo: string;
  /** Ref to check out; HEAD by default. */
  ref?: string;
  branchPrefix?: string;
  resumeSession?: string;
  /** crew.cue `budgets`. */
  budgets?: SharedBudgets;
  /** crew.cue `prices`. */
  prices?: Record<string, PriceOverride>;
  /** crew.cue `presets`. */
  presets?: Record<string, string[]>;
}

export function planLocalRun(i: LocalRunInput): PlannedRun {
  const threadKey = `${i.repo}@local:${i.runId}`;
  const branch = `${(i.branchPrefix ?? "gitcrew").replace(/\/+$/, "")}/${i.agent.name}/${i.runId}`;
  return {
    agent: i.agent.name,
    reason: "gitcrew run",
    prompt: i.prompt,
    threadKey,
    branch,
    ref: i.ref ?? "HEAD",
    container: containerSpec({ agent: i.agent, prompt: i.prompt, repo: i.repo, threadKey, branch, resumeSession: i.resumeSession, budgets: i.budgets, prices: i.prices, presets: i.presets }),
    untrusted: [],
  };
}
