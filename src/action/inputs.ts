/** The Action's inputs (action.yml) and the environment GitHub sets, checked up front. */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import type { AppCredentials } from "../github/octokit.js";
import { InputError } from "../util/errors.js";

export interface ActionInputs {
  auth: { token: string } | { app: AppCredentials };
  /** Checkout holding `.gitcrew/` (and the remote agent branches are pushed to). */
  repoDir: string;
  dockerHost?: string;
  dryRun: boolean;
  /** Upper bound on every run's timeout, in minutes. */
  timeoutMinutes?: number;
  debug: boolean;
  eventName: string;
  eventPath: string;
  apiUrl: string;
  serverUrl: string;
  runUrl?: string;
  progressIntervalMs?: number;
}

/** `INPUT_<NAME>` as @actions/core reads it (spaces become underscores, upper case). */
export function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

function bool(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = input(env, name).toLowerCase();
  if (v === "" || v === "false") return false;
  if (v === "true") return true;
  throw new InputError(`input ${name} must be true or false; got "${v.slice(0, 40)}"`);
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const eventName = env.GITHUB_EVENT_NAME ?? "";
  const eventPath = env.GITHUB_EVENT_PATH ?? "";
  if (!eventName || !eventPath) {
    throw new InputError("GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set", "run gitcrew's Action inside a GitHub Actions workflow, or use `gitcrew dry-run` locally");
  }
  const appId = input(env, "app-id");
  const keyText = input(env, "app-private-key");
  const token = input(env, "github-token") || env.GITHUB_TOKEN || "";
  let auth: ActionInputs["auth"];
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
  let timeoutMinutes: number | undefined;
  if (timeout) {
    timeoutMinutes = Number(timeout);
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1 || timeoutMinutes > 1440) throw new InputError(`input timeout-minutes must be a whole number of minutes from 1 to 1440; got "${timeout.slice(0, 40)}"`);
  }
  const level = (input(env, "log-level") || "info").toLowerCase();
  if (!["debug", "info"].includes(level)) throw new InputError(`input log-level must be debug or info; got "${level.slice(0, 40)}"`);
  const serverUrl = env.GITHUB_SERVER_URL ?? "https://github.com";
  const runUrl = env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  const interval = env.GITCREW_PROGRESS_INTERVAL_MS ? Number(env.GITCREW_PROGRESS_INTERVAL_MS) : undefined;
  return {
    auth,
    repoDir,
    dockerHost: input(env, "docker-host") || undefined,
    dryRun: bool(env, "dry-run"),
    timeoutMinutes,
    debug: level === "debug" || env.RUNNER_DEBUG === "1",
    eventName,
    eventPath,
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    serverUrl,
    runUrl,
    progressIntervalMs: interval !== undefined && Number.isFinite(interval) ? interval : undefined,
  };
}

export function readEvent(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read the event file ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError(`the event file ${path} is not JSON`);
  }
}
