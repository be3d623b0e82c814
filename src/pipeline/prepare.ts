/**
 * Event → jobs: normalise, look up on GitHub what the plan needs (actor's
 * permission, the PR behind a comment, thread history, changed files,
 * sessions), plan, and answer commands and refusals in the thread.
 */
import type { Crew } from "../crew/types.js";
import { normalize, withPullRequest } from "../events/normalize.js";
import { parseMentions, parseOrigin } from "../events/text.js";
import type { Trigger } from "../events/trigger.js";
import { plan as planFor, type PlanContext } from "../plan/plan.js";
import { crewRoutesEdits } from "../plan/route.js";
import type { ThreadMessage } from "../plan/prompt.js";
import type { Plan } from "../plan/types.js";
import { handleApprovalEvent, replyToRefusals } from "../approvals/index.js";
import { gitcrewLogins } from "./own-comments.js";
import { readSessions } from "./sessions.js";
import { repoId, type EventInput, type Prepared, type RunJob, type Services } from "./types.js";

/** Comments of the thread read into the prompt (newest kept). */
const HISTORY_COMMENTS = 50;

/** Fill in what the payload does not carry: the PR behind a comment, its changed files. */
export async function enrichTrigger(s: Services, t: Trigger): Promise<Trigger> {
  let trigger = t;
  const thread = trigger.thread;
  if (thread?.kind === "pull_request" && !thread.pr) {
    trigger = withPullRequest(trigger, await s.github.getPullRequest(repoId(trigger), thread.number));
  }
  if (trigger.thread?.kind === "pull_request" && !trigger.changedFiles) {
    const { files } = await s.github.listPullFiles(repoId(trigger), trigger.thread.number);
    trigger = { ...trigger, changedFiles: files.map((f) => f.filename) };
  }
  return trigger;
}

/** Permission, history and sessions for the plan; `extra` overrides (approvals). */
export async function planContext(s: Services, t: Trigger, extra: Partial<PlanContext> = {}): Promise<PlanContext> {
  // Schedules and pushes have no human actor to look up.
  const permission = t.event === "schedule" ? "none" : await s.github.permissionOf(repoId(t), t.actor.login);
  let history: ThreadMessage[] = [];
  let sessions: Record<string, string> = {};
  // gitcrew's own logins: only their comments' markers count (own-comments.ts), also for the loop guard.
  const selfLogins = await gitcrewLogins(s);
  if (t.thread) {
    const { comments } = await s.github.listComments(repoId(t), t.thread.number, { max: HISTORY_COMMENTS });
    const earlier = comments.filter((c) => c.id !== t.comment?.id);
    history = earlier.map((c) => ({ author: c.author, body: c.body, createdAt: c.createdAt }));
    // Only comments gitcrew's own login wrote, with its origin marker, can name a session.
    sessions = readSessions(earlier.filter((c) => selfLogins.includes(c.author.toLowerCase()) && parseOrigin(c.body)).map((c) => c.body));
  }
  return { permission, history, sessions, changedFiles: t.changedFiles, selfLogins, ...extra };
}

export function jobsOf(p: Plan, crew: Crew, note?: string): RunJob[] {
  return p.runs.flatMap((planned) => {
    const agent = crew.agents.find((a) => a.name === planned.agent);
    return agent ? [{ trigger: p.trigger, planned, agent, ...(note ? { note } : {}) }] : [];
  });
}

/** Plan one trigger against the crew with everything looked up from GitHub. */
export async function planTrigger(s: Services, t: Trigger, crew: Crew, extra: Partial<PlanContext> = {}): Promise<Plan> {
  const trigger = await enrichTrigger(s, t);
  return planFor(trigger, crew, await planContext(s, trigger, extra));
}

export async function prepareEvent(s: Services, input: EventInput, crew: Crew): Promise<Prepared> {
  const normalized = normalize(input.event, input.payload, { deliveryId: input.deliveryId, edits: crewRoutesEdits(crew.agents) });
  if (!normalized.ok) return { jobs: [], ignored: normalized.ignored, cancelThreads: [], replies: [] };
  const plan = await planTrigger(s, normalized.trigger, crew);
  const t = plan.trigger;
  const approval = await handleApprovalEvent(s, t, crew, plan);
  const replies = [...approval.replies];
  if (approval.handled) return { plan, jobs: approval.jobs, cancelThreads: [], replies };

  const cancelThreads: string[] = [];
  const retried: RunJob[] = [];
  for (const c of plan.commands) {
    if (c.name === "cancel" && c.allowed && t.thread) cancelThreads.push(`${t.repo.fullName}#${t.thread.number}`);
    if (c.name === "retry" && c.allowed && t.thread) {
      const again = await retryPlan(s, t, crew);
      if (again) retried.push(...jobsOf(again, crew, `retried by @${t.actor.login}`));
      else replies.push({ issue: t.thread.number, url: (await s.github.createComment(repoId(t), t.thread.number, `@${t.actor.login} nothing to retry: no earlier request in this thread addresses an agent.`)).url });
    }
    if (!c.allowed && t.thread) {
      const ref = await s.github.createComment(repoId(t), t.thread.number, `@${t.actor.login} \`/${c.name}\` was not applied: ${c.reason}.`);
      replies.push({ issue: t.thread.number, url: ref.url });
    }
  }
  replies.push(...(await replyToRefusals(s, plan, crew)));
  const jobs = [...approval.jobs, ...retried, ...jobsOf(plan, crew)];
  const ignored = jobs.length || cancelThreads.length ? undefined : plan.ignored ?? summarizeSkips(plan);
  return { plan, jobs, cancelThreads, replies, ...(ignored ? { ignored } : {}) };
}

/**
 * `/retry`: the thread's latest earlier human request that addresses an agent,
 * planned again as if the one retrying had asked it (their permission counts).
 */
async function retryPlan(s: Services, t: Trigger, crew: Crew): Promise<Plan | undefined> {
  const { comments } = await s.github.listComments(repoId(t), t.thread?.number ?? 0, { max: HISTORY_COMMENTS });
  const earlier = comments.filter((c) => c.id !== t.comment?.id && c.authorType !== "Bot" && !parseOrigin(c.body));
  for (const c of earlier.reverse()) {
    const mentions = parseMentions(c.body);
    if (mentions.length === 0) continue;
    const again = await planTrigger(s, { ...t, text: c.body, mentions, commands: [] }, crew);
    if (again.runs.length) return again;
  }
  return undefined;
}

function summarizeSkips(p: Plan): string {
  if (!p.skipped.length) return "no agent in the crew";
  return p.skipped.map((s) => `${s.agent}: ${s.reason}`).join("; ");
}
