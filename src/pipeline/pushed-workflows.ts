/**
 * Workflows a push would bring into the repository. GitHub runs a pushed
 * branch's own `.github/workflows` (`on: push`, self-hosted runners, the
 * repository's secrets), and gitcrew pushes with its own credential. The
 * runner keeps the agent's commit from changing workflows (commit-worktree.ts
 * `frozen`), but only relative to the run's start: a run on an approved fork
 * head starts from the fork's commit, whose workflows may be the fork's own.
 *
 * Without `workflows: write`, a branch is pushed only when its workflow files
 * are already on the repository as they are: the default branch's, those of
 * the branch pushed to as origin has it, or (someone's same-repository pull
 * request the run started from) the head branch's as fetched from origin.
 */
import type { Agent } from "../crew/types.js";
import { workflowPath } from "../runner/commit-worktree.js";
import { oneLine } from "../util/terminal-text.js";
import { gitRun } from "./git-run.js";

/** A ref or commit id the pipeline's git may take as an argument (git-run.ts: refs/… or an id). */
const SAFE = /^(refs\/[^\s\0]+|[0-9a-f]{40,64})$/;

/** Workflow paths (commit-worktree.ts workflowPath) that differ between two commits; undefined when git cannot tell. */
async function workflowDiff(repoDir: string, from: string, to: string): Promise<string[] | undefined> {
  if (!SAFE.test(from) || !SAFE.test(to)) return undefined;
  // No pathspec (magic ones can be turned off by the environment): names only, filtered here.
  const out = await gitRun(repoDir, ["diff-tree", "-r", "-z", "--no-renames", "--name-only", from, to]).catch(() => undefined);
  if (out === undefined) return undefined;
  return out.split("\0").filter((p) => p && workflowPath(p));
}

/** What origin's branches point at now (`ls-remote`), for those it has. */
async function onOrigin(repoDir: string, branches: string[]): Promise<string[]> {
  const out = await gitRun(repoDir, ["ls-remote", "--heads", "origin", ...branches.map((b) => `refs/heads/${b}`)]).catch(() => "");
  return out
    .split("\n")
    .map((l) => l.split("\t")[0] ?? "")
    .filter((id) => /^[0-9a-f]{40,64}$/.test(id));
}

/**
 * The workflow files `commit` (about to be pushed to `branch`) would bring
 * that none of the allowed sources has as they are; empty when none.
 */
export async function newWorkflows(
  repoDir: string,
  o: { commit: string; branch: string; defaultBranch: string; prHead?: string },
): Promise<string[]> {
  // The default branch as fetched for the crew (crew-source.ts): the common case, no round trip.
  const againstDefault = await workflowDiff(repoDir, `refs/remotes/origin/${o.defaultBranch}`, o.commit);
  if (againstDefault?.length === 0) return [];
  // The run's start when it was someone's branch on origin (git-remote.ts fetchHeadBranch; absent: git fails, no match).
  if (o.prHead && (await workflowDiff(repoDir, `refs/gitcrew/heads/${o.prHead}`, o.commit))?.length === 0) return [];
  // No origin: nothing is pushed anywhere (git-remote.ts pushBranch).
  if (!(await gitRun(repoDir, ["remote"]).catch(() => "")).split("\n").includes("origin")) return [];
  // Origin now: the branch pushed to (a push that keeps its workflows adds none) and the default branch.
  for (const id of await onOrigin(repoDir, [o.branch, o.defaultBranch])) {
    if ((await workflowDiff(repoDir, id, o.commit))?.length === 0) return [];
  }
  return againstDefault?.length ? againstDefault : [".github/workflows"];
}

/**
 * Why `result`'s branch is not pushed, when it would bring workflow files onto
 * the repository and the agent has no `workflows: write`; else undefined.
 */
export async function workflowsHeldBack(
  repoDir: string,
  agent: Pick<Agent, "name" | "permissions">,
  result: { branch?: string; commit?: string },
  defaultBranch: string,
  pr: { fork: boolean; headRef: string } | undefined,
): Promise<{ message: string; hint: string } | undefined> {
  if (agent.permissions.workflows === "write" || !result.branch || !result.commit) return undefined;
  const paths = await newWorkflows(repoDir, { commit: result.commit, branch: result.branch, defaultBranch, prHead: pr && !pr.fork ? pr.headRef : undefined });
  return paths.length ? workflowsNotPushed(agent, result.branch, paths) : undefined;
}

/** The thread's words for a push held back. */
function workflowsNotPushed(agent: Pick<Agent, "name">, branch: string, paths: string[]): { message: string; hint: string } {
  // Paths come from the branch (a fork's names): inline code on one line each.
  const listed = paths.slice(0, 10).map((p) => `\`${oneLine(p).replace(/`/g, "'")}\``).join(", ") + (paths.length > 10 ? ` and ${paths.length - 10} more` : "");
  return {
    message: `${agent.name}'s branch ${branch} was not pushed and no pull request was opened: it would bring workflow changes the default branch does not have (${listed}), from the commit the run started on; workflows run with the repository's secrets, and ${agent.name}'s permissions give no \`workflows: write\``,
    hint: `review the workflow changes; a maintainer can bring them to the default branch first, or give ${agent.name} \`permissions: workflows: write\` in its definition`,
  };
}
