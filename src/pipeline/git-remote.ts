/**
 * The agent's branch on origin: fetched before a run (a follow-up continues
 * its own work) and pushed after. Never the default branch (the runner
 * refuses to commit there, and GitHub's client refuses such a PR).
 */
import { simpleGit } from "simple-git";
import type { Thread } from "../events/trigger.js";
import type { PlannedRun } from "../plan/types.js";
import { EXIT, GitcrewError, errorMessage } from "../util/errors.js";
import { gitRun } from "./git-run.js";

async function hasOrigin(repoDir: string): Promise<boolean> {
  return (await simpleGit(repoDir).getRemotes()).some((r) => r.name === "origin");
}

/** Agents' branches asked of origin before the plan (the Action, issue 21), each taken once by fetchForRun. */
const askedAhead = new Map<string, Promise<void>>();

/**
 * Asks origin now for a branch a run will likely start from (fetchForRun's
 * first step): the Action knows it from the crew evaluated ahead while the
 * default branch is still being fetched. A branch the plan does not name is
 * never taken; it only costs the look.
 */
export function fetchBranchAhead(repoDir: string, branch: string): void {
  const key = `${repoDir}\0${branch}`;
  if (askedAhead.has(key) || branch.startsWith("-")) return;
  const asked = fetchBranch(repoDir, branch);
  asked.catch(() => undefined); // fetchForRun's, when it takes it
  askedAhead.set(key, asked);
}

/** The branch fetched ahead (its outcome, once), else fetched now. */
function fetchBranchOnce(repoDir: string, branch: string): Promise<void> {
  const key = `${repoDir}\0${branch}`;
  const asked = askedAhead.get(key);
  askedAhead.delete(key);
  return asked ?? fetchBranch(repoDir, branch);
}

/** Update the local branch from origin when origin has it (absent is fine: a first run). */
async function fetchBranch(repoDir: string, branch: string): Promise<void> {
  if (!(await hasOrigin(repoDir))) return;
  const git = simpleGit(repoDir);
  const remote = await gitRun(repoDir, ["ls-remote", "--heads", "origin", `refs/heads/${branch}`]).catch(() => "");
  if (!remote.trim()) return;
  // The checkout may have this branch checked out (a PR-triggered Action): then fetch only.
  const current = (await git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "")).trim();
  const target = current === branch ? `refs/remotes/origin/${branch}` : `refs/heads/${branch}`;
  await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:${target}`]);
}

/**
 * A same-repository PR's head branch, fetched to a ref of gitcrew's own so
 * the run starts from its newest commit (an Action's checkout, or a server's
 * clone, has the default branch, not every head). Returns the ref to use.
 */
async function fetchHeadBranch(repoDir: string, headRef: string): Promise<string> {
  if (!(await hasOrigin(repoDir))) return headRef;
  const target = `refs/gitcrew/heads/${headRef}`;
  try {
    await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${headRef}:${target}`]);
  } catch (err) {
    throw new GitcrewError(`cannot fetch the pull request's branch ${headRef} from origin: ${errorMessage(err).trim()}`, EXIT.failed, "check that the branch still exists; comment again once it is pushed");
  }
  return target;
}

/**
 * Everything a run needs from origin before it starts: the agent's own
 * branch (a follow-up continues its work), an approved fork head, or the
 * head branch of someone's PR. Returns the ref the run starts from.
 */
export async function fetchForRun(repoDir: string, planned: Pick<PlannedRun, "branch" | "ref" | "pinnedHead">, pr: Thread["pr"]): Promise<string> {
  await fetchBranchOnce(repoDir, planned.branch);
  if (planned.pinnedHead) await fetchPinnedHead(repoDir, planned.pinnedHead);
  const someonesPr = pr && !pr.fork && planned.ref === pr.headRef && planned.ref !== planned.branch;
  return someonesPr ? fetchHeadBranch(repoDir, pr.headRef) : planned.ref;
}

export async function pushBranch(repoDir: string, branch: string): Promise<void> {
  if (!(await hasOrigin(repoDir))) return;
  try {
    await gitRun(repoDir, ["push", "--quiet", "origin", `refs/heads/${branch}:refs/heads/${branch}`]);
  } catch (err) {
    // Not an infrastructure failure: retrying the whole run would not help.
    throw new GitcrewError(
      `could not push ${branch} to origin: ${errorMessage(err).trim()}`,
      EXIT.failed,
      "give the workflow `contents: write` permission (or the app Contents write), and check that branch protection allows gitcrew/* branches",
    );
  }
}

/**
 * A fork PR's approved head, made checkoutable: origin's `refs/pull/N/head`
 * must still be `sha` (a push since the approval is code nobody vetted), and
 * is fetched so that the commit is in the clone.
 */
async function fetchPinnedHead(repoDir: string, pin: { pull: number; sha: string }): Promise<void> {
  const git = simpleGit(repoDir);
  const ref = `refs/pull/${pin.pull}/head`;
  const now = (await git.raw(["ls-remote", "origin", ref]).catch(() => "")).split(/\s+/)[0] ?? "";
  if (!now) throw new GitcrewError(`cannot find ${ref} on origin to check out the approved head ${pin.sha.slice(0, 7)}`, EXIT.failed, "check that the pull request still exists");
  if (now !== pin.sha) {
    throw new GitcrewError(
      `pull request #${pin.pull} moved from the approved head ${pin.sha.slice(0, 7)} to ${now.slice(0, 7)}: a new push needs a new approval, so its code does not run`,
      EXIT.failed,
      `review the new commits and comment /approve again to run on ${now.slice(0, 7)}`,
    );
  }
  await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+${ref}:refs/gitcrew/pull/${pin.pull}/head`]);
}
