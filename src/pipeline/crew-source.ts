/**
 * The crew is always read from the default branch as it is on the remote:
 * an agent's branch that edits `.gitcrew/` changes nothing until merged.
 */
import { simpleGit } from "simple-git";
import { loadCrew, type LoadResult } from "../crew/load.js";
import { snapshotFromGit } from "../crew/snapshot.js";
import { errorMessage } from "../util/errors.js";

/**
 * Fetch `branch` from origin and return the ref to read it at
 * (`refs/remotes/origin/<branch>`), or `branch` itself when there is no
 * origin (a local clone used as is).
 */
export async function fetchDefaultBranch(repoDir: string, branch: string, log?: (line: string) => void): Promise<string> {
  const git = simpleGit(repoDir);
  // Asked first: with no remote of that name, git would take `origin` as a path (a repository
  // committed at ./origin would then be the crew's source).
  const remotes = await git.getRemotes();
  if (!remotes.some((r) => r.name === "origin")) return branch;
  const remoteRef = `refs/remotes/origin/${branch}`;
  try {
    await git.raw(["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:${remoteRef}`]);
    // The fetch wrote the ref: no third git process on every Action's and trigger's way to the plan.
    return remoteRef;
  } catch (err) {
    log?.(`could not fetch ${branch} from origin (${errorMessage(err).trim()}); using the last fetched state`);
  }
  const known = await git.raw(["rev-parse", "--verify", "--quiet", remoteRef]).catch(() => "");
  return known.trim() ? remoteRef : branch;
}

/** The crew as committed on the default branch. */
export async function loadDefaultCrew(repoDir: string, branch: string, env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<LoadResult & { ref: string }> {
  const ref = await fetchDefaultBranch(repoDir, branch, log);
  return { ...(await loadCrew(await snapshotFromGit(repoDir, ref), env)), ref };
}
