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
import type { RunJob, RunnerLike } from "../pipeline/types.js";
import { connectDocker } from "../runner/engine.js";
import { Runner } from "../runner/runner.js";
import type { RunEvent } from "../runner/types.js";
import { runCostOf } from "../runner/cost.js";
import { StoreLedger } from "../store/ledger.js";
import type { Delivery, RunInput } from "../store/types.js";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import { gitcrewHome } from "../util/home.js";
import { CheckoutPool } from "./checkouts.js";
import { GitHubAccess, isTemporary } from "./github-access.js";
import { followLifecycle } from "./installations.js";
import type { DeliveryPlan, Pipeline, PipelineContext, RunOutcome } from "./pipeline.js";
import { defaultBranchOf, isOwnerName, openCheckout, rememberRepository } from "./repo.js";
import type { SchedulePayload } from "./schedules.js";
import { NO_RUNNER, ServedRepos, type FixedRepo, type ServedRepo } from "./served-repos.js";
import { queueFollowUps } from "./follow-ups.js";
import { EarlySigns } from "./early-signs.js";
import { runnerRunId } from "./run-id.js";

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

    async function plan(delivery: Delivery): Promise<DeliveryPlan> {
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
      try {
        prepared = await prepareEvent(svc, { event: delivery.event, payload, deliveryId: delivery.id }, crew);
      } catch (err) {
        await signs.settle();
        if (isTemporary(err)) throw new EnvironmentError(errorMessage(err));
        throw err;
      }
      // A synthesized schedule delivery is for one agent (its id is the once-per-minute key).
      const only = delivery.event === "schedule" ? payload.gitcrew?.agent : undefined;
      const jobs = only ? prepared.jobs.filter((j) => j.agent.name === only) : prepared.jobs;
      // An approval's follow-up is queued under its claim's run id (a redelivery adds nothing); the rest as the delivery's runs.
      const followUps = await queueFollowUps(ctx.store, svc, jobs, delivery.id, runOf);
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

    return {
      handler: { plan },
      executor: {
        async execute(run, rc): Promise<RunOutcome> {
          const stored = run.plan as RunJob;
          const name = stored.trigger.repo.fullName;
          const whyNot = repos.whyNot(name);
          if (whyNot) return { status: "failed", error: `not run: ${whyNot}` };
          const repo = repos.get(name);
          // A retried attempt posts a tracking comment of its own, as before: the first one holds the failed attempt's report.
          const job = run.attempt > 1 && stored.early ? { ...stored, early: { seen: stored.early.seen } } : stored;
          const r = await getRunner().catch((err: unknown) => {
            throw err instanceof EnvironmentError ? err : new EnvironmentError(errorMessage(err));
          });
          const observer = {
            onEvent(ev: RunEvent) {
              if (ev.type === "started") void rc.started({ containerId: ev.containerId }).catch(() => undefined);
              else if (ev.type === "log") rc.log(`${ev.line}\n`);
              else if (ev.type === "status") rc.log(`» ${ev.text}\n`);
            },
          };
          let report;
          // The repository's clone (cloned again if it was evicted), held while the run's worktree comes from it.
          const co = await repos.checkout(repo);
          try {
            report = await executeJob(await repos.services(repo, co.dir, r), job, { signal: rc.signal, runId: runnerRunId(run.id, run.attempt), resumeSessionId: rc.resumeSessionId, observer, ...(rc.commentSettled ? { commentSettled: rc.commentSettled } : {}) });
          } catch (err) {
            // Before the run (tracking comment, check run): GitHub down is the machine's failure.
            if (isTemporary(err)) throw new EnvironmentError(errorMessage(err));
            throw err;
          } finally {
            co.release();
          }
          const error = report.error ? `${report.error.message}${report.error.hint ? ` (${report.error.hint})` : ""}` : undefined;
          const cost = runCostOf(report.result?.gateway);
          return { status: report.status, error, sessionId: report.result?.sessionId, infrastructure: report.infrastructure ?? false, ...(cost ? { cost } : {}) };
        },
        available: engineAvailable,
      },
      readiness: (only?: string) => {
        const crew = repos.readiness(only);
        if (!crew.ready || engine.up) return crew;
        return { ready: false, reason: "the Docker engine does not answer; deliveries are stored and runs wait in the queue until it does" };
      },
      async close() {
        clearInterval(refreshTimer);
        await started?.close().catch((err: unknown) => log(`docker: ${errorMessage(err)}`));
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
