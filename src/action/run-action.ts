/**
 * The Action: event file → crew from the default branch → plan → runs on
 * this self-hosted runner's Docker engine → comments, PRs, check runs.
 * Everything the user must see also lands in the step log and job summary.
 */
import { secretForms } from "../util/secret-mask.js";
import * as core from "@actions/core";
import { loadDefaultCrew } from "../pipeline/crew-source.js";
import { planTrigger } from "../pipeline/prepare.js";
import { executeJob, runEvent, type RunReport, type Services } from "../pipeline/index.js";
import { reconcileApprovals } from "../approvals/index.js";
import { followUpRecorded } from "../approvals/follow-up-runs.js";
import { connectGitHub, secretMask, type AppCredentials, type GitHubClient, type Mask } from "../github/index.js";
import type { Agent } from "../crew/types.js";
import { normalize } from "../events/normalize.js";
import { renderPlan, planJson } from "../plan/render.js";
import type { Runner } from "../runner/runner.js";
import type { RunEvent } from "../runner/types.js";
import type { Trigger } from "../events/trigger.js";
import { readEvent, readInputs } from "./inputs.js";
import { earlyEyes } from "./early-eyes.js";
import { infoAgentLine, infoUntrusted } from "./step-log.js";
import { costOutputs, runCostJson } from "./cost-outputs.js";
import { failureSummary, planSummary, resultSummary } from "./summary.js";
import { addressedAgents, agentFolders, answerBrokenCrew, brokenCrewMessage } from "./crew-broken.js";
import { couldNotStartBody, namedAgents, planningFailure } from "../pipeline/failure-answers.js";
import type { Crew } from "../crew/types.js";
import { GitcrewError, errorMessage } from "../util/errors.js";

export interface ActionOptions {
  /** Aborted when the job is cancelled or times out (SIGINT/SIGTERM, see main.ts). */
  signal?: AbortSignal;
}

export async function runAction(env: NodeJS.ProcessEnv = process.env, opts: ActionOptions = {}): Promise<void> {
  const inputs = readInputs(env);
  if ("token" in inputs.auth) core.setSecret(inputs.auth.token);
  else core.setSecret(inputs.auth.app.privateKey);
  const payload = readEvent(inputs.eventPath);

  // Edits pass this gate when the workflow subscribes to them; the pipeline drops them again unless an agent sets triggers.edits.
  const normalized = normalize(inputs.eventName, payload, { edits: true });
  if (!normalized.ok) {
    infoAgentLine("ignored: ", normalized.ignored);
    core.setOutput("status", "ignored");
    await core.summary.addHeading("gitcrew", 3).addRaw(`Nothing to do: ${normalized.ignored}.`, true).write();
    return;
  }
  const trigger = normalized.trigger;
  // Past this point every way out sets `status` and writes a job summary, also when something throws.
  const answered: Answered = { done: false };
  try {
    await handleTrigger(env, opts, inputs, payload, trigger, answered);
  } catch (err) {
    // Failed before any run could say so (planning: GitHub's answers, a git error): the thread is told, if it named an agent.
    const told = !answered.done && answered.github && !opts.signal?.aborted ? await tellThread(answered.github, trigger, answered.crew, inputs.repoDir, err, inputs.runUrl) : undefined;
    if (!answered.done) {
      const status = opts.signal?.aborted ? "cancelled" : "failed";
      core.setOutput("status", status);
      for (const name of ["run-id", "pr-number", "comment-url", "cost-usd", "tokens"]) core.setOutput(name, "");
      if (told) core.setOutput("comment-url", told);
      core.setOutput("runs", "[]");
      await failureSummary(status, errorMessage(err), err instanceof GitcrewError ? err.hint : undefined).write();
    }
    throw err;
  }
}

/** How far the job got: `done` once the thread and the summary are answered; the client and crew, once there are. */
interface Answered {
  done: boolean;
  github?: GitHubClient;
  crew?: Crew;
}

/** A new comment: the agents the request named could not start, what failed, what to do. Never fails the step a second time. */
async function tellThread(github: GitHubClient, trigger: Trigger, crew: Crew | undefined, repoDir: string, err: unknown, runUrl: string | undefined): Promise<string | undefined> {
  const thread = trigger.thread;
  if (!thread) return undefined;
  const agents = namedAgents(trigger, crew, crew ? [] : await agentFolders(repoDir, `refs/remotes/origin/${trigger.repo.defaultBranch}`));
  if (!agents.length) return undefined;
  const failure = planningFailure(err);
  const hint = runUrl ? `${failure.hint ?? "comment again"}, or re-run the jobs of [the workflow run](${runUrl})` : failure.hint;
  return github
    .createComment({ owner: trigger.repo.owner, repo: trigger.repo.name }, thread.number, couldNotStartBody(agents, { message: failure.message, ...(hint ? { hint } : {}) }))
    .then(
      (ref) => ref.url,
      (e: unknown) => void core.warning(`could not answer in the thread: ${errorMessage(e)}`),
    );
}

async function handleTrigger(
  env: NodeJS.ProcessEnv,
  opts: ActionOptions,
  inputs: ReturnType<typeof readInputs>,
  payload: unknown,
  trigger: Trigger,
  answered: Answered,
): Promise<void> {
  // Tokens are secrets too: masked in the log (setSecret) and in everything sent to GitHub,
  // including installation tokens minted during the job. GitHub is reached before the crew
  // loads: a broken crew is answered in the thread.
  const masked = new Set<string>();
  if ("token" in inputs.auth) masked.add(inputs.auth.token);
  let mask = secretMask(masked);
  const onToken = (token: string) => {
    if (masked.has(token)) return;
    for (const form of secretForms(token)) core.setSecret(form);
    masked.add(token);
    mask = secretMask(masked);
  };
  const maskAll = (text: string) => mask(text);
  const runnerEnv = inputs.dockerHost ? { ...env, DOCKER_HOST: inputs.dockerHost } : env;
  // Asked for by the first run, inside the job: an engine that is down, refuses us or is too old
  // fails that run with its tracking comment saying so, not the step before anyone is told.
  // The runner's code (the engine client, the worktree, the container) is its own chunk of dist/: loaded
  // here, not when the step starts, so the first 👀 and the planning never wait for it.
  let started: Promise<Runner> | undefined;
  const runner = () => {
    started ??= import("../runner/runner.js").then(({ Runner }) => Runner.start({ env: runnerEnv })).then((r) => {
      for (const o of r.orphans) core.warning(`cleaned up container of run ${o.run}: ${o.reason}`);
      return r;
    });
    return started;
  };
  const github = await connectGitHub({
    auth: "token" in inputs.auth ? inputs.auth : { app: { ...inputs.auth.app, baseUrl: inputs.apiUrl } },
    baseUrl: inputs.apiUrl,
    mask: maskAll,
    onToken,
  });
  answered.github = github;

  // 👀 while the crew loads (early-eyes.ts); never in a dry run, which writes nothing to GitHub.
  const eyes = inputs.dryRun ? Promise.resolve(false) : earlyEyes(github, trigger, inputs.repoDir, (line) => core.warning(line));
  // The engine is reached once 👀 is out, while the crew loads and GitHub is asked (off the first
  // run's critical path; compiling the runner's chunk before would hold the 👀 back); a failure
  // here waits, unseen, for the run that needs the engine.
  if (!inputs.dryRun) void eyes.then(() => runner().catch(() => undefined));
  const loaded = await loadDefaultCrew(inputs.repoDir, trigger.repo.defaultBranch, env, core.info);
  if (!loaded.crew) {
    for (const p of loaded.errors) core.error(p.message, { file: p.file, startLine: p.line, startColumn: p.column, title: "gitcrew crew" });
    const branch = trigger.repo.defaultBranch;
    const agents = addressedAgents(trigger, await agentFolders(inputs.repoDir, loaded.ref));
    const url = await answerBrokenCrew(github, trigger, agents, branch, loaded.errors).catch((e) => {
      core.warning(`could not answer in the thread: ${errorMessage(e)}`);
      return undefined;
    });
    const { message, hint } = brokenCrewMessage(branch, loaded.errors);
    core.setOutput("status", "failed");
    core.setOutput("run-id", "");
    core.setOutput("pr-number", "");
    core.setOutput("comment-url", url ?? "");
    core.setOutput("cost-usd", "");
    core.setOutput("tokens", "");
    core.setOutput("runs", JSON.stringify(agents.map((agent) => ({ agent, run: null, status: "failed", pullRequest: null, comments: url ? [url] : [], error: message }))));
    await failureSummary("failed", message, hint, loaded.errors).write();
    answered.done = true;
    throw new GitcrewError(message, 1, hint);
  }
  for (const p of loaded.warnings) core.warning(p.message, { file: p.file, startLine: p.line, startColumn: p.column, title: "gitcrew crew" });
  const crew = loaded.crew;
  answered.crew = crew;
  // A crew with an agent on the run gateway: its code is compiled while planning waits on GitHub,
  // not after the tracking comment (a hint only: the first such run loads it anyway).
  if (!inputs.dryRun && crew.agents.some((a) => typeof a.limits.network === "object")) void import("../gateway/index.js").catch(() => undefined);
  const secretValues = crew.agents.flatMap((a) => a.secrets.map((name) => env[name]).filter((v): v is string => !!v));
  for (const value of secretValues) {
    // The runner's log masker gets every form (escaped, encoded, each line), as gitcrew's own does.
    for (const form of secretForms(value)) core.setSecret(form);
    masked.add(value);
  }
  mask = secretMask(masked);
  const log = (line: string) => (line.startsWith("warning: ") ? core.warning(line.slice(9)) : infoUntrusted(line));

  if (inputs.dryRun) {
    const stub: Services = { github, runner: { run: () => Promise.reject(new Error("dry run")) }, repoDir: inputs.repoDir, env, log };
    const plan = await planTrigger(stub, trigger, crew);
    infoUntrusted(renderPlan(plan, "looked up on GitHub"));
    core.setOutput("plan", JSON.stringify(planJson(plan, { level: "looked up", source: "github" })));
    core.setOutput("status", "dry-run");
    await planSummary(plan, true).write();
    answered.done = true;
    return;
  }

  const cap = inputs.timeoutMinutes ? inputs.timeoutMinutes * 60 : undefined;
  const services: Services = {
    github,
    ...("app" in inputs.auth ? narrowedClients(inputs.auth.app, inputs.apiUrl, inputs.serverUrl, maskAll, onToken) : {}),
    runner: {
      run: (req) => {
        const container = req.planned.container;
        const timeoutSeconds = cap ? Math.min(container.timeoutSeconds, cap) : container.timeoutSeconds;
        return runner().then((r) => r.run({ ...req, planned: { ...req.planned, container: { ...container, timeoutSeconds } } }));
      },
    },
    repoDir: inputs.repoDir,
    env: runnerEnv,
    log,
    runUrl: inputs.runUrl,
    serverUrl: inputs.serverUrl,
    progressIntervalMs: inputs.progressIntervalMs,
  };
  let grouped = false;
  const observer = {
    onEvent(ev: RunEvent) {
      // Agent text: after a fixed prefix, on one line, with workflow commands stopped (step-log.ts).
      if (ev.type === "log") infoAgentLine("│ ", ev.line);
      else if (ev.type === "status") infoAgentLine("▸ ", ev.text);
      else if (ev.type === "approval") infoAgentLine(`▸ approval requested (${ev.kind}): `, ev.reason);
      else if (ev.type === "started") core.info(`▸ run ${ev.runId} started (container ${ev.containerId.slice(0, 12)})`);
      else if (ev.type === "finished") core.info(`▸ ${ev.result.status} (exit ${ev.result.exitCode})`);
    },
  };
  // A job stopped before this still runs the pipeline: each job then ends "cancelled" in its thread without a container.
  const stopped = () => (opts.signal?.aborted ? opts.signal.reason : undefined);
  const outcome = await runEvent(services, { event: inputs.eventName, payload }, crew, {
    seen: await eyes,
    signal: opts.signal,
    observer,
    onJob: (name) => {
      if (grouped) core.endGroup();
      core.startGroup(`gitcrew: ${name}`);
      grouped = true;
    },
  });
  // Approvals merged or closed while no workflow listened are owed on the next schedule tick.
  if (trigger.event === "schedule") {
    for (const job of await reconcileApprovals(services, crew, { owner: trigger.repo.owner, repo: trigger.repo.name })) {
      if (grouped) core.endGroup();
      core.startGroup(`gitcrew: ${job.agent.name} (approval follow-up)`);
      grouped = true;
      outcome.reports.push(await executeJob(services, job, { observer, signal: opts.signal, ...(job.followUp ? { runId: job.followUp.runId } : {}) }));
      await followUpRecorded(services, job);
    }
  }
  if (grouped) core.endGroup();

  if (outcome.cancelThreads.length) {
    const { cancelThreadRuns, nothingToCancel } = await import("./cancel.js");
    const stopped = await cancelThreadRuns(outcome.cancelThreads, runnerEnv, `/cancel by @${trigger.actor.login}`);
    core.info(stopped.length ? `cancelled run(s) ${stopped.join(", ")}` : "nothing to cancel: no run of this thread is going on this runner");
    const thread = trigger.thread;
    if (thread && !stopped.length) await github.createComment({ owner: trigger.repo.owner, repo: trigger.repo.name }, thread.number, nothingToCancel(trigger.actor.login, commentBody(inputs.eventName, payload)));
  }
  if (outcome.plan) infoUntrusted(renderPlan(outcome.plan, "looked up on GitHub").replace("dry run: no container started, nothing written to GitHub.\n", ""));
  if (outcome.ignored) infoAgentLine("nothing to run: ", outcome.ignored);
  setOutputs(outcome.reports, outcome.ignored ? "ignored" : "skipped");
  const summary = outcome.plan ? planSummary(outcome.plan, false) : core.summary.addHeading("gitcrew", 3);
  await resultSummary(summary, outcome.reports).write();
  answered.done = true;

  // A stopped job fails the step: it did not do what was asked.
  if (stopped()) throw stopped();
  const failed = outcome.reports.filter((r) => r.status === "failed" || r.status === "timed_out" || r.status === "cancelled" || r.status === "budget_exceeded");
  if (failed.length) {
    const lines = failed.map((r) => `${r.job.agent.name}: ${r.error?.message ?? r.status}${r.error?.hint ? ` — ${r.error.hint}` : ""}`);
    throw new Error(lines.join("\n"));
  }
}

/**
 * One installation token per agent, narrowed to its `permissions` (GitHub
 * App only): the client its run speaks with, and the same token for GitHub
 * inside the run (held by the run gateway, never by the container).
 */
function narrowedClients(
  app: AppCredentials,
  apiUrl: string,
  serverUrl: string,
  mask: Mask,
  onToken: (token: string) => void,
): Pick<Services, "clientFor" | "githubFor"> {
  const minted = new Map<string, Promise<{ client: GitHubClient; token: string }>>();
  const mint = (agent: Agent) => {
    let entry = minted.get(agent.name);
    if (!entry) {
      let token = "";
      entry = connectGitHub({
        auth: { app: { ...app, baseUrl: apiUrl, permissions: agent.permissions } },
        baseUrl: apiUrl,
        mask,
        onToken: (t) => {
          token = t;
          onToken(t);
        },
      }).then((client) => ({ client, token }));
      minted.set(agent.name, entry);
    }
    return entry;
  };
  return {
    clientFor: async (agent) => (await mint(agent)).client,
    githubFor: async (agent) => ({ token: (await mint(agent)).token, apiUrl, gitUrl: serverUrl }),
  };
}

function setOutputs(reports: RunReport[], none: string): void {
  const last = reports[reports.length - 1];
  core.setOutput("status", last ? last.status : none);
  core.setOutput("run-id", last?.result?.run ?? last?.runId ?? "");
  core.setOutput("pr-number", last?.pullRequest ? String(last.pullRequest.number) : "");
  core.setOutput("comment-url", last?.comments[0] ?? "");
  for (const [name, value] of Object.entries(costOutputs(reports))) core.setOutput(name, value);
  core.setOutput(
    "runs",
    JSON.stringify(
      reports.map((r) => ({
        agent: r.job.agent.name,
        run: r.result?.run ?? r.runId ?? null,
        status: r.status,
        pullRequest: r.pullRequest?.number ?? null,
        comments: r.comments,
        error: r.error?.message ?? null,
        ...runCostJson(r),
      })),
    ),
  );
}

/** The raw body of an issue comment, as the workflow's concurrency group saw it. */
function commentBody(eventName: string, payload: unknown): string | undefined {
  const body = eventName === "issue_comment" ? (payload as { comment?: { body?: unknown } }).comment?.body : undefined;
  return typeof body === "string" ? body : undefined;
}
