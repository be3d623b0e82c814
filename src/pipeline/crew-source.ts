/**
 * The crew is always read from the default branch as it is on the remote:
 * an agent's branch that edits `.gitcrew/` changes nothing until merged.
 */
import { loadCrew, type LoadResult } from "../crew/load.js";
import type { Crew } from "../crew/types.js";
import { CODEOWNERS_PATHS, CREW_DIR, snapshotFromGit } from "../crew/snapshot.js";
import { fetchDefaultBranch } from "./default-branch.js";
import { gitRun } from "./git-run.js";

export { fetchDefaultBranch } from "./default-branch.js";

/** The crew as committed on the default branch. */
export async function loadDefaultCrew(repoDir: string, branch: string, env: NodeJS.ProcessEnv, log?: (line: string) => void): Promise<LoadResult & { ref: string }> {
  return loadCrewAt(repoDir, await fetchDefaultBranch(repoDir, branch, log), env);
}

/** The crew as committed at `ref` (what fetchDefaultBranch returned). */
export async function loadCrewAt(repoDir: string, ref: string, env: NodeJS.ProcessEnv): Promise<LoadResult & { ref: string }> {
  return { ...(await loadCrew(await snapshotFromGit(repoDir, ref), env)), ref };
}

/**
 * The crew at the ref `fetched` gives, evaluated meanwhile at `known` (the
 * commit that ref pointed at before the fetch, also the default branch's) and
 * kept when the crew's files are the same objects at both: evaluating takes
 * about as long as the fetch (issue 21). Otherwise evaluated again at the
 * fetched ref, as loadCrewAt does.
 */
export async function loadCrewAhead(
  repoDir: string,
  known: string | undefined,
  fetched: Promise<string>,
  env: NodeJS.ProcessEnv,
  /** Told the crew evaluated ahead, before the fetch is done (a guess until the files are compared). */
  onAhead?: (crew: Crew) => void,
): Promise<LoadResult & { ref: string }> {
  if (!known) return loadCrewAt(repoDir, await fetched, env);
  const early = loadCrewAt(repoDir, known, env);
  if (onAhead) void early.then((r) => r.crew && onAhead(r.crew), () => undefined);
  const earlyFiles = crewFiles(repoDir, known);
  early.catch(() => undefined);
  earlyFiles.catch(() => undefined);
  const ref = await fetched;
  const [before, after] = await Promise.all([earlyFiles.catch(() => undefined), crewFiles(repoDir, ref).catch(() => undefined)]);
  // Evaluated again when no crew file is there at all (the message names the ref) or the early evaluation threw.
  const kept = before && before === after ? await early.catch(() => undefined) : undefined;
  if (kept) return { ...kept, ref };
  return loadCrewAt(repoDir, ref, env);
}

/** The object ids of everything the crew is read from at `ref` (snapshotFromGit's paths), as one string. */
async function crewFiles(repoDir: string, ref: string): Promise<string> {
  return gitRun(repoDir, ["ls-tree", "--full-tree", ref, "--", CREW_DIR, ...CODEOWNERS_PATHS]);
}
