/**
 * Runs the bundled Action (dist/index.js) as GitHub would: an event file,
 * INPUT_* and GITHUB_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files,
 * against the GitHub double, with a clone of the double's bare repo as the
 * workspace (actions/checkout leaves `origin` pointing at the repository).
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { GitHubDouble } from "./github-double/index.js";

const exec = promisify(execFile);
const ACTION = resolve(import.meta.dirname, "../../dist/index.js");

export interface ActionRun {
  code: number;
  stdout: string;
  /** The runner reads workflow commands on stderr too. */
  stderr: string;
  /** The checkout the Action ran in (GITHUB_WORKSPACE). */
  workspace: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionEnv {
  double: GitHubDouble;
  fullName: string;
  bareDir: string;
  /** The runner's GITCREW_HOME (run records, session state), shared by runs of one test. */
  home: string;
}

/** A fresh checkout of the double's repository, as actions/checkout makes one. */
export async function checkout(bareDir: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-ws-"));
  await exec("git", ["clone", "-q", bareDir, dir]);
  return dir;
}

function parseOutputs(text: string): Record<string, string> {
  // @actions/core writes `name<<DELIM\nvalue\nDELIM`.
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(ghadelimiter_[\w-]+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}

export interface ActionOptions {
  token: string;
  inputs?: Record<string, string>;
  extraEnv?: Record<string, string>;
  /** The Action's entry to run (default: this checkout's dist/index.js). */
  action?: string;
  /** A checkout made beforehand (default: a fresh clone of the double's repository). */
  workspace?: string;
}

export async function runAction(env: ActionEnv, event: string, payload: unknown, opts: ActionOptions): Promise<ActionRun> {
  return (await startAction(env, event, payload, opts)).done;
}

/** The Action as a child process still running, e.g. to send it the SIGTERM GitHub sends a cancelled job. */
export async function startAction(env: ActionEnv, event: string, payload: unknown, opts: ActionOptions): Promise<{ child: ChildProcess; done: Promise<ActionRun> }> {
  const work = mkdtempSync(join(tmpdir(), "gitcrew-action-"));
  const eventPath = join(work, "event.json");
  writeFileSync(eventPath, typeof payload === "string" ? payload : JSON.stringify(payload));
  const outputPath = join(work, "output");
  const summaryPath = join(work, "summary.md");
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const workspace = opts.workspace ?? (await checkout(env.bareDir));
  const inputs: Record<string, string> = { "github-token": opts.token, path: ".", "dry-run": "false", "log-level": "info", ...opts.inputs };
  const childEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DOCKER_HOST: process.env.DOCKER_HOST,
    GITCREW_DOCKER_NETWORK: process.env.GITCREW_DOCKER_NETWORK,
    GITHUB_ACTIONS: "true",
    CI: "true",
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: env.fullName,
    GITHUB_RUN_ID: "4242",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: env.double.url,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITCREW_HOME: env.home,
    GITCREW_PROGRESS_INTERVAL_MS: "300",
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...opts.extraEnv,
  };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  const child = spawn(process.execPath, [opts.action ?? ACTION], { env: childEnv, cwd: workspace, stdio: ["ignore", "pipe", "pipe"] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout?.on("data", (b: Buffer) => out.push(b));
  child.stderr?.on("data", (b: Buffer) => err.push(b));
  const done = new Promise<ActionRun>((resolvePromise, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => {
      const code = status ?? (signal ? 128 : 1);
      const stdout = Buffer.concat(out).toString("utf8");
      resolvePromise({ code, stdout, stderr: Buffer.concat(err).toString("utf8"), workspace, outputs: parseOutputs(readFileSync(outputPath, "utf8")), summary: readFileSync(summaryPath, "utf8") });
    });
  });
  return { child, done };
}
