/**
 * Approvals as pull requests (GitOps): the repository is the truth.
 * The pipeline calls these hooks; see docs/approvals.md.
 *
 * Everything that must happen once (a follow-up run for a merge, a rejection
 * reply, running a refused trigger after `/approve`) is claimed twice: with
 * `Services.once` (the server's store) and with a hidden `gitcrew:done`
 * marker in the thread, checked before and re-read after posting, so that
 * the Action (no store) and redelivered webhooks never start work twice.
 */
import type { Agent, Crew } from "../crew/types.js";
import { readIssueThread, textFields } from "../events/common.js";
import { PayloadReader } from "../events/read.js";
import { stripHidden } from "../events/text.js";
import type { Permission, RepoRef, Thread, Trigger } from "../events/trigger.js";
import type { CommentRef, RepoId, ThreadComment } from "../github/types.js";
import type { Plan } from "../plan/types.js";
import { whoCanApprove } from "../policy/authorize.js";
import type { RunResult } from "../runner/types.js";
import { loadCrew } from "../crew/load.js";
import { snapshotFromGit } from "../crew/snapshot.js";
import { fetchDefaultBranch, loadDefaultCrew } from "../pipeline/crew-source.js";
import { jobsOf, planTrigger } from "../pipeline/prepare.js";
import { readSessions } from "../pipeline/sessions.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { errorMessage } from "../util/errors.js";
import { countsAsApprover, isBotLogin, type ApprovalContext } from "./approvers.js";
import { changedPaths, diff, ensureCommit, firstParent, pushFiles, pushRef, revParse, showFile } from "./git.js";
import { approvalMarker, doneMarker, hasDoneMarker, parseApprovalMarker, parseRefusalMarkers, refusalMarker, textHash, type RefusalMarker } from "./markers.js";
import {
  APPROVAL_LABEL,
  approvalBranch,
  approvalId,
  approvalPath,
  describeRequest,
  idFromBranch,
  parseRequest,
  renderRequest,
  REJECTED_REF_PREFIX,
  RESOLVED_LABEL,
  type ApprovalRequest,
} from "./request.js";

export { APPROVAL_LABEL, APPROVAL_BRANCH_PREFIX, RESOLVED_LABEL } from "./request.js";

export interface ApprovalEventResult {
  /** The event was about approvals: `jobs` run instead of normal routing. */
  handled: boolean;
  jobs: RunJob[];
  /** Comments posted while handling (rejections, "approved by …"). */
  replies: { issue: number; url: string }[];
}

type Reply = { issue: number; url: string };

/** Comments read when looking for markers (newest kept). */
const MARKER_SCAN = 300;
/** `what` and `reason` of one request, each. */
const REQUEST_TEXT = 8_000;
/** Diff of a merged definition change shown to the agent. */
const DIFF_BUDGET = 6_000;

const none = (): ApprovalEventResult => ({ handled: false, jobs: [], replies: [] });

// ---------------------------------------------------------------------------
// Claims: once per key, visible on GitHub.

/**
 * Logins gitcrew posts as when that is not a bot (a machine user's token):
 * `GITCREW_SELF_LOGIN` (comma-separated) in the runner's environment.
 */
function selfLogins(s: Services): string[] {
  return (s.env.GITCREW_SELF_LOGIN ?? "")
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
}

async function botComments(s: Services, repo: RepoId, issue: number): Promise<ThreadComment[]> {
  const { comments } = await s.github.listComments(repo, issue, { max: MARKER_SCAN });
  // Markers count only in comments gitcrew wrote (a bot, or its configured login): a person cannot forge one.
  const self = selfLogins(s);
  return comments.filter((c) => isBotLogin(c.author, c.authorType) || self.includes(c.author.toLowerCase()));
}

async function isDone(s: Services, repo: RepoId, issue: number, key: string): Promise<boolean> {
  return (await botComments(s, repo, issue)).some((c) => hasDoneMarker(c.body, key));
}

/**
 * Post `body` with the done marker for `key` unless that already happened.
 * Returns the comment when this caller won the claim.
 */
export async function claim(s: Services, repo: RepoId, issue: number, key: string, body: string): Promise<CommentRef | undefined> {
  if (await isDone(s, repo, issue, key)) return undefined;
  const mine = await s.github.createComment(repo, issue, `${body}\n\n${doneMarker(key)}`);
  // The store is asked after posting: a failed post consumes nothing, so reconcile can try again later.
  if (s.once && !(await s.once(key))) {
    await s.github.deleteComment(repo, mine.id).catch(() => undefined);
    return undefined;
  }
  // Two deliveries racing (the Action has no store): the oldest marker wins, the other withdraws.
  const winners = (await botComments(s, repo, issue)).filter((c) => hasDoneMarker(c.body, key)).sort((a, b) => a.id - b.id);
  const first = winners[0];
  if (first && first.id !== mine.id) {
    await s.github.deleteComment(repo, mine.id).catch(() => undefined);
    return undefined;
  }
  return mine;
}

/**
 * `org/team` slugs among those crew.cue (and CODEOWNERS) name that `login`
 * belongs to, asked of GitHub; none when the client cannot tell.
 */
async function teamsOf(s: Services, crew: Crew, login: string, codeowners?: string): Promise<string[]> {
  if (!s.github.isTeamMember || !login) return [];
  const named = new Set(crew.config.approvers.teams.map((t) => t.toLowerCase()));
  if (codeowners) for (const m of codeowners.matchAll(/@([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)/g)) named.add((m[1] as string).toLowerCase());
  const out: string[] = [];
  for (const slug of named) {
    const [org = "", team = ""] = slug.split("/");
    if (await s.github.isTeamMember(org, team, login).catch(() => false)) out.push(slug);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Triggers and follow-up runs.

function higher(a: Permission, b: Permission): Permission {
  const order: Permission[] = ["none", "read", "triage", "write", "maintain", "admin"];
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}

/** The thread as a Thread, read from GitHub (the PR fields are filled by planTrigger). */
async function readThread(s: Services, repo: RepoId, number: number): Promise<Thread> {
  const raw = await s.github.getIssue?.(repo, number);
  if (raw && typeof raw === "object") {
    const t = readIssueThread(new PayloadReader("issues", { issue: raw } as never), "issue", []);
    if (t.kind === "pull_request") return { ...t, pr: undefined } as Thread;
    return t;
  }
  const pull = await s.github.getPullRequest(repo, number).catch(() => undefined);
  return { kind: pull ? "pull_request" : "issue", number, title: "", body: "", url: "", author: "ghost", labels: [], state: "open" };
}

/** The agent alone, answering mentions: the follow-up must reach it whatever its triggers. */
function soloCrew(crew: Crew, agent: Agent): Crew {
  return { ...crew, agents: [{ ...agent, triggers: { ...agent.triggers, mention: true, edits: false } }] };
}

/**
 * One run of `agent` on `thread`, as if `actor` had written `text` there,
 * with `preface` said first and the agent's session in that thread resumed.
 */
async function followUp(
  s: Services,
  crew: Crew,
  repo: RepoRef,
  threadNumber: number,
  agent: Agent,
  actor: { login: string; type?: string },
  text: string,
  preface: string,
  note: string,
  sessions?: Record<string, string>,
): Promise<RunJob | string> {
  const thread = await readThread(s, { owner: repo.owner, repo: repo.name }, threadNumber);
  const t: Trigger = {
    event: "issue_comment",
    action: "created",
    kind: "issue_comment.created",
    repo,
    thread,
    actor: { login: actor.login, type: actor.type === "Bot" ? "Bot" : "User" },
    ...withoutOrigin(textFields(`@${agent.name} ${text}`)),
    commands: [],
    untrusted: [],
  };
  const p = await planTrigger(s, t, soloCrew(crew, agent), { preface, permission: higher(agent.allow.permission, "write"), ...(sessions ? { sessions } : {}) });
  return jobsOf(p, crew, note)[0] ?? p.skipped.find((k) => k.agent === agent.name)?.reason ?? "it was not planned";
}

function withoutOrigin<T extends { origin?: unknown }>(f: T): Omit<T, "origin"> {
  const { origin: _origin, ...rest } = f;
  return rest;
}

// ---------------------------------------------------------------------------
// (a) approval PRs merged or closed.

interface PullView {
  number: number;
  url: string;
  state: string;
  body: string;
  author: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  labels: string[];
  merged: boolean;
  mergeSha?: string;
  mergedBy?: { login: string; type?: string };
  repo: RepoRef;
}

function str(o: unknown, ...path: string[]): string | undefined {
  let cur: unknown = o;
  for (const k of path) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined;
  return typeof cur === "string" ? cur : undefined;
}

function pullView(raw: unknown): PullView {
  const o = raw as Record<string, unknown>;
  const fullName = str(o, "base", "repo", "full_name") ?? "";
  const [owner = "", name = ""] = fullName.split("/");
  const labels = Array.isArray(o.labels) ? (o.labels as unknown[]).map((l) => str(l, "name") ?? "").filter(Boolean) : [];
  const mergedByLogin = str(o, "merged_by", "login");
  return {
    number: Number(o.number),
    url: str(o, "html_url") ?? "",
    state: str(o, "state") ?? "open",
    body: str(o, "body") ?? "",
    author: str(o, "user", "login") ?? "ghost",
    headRef: str(o, "head", "ref") ?? "",
    headSha: str(o, "head", "sha") ?? "",
    baseRef: str(o, "base", "ref") ?? "",
    labels,
    merged: o.merged === true || (typeof o.merged_at === "string" && o.merged_at !== ""),
    ...(str(o, "merge_commit_sha") ? { mergeSha: str(o, "merge_commit_sha") } : {}),
    ...(mergedByLogin ? { mergedBy: { login: mergedByLogin, type: str(o, "merged_by", "type") } } : {}),
    repo: {
      owner: str(o, "base", "repo", "owner", "login") ?? owner,
      name: str(o, "base", "repo", "name") ?? name,
      fullName,
      defaultBranch: str(o, "base", "repo", "default_branch") ?? "main",
      private: (o.base as { repo?: { private?: boolean } } | undefined)?.repo?.private === true,
    },
  };
}

export function isApprovalPull(p: { headRef: string; labels: string[]; body?: string }): boolean {
  return idFromBranch(p.headRef) !== undefined && (p.labels.includes(APPROVAL_LABEL) || parseApprovalMarker(p.body ?? "") !== undefined);
}

async function readCodeowners(repoDir: string, commit: string): Promise<string | undefined> {
  for (const path of [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]) {
    const text = await showFile(repoDir, commit, path);
    if (text !== undefined) return text;
  }
  return undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[… ${text.length - max} more characters cut]`;
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

/** The crew as committed at `commit`, or undefined when it does not load. */
async function crewAt(s: Services, commit: string): Promise<Crew | undefined> {
  try {
    return (await loadCrew(await snapshotFromGit(s.repoDir, commit), s.env)).crew;
  } catch {
    return undefined;
  }
}

/** The request as the agent first asked it: the file in the branch's first commit. */
async function originalRequest(repoDir: string, base: string, head: string, id: string): Promise<ApprovalRequest | undefined> {
  const { execFile } = await import("node:child_process");
  const list = await new Promise<string>((resolve) =>
    execFile("git", ["-C", repoDir, "rev-list", "--reverse", `${base}..${head}`], (err, out) => resolve(err ? "" : out)),
  );
  const first = list.split("\n").find(Boolean);
  if (!first) return undefined;
  const text = await showFile(repoDir, first, approvalPath(id));
  return text ? parseRequest(text, id) : undefined;
}

/** What to do about one closed approval PR (event or reconcile). */
async function resolvePull(s: Services, crew: Crew, p: PullView, closer?: string): Promise<ApprovalEventResult> {
  const id = idFromBranch(p.headRef);
  if (!id || p.state !== "closed") return { handled: true, jobs: [], replies: [] };
  const rid = { owner: p.repo.owner, repo: p.repo.name };
  const marker = parseApprovalMarker(p.body);
  const replies: Reply[] = [];
  const label = async () => {
    await s.github.addLabels?.(rid, p.number, [RESOLVED_LABEL]).catch((err) => s.log(`could not label #${p.number}: ${errorMessage(err)}`));
  };

  if (!p.merged || !p.mergeSha) {
    // Rejected. What was asked is read from the branch (or the PR marker when the branch is gone).
    let req: ApprovalRequest | undefined;
    if (p.headSha && (await ensureCommit(s.repoDir, p.headSha, [p.headRef]))) {
      const text = await showFile(s.repoDir, p.headSha, approvalPath(id));
      req = text ? parseRequest(text, id) : undefined;
    }
    const agent = req?.agent || marker?.agent || "the agent";
    const thread = req?.thread || marker?.thread || p.number;
    const what = req ? describeRequest(req) : "the request";
    const by = closer ? ` by @${closer}` : "";
    const key = `approval:${p.repo.fullName}#${p.number}:rejected`;
    const body = `❌ Approval request #${p.number} (${what} for @${agent}) was closed${by} without merging: it is **rejected**, and @${agent} does not go ahead with it.`;
    const posted = await claim(s, rid, thread, key, body);
    if (posted) replies.push({ issue: thread, url: posted.url });
    if (req && p.headSha) {
      await pushRef(s.repoDir, p.headSha, `${REJECTED_REF_PREFIX}${id}`).catch((err) => s.log(`could not record rejection of ${id}: ${errorMessage(err)}`));
    }
    await label();
    return { handled: true, jobs: [], replies };
  }

  // Merged: judged by what the merge commit holds, not by the PR as opened.
  const mergeSha = p.mergeSha;
  if (!(await ensureCommit(s.repoDir, mergeSha, [p.baseRef, p.repo.defaultBranch]))) {
    throw new Error(`approval #${p.number}: merge commit ${mergeSha} is not reachable from origin`);
  }
  const parent = await mergeBase(s.repoDir, mergeSha, approvalPath(id));
  const text = await showFile(s.repoDir, mergeSha, approvalPath(id));
  const req = text ? parseRequest(text, id) : undefined;
  const agentName = (req?.agent || marker?.agent || "").toLowerCase();
  const thread = req?.thread || marker?.thread || p.number;
  const paths = await changedPaths(s.repoDir, parent, mergeSha);
  const defPaths = paths.filter((f) => f.startsWith(".gitcrew/") && f !== approvalPath(id));
  // Who may approve is decided by the crew as it was before this merge: an
  // approval PR that adds its merger to the approvers does not approve itself.
  const judge = (await crewAt(s, parent)) ?? { ...crew, config: { ...crew.config, approvers: { users: [], teams: [], codeowners: false } } };
  // The follow-up runs with the crew as merged (an approved instruction is in effect).
  const after = defPaths.length > 0 ? ((await loadDefaultCrew(s.repoDir, p.repo.defaultBranch, s.env, s.log).catch(() => undefined))?.crew ?? crew) : crew;
  const agent = after.agents.find((a) => a.name === agentName);
  const merger = p.mergedBy ?? { login: closer ?? "" };
  const permission = merger.login ? await s.github.permissionOf(rid, merger.login) : "none";
  const ctx: ApprovalContext = {
    requester: req?.requested_by,
    agent: agentName,
    opener: p.author,
    paths,
    ...(judge.config.approvers.codeowners ? { codeowners: await readCodeowners(s.repoDir, parent) } : {}),
  };
  const teams = await teamsOf(s, judge, merger.login, ctx.codeowners);
  const verdict = countsAsApprover({ login: merger.login, type: merger.type, permission, teams }, judge, ctx);
  if (!verdict.ok) {
    const key = `approval:${p.repo.fullName}#${p.number}:not-counted`;
    const body =
      `⚠️ Approval request #${p.number} was merged by @${merger.login || "someone"}, but that does not count as an approval: ${verdict.why}. ` +
      `Only ${whoCanApprove(judge.config)} can approve; @${agentName || "the agent"} does not go ahead. ` +
      "A maintainer can revert the merge, or an approver can open the same change again and merge it.";
    const posted = await claim(s, rid, thread, key, body);
    if (posted) replies.push({ issue: thread, url: posted.url });
    await label();
    return { handled: true, jobs: [], replies };
  }
  if (!agent) {
    const key = `approval:${p.repo.fullName}#${p.number}:approved`;
    const posted = await claim(s, rid, thread, key, `✅ @${merger.login} approved #${p.number}, but no agent "${agentName}" is in the crew any more: nothing to continue.`);
    if (posted) replies.push({ issue: thread, url: posted.url });
    await label();
    return { handled: true, jobs: [], replies };
  }

  const defDiff = clip(await diff(s.repoDir, parent, mergeSha, defPaths), DIFF_BUDGET);
  // After a squash the branch's commits are not on the default branch: fetch them (the branch may be gone).
  const haveHead = p.headSha ? await ensureCommit(s.repoDir, p.headSha, [p.headRef]) : false;
  const asked = haveHead ? await originalRequest(s.repoDir, parent, p.headSha, id).catch(() => undefined) : undefined;
  const lines = [
    `Approved: @${merger.login} merged approval request #${p.number} (${p.url}), approving what you (@${agent.name}) asked for, as merged (${verdict.why}).`,
  ];
  if (req) {
    lines.push("", "What was approved (read from the merge commit, which is what counts):", `- kind: ${req.kind}`, `- what: ${req.what}`);
    if (req.reason) lines.push(`- reason given: ${req.reason}`);
    if (asked && (asked.what !== req.what || asked.kind !== req.kind)) {
      lines.push(`- note: you asked for ${asked.kind} "${asked.what}"; the approver changed it before merging. Only what is listed above is approved.`);
    }
  } else {
    lines.push("", `The request file ${approvalPath(id)} was not in what was merged; only the changes below are approved.`);
  }
  if (defDiff.trim()) lines.push("", "The merge changed the crew definition:", "```diff", defDiff.trimEnd(), "```");
  lines.push("", "Continue the work where you left off, using only what was approved.");
  const preface = lines.join("\n");
  const summary = req ? `approved ${describeRequest(req)} in #${p.number}; continue.` : `approved #${p.number}; continue.`;
  const job = await followUp(s, after, p.repo, thread, agent, merger, summary, preface, `approved by @${merger.login} in #${p.number}`);
  const key = `approval:${p.repo.fullName}#${p.number}:approved`;
  const approvedWhat = req ? describeRequest(req) : "the merged change";
  if (typeof job === "string") {
    // Say so once, so that reconcile does not try again and again.
    const posted = await claim(s, rid, thread, key, `✅ @${merger.login} approved #${p.number} (${approvedWhat}), but @${agent.name} cannot continue here: ${job}.`);
    if (posted) replies.push({ issue: thread, url: posted.url });
    await label();
    return { handled: true, jobs: [], replies };
  }
  const body = `✅ @${merger.login} approved #${p.number}: ${approvedWhat}. @${agent.name} continues here.`;
  const posted = await claim(s, rid, thread, key, body);
  if (!posted) return { handled: true, jobs: [], replies };
  replies.push({ issue: thread, url: posted.url });
  await label();
  return { handled: true, jobs: [job], replies };
}

// ---------------------------------------------------------------------------
// (c) refused runs: reply, and run once after `/approve`.

function refusalKey(t: Trigger): string {
  if (t.comment) return `${t.comment.kind}-${t.comment.id}`;
  const at = (t.sha || t.thread?.pr?.headSha || "").slice(0, 12) || t.deliveryId || "-";
  return `${t.kind}@${at}`;
}

/**
 * Refused runs not yet approved. `before`: only refusals written before this
 * comment (an `/approve` approves what its author could see, never a refusal
 * posted later, e.g. for a newer head).
 */
async function pendingRefusals(s: Services, repo: RepoId, fullName: string, issue: number, before?: number): Promise<RefusalMarker[]> {
  const comments = await botComments(s, repo, issue);
  const markers = comments.filter((c) => before === undefined || c.id < before).flatMap((c) => parseRefusalMarkers(c.body));
  const done = comments.map((c) => c.body).join("\n");
  return markers.filter((m) => !hasDoneMarker(done, refusalDoneKey(fullName, issue, m)));
}

function refusalDoneKey(fullName: string, issue: number, m: RefusalMarker): string {
  return `approve:${fullName}#${issue}:${m.key}:${m.agent}:${m.sha}`;
}

const CONVERSATIONAL = new Set(["issue_comment.created", "issues.opened", "pull_request.opened", "pull_request_review.submitted", "pull_request_review_comment.created"]);

/** Re-plan refused runs with the approval: head sha pinned, the actor's permission lifted for these agents only. */
async function runRefused(s: Services, crew: Crew, t: Trigger, group: RefusalMarker[], approver: string, how: string): Promise<ApprovalEventResult> {
  const thread = t.thread;
  if (!thread) return none();
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
    const posted = await claim(
      s,
      rid,
      thread.number,
      `edited:${refusalDoneKey(t.repo.fullName, thread.number, first)}`,
      `@${approver} the request was edited (or deleted) after it was refused, so this approval does not run it. @${first.actor}, please ask again in a new comment.`,
    );
    return { handled: true, jobs: [], replies: posted ? [{ issue: thread.number, url: posted.url }] : [] };
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
        const posted = await claim(s, rid, thread.number, `moved:${refusalDoneKey(t.repo.fullName, thread.number, m)}:${head}`, body);
        if (posted) replies.push({ issue: thread.number, url: posted.url });
      }
      continue;
    }
    const key = refusalDoneKey(t.repo.fullName, thread.number, m);
    const at = m.sha !== "-" ? ` at head \`${m.sha.slice(0, 7)}\`` : "";
    const posted = await claim(s, rid, thread.number, key, `▶️ @${approver} approved${how} running @${agent.name} once for @${m.actor}'s request${at}.`);
    if (!posted) continue;
    replies.push({ issue: thread.number, url: posted.url });
    // Approved for this head: the run is no longer untrusted (the pin above made authorize pass).
    jobs.push(...jobsOf(p, crew, `approved by @${approver}${at.replace(/`/g, "")}`).map((j) => ({ ...j, planned: { ...j.planned, untrusted: [] } })));
  }
  return { handled: true, jobs, replies };
}

async function handleApproveCommand(s: Services, t: Trigger, crew: Crew, args: string): Promise<ApprovalEventResult> {
  const thread = t.thread;
  if (!thread) return none();
  const rid = repoId(t);
  const replyOnce = async (what: string, body: string): Promise<ApprovalEventResult> => {
    const key = `${what}:${t.repo.fullName}#${thread.number}:${t.comment?.id ?? t.deliveryId ?? ""}`;
    const posted = await claim(s, rid, thread.number, key, body);
    return { handled: true, jobs: [], replies: posted ? [{ issue: thread.number, url: posted.url }] : [] };
  };
  const permission = await s.github.permissionOf(rid, t.actor.login);
  // `/approve` takes the latest refused request; `/approve @agent` or `/approve <sha prefix>` picks one.
  const filters = args.split(/\s+/).filter(Boolean).map((a) => a.replace(/^@/, "").toLowerCase());
  const pending = (await pendingRefusals(s, rid, t.repo.fullName, thread.number, t.comment?.id)).filter(
    (m) => filters.length === 0 || filters.some((f) => f === m.agent || (f.length >= 7 && m.sha.startsWith(f))),
  );
  const last = pending[pending.length - 1];
  const verdict = countsAsApprover({ login: t.actor.login, type: t.actor.type, permission, teams: await teamsOf(s, crew, t.actor.login) }, crew, { requester: last?.actor });
  if (!verdict.ok) return replyOnce("approve-refused", `@${t.actor.login} \`/approve\` was not applied: ${verdict.why}. Only ${whoCanApprove(crew.config)} can approve.`);
  if (!last) {
    const which = filters.length ? ` matching \`${args.trim()}\`` : "";
    return replyOnce("approve-nothing", `@${t.actor.login} nothing in this thread${which} is waiting for an approval.`);
  }
  // The latest refused trigger, every agent it addressed (that the filter kept).
  const group = pending.filter((m) => m.key === last.key && m.sha === last.sha);
  return runRefused(s, crew, t, group, t.actor.login, "");
}

// ---------------------------------------------------------------------------
// (b) approving reviews.

async function handleReview(s: Services, t: Trigger, crew: Crew): Promise<ApprovalEventResult> {
  const thread = t.thread;
  const pr = thread?.pr;
  if (!thread || !pr || t.reviewState !== "approved") return none();
  const rid = repoId(t);
  if (pr.fork) {
    // An approving review on a fork PR approves the refused runs at exactly the reviewed commit.
    const pending = (await pendingRefusals(s, rid, t.repo.fullName, thread.number, t.comment?.id)).filter((m) => m.sha !== "-" && m.sha === t.sha);
    if (pending.length === 0) return none();
    const permission = await s.github.permissionOf(rid, t.actor.login);
    const last = pending[pending.length - 1] as RefusalMarker;
    const verdict = countsAsApprover({ login: t.actor.login, type: t.actor.type, permission, teams: await teamsOf(s, crew, t.actor.login) }, crew, { requester: last.actor });
    if (!verdict.ok) return none();
    const group = pending.filter((m) => m.key === last.key);
    return runRefused(s, crew, t, group, t.actor.login, " (approving review)");
  }
  const prefix = `${crew.config.branch_prefix}/`;
  if (!pr.headRef.startsWith(prefix)) return none();
  const agentName = pr.headRef.slice(prefix.length).split("/")[0] ?? "";
  const agent = crew.agents.find((a) => a.name === agentName);
  if (!agent || agent.gated.length === 0) return none();
  const permission = await s.github.permissionOf(rid, t.actor.login);
  const verdict = countsAsApprover({ login: t.actor.login, type: t.actor.type, permission, teams: await teamsOf(s, crew, t.actor.login) }, crew, { agent: agent.name, opener: thread.author });
  if (!verdict.ok) return none();
  const sha = t.sha || pr.headSha;
  const preface = [
    `Approved: @${t.actor.login} approved your pull request #${thread.number} in a review, at commit ${sha.slice(0, 12)} (${verdict.why}).`,
    `Your definition gates these steps on that approval: ${agent.gated.join(", ")}. You may take them now, for exactly this commit; new commits need a new approval.`,
    t.text.trim() ? `The review said:\n${t.text.trim()}` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const sessions = await linkedSessions(s, rid, thread.number, agent.name);
  const job = await followUp(s, crew, t.repo, thread.number, agent, t.actor, `approved #${thread.number} at ${sha.slice(0, 7)}; go ahead.`, preface, `approving review by @${t.actor.login}`, sessions);
  if (typeof job === "string") return none();
  const key = `review:${t.repo.fullName}#${thread.number}:${t.comment?.id ?? sha}`;
  const posted = await claim(s, rid, thread.number, key, `✅ @${t.actor.login} approved this at \`${sha.slice(0, 7)}\`: @${agent.name} goes ahead with ${agent.gated.join(", ")}.`);
  if (!posted) return { handled: true, jobs: [], replies: [] };
  return { handled: true, jobs: [job], replies: [{ issue: thread.number, url: posted.url }] };
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

// ---------------------------------------------------------------------------
// The hooks.

/**
 * Approval PR merged or closed, approving review by an approver, `/approve`
 * of a refused run: what to start. Called before the normal plan is acted on.
 */
export async function handleApprovalEvent(s: Services, trigger: Trigger, crew: Crew, plan: Plan): Promise<ApprovalEventResult> {
  const t = trigger;
  const pr = t.thread?.pr;
  if (t.event === "pull_request" && pr && !pr.fork && idFromBranch(pr.headRef) && t.thread) {
    // Approval PRs are not work for agents: opening, pushing or labelling one starts nothing.
    if (t.action !== "closed") return { handled: true, jobs: [], replies: [] };
    // Fresh from GitHub: who merged, the merge commit, and the raw body (the trigger's has markers stripped).
    const view = pullView(await s.github.getPullRequest(repoId(t), t.thread.number));
    if (view.labels.includes(APPROVAL_LABEL) || parseApprovalMarker(view.body)) return resolvePull(s, crew, view, t.actor.login);
    return none();
  }
  if (t.event === "pull_request_review") {
    const r = await handleReview(s, t, crew);
    if (r.handled) return r;
  }
  const approve = plan.commands.find((c) => c.name === "approve");
  if (approve?.allowed && t.thread) return handleApproveCommand(s, t, crew, approve.args);
  return none();
}

/** Runs refused for permission or a fork: reply in the thread naming who can approve. */
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
  const markers = refused.map((k) => refusalMarker({ key, agent: k.agent, sha, actor: t.actor.login, event: t.kind, code: k.code, text }));
  const body = [`@${t.actor.login} thanks! ${names} did not start:`, reasons, "", how, ...markers].join("\n");
  const posted = await claim(s, repoId(t), t.thread.number, `refused:${t.repo.fullName}#${t.thread.number}:${key}`, body);
  return posted ? [{ issue: t.thread.number, url: posted.url }] : [];
}

/** After a run that called `gitcrew-request-approval`: one PR per request. */
export async function openApprovalRequests(s: Services, job: RunJob, result: RunResult): Promise<{ number: number; url: string }[]> {
  if (result.approvals.length === 0) return [];
  const t = job.trigger;
  const rid = repoId(t);
  const ref = await fetchDefaultBranch(s.repoDir, t.repo.defaultBranch, s.log);
  const base = await revParse(s.repoDir, ref);
  if (!base) throw new Error(`cannot open approval requests: ${t.repo.defaultBranch} is not in ${s.repoDir}`);
  const out: { number: number; url: string }[] = [];
  for (const [i, asked] of result.approvals.entries()) {
    // Bounded: the request goes into a file, a PR title and body (GitHub caps bodies at 65,536).
    const a = { kind: asked.kind, what: clip(asked.what.trim(), REQUEST_TEXT), reason: clip(asked.reason.trim(), REQUEST_TEXT) };
    const id = approvalId(job.agent.name, result.run, i, a.kind, a.what);
    const req: ApprovalRequest = {
      id,
      kind: a.kind,
      what: a.what,
      reason: a.reason,
      agent: job.agent.name,
      requested_by: t.actor.login,
      run: result.run,
      repo: t.repo.fullName,
      thread: t.thread?.number ?? 0,
      ...(t.thread?.url ? { thread_url: t.thread.url } : {}),
      requested_at: result.finishedAt || new Date().toISOString(),
    };
    const files: Record<string, string> = { [approvalPath(id)]: renderRequest(req) };
    if (a.kind === "instructions" && a.what.trim()) {
      // An instruction change is the change itself: merging it changes the agent.
      const path = `${job.agent.dir}/instructions.md`;
      const current = (await showFile(s.repoDir, base, path)) ?? "";
      files[path] = `${current.trimEnd()}\n\n${a.what.trim()}\n`;
    }
    const what = describeRequest(req);
    const branch = approvalBranch(id);
    await pushFiles(s.repoDir, { base, branch, files, message: `Approval request: @${job.agent.name} asks for ${what}`, identity: job.agent.git });
    const where = t.thread ? ` in #${t.thread.number}` : "";
    const body = [
      `@${job.agent.name} asks for **${what}**${where} (run ${result.run}, started by @${t.actor.login}).`,
      "",
      `- kind: \`${a.kind}\``,
      `- what: ${a.what || "(not given)"}`,
      `- why: ${a.reason || "(not given)"}`,
      "",
      `**Merge** this pull request to approve, **close** it to reject. What is merged is what is approved: edit \`${approvalPath(id)}\` first to approve less.`,
      "Only the approvers named in `.gitcrew/crew.cue` count; the requester, the agent and bots never do.",
      "",
      approvalMarker({ id, agent: job.agent.name, thread: t.thread?.number ?? 0 }),
    ].join("\n");
    const title = `Approval: @${job.agent.name} asks for ${what.replace(/\s+/g, " ")}`;
    const pr = await s.github.openOrUpdatePullRequest(rid, { head: branch, title: title.length > 200 ? `${title.slice(0, 199)}…` : title, body });
    await s.github.addLabels?.(rid, pr.number, [APPROVAL_LABEL]);
    out.push({ number: pr.number, url: pr.url });
  }
  // The run's tracking comment links these PRs (executeJob), and each PR body names the thread.
  return out;
}

/** Approval PRs merged or closed while nobody listened: the follow-ups still owed. */
export async function reconcileApprovals(s: Services, crew: Crew, repo?: RepoId): Promise<RunJob[]> {
  const rid = repo ?? (await repoFromOrigin(s.repoDir));
  if (!rid || !s.github.listPullRequests) return [];
  const closed = await s.github.listPullRequests(rid, { state: "closed", max: 300 });
  const jobs: RunJob[] = [];
  for (const p of closed) {
    if (!isApprovalPull(p) || p.labels.includes(RESOLVED_LABEL)) continue;
    try {
      const view = pullView(await s.github.getPullRequest(rid, p.number));
      jobs.push(...(await resolvePull(s, crew, view)).jobs);
    } catch (err) {
      s.log(`reconcile: approval #${p.number}: ${errorMessage(err)}`);
    }
  }
  return jobs;
}

/** `owner/repo` from the clone's origin URL (https, ssh or a path ending in owner/repo(.git)). */
export async function repoFromOrigin(repoDir: string): Promise<RepoId | undefined> {
  const { execFile } = await import("node:child_process");
  const url = await new Promise<string>((resolve) =>
    execFile("git", ["-C", repoDir, "remote", "get-url", "origin"], (err, out) => resolve(err ? "" : out.trim())),
  );
  const m = /[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  return m?.[1] && m[2] ? { owner: m[1], repo: m[2] } : undefined;
}
