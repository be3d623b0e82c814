/**
 * The agent's branch on origin: fetched before a run (a follow-up continues
 * its own work) and pushed after. Never the default branch (the runner
 * refuses to commit there, and GitHub's client refuses such a PR).
 */
import { simpleGit } from "simple-git";
import { EXIT, GitcrewError, errorMessage } from "../util/errors.js";

async function hasOrigin(repoDir: string): Promise<boolean> {
  return (await simpleGit(repoDir).getRemotes()).some((r) => r.name === "origin");
}

/** Update the local branch from origin when origin has it (absent is fine: a first run). */
export async function fetchBranch(repoDir: string, branch: string): Promise<void> {
  if (!(await hasOrigin(repoDir))) return;
  const git = simpleGit(repoDir);
  const remote = await git.raw(["ls-remote", "--heads", "origin", `refs/heads/${branch}`]).catch(() => "");
  if (!remote.trim()) return;
  // The checkout may have this branch checked out (a PR-triggered Action): then fetch only.
  const current = (await git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "")).trim();
  const target = current === branch ? `refs/remotes/origin/${branch}` : `refs/heads/${branch}`;
  await git.raw(["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:${target}`]);
}

export async function pushBranch(repoDir: string, branch: string): Promise<void> {
  if (!(await hasOrigin(repoDir))) return;
  try {
    await simpleGit(repoDir).raw(["push", "--quiet", "origin", `refs/heads/${branch}:refs/heads/${branch}`]);
  } catch (err) {
    // Not an infrastructure failure: retrying the whole run would not help.
    throw new GitcrewError(
      `could not push ${branch} to origin: ${errorMessage(err).trim()}`,
      EXIT.failed,
      "give the workflow `contents: write` permission (or the app Contents write), and check that branch protection allows gitcrew/* branches",
    );
  }
}
