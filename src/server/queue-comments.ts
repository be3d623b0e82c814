/**
 * Queue positions in the thread: while a run waits, its tracking comment
 * (posted "queued" by EarlySigns) says where it is and why, e.g. "queued:
 * 2nd in line, behind 2 runs of `@dev` (1 at a time)", and is edited as the
 * run moves.
 *
 * Who edits: the instance that planned the run (it posted the comment and
 * holds the GitHub access of its repository: EarlySigns hands the comment
 * over with `watchQueuedComments`), so no two instances edit one comment.
 * Its QueueComments looks at the queue every `everyMs` and edits what
 * changed, through leases in the store (Store.queueEdits): an edit is taken
 * only while the run is queued (serialised with claims), at most once per
 * `throttleMs` per comment and only when the text differs. The worker that
 * claims a run, on any instance, first waits for an edit of its comment in
 * flight (`beforeRun`), so the run's own "working" edit always comes last.
 */
import { originMarker } from "../github/marker.js";
import { renderFinal, renderWorking } from "../github/render.js";
import type { TrackingOptions } from "../github/tracking.js";
import { GitHubError } from "../github/errors.js";
import { trackingOptionsFor } from "../pipeline/execute.js";
import { CANCELLED_BEFORE_START } from "../pipeline/failure-answers.js";
import type { RunJob, Services } from "../pipeline/types.js";
import type { QueueEntry, QueueReason } from "../store/queue.js";
import type { RunRecord, Store } from "../store/types.js";
import { errorMessage } from "../util/errors.js";
import { runnerRunId } from "./run-id.js";

/** Shows `status` in a queued run's tracking comment; false when the comment is gone (deleted: the run posts it again when it starts). */
export type QueueCommentEditor = (status: string) => Promise<boolean>;

/** The comments this process may edit, by run id, while some QueueComments looks at the queue. */
const editors = new Map<string, { edit: QueueCommentEditor; cancelled: () => Promise<unknown>; at: number }>();
let watching = 0;

/**
 * Planning queued these jobs (`ids`: their run ids as the store gives them): their
 * tracking comments, posted for the first attempt, are this process's to
 * keep up to date while the runs wait. Rendered as the post was (same marker,
 * same link), with the queue status.
 */
export function watchQueuedComments(s: Services, ids: string[], jobs: RunJob[]): void {
  if (watching === 0) return;
  jobs.forEach((job, i) => {
    const ref = job.early?.tracking;
    const id = ids[i];
    if (!ref || !id || !job.trigger.thread) return;
    const write = async (body: (o: TrackingOptions) => string): Promise<boolean> => {
      const github = s.clientFor ? await s.clientFor(job.agent) : s.github;
      const opts = trackingOptionsFor(s, job, runnerRunId(id, 1), github, (m) => s.log(`warning: ${m}`));
      try {
        await github.updateComment(opts.repo, ref.id, body(opts));
        return true;
      } catch (err) {
        if (err instanceof GitHubError && err.status === 404) return false;
        throw err;
      }
    };
    const edit: QueueCommentEditor = (status) => write((o) => renderWorking(o.origin.agent, originMarker(o.origin), o.runUrl, status));
    // Cancelled while it waited: no run will ever finish this comment.
    const cancelled = () =>
      write((o) => renderFinal({ agent: o.origin.agent, status: "cancelled", runUrl: o.runUrl, error: CANCELLED_BEFORE_START }, originMarker(o.origin))[0] ?? "");
    editors.set(id, { edit, cancelled, at: Date.now() });
  });
}

export interface QueueCommentOptions {
  /** This instance's name (the edit leases' holder). */
  owner: string;
  /** How often the queue is looked at (default 2 s). */
  everyMs?: number;
  /** Least time between two edits of one comment, its first post included (default 5 s). */
  throttleMs?: number;
  /** Most edits per look, all comments together, nearest the head first: GitHub's limits on writes (default 2). */
  maxEditsPerTick?: number;
  /** Positions shown exactly; beyond, "behind N+ runs", which does not change as runs move (default 20). */
  exactUpTo?: number;
  /** Runner slots free on this instance: a run the next claim takes is not edited (it starts now). */
  freeSlots?: () => number;
  /** Runs of one repository at once, as this instance claims (`--repo-concurrency`). */
  repoLimit?: number;
  /** How long an edit's lease lasts; a run's start waits for it at most this long (default 30 s). */
  leaseMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

export class QueueComments {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private started = false;
  private stopped = false;
  private ticks = 0;
  private readonly o: Required<Omit<QueueCommentOptions, "freeSlots" | "repoLimit">> & Pick<QueueCommentOptions, "freeSlots" | "repoLimit">;

  constructor(
    private readonly store: Store,
    options: QueueCommentOptions,
  ) {
    this.o = {
      everyMs: 2000,
      throttleMs: 5000,
      maxEditsPerTick: 2,
      exactUpTo: 20,
      leaseMs: 30_000,
      now: Date.now,
      log: () => undefined,
      ...options,
    };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    watching++;
    const next = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        this.running = this.tick()
          .catch((err: unknown) => this.o.log(`queue comments: ${errorMessage(err)}`))
          .finally(next);
      }, this.o.everyMs);
      this.timer.unref?.();
    };
    next();
  }

  async stop(): Promise<void> {
    if (this.stopped || !this.started) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    if (--watching === 0) editors.clear();
  }

  /** One look at the queue: edit the comments of this process whose text changed, nearest the head first. */
  async tick(): Promise<void> {
    // Nothing of this process's to keep up to date: no need to read the queue.
    if (editors.size === 0) return;
    const now = this.o.now();
    const free = this.o.freeSlots?.();
    const view = await this.store.queue({ now, limit: VIEW_LIMIT, ...(free !== undefined ? { freeSlots: free } : {}), ...(this.o.repoLimit ? { repoLimit: this.o.repoLimit } : {}) });
    const states = await this.store.queueEdits.states();
    let edits = 0;
    for (const entry of view.entries) {
      if (edits >= this.o.maxEditsPerTick) break;
      const editor = editors.get(entry.id);
      // A retried attempt's first comment holds the failed attempt's report; a "next" run starts at the next claim.
      if (!editor || entry.attempt > 1 || entry.reason.kind === "next") continue;
      const text = queueStatus(entry, this.o.exactUpTo);
      const state = states.get(entry.id);
      if (state?.text === text || (state?.editingUntil ?? 0) >= now) continue;
      if ((state?.editedAt ?? entry.createdAt) + this.o.throttleMs > now) continue;
      if (!(await this.store.queueEdits.take(entry.id, text, this.o.owner, now, this.o.throttleMs, this.o.leaseMs))) continue;
      edits++;
      let written: string | undefined;
      try {
        if (await editor.edit(text)) written = text;
        else editors.delete(entry.id);
      } catch (err) {
        this.o.log(`queue comments: run ${entry.id}: could not show its place in the queue: ${errorMessage(err)}`);
      } finally {
        await this.store.queueEdits.done(entry.id, this.o.owner, written, this.o.now());
      }
    }
    if (++this.ticks % SWEEP_EVERY === 0) await this.sweep(new Set(view.entries.map((e) => e.id)));
  }

  /**
   * Forget comments of runs that left the queue (a run not stored yet is
   * being planned: kept a while); one cancelled before any claim is
   * finished here, since no run will.
   */
  private async sweep(inView: Set<string>): Promise<void> {
    const now = this.o.now();
    await this.store.queueEdits.sweep(now);
    for (const [id, entry] of editors) {
      if (inView.has(id)) continue;
      const run = await this.store.getRun(id);
      if (run ? run.status === "queued" : now - entry.at <= UNSTORED_MS) continue;
      editors.delete(id);
      if (run?.status === "cancelled" && run.claimedAt === undefined) {
        await entry.cancelled().catch((err: unknown) => this.o.log(`queue comments: run ${id}: could not say it was cancelled: ${errorMessage(err)}`));
      }
    }
  }

  /** A run was claimed: wait for an edit of its comment in flight (any instance's), so the run's own edits come after it. */
  async beforeRun(run: RunRecord): Promise<void> {
    editors.delete(run.id);
    for (;;) {
      const until = await this.store.queueEdits.settle(run.id, this.o.now());
      if (until === 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(SETTLE_POLL_MS, Math.max(1, until - this.o.now() + 1))));
    }
  }
}

/** Queued runs looked at per tick. */
const VIEW_LIMIT = 1000;
const SWEEP_EVERY = 5;
/** How long a comment is kept for a run that is not in the store (its planning failed and is tried again under the same id). */
const UNSTORED_MS = 10 * 60_000;
const SETTLE_POLL_MS = 50;

/** "queued: 2nd in line, behind 2 runs of `@dev` (1 at a time)". The agent in a code span: no one is notified, no agent is mentioned. */
export function queueStatus(entry: QueueEntry, exactUpTo = 20): string {
  if (entry.position > exactUpTo) return `queued: behind ${exactUpTo}+ runs`;
  return `queued: ${ordinal(entry.position)} in line, ${waitingFor(entry.reason, `\`@${entry.agent}\``)}`;
}

/** Why a run waits, in words; `agent` is how the agent is named. */
export function waitingFor(reason: QueueReason, agent: string): string {
  switch (reason.kind) {
    case "retry":
      return `attempt ${reason.attempt} not before ${new Date(reason.notBefore).toISOString().slice(11, 19)} UTC`;
    case "thread":
      return `behind ${runs(reason.ahead)} in this thread`;
    case "agent":
      return `behind ${runs(reason.ahead)} of ${agent} (${reason.limit} at a time)`;
    case "repo":
      return `behind ${runs(reason.ahead)} of ${reason.repo} (${reason.limit} at a time)`;
    case "capacity":
      return "waiting for a free runner";
    case "next":
      return "next to start";
  }
}

const runs = (n: number) => `${n} run${n === 1 ? "" : "s"}`;

export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
}
