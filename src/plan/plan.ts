/**
 * Trigger + Crew → Plan. Pure: everything that needs GitHub (permission,
 * thread history, sessions) is passed in, so the Action, the server and
 * `gitcrew dry-run` produce the same plan for the same event.
 */
import { BUILTIN_COMMANDS } from "../crew/checks.js";
import type { Agent, Crew } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import { authorize, isApprover, whoCanApprove, type Authority } from "../policy/authorize.js";
import { containerSpec } from "./container.js";
import { buildPrompt, type ThreadMessage } from "./prompt.js";
import { route } from "./route.js";
import type { ControlCommand, Plan, PlannedRun, Skipped } from "./types.js";

export interface PlanContext extends Authority {
  /** Earlier messages of the thread, oldest first. */
  history?: ThreadMessage[];
  /** Session id per agent from earlier runs in this thread, to resume. */
  sessions?: Record<string, string>;
  /** Files the pull request or push changed, when looked up. */
  changedFiles?: string[];
  /** Said first in every prompt (e.g. what an approval approved). */
  preface?: string;
}


export function threadKey(t: Trigger, agent: Agent): string {
  return t.thread ? `${t.repo.fullName}#${t.thread.number}` : `${t.repo.fullName}@${agent.name}`;
}

/**
 * The agent's own PR continues on its branch; otherwise `prefix/agent/number`.
 * A run on an approved fork head works on a branch of that head
 * (`prefix/agent/number-<sha7>`): it starts from exactly the vetted commit.
 */
export function branchFor(t: Trigger, agent: Agent, prefix: string, approvedShas: string[] = []): string {
  const own = `${prefix}/${agent.name}/`;
  const head = t.thread?.pr?.headRef;
  if (head && head.startsWith(own) && !t.thread?.pr?.fork) return head;
  const pinned = pinnedHead(t, approvedShas);
  if (pinned) return `${own}${pinned.pull}-${pinned.sha.slice(0, 7)}`;
  return t.thread ? `${own}${t.thread.number}` : `${own}{run}`;
}

/**
 * Same-repo PRs are worked on at their head. A fork PR's code is untrusted:
 * only a head sha an approver approved is checked out (the approval says "I
 * vetted this commit"); otherwise, the default branch.
 */
export function refFor(t: Trigger, approvedShas: string[] = []): string {
  const pr = t.thread?.pr;
  if (pr && !pr.fork && t.thread?.state !== "closed") return pr.headRef;
  return pinnedHead(t, approvedShas)?.sha ?? t.repo.defaultBranch;
}

/** The fork PR head this run was approved for, when it was. */
export function pinnedHead(t: Trigger, approvedShas: string[] = []): { pull: number; sha: string } | undefined {
  const pr = t.thread?.pr;
  if (!t.thread || !pr?.fork || !/^[0-9a-f]{7,64}$/.test(pr.headSha) || !approvedShas.includes(pr.headSha)) return undefined;
  return { pull: t.thread.number, sha: pr.headSha };
}

function controlCommands(t: Trigger, crew: Crew, ctx: PlanContext): ControlCommand[] {
  // A command edited into a comment later is not applied: /approve, /retry act once, when posted.
  if (t.edited) return [];
  return t.commands
    .filter((c): c is { name: (typeof BUILTIN_COMMANDS)[number]; args: string } => (BUILTIN_COMMANDS as readonly string[]).includes(c.name))
    .map((c) => {
      if (t.actor.type === "Bot") return { ...c, allowed: false, reason: `@${t.actor.login} is a bot` };
      if (c.name === "approve") {
        const ok = isApprover(t.actor.login, ctx, crew.config);
        return { ...c, allowed: ok, reason: ok ? `@${t.actor.login} is an approver` : `only ${whoCanApprove(crew.config)} can /approve` };
      }
      const ok = ctx.permission === "admin" || ctx.permission === "maintain" || ctx.permission === "write" || t.thread?.author === t.actor.login;
      return { ...c, allowed: ok, reason: ok ? `@${t.actor.login} may /${c.name} here` : `/${c.name} needs write permission or authorship of the thread` };
    });
}

export function plan(t: Trigger, crew: Crew, ctx: PlanContext): Plan {
  const runs: PlannedRun[] = [];
  const skipped: Skipped[] = [];
  for (const agent of crew.agents) {
    const r = route(agent, t, ctx.changedFiles);
    if (!r.addressed) {
      skipped.push({ agent: agent.name, reason: r.reason, code: r.code });
      continue;
    }
    const decision = authorize(agent, t, ctx, crew.config);
    if (!decision.ok) {
      skipped.push({ agent: agent.name, reason: `${r.reason}, but ${decision.reason}`, code: decision.code, ...(decision.who ? { requester: decision.who } : {}) });
      continue;
    }
    const branch = branchFor(t, agent, crew.config.branch_prefix, ctx.approvedShas);
    const ref = refFor(t, ctx.approvedShas);
    const pinned = pinnedHead(t, ctx.approvedShas);
    const key = threadKey(t, agent);
    const prompt = buildPrompt({ agent, trigger: t, branch, ref, history: ctx.history, changedFiles: ctx.changedFiles, preface: ctx.preface, gatedActions: crew.config.gated_actions });
    const resumeSession = ctx.sessions?.[agent.name];
    runs.push({
      agent: agent.name,
      reason: decision.note ? `${r.reason} (${decision.note})` : r.reason,
      prompt,
      threadKey: key,
      branch,
      ref,
      container: containerSpec({ agent, prompt, repo: t.repo.fullName, threadKey: key, branch, resumeSession, crewTree: crew.gitTree, budgets: crew.config.budgets, prices: crew.config.prices, presets: crew.config.presets }),
      untrusted: t.untrusted,
      ...(pinned ? { pinnedHead: pinned } : {}),
    });
  }
  return { trigger: t, runs, skipped, commands: controlCommands(t, crew, ctx) };
}
