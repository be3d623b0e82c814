import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  HISTORY_COMMENTS,
  VERSION,
  addressedAgents,
  agentFolders,
  connectGitHub,
  failureSummary,
  fetchDefaultBranch,
  gitRun,
  info,
  infoAgentLine,
  normalize,
  repoId,
  seenTarget,
  setFailed,
  setOutput,
  setSecret,
  summary,
  warning
} from "./chunks/action-chunk-JGXEM46A.js";
import "./chunks/action-chunk-MCDGM2AY.js";
import {
  secretForms,
  secretMask
} from "./chunks/action-chunk-YKXFDGTV.js";
import "./chunks/action-chunk-5GAK7XUT.js";
import "./chunks/action-chunk-PBK64ER2.js";
import {
  EXIT,
  GitcrewError,
  InputError,
  errorMessage
} from "./chunks/action-chunk-NBJIPBID.js";
import "./chunks/action-chunk-DW6V7IS7.js";

// src/action/inputs.ts
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
function input(env, name) {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}
function bool(env, name) {
  const v = input(env, name).toLowerCase();
  if (v === "" || v === "false") return false;
  if (v === "true") return true;
  throw new InputError(`input ${name} must be true or false; got "${v.slice(0, 40)}"`);
}
function readInputs(env) {
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const eventPath = env.GITHUB_EVENT_PATH ?? "";
  if (!eventName || !eventPath) {
    throw new InputError("GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set", "run gitcrew's Action inside a GitHub Actions workflow, or use `gitcrew dry-run` locally");
  }
  const appId = input(env, "app-id");
  const keyText = input(env, "app-private-key");
  const token = input(env, "github-token") || env.GITHUB_TOKEN || "";
  let auth;
  if (appId) {
    if (!/^\d+$/.test(appId)) throw new InputError(`input app-id must be a number; got "${appId.slice(0, 40)}"`);
    if (!keyText.includes("PRIVATE KEY")) throw new InputError("input app-private-key must be the app's PEM private key", "store the .pem file's content in a secret and pass it as app-private-key");
    const repository = env.GITHUB_REPOSITORY ?? "";
    const [owner = "", repo = ""] = repository.split("/");
    auth = { app: { appId: Number(appId), privateKey: keyText, repository: { owner, repo } } };
  } else if (token) {
    auth = { token };
  } else {
    throw new InputError("no GitHub credentials: set github-token (default GITHUB_TOKEN) or app-id with app-private-key");
  }
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const crewPath = input(env, "path") || ".";
  const repoDir = isAbsolute(crewPath) ? crewPath : resolve(workspace, crewPath);
  if (!existsSync(repoDir)) throw new InputError(`input path: "${repoDir}" does not exist`, "check out the repository first (actions/checkout) or fix the path input");
  const timeout = input(env, "timeout-minutes");
  let timeoutMinutes;
  if (timeout) {
    timeoutMinutes = Number(timeout);
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 1440) throw new InputError(`input timeout-minutes must be a whole number of minutes from 1 to 1440; got "${timeout.slice(0, 40)}"`);
  }
  const level = (input(env, "log-level") || "info").toLowerCase();
  if (!["debug", "info"].includes(level)) throw new InputError(`input log-level must be debug or info; got "${level.slice(0, 40)}"`);
  const serverUrl = env.GITHUB_SERVER_URL ?? "https://github.com";
  const runUrl = env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : void 0;
  const interval = env.GITCREW_PROGRESS_INTERVAL_MS ? Number(env.GITCREW_PROGRESS_INTERVAL_MS) : void 0;
  return {
    auth,
    repoDir,
    dockerHost: input(env, "docker-host") || void 0,
    dryRun: bool(env, "dry-run"),
    timeoutMinutes,
    debug: level === "debug" || env.RUNNER_DEBUG === "1",
    eventName,
    eventPath,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    serverUrl,
    runUrl,
    progressIntervalMs: interval !== void 0 && Number.isFinite(interval) ? interval : void 0
  };
}
function readEvent(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read the event file ${path}: ${err.message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`the event file ${path} is not JSON`);
  }
}

// src/action/early-eyes.ts
async function addressesCheckoutAgent(trigger, repoDir) {
  if (trigger.actor.type === "Bot" || !trigger.mentions.length) return false;
  return addressedAgents(trigger, await agentFolders(repoDir, "HEAD")).length > 0;
}
async function earlyEyes(github, trigger, addressed, warn) {
  const target = seenTarget(trigger);
  if (!target || !addressed) return false;
  await github.react(repoId(trigger), target, "eyes").catch((e) => warn(`no \u{1F440} reaction: ${errorMessage(e)}`));
  return true;
}

// src/pipeline/plan-lookahead.ts
function lookAhead(github, t) {
  const waiting = /* @__PURE__ */ new Map();
  const ask = (method, args) => {
    const answer = github[method].apply(github, args);
    answer.catch(() => void 0);
    waiting.set(keyOf(method, args), answer);
  };
  const repo = repoId(t);
  const thread = t.thread;
  if (t.event !== "schedule") ask("permissionOf", [repo, t.actor.login]);
  if (t.author) ask("permissionOf", [repo, t.author.login]);
  if (thread) ask("listComments", [repo, thread.number, { max: HISTORY_COMMENTS }]);
  if (thread?.kind === "pull_request") {
    if (!thread.pr) ask("getPullRequest", [repo, thread.number]);
    if (!t.changedFiles) ask("listPullFiles", [repo, thread.number]);
  }
  return new Proxy(github, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args) => {
        const key = typeof prop === "string" ? keyOf(prop, args) : void 0;
        const early = key ? waiting.get(key) : void 0;
        if (early && key) {
          waiting.delete(key);
          return early;
        }
        return value.apply(target, args);
      };
    }
  });
}
function keyOf(method, args) {
  return `${method} ${JSON.stringify(args)}`;
}

// src/action/tell-thread.ts
async function tellThread(github, trigger, crew, repoDir, err, runUrl, env) {
  const thread = trigger.thread;
  if (!thread) return void 0;
  const warn = (e) => void warning(`could not answer in the thread: ${errorMessage(e)}`);
  try {
    const [{ planningFailure }, { unplannedAnswerBody }] = await Promise.all([import("./chunks/action-failure-answers-4AW5EDJT.js"), import("./chunks/action-unplanned-answer-3FLPEVWX.js")]);
    const failure = planningFailure(err);
    const hint = runUrl ? `${failure.hint ?? "comment again"}, or re-run the jobs of [the workflow run](${runUrl})` : failure.hint;
    const folders = () => agentFolders(repoDir, `refs/remotes/origin/${trigger.repo.defaultBranch}`);
    const body = await unplannedAnswerBody({ github: async () => github, env }, trigger, crew, folders, { message: failure.message, ...hint ? { hint } : {} });
    if (!body) return void 0;
    return (await github.createComment({ owner: trigger.repo.owner, repo: trigger.repo.name }, thread.number, body)).url;
  } catch (e) {
    warn(e);
    return void 0;
  }
}

// src/action/run-action.ts
async function runAction(env = process.env, opts = {}) {
  const inputs = readInputs(env);
  if ("token" in inputs.auth) setSecret(inputs.auth.token);
  else setSecret(inputs.auth.app.privateKey);
  const payload = readEvent(inputs.eventPath);
  const normalized = normalize(inputs.eventName, payload, { edits: true });
  if (!normalized.ok) {
    infoAgentLine("ignored: ", normalized.ignored);
    setOutput("status", "ignored");
    await summary.addHeading("gitcrew", 3).addRaw(`Nothing to do: ${normalized.ignored}.`, true).write();
    return;
  }
  const trigger = normalized.trigger;
  const answered = { done: false };
  try {
    await handleTrigger(env, opts, inputs, payload, trigger, answered);
  } catch (err) {
    const told = !answered.done && answered.github && !opts.signal?.aborted ? await tellThread(answered.github, trigger, answered.crew, inputs.repoDir, err, inputs.runUrl, env) : void 0;
    if (!answered.done) {
      const status = opts.signal?.aborted ? "cancelled" : "failed";
      setOutput("status", status);
      for (const name of ["run-id", "pr-number", "comment-url", "cost-usd", "tokens"]) setOutput(name, "");
      if (told) setOutput("comment-url", told);
      setOutput("runs", "[]");
      await failureSummary(status, errorMessage(err), err instanceof GitcrewError ? err.hint : void 0).write();
    }
    throw err;
  }
}
async function handleTrigger(env, opts, inputs, payload, trigger, answered) {
  const masked = /* @__PURE__ */ new Set();
  if ("token" in inputs.auth) masked.add(inputs.auth.token);
  let mask = secretMask(masked);
  const onToken = (token) => {
    if (masked.has(token)) return;
    for (const form of secretForms(token)) setSecret(form);
    masked.add(token);
    mask = secretMask(masked);
  };
  const maskAll = (text) => mask(text);
  const addSecrets = (values) => {
    for (const value of values) {
      for (const form of secretForms(value)) setSecret(form);
      masked.add(value);
    }
    mask = secretMask(masked);
  };
  const runnerEnv = inputs.dockerHost ? { ...env, DOCKER_HOST: inputs.dockerHost } : env;
  let started;
  const runner = () => {
    started ??= import("./chunks/action-runner-VCEXI2NB.js").then(({ Runner }) => Runner.start({ env: runnerEnv })).then((r) => {
      for (const o of r.orphans) warning(`cleaned up container of run ${o.run}: ${o.reason}`);
      return r;
    });
    return started;
  };
  const github = await connectGitHub({
    auth: "token" in inputs.auth ? inputs.auth : { app: { ...inputs.auth.app, baseUrl: inputs.apiUrl } },
    baseUrl: inputs.apiUrl,
    mask: maskAll,
    onToken
  });
  answered.github = github;
  const addressed = inputs.dryRun ? Promise.resolve(false) : addressesCheckoutAgent(trigger, inputs.repoDir).catch(() => false);
  const branch = trigger.repo.defaultBranch;
  const knownTip = gitRun(inputs.repoDir, ["rev-parse", "--verify", "--quiet", `refs/remotes/origin/${branch}^{commit}`]).then((out) => out.trim() || void 0, () => void 0);
  const crewRef = fetchDefaultBranch(inputs.repoDir, branch, info);
  crewRef.catch(() => void 0);
  const eyes = addressed.then((yes) => earlyEyes(github, trigger, yes, (line) => warning(line)));
  const planning = addressed.then((yes) => yes ? lookAhead(github, trigger) : github);
  if (!inputs.dryRun) void eyes.then(() => runner().catch(() => void 0));
  const { planAndRun } = await import("./chunks/action-plan-and-run-WOZOCM6A.js");
  await planAndRun({ env, opts, inputs, payload, trigger, answered, github, planning, eyes, knownTip, crewRef, runner, runnerEnv, maskAll, onToken, addSecrets });
}

// src/action/stop-signal.ts
var FORCE_EXIT_MS = 2e4;
var StoppedBySignal = class _StoppedBySignal extends GitcrewError {
  constructor(signalName, when = "while the agent worked") {
    super(
      `the workflow job was stopped (${signalName}) ${when}: the run was cancelled on GitHub, or the job reached its timeout-minutes`,
      EXIT.failed,
      "comment again to start a new run; if the job ran out of time, raise `timeout-minutes` in the workflow (or give the agent a smaller step)"
    );
    this.signalName = signalName;
  }
  /** The same stop, said of a run whose container had not started yet (see pipeline/execute.ts). */
  beforeStart() {
    return new _StoppedBySignal(this.signalName, "before the agent's container started");
  }
};
function abortOnSignals(proc = process, log = () => {
}) {
  const controller = new AbortController();
  const stop = (name) => {
    if (controller.signal.aborted) return;
    log(`received ${name}: stopping the run and cleaning up`);
    controller.abort(new StoppedBySignal(name));
    setTimeout(() => proc.exit(EXIT.failed), FORCE_EXIT_MS).unref();
  };
  proc.on("SIGINT", stop);
  proc.on("SIGTERM", stop);
  return controller.signal;
}

// src/action/main.ts
async function run() {
  info(`gitcrew ${VERSION} (Node ${process.versions.node})`);
  const signal = abortOnSignals(process, (line) => warning(line));
  try {
    await runAction(process.env, { signal });
  } catch (err) {
    const hint = err instanceof GitcrewError && err.hint ? `
${err.hint}` : "";
    setFailed(`${errorMessage(err)}${hint}`);
  }
}

// src/action/index.ts
await run();
