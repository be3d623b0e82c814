/**
 * The Action past its first signs (run-action.ts): the crew from the default
 * branch, the plan, the runs, the outputs and the job summary. Its own chunk
 * of dist/, compiled while the 👀 goes out and the default branch is fetched
 * (issue 21: nothing of it is parsed before the step's first line).
 */
import * as core from "@actions/core";
import { loadCrewAhead } from "../pipeline/crew-source.js";
import { planTrigger } from "../pipeline/prepare.js";
import { executeJob, runEvent, type RunReport, type Services } from "../pipeline/index.js";
import { reconcileApprovals } from "../approvals/index.js";
import { followUpRecorded } from "../approvals/follow-up-runs.js";
import { connectGitHub, type AppCredentials, type GitHubClient, type Mask } from "../github/index.js";
import type { Agent, Crew } from "../crew/types.js";
import { branchFor } from "../plan/plan.js";
import { fetchBranchAhead } from "../pipeline/git-remote.js";
import type { Trigger } from "../events/trigger.js";
import { renderPlan, planJson } from "../plan/render.js";
import type { Runner } from "../runner/runner.js";
import type { RunEvent } from "../runner/types.js";
import type { readInputs } from "./inputs.js";
import type { ActionOptions, Answered } from "./run-action.js";
import { infoAgentLine, infoUntrusted } from "./step-log.js";
import { costOutputs, runCostJson } from "./cost-outputs.js";
import { failureSummary, planSummary, resultSummary } from "./summary.js";
import { addressedAgents, agentFolders, answerBrokenCrew, brokenCrewMessage } from "./crew-broken.js";
import { GitcrewError, errorMessage } from "../util/errors.js";

/** What run-action.ts has started by the time this module is loaded. */
export interface Started {
  env: NodeJS.ProcessEnv;
  opts: ActionOptions;
  inputs: ReturnType<typeof readInputs>;
  payload: unknown;
  trigger: Trigger;
  answered: Answered;
  github: GitHubClient;
  /** The early 👀: true when it was asked for (the executor then skips its own). */
  eyes: Promise<boolean>;
  /** The client planning asks: GitHub, with the plan's lookups asked ahead when the trigger named an agent (plan-lookahead.ts). */
  planning: Promise<GitHubClient>;
  /** The commit the default branch's remote ref pointed at before the fetch (the crew is evaluated there meanwhile). */
  knownTip: Promise<string | undefined>;
  /** The ref the crew is read at, being fetched (pipeline/default-branch.ts). */
  crewRef: Promise<string>;
  /** The runner on this machine's engine, started on the first call. */
  runner(): Promise<Runner>;
  runnerEnv: NodeJS.ProcessEnv;
  maskAll: Mask;
  onToken(token: string): void;
  /** Masks more values (the crew's secrets) in the step log and in everything sent to GitHub. */
  addSecrets(values: string[]): void;
}

export async function planAndRun(s: Started): Promise<void> {
  const { env, opts, inputs, payload, trigger, answered, eyes, runner, runnerEnv, maskAll, onToken } = s;
  // What the agents the trigger names need is started as soon as the crew evaluated ahead names them.
  const loaded = await loadCrewAhead(inputs.repoDir, await s.knownTip, s.crewRef, env, inputs.dryRun ? undefined : (ahead) => startAhead(inputs.repoDir, trigger, ahead, runner));
  // Planning's lookups were asked at the start when the trigger named an agent of the checkout.
  const github = await s.planning;
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
  s.addSecrets(crew.agents.flatMap((a) => a.secrets.map((name) => env[name]).filter((v): v is string => !!v)));
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
  const failed = outcome.reports.filter((r) => r.status === "failed" || r.status === "timed_out" || r.status === "cancelled" || r.status === "budget_exceeded" || r.status === "disk_exceeded");
  if (failed.length) {
    const lines = failed.map((r) => `${r.job.agent.name}: ${r.error?.message ?? r.status}${r.error?.hint ? ` — ${r.error.hint}` : ""}`);
    throw new Error(lines.join("\n"));
  }
}


/**
 * For each agent the trigger addresses by name in the crew evaluated ahead: fetchForRun's first
 * look at origin (plan.ts branchFor), and what the runner needs for it (its gateway or egress
 * network, its run folder: Runner.warm). Read-only or the runner's own; authorisation comes later.
 */
function startAhead(repoDir: string, trigger: Trigger, crew: Crew, runner: () => Promise<Runner>): void {
  const named = addressedAgents(trigger, crew.agents.map((a) => a.name.toLowerCase())).map((m) => m.toLowerCase());
  for (const agent of crew.agents.filter((a) => named.includes(a.name.toLowerCase()))) {
    const branch = branchFor(trigger, agent, crew.config.branch_prefix);
    if (!branch.includes("{run}")) fetchBranchAhead(repoDir, branch);
    void runner().then((r) => r.warm(agent), () => undefined);
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
