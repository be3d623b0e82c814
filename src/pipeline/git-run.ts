/**
 * One git command of the pipeline as a plain child process, answered as
 * simple-git's `raw` answers (stdout; an error with the output when git
 * failed and said why on stderr). simple-git waits 50 ms more after every
 * command that printed nothing (its completion detection), and a quiet fetch,
 * a push or an ls-remote of a branch not pushed yet print nothing: on every
 * Action's and trigger's way to its plan and its container.
 */
import { execFile } from "node:child_process";

/**
 * No hook runs: these calls carry the step's whole environment (the token,
 * the App's key, model keys), and a relative `core.hooksPath` in the
 * checkout's config (husky's `.husky`) names files of whatever the workflow
 * checked out, a fork's head included (every fetch and push updates a ref:
 * `reference-transaction`, `pre-push`).
 */
export const NO_HOOKS = ["-c", "core.hooksPath=/dev/null"];

export function gitRun(repoDir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", [...NO_HOOKS, ...args], { cwd: repoDir, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== "number") reject(err);
      else if (err && stderr) reject(new Error(stdout + stderr));
      else resolve(stdout);
    });
  });
}
