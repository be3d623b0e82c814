/**
 * Planning a run that an approval starts: the approved agent alone, on the
 * original thread, as if a person had written there.
 */
import type { Agent, Crew } from "../crew/types.js";
import { readIssueThread, textFields } from "../events/common.js";
import { PayloadReader } from "../events/read.js";
import { permissionAtLeast, type Permission, type RepoRef, type Thread, type Trigger } from "../events/trigger.js";
import type { RepoId } from "../github/types.js";
import { jobsOf, planTrigger } from "../pipeline/plan-trigger.js";
import type { RunJob, Services } from "../pipeline/types.js";

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
export function soloCrew(crew: Crew, agent: Agent): Crew {
  return { ...crew, agents: [{ ...agent, triggers: { ...agent.triggers, mention: true, edits: false } }] };
}

/** Text fields for a trigger gitcrew builds itself (it has no origin on GitHub). */
export function withoutOrigin<T extends { origin?: unknown }>(f: T): Omit<T, "origin"> {
  const { origin: _origin, ...rest } = f;
  return rest;
}

export interface FollowUp {
  crew: Crew;
  repo: RepoRef;
  thread: number;
  agent: Agent;
  /** Who approved: the run is planned as if they had written `text` in the thread. */
  actor: { login: string; type?: string };
  text: string;
  /** Said to the agent first: what was approved and why it counts. */
  preface: string;
  /** Why the job exists, for its tracking comment. */
  note: string;
  /** Sessions to resume instead of the thread's own. */
  sessions?: Record<string, string>;
}

/**
 * One run of the agent on the thread, with the preface said first and the
 * agent's session in that thread resumed; or why it was not planned.
 */
export async function followUp(s: Services, f: FollowUp): Promise<RunJob | string> {
  const { crew, agent } = f;
  const thread = await readThread(s, { owner: f.repo.owner, repo: f.repo.name }, f.thread);
  const t: Trigger = {
    event: "issue_comment",
    action: "created",
    kind: "issue_comment.created",
    repo: f.repo,
    thread,
    actor: { login: f.actor.login, type: f.actor.type === "Bot" ? "Bot" : "User" },
    ...withoutOrigin(textFields(`@${agent.name} ${f.text}`)),
    commands: [],
    untrusted: [],
  };
  // The approval vouches for the run: the actor counts as having what the agent needs, and at least write.
  const permission: Permission = permissionAtLeast(agent.allow.permission, "write") ? agent.allow.permission : "write";
  const p = await planTrigger(s, t, soloCrew(crew, agent), { preface: f.preface, permission, ...(f.sessions ? { sessions: f.sessions } : {}) });
  return jobsOf(p, crew, f.note)[0] ?? p.skipped.find((k) => k.agent === agent.name)?.reason ?? "it was not planned";
}
