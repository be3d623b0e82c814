/**
 * The default branch as it is on the remote, fetched: where the crew is read
 * from (crew-source.ts). Its own module, light to load: the Action starts the
 * fetch before the crew's code is compiled.
 */
import { simpleGit } from "simple-git";
import { errorMessage } from "../util/errors.js";
import { gitRun } from "./git-run.js";

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
    await gitRun(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:${remoteRef}`]);
    // The fetch wrote the ref: no third git process on every Action's and trigger's way to the plan.
    return remoteRef;
  } catch (err) {
    log?.(`could not fetch ${branch} from origin (${errorMessage(err).trim()}); using the last fetched state`);
  }
  const known = await git.raw(["rev-parse", "--verify", "--quiet", remoteRef]).catch(() => "");
  return known.trim() ? remoteRef : branch;
}
