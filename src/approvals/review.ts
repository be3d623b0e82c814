/**
 * Approving reviews. On a fork PR: approves the refused runs at exactly the
 * reviewed commit. On an agent's own PR: lets the agent take the steps its
 * definition gates on a person's approval, for that commit. Either run is
 * claimed, then queued under the claim's run id (follow-up-runs.ts), so a
 * redelivered review queues a run it claimed but never queued, once.
 */
import type { Crew } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import type { RepoId } from "../github/types.js";
import { parseOrigin } from "../events/text.js";
import { readSessions } from "../pipeline/sessions.js";
import { repoId, type Services } from "../pipeline/types.js";
import { approvingEvent, runRefused } from "./approve-refused.js";
import { botComments } from "./claim.js";
import { claimedVia, claimFollowUp } from "./follow-up-runs.js";
import { followUp } from "./follow-up.js";
import { judgeApprover } from "./judge-approver.js";
import type { RefusalMarker } from "../github/marker.js";
import { pullView } from "./pull-view.js";
import { pendingRefusals } from "./refusals.js";
import { handled, notHandled, type ApprovalEventResult } from "./result.js";

export async function handleReview(s: Services, t: Trigger, crew: Crew): Promise<ApprovalEventResult> {
  const thread = t.thread;
  const pr = thread?.pr;
  if (!thread || !pr || t.reviewState !== "approved") return notHandled();
  const rid = repoId(t);
  if (pr.fork) {
    const pending = (await pendingRefusals(s, rid, t.repo.fullName, thread.number, t.comment?.id)).filter((m) => m.sha !== "-" && m.sha === t.sha);
    // This review delivered again, after it ran what it approved: nothing more, and not routed as a new event.
    if (pending.length === 0) return (await claimedVia(s, rid, thread.number, approvingEvent(t))) ? handled() : notHandled();
    const last = pending[pending.length - 1] as RefusalMarker;
    const verdict = await judgeApprover(s, crew, rid, t.actor, { requester: last.actor });
    if (!verdict.ok) return notHandled();
    const group = pending.filter((m) => m.key === last.key);
    return runRefused(s, crew, t, group, t.actor.login, " (approving review)");
  }
  const prefix = `${crew.config.branch_prefix}/`;
  if (!pr.headRef.startsWith(prefix)) return notHandled();
  const agentName = pr.headRef.slice(prefix.length).split("/")[0] ?? "";
  const agent = crew.agents.find((a) => a.name === agentName);
  if (!agent || agent.gated.length === 0) return notHandled();
  const requester = await whoAskedForWork(s, rid, { headRef: pr.headRef, body: thread.body, prefix: `${prefix}${agent.name}/` }, agent.name);
  const verdict = await judgeApprover(s, crew, rid, t.actor, { agent: agent.name, opener: thread.author, requester });
  if (!verdict.ok) return notHandled();
  const sha = t.sha || pr.headSha;
  const preface = [
    `Approved: @${t.actor.login} approved your pull request #${thread.number} in a review, at commit ${sha.slice(0, 12)} (${verdict.why}).`,
    `Your definition gates these steps on that approval: ${agent.gated.join(", ")}. You may take them now, for exactly this commit; new commits need a new approval.`,
    t.text.trim() ? `The review said:\n${t.text.trim()}` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const sessions = await linkedSessions(s, rid, thread.number, agent.name);
  const job = await followUp(s, {
    crew,
    repo: t.repo,
    thread: thread.number,
    agent,
    actor: t.actor,
    text: `approved #${thread.number} at ${sha.slice(0, 7)}; go ahead.`,
    preface,
    note: `approving review by @${t.actor.login}`,
    sessions,
  });
  if (typeof job === "string") return notHandled();
  const key = `review:${t.repo.fullName}#${thread.number}:${t.comment?.id ?? sha}`;
  const body = `✅ @${t.actor.login} approved this at \`${sha.slice(0, 7)}\`: @${agent.name} goes ahead with ${agent.gated.join(", ")}.`;
  const claimed = await claimFollowUp(s, { repo: rid, issue: thread.number, key, body, job, via: approvingEvent(t) });
  // Busy or settled: another delivery queues the run, or it ran already.
  if (!("queue" in claimed)) return handled();
  return handled([claimed.queue], claimed.reply ? [claimed.reply] : []);
}

/**
 * Who asked for the work under review: the person who started the agent's
 * first run in the thread the work came from, as gitcrew's own tracking
 * comment there records it (`by=` in its origin marker). That thread is the
 * one the branch is named after (`gitcrew/<agent>/<N>`, which a PR cannot
 * change) and the issue the PR closes. Only the first run counts: later
 * runs there include the follow-ups approvals start, as the approver.
 */
async function whoAskedForWork(s: Services, rid: RepoId, pr: { headRef: string; body: string; prefix: string }, agent: string): Promise<string[]> {
  const threads = new Set<number>();
  const fromBranch = pr.headRef.startsWith(pr.prefix) ? /^(\d+)$/.exec(pr.headRef.slice(pr.prefix.length))?.[1] : undefined;
  if (fromBranch) threads.add(Number(fromBranch));
  const closes = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)\b/i.exec(pr.body)?.[1];
  if (closes) threads.add(Number(closes));
  const out: string[] = [];
  for (const n of threads) {
    // A number that is no thread (any more) names nobody.
    const comments = await botComments(s, rid, n).catch(() => []);
    const first = comments
      .map((c) => ({ id: c.id, origin: parseOrigin(c.body) }))
      .filter((c) => c.origin?.agent === agent && c.origin.by)
      .sort((a, b) => a.id - b.id)[0];
    if (first?.origin?.by) out.push(first.origin.by);
  }
  return out;
}

/**
 * The agent's conversation usually lives in the issue its PR closes: when the
 * PR thread has no session of the agent, resume the one from that issue.
 */
async function linkedSessions(s: Services, rid: RepoId, pr: number, agent: string): Promise<Record<string, string> | undefined> {
  const own = readSessions((await botComments(s, rid, pr)).map((c) => c.body));
  if (own[agent]) return undefined;
  const body = pullView(await s.github.getPullRequest(rid, pr)).body;
  const linked = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)\b/i.exec(body)?.[1];
  if (!linked) return undefined;
  const theirs = readSessions((await botComments(s, rid, Number(linked))).map((c) => c.body));
  return theirs[agent] ? { ...own, [agent]: theirs[agent] } : undefined;
}
