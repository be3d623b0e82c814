/**
 * The worker loop of one instance: plan stored deliveries, claim runs under
 * the limits, keep leases alive, stop runs on cancel, retry infrastructure
 * failures with backoff, and give runs back on shutdown.
 */
import { EnvironmentError, GitcrewError, errorMessage } from "../util/errors.js";
import { backoffMs } from "../store/rows.js";
import { repoOfPayload, UNKNOWN_REPO } from "../store/repo-key.js";
import type { Delivery, DeliveryInput, RunRecord, Store, WorkKind } from "../store/types.js";
import { QueueFailed } from "../pipeline/failure-answers.js";
import { plannedAgain, type DeliveryHandler, type DeliveryPlan, type RunExecutor, type RunOutcome } from "./pipeline.js";
import type { Metrics } from "./metrics.js";
import { oneLine } from "../util/terminal-text.js";

export interface WorkerOptions {
  /** This instance's name in leases. */
  owner: string;
  /** Runs this instance runs at once. */
  concurrency: number;
  /** Runs of one repository at once across instances (`--repo-concurrency`), handed to the store's claim. */
  repoLimit?: number;
  leaseMs: number;
  /** Idle poll interval, a fallback: stored deliveries and queued runs wake the loops at once (Store.subscribe). */
  pollMs: number;
  /** First retry delay; doubles per attempt. */
  retryBaseMs: number;
  /** Retention: what finished longer ago than this is pruned (`Store.prune`); 0 or absent keeps everything. */
  retainMs?: number;
  /** How often retention runs (once per period across the instances sharing the store); default an hour. */
  pruneEveryMs?: number;
  now?: () => number;
  log?: (line: string) => void;
  metrics?: Metrics;
  /** A run was claimed, before it is executed (QueueComments.beforeRun: a queue edit of its comment in flight lands first). */
  beforeRun?: (run: RunRecord) => Promise<void>;
}

type StopReason = "cancel" | "lease-lost" | "shutdown";

interface Active {
  run: RunRecord;
  controller: AbortController;
  reason?: StopReason;
  done: Promise<void>;
}

export class Worker {
  private readonly active = new Map<string, Active>();
  private stopping = false;
  /** Each loop's idle wait and its wake count: a stored delivery wakes the planner, a queued run the claimer. */
  private readonly lanes: Record<"plan" | "claim", Lane> = { plan: new Lane(), claim: new Lane() };
  private loops: Promise<void>[] = [];
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly store: Store,
    private readonly handler: DeliveryHandler,
    private readonly executor: RunExecutor,
    private readonly options: WorkerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => undefined);
  }

  start(): void {
    // Queued work wakes the loops at once (this process's store writes; other instances' through the store); the poll is the fallback.
    this.unsubscribe = this.store.subscribe?.((kind) => this.wake(kind));
    this.started = true;
    this.loops = [this.loop(() => this.planStep(), this.lanes.plan), this.loop(() => this.claimOne(), this.lanes.claim), this.tick(this.options.leaseMs / 3, () => this.keepAlive())];
    if (this.options.retainMs) this.loops.push(this.tick(this.options.pruneEveryMs ?? HOUR, () => this.pruneOld()));
  }

  /** A delivery was stored or a run ended: look for work now rather than at the next poll. */
  wake(kind: WorkKind = "any"): void {
    if (kind !== "run") this.lanes.plan.wake();
    if (kind !== "delivery") this.lanes.claim.wake();
  }

  /**
   * Store a delivery this instance received (the webhook's durable write).
   * While the planner is idle, the delivery is stored leased to this instance
   * and handed to the planner as it is: planned at once, with no claim and no
   * wake through the store on the way to 👀. Otherwise it is stored for any
   * instance's planner, which the store wakes.
   */
  receive(d: DeliveryInput): Promise<boolean> {
    if (!this.started || this.stopping || this.planning || this.handoff) return this.store.recordDelivery(d);
    const stored = this.store.recordDelivery(d, { owner: this.options.owner, until: this.now() + this.options.leaseMs });
    this.handoff = stored.then(
      (fresh): Delivery | undefined => (fresh ? { ...d, repo: d.repo ?? repoOfPayload(d.payload) ?? UNKNOWN_REPO, state: "pending", attempts: 1 } : undefined),
      () => undefined,
    );
    this.wake("delivery");
    return stored;
  }

  private started = false;
  /** The planner is in a step (a received delivery is then stored for whoever plans next). */
  private planning = false;
  /** A received delivery leased to this instance, for the planner's next step. */
  private handoff: Promise<Delivery | undefined> | undefined;

  get running(): number {
    return this.active.size;
  }

  /**
   * Stop claiming, let runs finish for `graceMs`, then abort and requeue the
   * rest. Every wait is cancelled when it is over (an idle instance exits at
   * once), and `hurry()` cuts both waits short.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.wake();
    const all = () => Promise.all([...this.active.values()].map((a) => a.done));
    if (this.active.size) await this.waitAtMost(all(), graceMs);
    for (const a of this.active.values()) this.abort(a, "shutdown");
    if (this.active.size) await this.waitAtMost(all(), Math.min(10_000, this.options.leaseMs));
    // Runs whose executor ignored the abort (or a hurried stop) are handed back all the same.
    for (const a of this.active.values()) await this.store.release(a.run.id, this.options.owner).catch(() => undefined);
    // Heartbeats went on during the grace period; now the periodic loops end.
    this.ticking = false;
    this.wakeSleepers();
    await Promise.all(this.loops);
    // A received delivery the planner did not get to: its lease is given up, for any instance to plan.
    const left = await this.handoff;
    this.handoff = undefined;
    if (left) await this.store.failDelivery(left.id, "not planned yet: the instance that received it stopped", this.now()).catch(() => undefined);
  }

  /** A second signal during `stop`: stop waiting for runs, abort and requeue them now. */
  hurry(): void {
    this.hurried = true;
    for (const a of this.active.values()) this.abort(a, "shutdown");
    this.wakeSleepers();
  }

  private unsubscribe: (() => void) | undefined;
  private hurried = false;
  private ticking = true;
  private readonly sleepers = new Set<() => void>();

  private wakeSleepers(): void {
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
  }

  /** `p`, or `ms` (or `hurry()`) if sooner; the timer is cleared either way so it keeps no process alive. */
  private waitAtMost(p: Promise<unknown>, ms: number, hurriable = true): Promise<void> {
    if (hurriable && this.hurried) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => (clearTimeout(timer), this.sleepers.delete(done), resolve());
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
      void p.then(done, done);
    });
  }

  private async loop(step: () => Promise<boolean>, lane: Lane): Promise<void> {
    while (!this.stopping) {
      let busy = false;
      const wakesBefore = lane.wakes;
      try {
        busy = await step();
      } catch (err) {
        this.log(`worker: ${errorMessage(err)}`);
      }
      if (!busy && !this.stopping && lane.wakes === wakesBefore) await lane.idle(this.options.pollMs);
      // A backlog is worked through in promise callbacks alone (the SQLite store answers at once):
      // give the event loop a turn between steps, or webhooks wait until the backlog is done.
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async planStep(): Promise<boolean> {
    this.planning = true;
    try {
      return await this.planOne();
    } finally {
      this.planning = false;
    }
  }

  /** The delivery this instance received and leased to itself, else one claimed from the store. */
  private async nextDelivery(): Promise<Delivery | undefined> {
    const handed = this.handoff;
    this.handoff = undefined;
    return (await handed) ?? this.store.claimDelivery(this.options.owner, this.now(), this.options.leaseMs);
  }

  private async tick(everyMs: number, step: () => Promise<void>): Promise<void> {
    while (this.ticking) {
      await this.waitAtMost(new Promise(() => undefined), everyMs, false);
      if (!this.ticking) return;
      await step().catch((err: unknown) => this.log(`worker: ${errorMessage(err)}`));
    }
  }

  private async planOne(): Promise<boolean> {
    const delivery = await this.nextDelivery();
    if (!delivery) return false;
    let plan: DeliveryPlan | undefined;
    try {
      plan = await this.handler.plan(delivery);
      for (const thread of plan.cancelThreads ?? []) {
        for (const run of await this.store.cancelThread(thread, this.now())) {
          this.log(`run ${run.id}: cancel requested by delivery ${delivery.id}`);
          // Cancelled before any instance claimed it: no run will finish its comment.
          if (run.status === "cancelled" && run.claimedAt === undefined) await this.executor.notRun?.(run, "cancelled").catch((err: unknown) => this.log(`run ${run.id}: ${errorMessage(err)}`));
        }
      }
      const runs = plan.runs.map((r) => ({ ...r, agentLimit: r.agentLimit ?? 1 }));
      // The store failing here is a temporary failure: the delivery is planned again.
      const stored = await this.store.completeDelivery(delivery.id, runs, this.now()).catch((err: unknown) => Promise.reject(new QueueFailed(err)));
      this.log(`delivery ${delivery.id} (${delivery.event}): ${stored.length ? `queued ${stored.map((r) => r.id).join(", ")}` : (plan.ignored ?? "no runs")}`);
    } catch (err) {
      const temporary = plannedAgain(err, delivery.attempts);
      const retryAt = temporary ? this.now() + backoffMs(delivery.attempts, this.options.retryBaseMs) : undefined;
      try {
        await this.store.failDelivery(delivery.id, errorMessage(err), retryAt);
        this.log(`delivery ${delivery.id}: planning failed${temporary ? ", will retry" : ""}: ${errorMessage(err)}`);
        if (!temporary) this.options.metrics?.recordDeliveryFailed(delivery.event);
      } finally {
        // Planned but not stored: the runs' tracking comments are withdrawn (planned again) or say what failed.
        if (plan?.runs.length) await this.handler.notQueued?.(delivery, plan, err, temporary).catch((e: unknown) => this.log(`delivery ${delivery.id}: ${errorMessage(e)}`));
      }
    }
    return true;
  }

  private async claimOne(): Promise<boolean> {
    if (this.stopping) return false;
    if (this.active.size >= this.options.concurrency) return false;
    if (this.executor.available && !(await this.executor.available())) return false;
    const run = await this.store.claimRun({ owner: this.options.owner, now: this.now(), leaseMs: this.options.leaseMs, ownerLimit: this.options.concurrency, repoLimit: this.options.repoLimit });
    if (!run) return false;
    const controller = new AbortController();
    const entry: Active = { run, controller, done: Promise.resolve() };
    this.active.set(run.id, entry);
    entry.done = this.execute(entry).catch((err: unknown) => this.log(`run ${run.id}: ${errorMessage(err)}`)).finally(() => {
      this.active.delete(run.id);
      this.wake("run");
    });
    return true;
  }

  private abort(a: Active, reason: StopReason): void {
    if (a.reason) return;
    a.reason = reason;
    // The run's comment says why it stopped: it is not over, the run is taken up again.
    const words = STOPPED_WORDS[reason];
    a.controller.abort(words ? new GitcrewError(words.message, 1, words.hint) : new Error(reason));
  }

  private async keepAlive(): Promise<void> {
    const ids = [...this.active.keys()];
    const lost = await this.store.heartbeat(this.options.owner, ids, this.now(), this.options.leaseMs);
    for (const id of lost) {
      const a = this.active.get(id);
      if (a) (this.log(`run ${id}: lease lost, stopping it`), this.abort(a, "lease-lost"));
    }
    for (const id of await this.store.cancelRequested(ids)) {
      const a = this.active.get(id);
      if (a) this.abort(a, "cancel");
    }
    if (!this.stopping) {
      const r = await this.store.reapExpired(this.now());
      for (const id of [...r.requeued, ...r.retried, ...r.failed]) this.log(`run ${id}: its instance stopped renewing the lease; ${r.failed.includes(id) ? "failed" : "requeued"}`);
      // The lost attempt's comment said "working": it now says what happened (tried again, or over).
      for (const id of [...r.retried, ...r.failed]) {
        const run = this.executor.notRun && (await this.store.getRun(id));
        if (run) await this.executor.notRun?.(run, "lost").catch((err: unknown) => this.log(`run ${id}: ${errorMessage(err)}`));
      }
    }
  }

  /** Retention, by one instance per period: the store's `once` key names the period. */
  async pruneOld(): Promise<void> {
    const retainMs = this.options.retainMs;
    if (!retainMs) return;
    const now = this.now();
    const every = this.options.pruneEveryMs ?? HOUR;
    if (!(await this.store.once(`prune:${Math.floor(now / every)}`, this.options.owner, now))) return;
    const gone = await this.store.prune(now - retainMs, now);
    if (Object.values(gone).every((n) => n === 0)) return;
    const days = +(retainMs / DAY).toFixed(2);
    this.log(`retention: forgot what finished over ${days} day(s) ago: ${gone.deliveries} deliveries, ${gone.runs} runs, ${gone.logs} log chunks, ${gone.onceKeys} once keys, ${gone.spendRows} budget rows, ${gone.repoTurns} repository turns, ${gone.approvalDecisions} approval decisions, ${gone.answers} answers never written`);
  }

  private async execute(a: Active): Promise<void> {
    const { run } = a;
    const owner = this.options.owner;
    const startedAt = this.now();
    let outcome: RunOutcome;
    try {
      // Not awaited: the container starts meanwhile; only the run's own edit of its comment waits for it.
      const commentSettled = this.options.beforeRun?.(run).catch((err: unknown) => this.log(`run ${run.id}: ${errorMessage(err)}`));
      outcome = await this.executor.execute(run, {
        ...(commentSettled ? { commentSettled } : {}),
        signal: a.controller.signal,
        resumeSessionId: await this.store.lastSessionId(run.threadKey),
        started: (info) => this.store.markStarted(run.id, owner, this.now(), info),
        log: (text) => void this.store.appendLog(run.id, text, this.now()).catch(() => undefined),
      });
    } catch (err) {
      outcome = { status: "failed", error: errorMessage(err), infrastructure: err instanceof EnvironmentError };
    }
    if (a.reason === "shutdown") {
      await this.store.release(run.id, owner);
      return this.log(`run ${run.id}: stopped by shutdown, back in the queue`);
    }
    if (a.reason === "lease-lost") return;
    if (a.reason === "cancel") outcome = { ...outcome, status: "cancelled", error: "cancelled", infrastructure: false };
    if (outcome.infrastructure && run.attempt < run.maxAttempts) {
      const notBefore = this.now() + backoffMs(run.attempt, this.options.retryBaseMs);
      const why = outcome.error ?? "infrastructure failure";
      await this.store.appendLog(run.id, `gitcrew: attempt ${run.attempt} failed (infrastructure): ${oneLine(why)}; retrying\n`, this.now());
      await this.store.retryLater(run.id, owner, `attempt ${run.attempt}: ${why}`, notBefore);
      return this.log(`run ${run.id}: infrastructure failure, retrying in ${notBefore - this.now()} ms: ${outcome.error ?? ""}`);
    }
    const { infrastructure: _ignored, ...record } = outcome;
    await this.store.finishRun(run.id, owner, record, this.now());
    this.options.metrics?.recordRunFinished(run.repo, outcome.status, (this.now() - startedAt) / 1000);
    if (outcome.cost) this.options.metrics?.recordModelUsage(run.agent, outcome.cost);
    this.log(`run ${run.id}: ${outcome.status}${outcome.error ? `: ${outcome.error}` : ""}`);
  }
}

/** One loop's idle wait; `wakes` counts wakes, so that one arriving while a step runs (its query may have missed the new work) is not lost. */
class Lane {
  wakes = 0;
  private readonly waiters = new Set<() => void>();

  wake(): void {
    this.wakes++;
    for (const resolve of this.waiters) resolve();
    this.waiters.clear();
  }

  idle(pollMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => (clearTimeout(timer), this.waiters.delete(done), resolve());
      const timer = setTimeout(done, pollMs);
      this.waiters.add(done);
    });
  }
}

const STOPPED_WORDS: Partial<Record<StopReason, { message: string; hint: string }>> = {
  "lease-lost": { message: "this server lost its hold on the run (its lease in the queue expired)", hint: "nothing to do: gitcrew tries again if attempts are left, and says so here" },
  shutdown: { message: "the server running it was stopped", hint: "nothing to do: the run is back in the queue and starts again on a running server" },
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
