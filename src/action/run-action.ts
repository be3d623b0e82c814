/**
 * The Action: event file → crew from the default branch → plan → runs on
 * this self-hosted runner's Docker engine → comments, PRs, check runs.
 * Everything the user must see also lands in the step log and job summary.
 * This module goes as far as the first signs (the early 👀, the fetch of the
 * default branch); plan-and-run.ts, loaded meanwhile, does the rest.
 */
import { secretForms } from "../util/secret-mask.js";
import * as core from "@actions/core";
import { fetchDefaultBranch } from "../pipeline/default-branch.js";
import { connectGitHub, secretMask, type GitHubClient } from "../github/index.js";
import { normalize } from "../events/normalize.js";
import type { Runner } from "../runner/runner.js";
import type { Trigger } from "../events/trigger.js";
import { readEvent, readInputs } from "./inputs.js";
import { addressesCheckoutAgent, earlyEyes } from "./early-eyes.js";
import { lookAhead } from "../pipeline/plan-lookahead.js";
import { gitRun } from "../pipeline/git-run.js";
import { infoAgentLine } from "./step-log.js";
import { failureSummary } from "./summary.js";
import { tellThread } from "./tell-thread.js";
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
    const told = !answered.done && answered.github && !opts.signal?.aborted ? await tellThread(answered.github, trigger, answered.crew, inputs.repoDir, err, inputs.runUrl, env) : undefined;
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
export interface Answered {
  done: boolean;
  github?: GitHubClient;
  crew?: Crew;
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
  const addSecrets = (values: string[]) => {
    for (const value of values) {
      // The runner's log masker gets every form (escaped, encoded, each line), as gitcrew's own does.
      for (const form of secretForms(value)) core.setSecret(form);
      masked.add(value);
    }
    mask = secretMask(masked);
  };
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
  const addressed = inputs.dryRun ? Promise.resolve(false) : addressesCheckoutAgent(trigger, inputs.repoDir).catch(() => false);
  // The default branch is fetched while everything below goes on; the crew is evaluated meanwhile
  // at the commit its ref points at now, and kept when its files did not change (crew-source.ts).
  const branch = trigger.repo.defaultBranch;
  const knownTip = gitRun(inputs.repoDir, ["rev-parse", "--verify", "--quiet", `refs/remotes/origin/${branch}^{commit}`]).then((out) => out.trim() || undefined, () => undefined);
  const crewRef = fetchDefaultBranch(inputs.repoDir, branch, core.info);
  crewRef.catch(() => undefined); // awaited by planAndRun; never an unhandled rejection meanwhile
  const eyes = addressed.then((yes) => earlyEyes(github, trigger, yes, (line) => core.warning(line)));
  // The same guess asks planning's GitHub lookups now (plan-lookahead.ts), not once the crew is in.
  const planning = addressed.then((yes) => (yes ? lookAhead(github, trigger) : github));
  // The engine is reached once 👀 is out, while the crew loads and GitHub answers (compiling the
  // runner's chunk before would hold the 👀 back); a failure here waits, unseen, for the run that needs it.
  if (!inputs.dryRun) void eyes.then(() => runner().catch(() => undefined));
  // The planning's code (plan-and-run.ts, its own chunk of dist/) is compiled while git and GitHub answer.
  const { planAndRun } = await import("./plan-and-run.js");
  await planAndRun({ env, opts, inputs, payload, trigger, answered, github, planning, eyes, knownTip, crewRef, runner, runnerEnv, maskAll, onToken, addSecrets });
}
