/** push: only pushes to the default branch that change the crew (`.gitcrew/`) start runs. */
import type { Normalizer } from "./common.js";
import { baseTrigger, ignored, ok, readActor, readRepo } from "./common.js";
import type { PayloadReader } from "./read.js";

/** Files added, modified or removed by the pushed commits, unique, in order. */
function changedFiles(r: PayloadReader): string[] {
  const files = new Set<string>();
  let commits = r.arr("commits").map((c, i) => r.at(`commits.${i}`, c));
  // Tag and some forced pushes list no commits but still have head_commit.
  if (commits.length === 0 && r.has("head_commit")) commits = [r.at("head_commit", r.obj("head_commit"))];
  for (const c of commits) {
    for (const list of ["added", "modified", "removed"]) {
      c.arr(list).forEach((_, i) => files.add(c.str(`${list}.${i}`)));
    }
  }
  return [...files];
}

/** The crew is `.gitcrew/` (and CODEOWNERS, which validation reads). */
function touchesCrew(file: string): boolean {
  return file.startsWith(".gitcrew/") || /(^|\/)CODEOWNERS$/.test(file);
}

export const normalizePush: Normalizer = (r, opts) => {
  const ref = r.str("ref");
  const after = r.str("after");
  r.arr("commits");
  const repo = readRepo(r);
  if (r.bool("deleted", false)) return ignored(`push: ${ref} was deleted`);
  const branch = `refs/heads/${repo.defaultBranch}`;
  if (ref !== branch) return ignored(`push: ${ref} is not the default branch (${branch})`);
  // A push that lists no files (forced, or over GitHub's limit) may have changed the crew.
  const listed = r.arr("commits").length > 0 || r.has("head_commit");
  const files = changedFiles(r);
  if (listed && !files.some(touchesCrew)) return ignored(`push: nothing under .gitcrew/ changed on ${branch}`);
  return ok({
    ...baseTrigger(r, opts, readActor(r), []),
    text: "",
    mentions: [],
    commands: [],
    ref,
    sha: after,
    ...(listed ? { changedFiles: files } : {}),
  });
};
