/**
 * The crew is always read from the default branch as it is on the remote:
 * an agent's branch that edits `.gitcrew/` changes nothing until merged.
 */
import { loadCrew, type LoadResult } from "../crew/load.js";
import { snapshotFromGit } from "../crew/snapshot.js";
import { fetchDefaultBranch } from "./default-branch.js";

export { fetchDefaultBranch } from "./default-branch.js";

/** The crew as committed on the default branch. */
export async function loadDefaultCrew(repoDir: string, branch: string, env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<LoadResult & { ref: string }> {
  return loadCrewAt(repoDir, await fetchDefaultBranch(repoDir, branch, log), env);
}

/** The crew as committed at `ref` (what fetchDefaultBranch returned). */
export async function loadCrewAt(repoDir: string, ref: string, env: NodeJS.ProcessEnv): Promise<LoadResult & { ref: string }> {
  return { ...(await loadCrew(await snapshotFromGit(repoDir, ref), env)), ref };
}
