/**
 * Event → jobs: normalise, look up on GitHub what the plan needs (actor's
 * permission, the PR behind a comment, thread history, changed files,
 * sessions), plan, and answer commands and refusals in the thread.
 */
import type { Crew } from "../crew/types.js";
import { normalize } from "../events/normalize.js";
import { parseMentions, parseOrigin } from "../events/text.js";
import type { ActorType, Trigger } from "../events/trigger.js";
import { crewRoutesEdits } from "../plan/route.js";
import type { Plan } from "../plan/types.js";
import { handleApprovalEvent, replyToRefusals } from "../approvals/index.js";
import { HISTORY_COMMENTS, jobsOf, planTrigger } from "./plan-trigger.js";
import { repoId, type EventInput, type Prepared, type RunJob, type Services } from "./types.js";

// Planning lives in plan-trigger.ts, which approvals/ imports too (no import cycle).
export { enrichTrigger, jobsOf, planContext, planTrigger } from "./plan-trigger.js";

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
 * `/retry`: the thread's latest earlier human request that addresses an agent
 * and may run, planned again at the request of the one retrying. Someone
 * else's words run only with what both may do (policy/authorize.ts, as for an
 * edited comment): a stranger's request slipped in after a maintainer's is
 * passed over, not run with the maintainer's permission.
 */
async function retryPlan(s: Services, t: Trigger, crew: Crew): Promise<Plan | undefined> {
  const { comments } = await s.github.listComments(repoId(t), t.thread?.number ?? 0, { max: HISTORY_COMMENTS });
  const earlier = comments.filter((c) => c.id !== t.comment?.id && c.authorType !== "Bot" && !parseOrigin(c.body));
  for (const c of earlier.reverse()) {
    const mentions = parseMentions(c.body);
    if (mentions.length === 0) continue;
    const author = c.author.toLowerCase() === t.actor.login.toLowerCase() ? {} : { author: { login: c.author, type: (c.authorType === "Bot" ? "Bot" : "User") as ActorType } };
    const again = await planTrigger(s, { ...t, text: c.body, mentions, commands: [], ...author }, crew);
    if (again.runs.length) return again;
  }
  return undefined;
}

function summarizeSkips(p: Plan): string {
  if (!p.skipped.length) return "no agent in the crew";
  return p.skipped.map((s) => `${s.agent}: ${s.reason}`).join("; ");
}
