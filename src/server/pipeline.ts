/**
 * What the server needs from the rest of gitcrew, injected: a handler that
 * turns a stored delivery into runs (normalize → load crew → plan), and an
 * executor that carries out one run (the runner, in Docker). The worker loop
 * is built and tested against these interfaces only.
 */
import type { RunCost } from "../runner/cost.js";
import type { Delivery, RunOutcomeDetail, RunRecord, RunStatus, Store } from "../store/types.js";
import type { ServeSettings } from "./settings.js";
import type { CrewView, PullState } from "./dashboard/routes.js";
import { EnvironmentError } from "../util/errors.js";

/** Tries at planning one delivery: a temporary failure (EnvironmentError) is planned again until this many. */
export const DELIVERY_ATTEMPTS = 5;

/** Is a delivery whose planning threw `err` at its `attempts`-th try planned again (else it is failed, and the thread told)? */
export function plannedAgain(err: unknown, attempts: number): boolean {
  return err instanceof EnvironmentError && attempts < DELIVERY_ATTEMPTS;
}

/** One run to enqueue; `plan` is stored as JSON and handed back to the executor. */
export interface PlannedRunLike {
  agent: string;
  /** `owner/repo#12`: runs of one thread run one at a time, in order. */
  threadKey: string;
  /** The agent's `concurrency` (default 1), honoured across instances. */
  agentLimit?: number;
  /** Attempts for infrastructure failures (default 3). */
  maxAttempts?: number;
  plan: unknown;
}

export interface DeliveryPlan {
  runs: PlannedRunLike[];
  /** Threads whose unfinished runs a `/cancel` stops. */
  cancelThreads?: string[];
  /** Why nothing happens, for the log. */
  ignored?: string;
}

export interface DeliveryHandler {
  /**
   * Plan one delivery. Throw `EnvironmentError` for a temporary failure (GitHub
   * 5xx, git fetch failed): the delivery is tried again later. Any other error
   * marks the delivery failed.
   */
  plan(delivery: Delivery): Promise<DeliveryPlan>;
  /**
   * Planned, but its runs were not stored (the store failed): their tracking
   * comments, posted already, are withdrawn (`plannedAgain`: planning again
   * posts them anew) or say what failed.
   */
  notQueued?(delivery: Delivery, plan: DeliveryPlan, error: unknown, plannedAgain: boolean): Promise<void>;
}

export interface RunContext {
  /** Aborted on `/cancel`, `gitcrew cancel`, a lost lease, or shutdown past the grace period. */
  signal: AbortSignal;
  /** Session id of the thread's previous run, to continue the conversation. */
  resumeSessionId?: string;
  /** Call once real work starts (container created): a lost lease then counts as a failed attempt. */
  started(info: { containerId?: string; sessionId?: string }): Promise<void>;
  /** Append to the run's log (`gitcrew logs`). */
  log(text: string): void;
  /**
   * Settles when a queue-position edit of the run's tracking comment in flight
   * has landed (QueueComments.beforeRun): the run's own "working" edit waits
   * for it, its container does not.
   */
  commentSettled?: Promise<void>;
}

export interface RunOutcome {
  status: Exclude<RunStatus, "queued" | "running">;
  error?: string;
  sessionId?: string;
  /** The machine failed, not the agent (engine down, image missing, GitHub 5xx): retried with backoff. */
  infrastructure?: boolean;
  /** Model tokens and USD, from the run gateway (for /metrics). */
  cost?: RunCost;
  /** What the run left (answer, changed files, PR, approval requests), kept with its record (run-outcome.ts). */
  outcome?: RunOutcomeDetail;
}

export interface RunExecutor {
  /** Throwing `EnvironmentError` counts as an infrastructure failure; other throws fail the run. */
  execute(run: RunRecord, context: RunContext): Promise<RunOutcome>;
  /**
   * Can this instance run anything now (its Docker engine answers)? While it
   * cannot, the worker claims nothing: queued runs wait without using attempts.
   */
  available?(): Promise<boolean>;
  /**
   * A run whose tracking comment no executor finishes: cancelled before any
   * claim, or its attempt lost (the instance holding it stopped renewing the
   * lease; `run` is as the reaper left it: queued for another attempt, or
   * failed). Its comment says so.
   */
  notRun?(run: RunRecord, why: "cancelled" | "lost"): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  /** Why not (broken crew on the default branch, …), shown by /readyz. */
  reason?: string;
  /** Serving many repositories: those whose crew is broken, with why (the others go on; the server stays ready). */
  repos?: Record<string, string>;
}

export interface Pipeline {
  handler: DeliveryHandler;
  executor: RunExecutor;
  /** The crew's health: a broken crew keeps the last good one running but is not ready. `repo`: one repository's (`/readyz?repo=`). */
  readiness?(repo?: string): Readiness;
  /** The crews as loaded from the default branches, for the dashboard (dashboard/crew-view.ts). */
  crews?(): CrewView[];
  /** An approval PR's state on GitHub, for the dashboard's approvals (a request closed without merging is rejected). */
  pullState?(repo: string, pullNumber: number): Promise<PullState>;
  close?(): Promise<void>;
}

export interface PipelineContext {
  /** `--repo`: OWNER/NAME or the path of a local clone; absent when serving many (`settings.repos`, or an App's installations). */
  repo?: string;
  store: Store;
  env: NodeJS.ProcessEnv;
  cwd: string;
  log(line: string): void;
  /** Every `gitcrew serve` setting (GitHub access, instance name, crew refresh). */
  settings: ServeSettings;
}

export type PipelineFactory = (context: PipelineContext) => Promise<Pipeline>;
