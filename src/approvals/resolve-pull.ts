/**
 * An approval PR merged or closed (heard as a webhook, or found by reconcile):
 * closed without merging is a rejection; merged by someone who counts starts
 * one follow-up run of the agent, told what the merge commit approves.
 */
import { loadCrew } from "../crew/load.js";
import { snapshotFromGit } from "../crew/snapshot.js";
import type { Agent, Crew } from "../crew/types.js";
import { loadDefaultCrew } from "../pipeline/crew-source.js";
import { gitcrewLogins } from "../pipeline/own-comments.js";
import type { RunJob, Services } from "../pipeline/types.js";
import { inline } from "../plan/prompt.js";
import { whoCanApprove } from "../policy/authorize.js";
import { errorMessage } from "../util/errors.js";
import type { ApprovalContext } from "./approvers.js";
import { claimReply } from "./claim.js";
import { claimFollowUp } from "./follow-up-runs.js";
import { recordOutcome } from "./outcomes.js";
import { followUp } from "./follow-up.js";
import { changedPaths, commitIdentity, commitsBetween, diff, ensureCommit, firstParent, pushRef, showFile } from "./git.js";
import { judgeApprover } from "./judge-approver.js";
import { parseApprovalMarker } from "../github/marker.js";
import { notOwnApprovalPull, repoOfPull, type PullView } from "./pull-view.js";
import { approvalPath, clip, describeRequest, idFromBranch, parseRequest, REJECTED_REF_PREFIX, RESOLVED_LABEL, type ApprovalRequest } from "./request.js";
import { handled, type ApprovalEventResult, type Reply } from "./result.js";

/** Diff of a merged definition change shown to the agent. */
const DIFF_BUDGET = 6_000;

/** What to do about one closed approval PR; `closer` is who closed it, when the event says. */
export async function resolvePull(s: Services, crew: Crew, p: PullView, closer?: string): Promise<ApprovalEventResult> {
  const id = idFromBranch(p.headRef);
  if (!id || p.state !== "closed") return handled();
  // A stranger's PR shaped like one (a fork, no label, not opened by gitcrew) resolves nothing: no reply, no ref.
  const foreign = notOwnApprovalPull(p, await gitcrewLogins(s));
  if (foreign) {
    s.log(`approval #${p.number} ignored: not gitcrew's own approval pull request (${foreign})`);
    return handled();
  }
  if (!p.merged || !p.mergeSha) return resolveRejected(s, crew, p, id, closer);
  return resolveMerged(s, crew, p, p.mergeSha, id, closer);
}

/** Acted on: the label lets reconcile pass the PR by. */
async function resolved(s: Services, p: PullView, replies: Reply[], jobs: RunJob[] = []): Promise<ApprovalEventResult> {
  await s.github.addLabels?.(repoOfPull(p), p.number, [RESOLVED_LABEL]).catch((err) => s.log(`could not label #${p.number}: ${errorMessage(err)}`));
  return handled(jobs, replies);
}

async function resolveRejected(s: Services, crew: Crew, p: PullView, id: string, closer?: string): Promise<ApprovalEventResult> {
  const marker = parseApprovalMarker(p.body);
  // What was asked is read from the branch (or the PR marker when the branch is gone).
  let req: ApprovalRequest | undefined;
  if (p.headSha && (await ensureCommit(s.repoDir, p.headSha, [p.headRef]))) {
    const text = await showFile(s.repoDir, p.headSha, approvalPath(id));
    req = text ? parseRequest(text, id) : undefined;
  }
  const agent = req?.agent || marker?.agent || "the agent";
  const thread = req?.thread || marker?.thread || p.number;
  const what = req ? describeRequest(req) : "the request";
  const by = closer ? ` by @${closer}` : "";
  const body = `❌ Approval request #${p.number} (${what} for @${agent}) was closed${by} without merging: it is **rejected**, and @${agent} does not go ahead with it.`;
  const replies = await claimReply(s, repoOfPull(p), thread, `approval:${p.repo.fullName}#${p.number}:rejected`, body);
  await decided(s, p, "rejected", closer);
  if (req && p.headSha && (await madeByGitcrew(s, crew, p.headSha, req.agent))) {
    // The repository alone then tells a rejected request from a pending one (`gitcrew approvals`).
    await pushRef(s.repoDir, p.headSha, `${REJECTED_REF_PREFIX}${id}`).catch((err) => s.log(`could not record rejection of ${id}: ${errorMessage(err)}`));
  }
  return resolved(s, p, replies);
}

/**
 * The server's store learns the decision too (the dashboard reads it there).
 * Before the PR is labelled resolved: if the store fails, the delivery (or
 * reconcile) resolves it again, and every step before is once-guarded.
 */
async function decided(s: Services, p: PullView, decision: "approved" | "rejected" | "not-counted", by?: string): Promise<void> {
  await s.recordDecision?.({ repo: p.repo.fullName, pull: p.number, decision, ...(by ? { by } : {}) });
}

/**
 * gitcrew pushes a ref only to a commit it made: the request commit it wrote
 * on the approval branch has one parent and the asking agent's git identity
 * as author and committer.
 */
async function madeByGitcrew(s: Services, crew: Crew, sha: string, agentName: string): Promise<boolean> {
  const agent = crew.agents.find((a) => a.name === agentName);
  const made = await commitIdentity(s.repoDir, sha);
  const ok = !!agent && !!made && made.parents === 1 && [made.author, made.committer].every((who) => who.name === agent.git.name && who.email === agent.git.email);
  if (!ok) s.log(`no rejected ref for ${sha.slice(0, 12)}: not the request commit gitcrew made for @${agentName}`);
  return ok;
}

/** Merged: judged by what the merge commit holds, not by the PR as opened. */
async function resolveMerged(s: Services, crew: Crew, p: PullView, mergeSha: string, id: string, closer?: string): Promise<ApprovalEventResult> {
  const rid = repoOfPull(p);
  if (!(await ensureCommit(s.repoDir, mergeSha, [p.baseRef, p.repo.defaultBranch]))) {
    throw new Error(`approval #${p.number}: merge commit ${mergeSha} is not reachable from origin`);
  }
  const marker = parseApprovalMarker(p.body);
  const parent = await mergeBase(s.repoDir, mergeSha, approvalPath(id));
  const text = await showFile(s.repoDir, mergeSha, approvalPath(id));
  const req = text ? parseRequest(text, id) : undefined;
  const agentName = (req?.agent || marker?.agent || "").toLowerCase();
  const thread = req?.thread || marker?.thread || p.number;
  const paths = await changedPaths(s.repoDir, parent, mergeSha);
  const defPaths = paths.filter((f) => f.startsWith(".gitcrew/") && f !== approvalPath(id));
  // The request as gitcrew wrote it (the branch's first commit): the merged file can be edited by anyone who pushes.
  const asked = await originalRequestOf(s, p, parent, id);
  // Who may approve is decided by the crew as it was before this merge: an
  // approval PR that adds its merger to the approvers does not approve itself.
  const before = await crewAt(s, parent);
  if (!before.crew) {
    // Without that crew nobody can be judged an approver: refuse rather than guess.
    const body =
      `⚠️ Approval request #${p.number} was merged, but it does not count as an approval: the crew on ${p.repo.defaultBranch} before the merge ` +
      `(${parent.slice(0, 12)}) does not load (${before.why}), so gitcrew cannot tell who may approve. ` +
      `@${agentName || "the agent"} does not go ahead. Fix \`.gitcrew/\`, then an approver can open the same change again and merge it.`;
    await recordOutcome(s, id, mergeSha, { outcome: "not-counted", by: p.mergedBy?.login ?? closer ?? "", why: `the crew before the merge does not load (${before.why})` });
    await decided(s, p, "not-counted", p.mergedBy?.login ?? closer);
    return resolved(s, p, await claimReply(s, rid, thread, `approval:${p.repo.fullName}#${p.number}:not-counted`, body));
  }
  const judge = before.crew;
  // The follow-up runs with the crew as merged (an approved instruction is in effect).
  const after = defPaths.length > 0 ? ((await loadDefaultCrew(s.repoDir, p.repo.defaultBranch, s.env, s.log).catch(() => undefined))?.crew ?? crew) : crew;
  const agent = after.agents.find((a) => a.name === agentName);
  const merger = p.mergedBy ?? { login: closer ?? "" };
  const ctx: ApprovalContext = {
    // Every name gitcrew recorded as the requester counts, not only the one in the merged (editable) file.
    requester: [asked?.requested_by, marker?.by, req?.requested_by].filter((r): r is string => !!r),
    agent: agentName,
    opener: p.author,
    paths,
    ...(judge.config.approvers.codeowners ? { codeowners: await readCodeowners(s.repoDir, parent) } : {}),
  };
  const verdict = await judgeApprover(s, judge, rid, merger, ctx);
  // In the repository, for `gitcrew approvals`: whether this merge counted, who merged, why.
  await recordOutcome(s, id, mergeSha, { outcome: verdict.ok ? "approved" : "not-counted", by: merger.login, why: verdict.why });
  await decided(s, p, verdict.ok ? "approved" : "not-counted", merger.login);
  if (!verdict.ok) {
    const body =
      `⚠️ Approval request #${p.number} was merged by @${merger.login || "someone"}, but that does not count as an approval: ${verdict.why}. ` +
      `Only ${whoCanApprove(judge.config)} can approve; @${agentName || "the agent"} does not go ahead. ` +
      "A maintainer can revert the merge, or an approver can open the same change again and merge it.";
    return resolved(s, p, await claimReply(s, rid, thread, `approval:${p.repo.fullName}#${p.number}:not-counted`, body));
  }
  const key = `approval:${p.repo.fullName}#${p.number}:approved`;
  if (!agent) {
    const body = `✅ @${merger.login} approved #${p.number}, but no agent "${agentName}" is in the crew any more: nothing to continue.`;
    return resolved(s, p, await claimReply(s, rid, thread, key, body));
  }

  const preface = await approvedPreface(s, { p, id, parent, mergeSha, req, asked, defPaths, merger: merger.login, agent, why: verdict.why });
  const summary = req ? `approved ${describeRequest(req)} in #${p.number}; continue.` : `approved #${p.number}; continue.`;
  const job = await followUp(s, { crew: after, repo: p.repo, thread, agent, actor: merger, text: summary, preface, note: `approved by @${merger.login} in #${p.number}` });
  const approvedWhat = req ? describeRequest(req) : "the merged change";
  if (typeof job === "string") {
    // Say so once, so that reconcile does not try again and again.
    const body = `✅ @${merger.login} approved #${p.number} (${approvedWhat}), but @${agent.name} cannot continue here: ${job}.`;
    return resolved(s, p, await claimReply(s, rid, thread, key, body));
  }
  const body = `✅ @${merger.login} approved #${p.number}: ${approvedWhat}. @${agent.name} continues here.`;
  const claimed = await claimFollowUp(s, { repo: rid, issue: thread, key, body, job, pull: p.number });
  // Another delivery is handling it right now: it queues the run.
  if ("busy" in claimed) return handled();
  // Claimed earlier, and its run started (or it owes none): only the label is missing.
  if ("settled" in claimed) return resolved(s, p, []);
  // Queued under the claim's run id: the caller labels the PR once the run is queued (server) or started (Action).
  return handled([claimed.queue], claimed.reply ? [claimed.reply] : []);
}

/** What the follow-up run is told first: what the merge approved, as merged. */
async function approvedPreface(
  s: Services,
  m: { p: PullView; id: string; parent: string; mergeSha: string; req?: ApprovalRequest; asked?: ApprovalRequest; defPaths: string[]; merger: string; agent: Agent; why: string },
): Promise<string> {
  const { p, req, asked } = m;
  const defDiff = clip(await diff(s.repoDir, m.parent, m.mergeSha, m.defPaths), DIFF_BUDGET);
  const lines = [
    `Approved: @${m.merger} merged approval request #${p.number} (${p.url}), approving what you (@${m.agent.name}) asked for, as merged (${m.why}).`,
  ];
  if (req) {
    lines.push("", "What was approved (read from the merge commit, which is what counts):", `- kind: ${req.kind}`, `- what: ${inline(req.what)}`);
    // The agent wrote these: one line each, so they cannot add lines of gitcrew's.
    if (req.reason) lines.push(`- reason given: ${inline(req.reason)}`);
    if (asked && (asked.what !== req.what || asked.kind !== req.kind)) {
      lines.push(`- note: you asked for ${asked.kind} "${inline(asked.what)}"; the approver changed it before merging. Only what is listed above is approved.`);
    }
  } else {
    lines.push("", `The request file ${approvalPath(m.id)} was not in what was merged; only the changes below are approved.`);
  }
  if (defDiff.trim()) lines.push("", "The merge changed the crew definition:", "```diff", defDiff.trimEnd(), "```");
  lines.push("", "Continue the work where you left off, using only what was approved.");
  return lines.join("\n");
}

async function readCodeowners(repoDir: string, commit: string): Promise<string | undefined> {
  for (const path of [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]) {
    const text = await showFile(repoDir, commit, path);
    if (text !== undefined) return text;
  }
  return undefined;
}

/**
 * The default branch just before the approval landed. A merge commit's first
 * parent, a squash's parent; after a rebase merge, the newest first-parent
 * ancestor without the request file.
 */
async function mergeBase(repoDir: string, mergeSha: string, requestPath: string): Promise<string> {
  const first = (await firstParent(repoDir, mergeSha)) ?? mergeSha;
  if ((await showFile(repoDir, mergeSha, requestPath)) === undefined) return first;
  let cur = mergeSha;
  for (let i = 0; i < 100; i++) {
    const p = await firstParent(repoDir, cur);
    if (!p) break;
    if ((await showFile(repoDir, p, requestPath)) === undefined) return p;
    cur = p;
  }
  return first;
}

/** The crew as committed at `commit`, or why it does not load (a broken environment throws: try again later). */
async function crewAt(s: Services, commit: string): Promise<{ crew?: Crew; why: string }> {
  const r = await loadCrew(await snapshotFromGit(s.repoDir, commit), s.env);
  const first = r.errors[0];
  return { crew: r.crew, why: first ? `${first.file}:${first.line}: ${first.message}${r.errors.length > 1 ? ` and ${r.errors.length - 1} more` : ""}` : "no crew" };
}

/** `originalRequest` of the PR's head; after a squash the branch's commits are fetched (the branch may be gone). */
async function originalRequestOf(s: Services, p: PullView, parent: string, id: string): Promise<ApprovalRequest | undefined> {
  const haveHead = p.headSha ? await ensureCommit(s.repoDir, p.headSha, [p.headRef]) : false;
  return haveHead ? await originalRequest(s.repoDir, parent, p.headSha, id).catch(() => undefined) : undefined;
}

/** The request as the agent first asked it: the file in the branch's first commit. */
async function originalRequest(repoDir: string, base: string, head: string, id: string): Promise<ApprovalRequest | undefined> {
  const [first] = await commitsBetween(repoDir, base, head);
  if (!first) return undefined;
  const text = await showFile(repoDir, first, approvalPath(id));
  return text ? parseRequest(text, id) : undefined;
}
