/**
 * Runs refused for permission or a fork: the polite reply that names who can
 * approve, and the hidden refusal markers in it that `/approve` (and an
 * approving review of a fork PR) later find.
 */
import { stripHidden } from "../events/text.js";
import type { Trigger } from "../events/trigger.js";
import type { Crew } from "../crew/types.js";
import type { RepoId } from "../github/types.js";
import type { Plan } from "../plan/types.js";
import { repoId, type Services } from "../pipeline/types.js";
import { whoCanApprove } from "../policy/authorize.js";
import { botComments, claimReply } from "./claim.js";
import { followUpState } from "./follow-up-runs.js";
import { parseRefusalMarkers, refusalMarker, textHash, type RefusalMarker } from "../github/marker.js";
import type { Reply } from "./result.js";

/** Reply in the thread naming who can approve, with one marker per refused agent. */
export async function replyToRefusals(s: Services, plan: Plan, crew: Crew): Promise<Reply[]> {
  const t = plan.trigger;
  if (!t.thread || t.actor.type === "Bot") return [];
  const refused = plan.skipped.filter((k) => k.code === "unauthorized" || k.code === "untrusted");
  if (refused.length === 0) return [];
  const key = refusalKey(t);
  const sha = t.thread.pr?.fork ? t.thread.pr.headSha : "-";
  const fork = refused.some((k) => k.code === "untrusted");
  const names = refused.map((k) => `@${k.agent}`).join(", ");
  const reasons = refused.map((k) => `- @${k.agent}: ${k.reason}`).join("\n");
  const how = fork
    ? `${whoCanApprove(crew.config)} can approve it by commenting \`/approve\` or with an approving review. The approval is for head \`${sha.slice(0, 7)}\` only: new commits need a new approval.`
    : `${whoCanApprove(crew.config)} can approve it by commenting \`/approve\`; it then runs once.`;
  const text = textHash(stripHidden(t.text));
  // An edit refused for its author's permission stands for the author's request: `/approve` runs it for them.
  const markers = refused.map((k) => refusalMarker({ key, agent: k.agent, sha, actor: k.requester ?? t.actor.login, event: t.kind, code: k.code, text }));
  const body = [`@${t.actor.login} thanks! ${names} did not start:`, reasons, "", how, ...markers].join("\n");
  return claimReply(s, repoId(t), t.thread.number, `refused:${t.repo.fullName}#${t.thread.number}:${key}`, body);
}

/** What was refused: the comment, or the event at a head. */
function refusalKey(t: Trigger): string {
  if (t.comment) return `${t.comment.kind}-${t.comment.id}`;
  const at = (t.sha || t.thread?.pr?.headSha || "").slice(0, 12) || t.deliveryId || "-";
  return `${t.kind}@${at}`;
}

/**
 * Refused runs still waiting: not approved yet, or approved but whose run
 * never started (claimed, then the process died before queueing it: the
 * approval's follow-up is owed, see follow-up-runs.ts). `before`: only
 * refusals written before this comment (an `/approve` approves what its
 * author could see, never a refusal posted later, e.g. for a newer head).
 */
export async function pendingRefusals(s: Services, repo: RepoId, fullName: string, issue: number, before?: number): Promise<RefusalMarker[]> {
  const comments = await botComments(s, repo, issue);
  const markers = comments.filter((c) => before === undefined || c.id < before).flatMap((c) => parseRefusalMarkers(c.body));
  return markers.filter((m) => followUpState(comments, refusalDoneKey(fullName, issue, m)) !== "settled");
}

/** The claim key of running one refused agent once. */
export function refusalDoneKey(fullName: string, issue: number, m: RefusalMarker): string {
  return `approve:${fullName}#${issue}:${m.key}:${m.agent}:${m.sha}`;
}
