/**
 * The pipeline `gitcrew serve` uses, built from the shared one in
 * src/pipeline: a stored delivery is prepared (normalize → crew from the
 * default branch → GitHub context → plan) into RunJobs, which are queued as
 * runs; a claimed run is carried out by executeJob (tracking comment,
 * container, branch, PR). Around it: the checkout (cloned and kept fresh),
 * crew reloads (push to the default branch, periodic fetch) and schedules.
 */
import { reconcileApprovals } from "../approvals/index.js";
import type { Crew } from "../crew/types.js";
import { executeJob } from "../pipeline/execute.js";
import { prepareEvent } from "../pipeline/prepare.js";
import type { RunJob, RunnerLike, Services } from "../pipeline/types.js";
import { connectDocker } from "../runner/engine.js";
import { Runner } from "../runner/runner.js";
import type { RunEvent } from "../runner/types.js";
import { runCostOf } from "../runner/cost.js";
import { StoreLedger } from "../store/ledger.js";
import type { Delivery } from "../store/types.js";
import { EnvironmentError, errorMessage } from "../util/errors.js";
import { CrewKeeper } from "./crew-keeper.js";
import { GitHubAccess, isTemporary } from "./github-access.js";
import type { DeliveryPlan, Pipeline, PipelineContext, RunOutcome } from "./pipeline.js";
import { defaultBranchOf, fetchOrigin, isOwnerName, openCheckout, refreshCredentials, rememberRepository, webUrlOf, type RepoCheckout } from "./repo.js";
import { Scheduler, type SchedulePayload } from "./schedules.js";
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
    let opened: RepoCheckout | undefined;
    // Before the clone: an App's installation token is what clones OWNER/NAME.
    const access = new GitHubAccess(github, () => {
      const [owner, name] = (opened?.fullName ?? (isOwnerName(ctx.repo) ? ctx.repo : "")).split("/");
      return owner && name ? { owner, repo: name } : undefined;
    });
    const tokenFor = () => access.token().catch(() => undefined);
    const checkout = await openCheckout(ctx.repo, { cwd: ctx.cwd, env: ctx.env, apiUrl: github.apiUrl, token: tokenFor, log });
    opened = checkout;
    const branch = await defaultBranchOf(checkout.dir);
    const keeper = new CrewKeeper(checkout.dir, branch, ctx.env, log);
    let repository: Record<string, unknown> | undefined = checkout.fullName ? repositoryObject(checkout.fullName, branch, webUrlOf(github.apiUrl)) : undefined;

    const refresh = async (why: string) => {
      if (checkout.managed) await refreshCredentials(checkout, github.apiUrl, await tokenFor());
      await fetchOrigin(checkout.dir, log);
      return keeper.reload(why);
    };
    await refresh("start").catch((err: unknown) => log(`crew: ${errorMessage(err)}`));
    // Each periodic fetch also looks for approval PRs merged or closed that no webhook reported.
    const refreshTimer = setInterval(
      () =>
        void refresh("periodic fetch")
          .catch((err: unknown) => log(`crew: ${errorMessage(err)}`))
          .then(() => reconcile("periodic")),
      settings.crewRefreshSeconds * 1000,
    );
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
    const startRunner = async (): Promise<RunnerLike> => {
      let r: RunnerLike;
      if (options.runner) r = await options.runner();
      else {
        // Budgets per agent per day and per thread are kept in the store: they hold across runs and instances.
        const real = await Runner.start({ env: ctx.env, ledger: new StoreLedger(ctx.store) });
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

    const services = async (r: RunnerLike): Promise<Services> => ({
      github: await access.client(),
      // With a GitHub App, a run acts with a token narrowed to its agent's `permissions`.
      clientFor: (agent) => access.client(agent.permissions),
      runner: r,
      repoDir: checkout.dir,
      env: ctx.env,
      log,
      serverUrl: webUrlOf(github.apiUrl),
      once: (key) => ctx.store.once(key, settings.instance, Date.now()),
    });

    const noRunner: RunnerLike = {
      run: () => Promise.reject(new Error("planning does not run containers")),
    };

    const runOf = (job: RunJob) => ({ agent: job.agent.name, threadKey: job.planned.threadKey, agentLimit: job.agent.concurrency, maxAttempts: MAX_ATTEMPTS, plan: job });

    // Approval PRs merged or closed while no instance listened, or whose follow-up was claimed but never
    // queued (a crash in between): resolved at start and on every periodic fetch. Claims and the follow-up's
    // run id make this safe to repeat, alongside webhooks and other instances.
    let reconciling: Promise<void> | undefined;
    let cannot = "";
    const reconcileOnce = async (why: string): Promise<void> => {
      const crew = keeper.current.crew;
      const [o, n] = (checkout.fullName ?? "").split("/");
      const whyNot = !crew
        ? `no crew is loaded (${keeper.readiness().reason ?? "not loaded"})`
        : !o || !n
          ? "the repository's name is not known yet (the clone's origin is a local path: the first webhook names it)"
          : "";
      if (!crew || !o || !n) {
        // Said once per reason, not on every tick.
        if (whyNot !== cannot) log(`approvals: reconcile (${why}) cannot run: ${whyNot}; approval PRs merged or closed meanwhile are resolved once it can`);
        cannot = whyNot;
        return;
      }
      cannot = "";
      const svc = await services(noRunner);
      const jobs = await reconcileApprovals(svc, crew, { owner: o, repo: n });
      const { queued } = await queueFollowUps(ctx.store, svc, jobs, `reconcile-${Date.now()}`, runOf);
      for (const r of queued) log(`approvals: follow-up ${r.id} queued (reconcile, ${why}): ${(r.plan as RunJob).note ?? r.agent}`);
    };
    const reconcile = (why: string): Promise<void> => {
      reconciling ??= reconcileOnce(why)
        .catch((err: unknown) => log(`approvals: reconcile (${why}) failed: ${errorMessage(err)}`))
        .finally(() => (reconciling = undefined));
      return reconciling;
    };
    void reconcile("start");

    const scheduler = new Scheduler({
      store: ctx.store,
      crew: () => keeper.current.crew,
      repository: () => repository,
      log,
      now: options.now,
      everyMs: options.scheduleEveryMs,
    });
    scheduler.start();

    async function plan(delivery: Delivery): Promise<DeliveryPlan> {
      const payload = JSON.parse(delivery.payload) as PushPayload & Partial<SchedulePayload>;
      const fullName = payload.repository?.full_name;
      if (checkout.fullName && typeof fullName === "string" && fullName.toLowerCase() !== checkout.fullName.toLowerCase()) {
        return { runs: [], ignored: `delivery for ${fullName}; this server runs ${checkout.fullName}` };
      }
      if (payload.repository && delivery.event !== "schedule") {
        repository = payload.repository;
        if (!checkout.fullName && typeof fullName === "string") {
          checkout.fullName = fullName;
          // Remembered in the clone, so that a restarted server reconciles before any webhook.
          await rememberRepository(checkout.dir, fullName, log);
          void reconcile("first webhook");
        }
        if (typeof payload.repository.default_branch === "string") keeper.branch = payload.repository.default_branch;
      }
      if (delivery.event === "push" && payload.ref === `refs/heads/${keeper.branch}` && touchesCrew(payload)) {
        await refresh(`push ${delivery.id}`);
      }
      const crew: Crew | undefined = keeper.current.crew;
      if (!crew) throw new EnvironmentError(`no crew to plan with: ${keeper.readiness().reason ?? "not loaded"}`, "fix .gitcrew/ on the default branch; the delivery is tried again");
      let prepared;
      const svc = await services(noRunner);
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
          try {
            report = await executeJob(await services(r), job, { signal: rc.signal, runId: runnerRunId(run.id, run.attempt), resumeSessionId: rc.resumeSessionId, observer });
          } catch (err) {
            // Before the run (tracking comment, check run): GitHub down is the machine's failure.
            if (isTemporary(err)) throw new EnvironmentError(errorMessage(err));
            throw err;
          }
          const error = report.error ? `${report.error.message}${report.error.hint ? ` (${report.error.hint})` : ""}` : undefined;
          const cost = runCostOf(report.result?.gateway);
          return { status: report.status, error, sessionId: report.result?.sessionId, infrastructure: report.infrastructure ?? false, ...(cost ? { cost } : {}) };
        },
        available: engineAvailable,
      },
      readiness: () => {
        const crew = keeper.readiness();
        if (!crew.ready || engine.up) return crew;
        return { ready: false, reason: "the Docker engine does not answer; deliveries are stored and runs wait in the queue until it does" };
      },
      async close() {
        clearInterval(refreshTimer);
        scheduler.stop();
      },
    };
  };
}

export const createDefaultPipeline = createPipelineWith();

/** The `repository` object of a synthesized event when no webhook has shown the real one yet. */
function repositoryObject(fullName: string, defaultBranch: string, web: string): Record<string, unknown> {
  const [owner = "", name = ""] = fullName.split("/");
  return { name, full_name: fullName, owner: { login: owner }, default_branch: defaultBranch, private: true, html_url: `${web}/${fullName}` };
}

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
