/**
 * The run pipeline shared by the Action and `gitcrew serve`:
 * event → trigger → crew (default branch) → GitHub context → plan → jobs,
 * then job → runner → branch pushed, PR, tracking comment, check run.
 * Planning and execution are separate so the server can queue jobs between them.
 */
import type { Agent, Crew } from "../crew/types.js";
import type { RunGitHub } from "../gateway/types.js";
import type { Trigger } from "../events/trigger.js";
import type { GitHubClient, RepoId } from "../github/types.js";
import type { Plan, PlannedRun } from "../plan/types.js";
import type { RunObserver, RunResult } from "../runner/types.js";
import type { RunRequest } from "../runner/runner.js";

/** What the pipeline needs from the Runner (the real one in production, in tests too). */
export interface RunnerLike {
  run(req: RunRequest): Promise<RunResult>;
}

export interface Services {
  github: GitHubClient;
  runner: RunnerLike;
  /** Local clone of the repository; `origin` is where agent branches are pushed. */
  repoDir: string;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
  /** Link to this workflow run (Action) or the server's run page, for the tracking comment. */
  runUrl?: string;
  /** Web URL of the GitHub instance for branch links (default https://github.com). */
  serverUrl?: string;
  /**
   * True the first time `key` is seen, false ever after: keeps redelivered
   * events from starting work twice (server: the store; Action: GitHub state).
   */
  once?(key: string): Promise<boolean>;
  /**
   * The client a run of `agent` acts with: with a GitHub App, an installation
   * token narrowed to the agent's `permissions`. Default: `github`.
   */
  clientFor?(agent: Agent): Promise<GitHubClient>;
  /**
   * GitHub inside the run: the token narrowed to the agent's `permissions`
   * (a GitHub App's; a plain token cannot be narrowed, so: undefined) and
   * where GitHub is. The run gateway holds it and adds it on its GitHub
   * route; the container never sees it.
   */
  githubFor?(agent: Agent): Promise<RunGitHub | undefined>;
  /**
   * The server: writing `answer` in its thread failed with `err`; when
   * GitHub could not be reached it is kept and written again later, also
   * after a restart (server/answer-outbox.ts).
   */
  answerLater?(what: string, err: unknown, answer: ThreadAnswer): void;
  /** Minimum time between two progress edits of the tracking comment (ms). */
  progressIntervalMs?: number;
  /**
   * The server: what became of an approval PR (approvals/resolve-pull.ts),
   * kept in its store for the dashboard. The Action has none (the repository's
   * refs/gitcrew/* are the record).
   */
  recordDecision?(d: { repo: string; pull: number; decision: "approved" | "rejected" | "not-counted"; by?: string }): Promise<void>;
}

/**
 * An answer for a thread as data (the server keeps it in its store until
 * GitHub takes it): `bodies[0]` edits gitcrew's comment (the newest whose
 * origin marker names one of `runIds`, else `edit`), or is posted anew when
 * there is none or it is gone; the other bodies are new comments.
 */
export interface ThreadAnswer {
  /** `owner/name`. */
  repo: string;
  issue: number;
  bodies: string[];
  edit?: number;
  runIds?: string[];
  /** The token narrowing it is written with (a run's comment: its agent's `permissions`). */
  permissions?: Agent["permissions"];
}

export interface EventInput {
  event: string;
  payload: unknown;
  deliveryId?: string;
}

/** One run to carry out: self-contained JSON, so the server can store it in its queue. */
export interface RunJob {
  trigger: Trigger;
  planned: PlannedRun;
  agent: Agent;
  /** Why this run exists beyond routing (e.g. "approved by @alice in #31"). */
  note?: string;
  /**
   * Set on the run an approval owes (a merged approval PR, `/approve` of a
   * refused run, an approving review): `runId` is derived from the
   * approval's claim `key`, so queueing the run twice is one run (see
   * src/approvals/follow-up-runs.ts); `pull` is the approval PR, if any.
   */
  followUp?: { key: string; runId: string; pull?: number };
  /**
   * Signs of life the server gave when it queued the run: 👀 is on the
   * trigger already, and the tracking comment (saying "queued") is there to
   * be edited rather than posted.
   */
  early?: { seen?: boolean; tracking?: { id: number; url: string } };
}

export interface Prepared {
  /** Present when the event was routed and the crew loaded. */
  plan?: Plan;
  jobs: RunJob[];
  /** Why nothing happens, when nothing does. */
  ignored?: string;
  /** Threads whose runs `/cancel` stops (`owner/repo#12`). */
  cancelThreads: string[];
  /** Comments already posted while preparing (refusals, command answers). */
  replies: { issue: number; url: string }[];
}

export interface RunReport {
  job: RunJob;
  /** The run's id, also when it ended before its container started. */
  runId?: string;
  result?: RunResult;
  status: RunResult["status"] | "awaiting_approval";
  pullRequest?: { number: number; url: string; created: boolean };
  /** Approval requests opened as pull requests by this run. */
  approvals: { number: number; url: string; kind?: string; reason?: string }[];
  comments: string[];
  checkRunId?: number;
  /** What went wrong and what to do, for failures. */
  error?: { message: string; hint?: string };
  /** The failure is the machine's (engine down, GitHub 5xx), not the agent's. */
  infrastructure?: boolean;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  runId?: string;
  /** Session to resume (server store); otherwise read from the thread. */
  resumeSessionId?: string;
  observer?: RunObserver;
  /** The server's attempt of a queued run: a failure of the machine says whether gitcrew tries again (failure-answers.ts). */
  attempt?: { n: number; of: number };
  /** The tracking comment's first write waits for it (a queue-position edit in flight lands first); the container does not. */
  commentSettled?: Promise<void>;
}

/** Comments of the thread read into the prompt (newest kept). */
export const HISTORY_COMMENTS = 50;

export function repoId(t: Trigger): RepoId {
  return { owner: t.repo.owner, repo: t.repo.name };
}

export type { Crew };
