/**
 * `/approve` of refused runs: the approver's word lifts the refusal for the
 * agents it names, once, and on a fork PR only at the head that was refused.
 * Each approved run is claimed, then queued under the claim's run id
 * (follow-up-runs.ts): a redelivered `/approve` (or approving review) queues
 * a run it claimed but never queued, and starts nothing more once it has.
 */
import type { Crew } from "../crew/types.js";
import { textFields } from "../events/common.js";
import { stripHidden } from "../events/text.js";
import type { Trigger } from "../events/trigger.js";
import { jobsOf, planTrigger } from "../pipeline/plan-trigger.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { whoCanApprove } from "../policy/authorize.js";
import { claimReply, MARKER_SCAN } from "./claim.js";
import { claimedVia, claimFollowUp } from "./follow-up-runs.js";
import { soloCrew, withoutOrigin } from "./follow-up.js";
import { judgeApprover } from "./judge-approver.js";
import { refusalMarker, textHash, type RefusalMarker } from "../github/marker.js";
import { pendingRefusals, refusalDoneKey } from "./refusals.js";
import { handled, notHandled, type ApprovalEventResult, type Reply } from "./result.js";

/**
 * `/approve` approves what its author saw: refusals written before the
 * `/approve` comment, of one person. A bare `/approve` with refusals of
 * several people pending is refused, listing them; arguments pick:
 * `@login` (whose request), `@agent`, a comment link or id, a head sha prefix.
 * Of the person's requests, the latest is run.
 */
export async function handleApproveCommand(s: Services, t: Trigger, crew: Crew, args: string): Promise<ApprovalEventResult> {
  const thread = t.thread;
  if (!thread) return notHandled();
  const rid = repoId(t);
  const replyOnce = async (what: string, body: string): Promise<ApprovalEventResult> => {
    const key = `${what}:${t.repo.fullName}#${thread.number}:${t.comment?.id ?? t.deliveryId ?? ""}`;
    return handled([], await claimReply(s, rid, thread.number, key, body));
  };
  const pick = approveArgs(args);
  // Only refusals written before this /approve: one posted while the approver typed was never seen.
  const pending = (await pendingRefusals(s, rid, t.repo.fullName, thread.number, t.comment?.id)).filter((m) => pick.matches(m));
  const people = [...new Set(pending.map((m) => m.actor.toLowerCase()))];
  // With several people pending nothing runs yet: the one named next is judged then.
  const verdict = await judgeApprover(s, crew, rid, t.actor, { requester: people.length === 1 ? pending[0]?.actor : undefined });
  if (!verdict.ok) return replyOnce("approve-refused", `@${t.actor.login} \`/approve\` was not applied: ${verdict.why}. Only ${whoCanApprove(crew.config)} can approve.`);
  const last = pending[pending.length - 1];
  if (!last) {
    // This /approve delivered again, after it ran what it approved: nothing to add.
    if (await claimedVia(s, rid, thread.number, approvingEvent(t))) return handled();
    const which = pick.any ? ` matching \`${args.trim()}\`` : "";
    return replyOnce("approve-nothing", `@${t.actor.login} nothing in this thread${which} is waiting for an approval.`);
  }
  if (people.length > 1) return replyOnce("approve-ambiguous", ambiguousReply(t, thread.url, pending, args));
  // The person's latest refused trigger, every agent it addressed (that the arguments kept).
  const group = pending.filter((m) => m.key === last.key && m.sha === last.sha);
  return runRefused(s, crew, t, group, t.actor.login, "");
}

/** What `/approve` arguments pick: names (agent or requester), comment ids and links, sha prefixes; each kind narrows. */
export function approveArgs(args: string): { any: boolean; matches(m: RefusalMarker): boolean } {
  const names: string[] = [];
  const keys: string[] = [];
  const shas: string[] = [];
  for (const raw of args.split(/\s+/).filter(Boolean)) {
    const link = /#(issuecomment|pullrequestreview|discussion_r)-?(\d+)\b/.exec(raw);
    if (link) keys.push(`${{ issuecomment: "issue", pullrequestreview: "review", discussion_r: "review_comment" }[link[1] as "issuecomment"]}-${link[2]}`);
    else if (/^\d+$/.test(raw)) keys.push(`issue-${raw}`, `review-${raw}`, `review_comment-${raw}`);
    else if (/^[0-9a-f]{7,40}$/i.test(raw)) shas.push(raw.toLowerCase());
    else names.push(raw.replace(/^@/, "").toLowerCase());
  }
  return {
    any: names.length + keys.length + shas.length > 0,
    matches: (m) =>
      (names.length === 0 || names.some((n) => n === m.agent || n === m.actor.toLowerCase())) &&
      (keys.length === 0 || keys.includes(m.key)) &&
      (shas.length === 0 || shas.some((h) => m.sha.startsWith(h))),
  };
}

/** Refusals of several people are waiting: which ones, and how to name one. */
function ambiguousReply(t: Trigger, threadUrl: string, pending: RefusalMarker[], args: string): string {
  const byKey = new Map<string, RefusalMarker[]>();
  for (const m of pending) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const lines = [...byKey.entries()].map(([key, ms]) => {
    const first = ms[0] as RefusalMarker;
    const link = refusedLink(threadUrl, key);
    return `- @${first.actor}: ${link ? `[${link.label}](${link.url})` : `\`${key}\``} for ${ms.map((m) => `@${m.agent}`).join(", ")}`;
  });
  const example = pending[pending.length - 1] as RefusalMarker;
  const which = args.trim() ? ` matching \`${args.trim()}\`` : "";
  return [
    `@${t.actor.login} \`/approve\` was not applied: requests of more than one person are waiting${which}, so it is not clear which one you approve:`,
    ...lines,
    "",
    `Name one: \`/approve @${example.actor}\` (that person's latest request) or \`/approve <link to the comment>\`.`,
  ].join("\n");
}

/** A link to the refused comment, when the key names one. */
function refusedLink(threadUrl: string, key: string): { label: string; url: string } | undefined {
  const m = /^(issue|review|review_comment)-(\d+)$/.exec(key);
  if (!m || !threadUrl) return undefined;
  const anchor = { issue: "issuecomment-", review: "pullrequestreview-", review_comment: "discussion_r" }[m[1] as "issue"];
  return { label: `comment ${m[2]}`, url: `${threadUrl}#${anchor}${m[2]}` };
}

/** What approved a run (`issue-123` for an `/approve` comment, `review-9` for a review), recorded in its claim. */
export function approvingEvent(t: Trigger): string {
  return t.comment ? `${t.comment.kind}-${t.comment.id}` : (t.deliveryId ?? "-");
}

/** Refused triggers worth replaying as they were: what a person writes or opens. */
const CONVERSATIONAL = new Set(["issue_comment.created", "issues.opened", "pull_request.opened", "pull_request_review.submitted", "pull_request_review_comment.created"]);

/** Re-plan refused runs with the approval: head sha pinned, the actor's permission lifted for these agents only. */
export async function runRefused(s: Services, crew: Crew, t: Trigger, group: RefusalMarker[], approver: string, how: string): Promise<ApprovalEventResult> {
  const thread = t.thread;
  if (!thread) return notHandled();
  const rid = repoId(t);
  const replies: Reply[] = [];
  const jobs: RunJob[] = [];
  const first = group[0] as RefusalMarker;
  let text = "";
  const commentId = /^issue-(\d+)$/.exec(first.key)?.[1];
  if (commentId) {
    const { comments } = await s.github.listComments(rid, thread.number, { max: MARKER_SCAN });
    text = comments.find((c) => String(c.id) === commentId)?.body ?? "";
  } else if (first.event === "issues.opened" || first.event === "pull_request.opened") text = thread.body;
  if (first.text && (commentId || text) && textHash(stripHidden(text)) !== first.text) {
    // What the approver approved is the request as it was refused, not an edit made since.
    const body = `@${approver} the request was edited (or deleted) after it was refused, so this approval does not run it. @${first.actor}, please ask again in a new comment.`;
    return handled([], await claimReply(s, rid, thread.number, `edited:${refusalDoneKey(t.repo.fullName, thread.number, first)}`, body));
  }
  const kind = CONVERSATIONAL.has(first.event) ? first.event : "issue_comment.created";
  const [event = "issue_comment", action = "created"] = kind.split(".");
  for (const m of group) {
    const agent = crew.agents.find((a) => a.name === m.agent);
    if (!agent) continue;
    const fields = withoutOrigin(textFields(text.includes(`@${agent.name}`) ? text : `@${agent.name} ${text}`));
    const trig: Trigger = {
      event,
      action,
      kind,
      repo: t.repo,
      thread,
      actor: { login: m.actor, type: "User" },
      ...fields,
      mentions: fields.mentions.includes(agent.name) ? fields.mentions : [...fields.mentions, agent.name],
      commands: [],
      untrusted: [...t.untrusted],
      ...(t.changedFiles ? { changedFiles: t.changedFiles } : {}),
    };
    const pinned = m.sha !== "-" ? [m.sha] : [];
    const p = await planTrigger(s, trig, soloCrew(crew, agent), { approvedShas: pinned, permission: agent.allow.permission });
    const run = p.runs[0];
    const head = p.trigger.thread?.pr?.headSha ?? "";
    if (!run) {
      const skip = p.skipped[0];
      if (skip?.code === "untrusted" && head) {
        // A new push after the refusal: the approval was for the old head only.
        const body =
          `@${approver} your approval was for head \`${m.sha.slice(0, 7)}\`, but the pull request has moved to \`${head.slice(0, 7)}\` since. ` +
          `New code needs a new approval: review it and comment \`/approve\` again to run @${agent.name} on \`${head.slice(0, 7)}\`.\n\n` +
          refusalMarker({ ...m, sha: head });
        replies.push(...(await claimReply(s, rid, thread.number, `moved:${refusalDoneKey(t.repo.fullName, thread.number, m)}:${head}`, body)));
      }
      continue;
    }
    const key = refusalDoneKey(t.repo.fullName, thread.number, m);
    const at = m.sha !== "-" ? ` at head \`${m.sha.slice(0, 7)}\`` : "";
    // Approved for this head: the run is no longer untrusted (the pin above made authorize pass).
    const [job] = jobsOf(p, crew, `approved by @${approver}${at.replace(/`/g, "")}`).map((j) => ({ ...j, planned: { ...j.planned, untrusted: [] } }));
    if (!job) continue;
    const body = `▶️ @${approver} approved${how} running @${agent.name} once for @${m.actor}'s request${at}.`;
    const claimed = await claimFollowUp(s, { repo: rid, issue: thread.number, key, body, job, via: approvingEvent(t) });
    // Busy or settled: another delivery queues it, or it ran already.
    if (!("queue" in claimed)) continue;
    jobs.push(claimed.queue);
    if (claimed.reply) replies.push(claimed.reply);
  }
  return handled(jobs, replies);
}
