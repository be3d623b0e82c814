/**
 * The pipeline `gitcrew serve` uses, built from the shared one in
 * src/pipeline: a stored delivery is prepared (normalize → crew from the
 * default branch → GitHub context → plan) into RunJobs, which are queued as
 * runs; a claimed run is carried out by executeJob (tracking comment,
 * container, branch, PR). Around it, per repository served (ServedRepos):
 * the checkout (cloned and kept fresh), crew reloads (push to the default
 * branch, periodic fetch), schedules; and GitHub's installation and
 * repository events, which start or stop serving repositories.
 */
import { join } from "node:path";
import type { Crew } from "../crew/types.js";
import { executeJob } from "../pipeline/execute.js";
import { prepareEvent } from "../pipeline/prepare.js";
import { repoId, type RunJob, type RunnerLike } from "../pipeline/types.js";
import { connectDocker } from "../runner/engine.js";
import { Runner } from "../runner/runner.js";
import type { RunEvent } from "../runner/types.js";
import { runCostOf } from "../runner/cost.js";
import { StoreLedger } from "../store/ledger.js";
import type { Delivery, RunInput } from "../store/types.js";
import { EnvironmentError, GitcrewError, errorMessage } from "../util/errors.js";
import { gitcrewHome } from "../util/home.js";
import { CheckoutPool } from "./checkouts.js";
import { GitHubAccess, isTemporary } from "./github-access.js";
import { followLifecycle } from "./installations.js";
import type { DeliveryPlan, Pipeline, PipelineContext, RunOutcome } from "./pipeline.js";
import { runOutcomeOf } from "./run-outcome.js";
import { defaultBranchOf, isOwnerName, openCheckout, rememberRepository } from "./repo.js";
import type { SchedulePayload } from "./schedules.js";
import { NO_RUNNER, ServedRepos, type FixedRepo, type ServedRepo } from "./served-repos.js";
import { FollowUpNotQueued, queueFollowUps } from "./follow-ups.js";
import { EarlySigns, runIdsOf } from "./early-signs.js";
import { runnerRunId } from "./run-id.js";
import { crewViews } from "./dashboard/crew-view.js";
import { plannedAgain } from "./pipeline.js";
import { AnswerOutbox, NotServedHere } from "./answer-outbox.js";
import { followUpsNotQueued, runAnswer, triggerOf, writeAnswer } from "./failure-replies.js";
import { unplannedAnswerBody } from "../pipeline/unplanned-answer.js";
import { agentFolders } from "../action/crew-broken.js";
import { lostRunFailure, planningFailure, runFailure, CANCELLED_BEFORE_START, type Failure } from "../pipeline/failure-answers.js";
import type { RunRecord } from "../store/types.js";
import { agentLogLine, ownLogNote } from "../util/terminal-text.js";

export { runnerRunId };

/** Attempts of a run whose machine failed (engine down, GitHub 5xx) before it counts as failed. */
const MAX_ATTEMPTS = 3;
/** How long a Docker engine check is trusted. */
const ENGINE_CHECK_MS = 1000;

export interface DefaultPipelineOptions {
  /** Runner to use instead of `Runner.start` on the local engine (tests). */
  runner?: () => Promise<RunnerLike>;
  /** Is the engine answering? Asked after a failed run to tell the machine's failure from the agent's. */
  engineUp?: () => Promise<boolean>;
  /** Schedule clock tick (ms). */
  scheduleEveryMs?: number;
  now?: () => number;
  /** First delay before an answer GitHub did not take is written again (default 30 s; doubles). */
  answerRetryMs?: number;
}

interface PushPayload {
  ref?: string;
  repository?: Record<string, unknown> & { default_branch?: string; full_name?: string };
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
  head_commit?: { added?: string[]; modified?: string[]; removed?: string[] } | null;
}

/** Does this push to the default branch touch `.gitcrew/` (or CODEOWNERS, which the crew reads)? */
export function touchesCrew(p: PushPayload): boolean {
  const commits = [...(p.commits ?? []), ...(p.head_commit ? [p.head_commit] : [])];
  // A push that lists no files (forced, or above GitHub's limit) may touch anything.
  if (commits.length === 0) return true;
  return commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].some((f) => f.startsWith(".gitcrew/") || /(^|\/)CODEOWNERS$/.test(f)));
}

export function createPipelineWith(options: DefaultPipelineOptions = {}) {
  return async (ctx: PipelineContext): Promise<Pipeline> => {
    const { settings, log } = ctx;
    const github = settings.github;
    const access = new GitHubAccess(github, log);
    const pool = new CheckoutPool({
      root: join(gitcrewHome(ctx.env), "repos"),
      budgetBytes: settings.checkoutBudgetBytes,
      apiUrl: github.apiUrl,
      token: (name) => access.token(name).catch(() => undefined),
      log,
    });
    // --repo: one repository, its clone opened (or cloned) and its crew loaded at start, as before.
    const spec = ctx.repo ?? settings.repo;
    let fixed: FixedRepo | undefined;
    if (spec) {
      const named = isOwnerName(spec) ? spec : undefined;
      const checkout = await openCheckout(spec, { cwd: ctx.cwd, env: ctx.env, apiUrl: github.apiUrl, token: () => access.token(named).catch(() => undefined), log });
      fixed = { dir: checkout.dir, managed: checkout.managed, fullName: checkout.fullName, branch: await defaultBranchOf(checkout.dir) };
    }
    const runOf = (job: RunJob): RunInput => ({ agent: job.agent.name, threadKey: job.planned.threadKey, agentLimit: job.agent.concurrency, maxAttempts: MAX_ATTEMPTS, plan: job, repo: job.trigger.repo.fullName });
    const repos = new ServedRepos({ fixed, filter: settings.repos, pool, access, store: ctx.store, env: ctx.env, instance: settings.instance, log, runOf, scheduleEveryMs: options.scheduleEveryMs, now: options.now });
    if (fixed) await repos.crewFor(repos.get(fixed.fullName ?? "")).catch((err: unknown) => log(`crew: ${errorMessage(err)}`));
    else {
      log(`repos: serving ${settings.repos ? `repositories matching ${settings.repos.patterns.join(",")}` : "every repository of the GitHub App's installations"}; each is set up at its first event`);
      // Not awaited: start-up does nothing per repository.
      setImmediate(() => void repos.warmUp(join(gitcrewHome(ctx.env), "repos")).catch((err: unknown) => log(`repos: ${errorMessage(err)}`)));
    }

    // The fallback for missed pushes: every repository with a crew and a checkout is fetched in turn; each fetch also
    // looks for approval PRs merged or closed that no webhook reported.
    let refreshing = false;
    const refreshAll = async (): Promise<void> => {
      for (const repo of repos.all()) {
        if (!repo.keeper || (!fixed && !pool.has(repo.fullName))) continue;
        await repos.refresh(repo, "periodic fetch").catch((err: unknown) => repos.logFor(repo)(`crew: ${errorMessage(err)}`));
        await repos.reconcile(repo, "periodic");
      }
    };
    const refreshTimer = setInterval(() => {
      if (refreshing) return;
      refreshing = true;
      void refreshAll().finally(() => (refreshing = false));
    }, settings.crewRefreshSeconds * 1000);
    refreshTimer.unref();

    const engineUp = options.engineUp ?? (() => connectDocker(ctx.env).then(() => true, () => false));
    // The engine's state, asked at most once a second; /readyz and the worker's claims read it.
    let engine: { up: boolean; at: number } = { up: true, at: 0 };
    const noteEngine = (up: boolean): void => {
      if (up !== engine.up) log(up ? "docker: the engine answers again; queued runs start" : "docker: the engine does not answer; runs wait in the queue until it does");
      engine = { up, at: Date.now() };
    };
    const engineAvailable = async (): Promise<boolean> => {
      if (Date.now() - engine.at < ENGINE_CHECK_MS) return engine.up;
      noteEngine(await engineUp());
      return engine.up;
    };

    let runner: Promise<RunnerLike> | undefined;
    /** The engine's runner once started: closed with the pipeline (its prepared holders removed, its gateway stopped). */
    let started: Runner | undefined;
    const startRunner = async (): Promise<RunnerLike> => {
      let r: RunnerLike;
      if (options.runner) r = await options.runner();
      else {
        // Budgets per agent per day and per thread are kept in the store: they hold across runs and instances.
        // Network namespaces of the next runs made ahead (network-holders.ts), unless GITCREW_PREPARE_NETWORKS=0.
        const real = await Runner.start({ env: ctx.env, ledger: new StoreLedger(ctx.store), prepare: ctx.env.GITCREW_PREPARE_NETWORKS !== "0", log });
        started = real;
        for (const o of real.orphans) log(`docker: ${o.run}: ${o.reason}`);
        r = real;
      }
      return {
        async run(req) {
          const result = await runOnce(r, req, log);
          if (result.status === "failed" && (await engineWentDown(result, engineUp))) {
            noteEngine(false);
            // Thrown as the machine's failure: executeJob says so in the thread and the worker retries it.
            throw new EnvironmentError(
              `the Docker engine stopped during the run (${result.reason ?? "no result"})`,
              "nothing to do: gitcrew queues the run again and starts it once the engine answers",
            );
          }
          return result;
        },
      };
    };
    // One runner per process, started once; a failed start (engine down) is tried again at the next run.
    const getRunner = (): Promise<RunnerLike> => {
      runner ??= startRunner().catch((err: unknown) => {
        runner = undefined;
        throw err;
      });
      return runner;
    };

    // Start the runner now rather than at the first run: it removes containers a killed predecessor left behind.
    void getRunner().catch((err: unknown) => log(`docker: ${errorMessage(err)}; runs wait until the engine answers`));

    // Answers GitHub did not take (it is down) are kept in the store and written again later, by any instance.
    const outbox = new AnswerOutbox({
      store: ctx.store.answers,
      owner: settings.instance,
      write: async (a) => {
        // Kept by an instance that serves other repositories (a shared store): written by one that serves this one.
        const why = repos.whyNot(a.repo);
        if (why) throw new NotServedHere(why);
        return writeAnswer(await access.client(a.repo || undefined, a.permissions), ctx.env, a);
      },
      log,
      ...(options.answerRetryMs ? { firstDelayMs: options.answerRetryMs } : {}),
    });
    /** Planning failures already answered in the thread (by the early comments). */
    const answered = new WeakSet<object>();

    /** Planning that fails for good is answered in the thread; a temporary one is planned again (the worker's rule). */
    async function plan(delivery: Delivery): Promise<DeliveryPlan> {
      try {
        return await planDelivery(delivery);
      } catch (caught) {
        const err = temporaryAsEnvironment(caught);
        if (!plannedAgain(err, delivery.attempts) && !answered.has(err as object)) await answerUnplanned(delivery, err).catch((e: unknown) => log(`delivery ${delivery.id}: could not answer in the thread: ${errorMessage(e)}`));
        throw err;
      }
    }

    /** No early comment told the thread: a new comment does, if the request named an agent. */
    async function answerUnplanned(delivery: Delivery, err: unknown): Promise<void> {
      const payload = JSON.parse(delivery.payload) as { repository?: { full_name?: unknown } };
      const name = payload.repository?.full_name;
      if (typeof name === "string" ? repos.whyNot(name) : !fixed) return;
      const repo = repos.get(typeof name === "string" ? name : "");
      if (err instanceof FollowUpNotQueued) {
        // Claimed in the thread, never queued: an `/approve` or a review names no agent, so this is its only answer.
        for (const a of followUpsNotQueued(err)) await outbox.send(`the answer to delivery ${delivery.id} (approved run not queued)`, a);
        return;
      }
      const crew = repo.keeper?.current.crew;
      const t = triggerOf(delivery.event, payload, delivery.id, crew);
      if (!t?.thread) return;
      // The agents it addressed, or the command or approving review (which name no agent) itself.
      const body = await unplannedAnswerBody({ github: () => access.client(t.repo.fullName), env: ctx.env }, t, crew, () => foldersOf(repo), planningFailure(err));
      if (body) await outbox.send(`the answer to delivery ${delivery.id} (planning failed)`, { repo: t.repo.fullName, issue: t.thread.number, bodies: [body] });
    }

    /** The agent folders on the default branch, whatever their definitions say (the crew does not load). */
    async function foldersOf(repo: ServedRepo): Promise<string[]> {
      const co = await repos.checkout(repo).catch(() => undefined);
      if (!co) return [];
      try {
        const remote = await agentFolders(co.dir, `refs/remotes/origin/${repo.branch}`);
        return remote.length ? remote : await agentFolders(co.dir, repo.branch);
      } finally {
        co.release();
      }
    }

    async function planDelivery(delivery: Delivery): Promise<DeliveryPlan> {
      const payload = JSON.parse(delivery.payload) as PushPayload & Partial<SchedulePayload> & Record<string, unknown>;
      const lifecycle = await followLifecycle(repos, delivery.event, payload);
      if (lifecycle) return { runs: [], ignored: lifecycle };
      const fullName = payload.repository?.full_name;
      if (!fixed && !payload.repository) return { runs: [], ignored: `a ${delivery.event} event names no repository` };
      // Off the list (or not OWNER/NAME at all): answered, recorded as ignored, never cloned.
      const whyNot = repos.whyNot(fullName);
      if (whyNot) return { runs: [], ignored: whyNot };
      const unnamed = fixed && !fixed.fullName;
      const repo = repos.get(typeof fullName === "string" ? fullName : "");
      if (payload.repository && delivery.event !== "schedule") {
        repos.noteRepository(repo, payload.repository);
        if (unnamed && fixed?.fullName) {
          // Remembered in the clone, so that a restarted server reconciles before any webhook.
          await rememberRepository(fixed.dir, fixed.fullName, log);
          void repos.reconcile(repo, "first webhook");
        }
      }
      if (delivery.event === "push" && payload.ref === `refs/heads/${repo.branch}`) {
        repos.pushedDefaultBranch(repo);
        if (repo.keeper && touchesCrew(payload)) await repos.refresh(repo, `push ${delivery.id}`);
      }
      const found = await repos.crewFor(repo);
      if ("ignored" in found) return { runs: [], ignored: found.ignored };
      const crew: Crew = found.crew;
      const co = await repos.checkout(repo);
      try {
        return await planWith(repo, co.dir, crew, delivery, payload);
      } finally {
        co.release();
      }
    }

    async function planWith(repo: ServedRepo, dir: string, crew: Crew, delivery: Delivery, payload: PushPayload & Partial<SchedulePayload>): Promise<DeliveryPlan> {
      let prepared;
      const svc = await repos.services(repo, dir, NO_RUNNER);
      // 👀 goes out now, while planning asks GitHub what it needs.
      const signs = new EarlySigns(svc, delivery.id);
      signs.beforePlan(delivery.event, payload, crew);
      let followUps;
      let jobs;
      try {
        prepared = await prepareEvent(svc, { event: delivery.event, payload, deliveryId: delivery.id }, crew);
        // A synthesized schedule delivery is for one agent (its id is the once-per-minute key).
        const only = delivery.event === "schedule" ? payload.gitcrew?.agent : undefined;
        jobs = only ? prepared.jobs.filter((j) => j.agent.name === only) : prepared.jobs;
        // An approval's follow-up is queued under its claim's run id (a redelivery adds nothing); the rest as the delivery's runs.
        followUps = await queueFollowUps(ctx.store, svc, jobs, delivery.id, runOf);
      } catch (caught) {
        // Planned again: the early comments are withdrawn (posted anew then). For good: they say what failed.
        const err = temporaryAsEnvironment(caught);
        if (!plannedAgain(err, delivery.attempts) && (await signs.failed(planningFailure(err)))) {
          if (typeof err === "object" && err) answered.add(err);
        } else await signs.settle();
        throw err;
      }
      const queuedNote = [
        ...followUps.queued.map((r) => `approval follow-up queued as ${r.id}`),
        ...followUps.known.map((r) => `approval follow-up already queued as ${r.id} (${r.status})`),
      ].join("; ");
      // The tracking comments are posted before the runs are stored: the executor (on any instance) finds them in the job.
      const runs = await signs.queued(jobs.filter((j) => !j.followUp));
      return {
        runs: runs.map(runOf),
        cancelThreads: prepared.cancelThreads,
        ignored: queuedNote || prepared.ignored || (runs.length ? undefined : "no runs"),
      };
    }

    /** Writes a run attempt's failure into its tracking comment (or a new one), again later if GitHub does not answer. */
    async function tellAttempt(run: RunRecord, failure: Failure, status: "failed" | "cancelled" = "failed"): Promise<void> {
      const job = run.plan as RunJob;
      if (!job?.trigger?.thread) return;
      const svc = await repos.services(repos.get(job.trigger.repo.fullName), "", NO_RUNNER);
      const answer = runAnswer(svc, job, run.id, run.attempt, failure, status);
      if (answer) await outbox.send(`the tracking comment of run ${run.id} (attempt ${run.attempt})`, answer);
    }

    return {
      handler: {
        plan,
        async notQueued(delivery, planned, err, again) {
          const failure = planningFailure(err);
          const ids = runIdsOf(delivery.id, planned.runs.map((r) => r.plan as RunJob));
          await Promise.all(
            planned.runs.map(async (r, i) => {
              const job = r.plan as RunJob;
              const ref = job.early?.tracking;
              if (!ref || !job.trigger.thread) return;
              const svc = await repos.services(repos.get(job.trigger.repo.fullName), "", NO_RUNNER);
              if (again) await svc.github.deleteComment(repoId(job.trigger), ref.id).catch((e: unknown) => log(`warning: could not withdraw the tracking comment of ${job.agent.name}: ${errorMessage(e)}`));
              else {
                const answer = runAnswer(svc, job, ids[i] ?? "", 1, failure);
                if (answer) await outbox.send(`the tracking comment of ${ids[i] ?? job.agent.name} (not queued)`, answer);
              }
            }),
          );
        },
      },
      executor: {
        async execute(run, rc): Promise<RunOutcome> {
          const stored = run.plan as RunJob;
          const name = stored.trigger.repo.fullName;
          const whyNot = repos.whyNot(name);
          const repo = repos.get(name);
          // Its comment (queued, or the failed attempt's) says why the run stopped here, and whether gitcrew tries again.
          const tell = async (err: unknown): Promise<void> => {
            const retry = err instanceof EnvironmentError && run.attempt < run.maxAttempts ? { attempt: run.attempt + 1, of: run.maxAttempts } : undefined;
            await tellAttempt(run, runFailure(err, retry));
          };
          if (whyNot) {
            const err = new GitcrewError(`not run: ${whyNot}`, 1);
            await tell(err);
            return { status: "failed", error: err.message };
          }
          // A retried attempt posts a tracking comment of its own, as before: the first one holds the failed attempt's report.
          const job = run.attempt > 1 && stored.early ? { ...stored, early: { seen: stored.early.seen } } : stored;
          const r = await getRunner().catch(async (err: unknown) => {
            const e = err instanceof EnvironmentError ? err : new EnvironmentError(errorMessage(err));
            await tell(e);
            throw e;
          });
          const observer = {
            onEvent(ev: RunEvent) {
              if (ev.type === "started") void rc.started({ containerId: ev.containerId }).catch(() => undefined);
              else if (ev.type === "log") rc.log(`${agentLogLine(ev.line)}\n`);
              else if (ev.type === "status") rc.log(`${ownLogNote(ev.text)}\n`);
            },
          };
          let report;
          // The repository's clone (cloned again if it was evicted), held while the run's worktree comes from it.
          const co = await repos.checkout(repo).catch(async (err: unknown) => {
            const e = temporaryAsEnvironment(err);
            await tell(e);
            throw e;
          });
          try {
            report = await executeJob({ ...(await repos.services(repo, co.dir, r)), answerLater: (what, err, answer) => void outbox.defer(what, err, answer) }, job, { signal: rc.signal, runId: runnerRunId(run.id, run.attempt), attempt: { n: run.attempt, of: run.maxAttempts }, resumeSessionId: rc.resumeSessionId, observer, ...(rc.commentSettled ? { commentSettled: rc.commentSettled } : {}) });
          } catch (err) {
            // Before the run (tracking comment, check run): GitHub down is the machine's failure.
            const e = temporaryAsEnvironment(err);
            await tell(e);
            throw e;
          } finally {
            co.release();
          }
          const error = report.error ? `${report.error.message}${report.error.hint ? ` (${report.error.hint})` : ""}` : undefined;
          const cost = runCostOf(report.result?.gateway);
          const outcome = runOutcomeOf(report);
          return { status: report.status, error, sessionId: report.result?.sessionId, infrastructure: report.infrastructure ?? false, ...(cost ? { cost } : {}), ...(outcome ? { outcome } : {}) };
        },
        available: engineAvailable,
        async notRun(run, why) {
          const job = run.plan as RunJob;
          if (!job?.trigger?.thread) return;
          if (why === "cancelled" || run.status === "cancelled") return tellAttempt(run, CANCELLED_BEFORE_START, "cancelled");
          // Tried again: the lost attempt was the one before; failed: the last.
          const lost = run.status === "queued" ? run.attempt - 1 : run.attempt;
          await tellAttempt({ ...run, attempt: lost }, lostRunFailure(lost, run.status === "queued" ? run.maxAttempts : undefined));
        },
      },
      crews: () => crewViews(repos.all()),
      async pullState(repo, n) {
        const [owner = "", name = ""] = repo.split("/");
        const pull = (await (await access.client(repo)).getPullRequest({ owner, repo: name }, n)) as { state?: string; merged?: boolean; merged_at?: string | null };
        return pull.merged || pull.merged_at ? "merged" : pull.state === "closed" ? "closed" : "open";
      },
      readiness: (only?: string) => {
        const crew = repos.readiness(only);
        if (!crew.ready || engine.up) return crew;
        return { ready: false, reason: "the Docker engine does not answer; deliveries are stored and runs wait in the queue until it does" };
      },
      async close() {
        clearInterval(refreshTimer);
        await started?.close().catch((err: unknown) => log(`docker: ${errorMessage(err)}`));
        await outbox.close();
        repos.close();
      },
    };
  };
}

export const createDefaultPipeline = createPipelineWith();

/**
 * `git worktree add` fails now and then while another run's worktree is being
 * removed from the same clone ("failed to read .git/worktrees/…/commondir"):
 * nothing has started yet, so the run is simply started again.
 */
const WORKTREE_RACE = /failed to read \.git\/worktrees\/[^/\s]+\/(commondir|gitdir)/;
const WORKTREE_TRIES = 3;

async function runOnce(r: RunnerLike, req: Parameters<RunnerLike["run"]>[0], log: (line: string) => void) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await r.run(req);
    } catch (err) {
      if (attempt >= WORKTREE_TRIES || !WORKTREE_RACE.test(errorMessage(err))) throw err;
      log(`run ${req.runId ?? "?"}: worktree checkout raced with another run's cleanup; starting it again`);
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}


/**
 * Whether a failed run failed because the engine went away. A stopping dockerd
 * first kills its containers (exit 137/143) and answers pings a moment longer,
 * so after such an exit the engine is watched for a few seconds; an ordinary
 * agent failure is checked once.
 */
async function engineWentDown(result: { exitCode: number; reason?: string }, engineUp: () => Promise<boolean>): Promise<boolean> {
  const killed = result.exitCode === 137 || result.exitCode === 143 || result.exitCode < 0 || /docker|engine|socket|ECONN/i.test(result.reason ?? "");
  for (let i = 0; i < (killed ? 24 : 1); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 250));
    if (!(await engineUp())) return true;
  }
  return false;
}

/** A GitHub outage or a connection that failed, as the temporary failure the worker tries again (the GitHub error kept as its cause). */
function temporaryAsEnvironment(err: unknown): unknown {
  if (err instanceof EnvironmentError || !isTemporary(err)) return err;
  return Object.assign(new EnvironmentError(errorMessage(err)), { cause: err });
}
