/**
 * Plan one trigger with what GitHub knows (the PR behind a comment, changed
 * files, permission, thread history, sessions) and turn the plan into jobs.
 * Used by prepare.ts and by approvals/ (a follow-up is planned the same way).
 */
import type { Crew } from "../crew/types.js";
import { withPullRequest } from "../events/normalize.js";
import { parseOrigin } from "../events/text.js";
import type { Trigger } from "../events/trigger.js";
import { plan as planFor, type PlanContext } from "../plan/plan.js";
import type { ThreadMessage } from "../plan/prompt.js";
import type { Plan } from "../plan/types.js";
import { gitcrewLogins } from "./own-comments.js";
import { readSessions } from "./sessions.js";
import { HISTORY_COMMENTS, repoId, type RunJob, type Services } from "./types.js";

export { HISTORY_COMMENTS } from "./types.js";

/** Fill in what the payload does not carry: the PR behind a comment, its changed files. */
export async function enrichTrigger(s: Services, t: Trigger): Promise<Trigger> {
  const thread = t.thread;
  if (thread?.kind !== "pull_request") return t;
  // Both need only the PR's number: asked at once (each is a GitHub round trip on the way to the run, issue 21).
  const [pr, listed] = await Promise.all([
    thread.pr ? undefined : s.github.getPullRequest(repoId(t), thread.number),
    t.changedFiles ? undefined : s.github.listPullFiles(repoId(t), thread.number),
  ]);
  const trigger = thread.pr ? t : withPullRequest(t, pr);
  return listed ? { ...trigger, changedFiles: listed.files.map((f) => f.filename) } : trigger;
}

/** Permission, history and sessions for the plan; `extra` overrides (approvals). */
export async function planContext(s: Services, t: Trigger, extra: Partial<PlanContext> = {}): Promise<PlanContext> {
  // Independent lookups, asked at once: each is a GitHub round trip on the way to the run (issue 21).
  const [permission, authorPermission, selfLogins, thread] = await Promise.all([
    // Schedules and pushes have no human actor to look up.
    t.event === "schedule" ? ("none" as const) : s.github.permissionOf(repoId(t), t.actor.login),
    // Someone else's comment, edited: its author's permission counts too (policy/authorize.ts).
    t.author ? s.github.permissionOf(repoId(t), t.author.login) : undefined,
    // gitcrew's own logins: only their comments' markers count (own-comments.ts), also for the loop guard.
    gitcrewLogins(s),
    t.thread ? s.github.listComments(repoId(t), t.thread.number, { max: HISTORY_COMMENTS }) : undefined,
  ]);
  let history: ThreadMessage[] = [];
  let sessions: Record<string, string> = {};
  if (thread) {
    const { comments } = thread;
    const earlier = comments.filter((c) => c.id !== t.comment?.id);
    history = earlier.map((c) => ({ author: c.author, body: c.body, createdAt: c.createdAt }));
    // Only comments gitcrew's own login wrote, with its origin marker, can name a session.
    sessions = readSessions(earlier.filter((c) => selfLogins.includes(c.author.toLowerCase()) && parseOrigin(c.body)).map((c) => c.body));
  }
  const author = authorPermission ? { author: { permission: authorPermission } } : {};
  return { permission, ...author, history, sessions, changedFiles: t.changedFiles, selfLogins, ...extra };
}

export function jobsOf(p: Plan, crew: Crew, note?: string): RunJob[] {
  return p.runs.flatMap((planned) => {
    const agent = crew.agents.find((a) => a.name === planned.agent);
    return agent ? [{ trigger: p.trigger, planned, agent, ...(note ? { note } : {}) }] : [];
  });
}

/** Plan one trigger against the crew with everything looked up from GitHub. */
export async function planTrigger(s: Services, t: Trigger, crew: Crew, extra: Partial<PlanContext> = {}): Promise<Plan> {
  // The PR lookups and the context's (permission, logins, thread) are independent: asked at once.
  const [trigger, context] = await Promise.all([enrichTrigger(s, t), planContext(s, t, extra)]);
  return planFor(trigger, crew, { ...context, changedFiles: trigger.changedFiles, ...extra });
}
