/**
 * git as the runner runs it on the host: a plain process with a minimal
 * environment. The runner's own environment holds model keys, the webhook
 * secret and the GitHub token; a git that ran anything (a filter or hook named
 * by some config) must see none of it. No system or user config, no GIT_*
 * variable: only the arguments and the repository's own config steer git.
 */
import { execFile, spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

let emptyHome: string | undefined;

/** An empty folder of this process (mode 0700) as git's HOME: no ~/.gitconfig, no XDG config; removed when the process exits. */
function home(): string {
  if (!emptyHome) {
    const made = mkdtempSync(join(tmpdir(), "gitcrew-git-home-"));
    emptyHome = made;
    // One per process (every Action job, every `gitcrew run`): otherwise they pile up in /tmp.
    process.once("exit", () => rmSync(made, { recursive: true, force: true }));
  }
  return emptyHome;
}

export function hostGitEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH || "/usr/local/bin:/usr/bin:/bin",
    HOME: home(),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
  };
}

/**
 * Before every command: no hook runs. The repository's config may name a
 * relative hooks folder (`core.hooksPath = .husky`, written by husky when a
 * job ran `npm install` in the checkout), which git looks up from its working
 * directory: the agent's worktree, where the commit updates a ref and git ran
 * the agent's `.husky/reference-transaction` on the host. gitcrew's plumbing
 * (worktree add, the commit) needs no hook of anyone's.
 */
export const NO_HOOKS = ["-c", "core.hooksPath=/dev/null"];

/** A git call that answers in time or is killed (a stuck git must not hang the run). */
const GIT_TIMEOUT_MS = 10 * 60_000;

export interface GitOut {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export function gitRaw(cwd: string, args: string[]): Promise<GitOut> {
  return new Promise((resolve) =>
    execFile("git", [...NO_HOOKS, ...args], { cwd, env: hostGitEnv(), encoding: "buffer", maxBuffer: 512 * 1024 * 1024, timeout: GIT_TIMEOUT_MS, killSignal: "SIGKILL" }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 128) : 0;
      const text = stderr.toString("utf8");
      resolve({ code, stdout, stderr: text || (err && typeof err.code !== "number" ? err.message : "") });
    }),
  );
}

export async function gitText(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await gitRaw(cwd, args);
  return { ...out, stdout: out.stdout.toString("utf8") };
}

/** A long-lived git process (fast-import) fed on stdin. */
export function gitSpawn(cwd: string, args: string[]): ChildProcessByStdio<Writable, Readable, Readable> {
  return spawn("git", [...NO_HOOKS, ...args], { cwd, env: hostGitEnv(), stdio: ["pipe", "pipe", "pipe"] });
}
