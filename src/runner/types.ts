/** What the runner reports while a run goes and when it ends. */
import type { RunReport } from "../gateway/types.js";
import type { Usage } from "../runtimes/types.js";

export type RunStatus = "queued" | "running" | "succeeded" | "failed" | "timed_out" | "cancelled" | "budget_exceeded" | "disk_exceeded";

export type ApprovalKind = "package" | "secret" | "permission" | "instructions" | "action";

/** Events from inside the container and from the runner itself, already masked. */
export type RunEvent =
  | { type: "started"; runId: string; containerId: string; at: string }
  | { type: "log"; stream: "stdout" | "stderr"; line: string }
  /** `gitcrew-status "…"` or a `{"gitcrew":"status","text":…}` line on stdout. */
  | { type: "status"; text: string }
  /** `gitcrew-return "…"`: the last one is the run's answer. */
  | { type: "return"; value: string }
  /** `gitcrew-request-approval --reason … --kind … --what …`. */
  | { type: "approval"; kind: ApprovalKind; reason: string; what: string }
  | { type: "finished"; result: RunResult };

/** Callback interface the CLI, the Action and the server plug into (comments, approval PRs). */
export interface RunObserver {
  onEvent(event: RunEvent): void;
}

export interface RunResult {
  run: string;
  agent: string;
  status: Exclude<RunStatus, "queued" | "running">;
  exitCode: number;
  answer: string;
  changedFiles: string[];
  /** Changes the agent may not commit (`.github/workflows` without `workflows: write`): left out of its commit. */
  held?: string[];
  /** Branch holding the agent's commit; absent when nothing changed. */
  branch?: string;
  commit?: string;
  sessionId?: string;
  usage?: Usage;
  /**
   * The run gateway's account of the run (network `gateway`): tokens in, out and
   * cached, USD (`costUsd`; models without a price in `unpricedModels`), every
   * refused connection or request, and the cap that stopped it (`budgetExceeded`).
   */
  gateway?: RunReport;
  /** Why the run failed, timed out or was cancelled. */
  reason?: string;
  /** Cancelled before its container started (while the worktree was made): nothing of the agent ran. */
  notStarted?: boolean;
  approvals: { kind: ApprovalKind; reason: string; what: string }[];
  startedAt: string;
  finishedAt: string;
  /** Where the time went, in ms from the call to Runner.run (absent when it failed before a container). */
  timings?: RunTimings;
}

export interface RunTimings {
  /** Worktree created and injected files written. */
  workspaceMs: number;
  /** From the call to the container started (workspace included). */
  startedMs: number;
  /** From the workspace ready to the container started: the runner's own cost on the engine. */
  createToStartMs: number;
  /** Container started to its exit and last output line. */
  containerMs: number;
  /** Commit of the agent's changes, if any. */
  commitMs: number;
  /** Container, worktree and channel folder removed. */
  cleanupMs?: number;
  /** The whole Runner.run, cleanup included. */
  totalMs: number;
}

/** Exit code recorded for a cancelled run (as a shell reports SIGINT). */
export const EXIT_CANCELLED = 130;
