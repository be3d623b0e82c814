/**
 * The run's workspace: a git worktree of the repo at the run's ref in a temp
 * folder. Injected files (instructions) are written before the run and
 * restored before the commit, so they never land in the agent's commit.
 */
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import type { GitIdentity } from "../crew/types.js";
import { EnvironmentError, GitcrewError, InputError, EXIT, errorMessage } from "../util/errors.js";

export interface Workspace {
  dir: string;
  repoDir: string;
  /** Original content of injected paths that the repo already had (null: absent). */
  originals: Map<string, Buffer | null>;
}

function inside(root: string, rel: string): string {
  const path = normalize(join(root, rel));
  if (isAbsolute(rel) || !path.startsWith(root + sep)) throw new InputError(`injected file "${rel}" would leave the workspace`);
  return path;
}

async function openRepo(repoDir: string): Promise<SimpleGit> {
  if (!existsSync(repoDir)) throw new InputError(`repository folder "${repoDir}" does not exist`, "pass --repo with a git checkout");
  const git = simpleGit(repoDir);
  try {
    if (!(await git.checkIsRepo())) throw new Error("not a git repository");
    return git;
  } catch (err) {
    throw new InputError(`"${repoDir}" is not a git repository (${errorMessage(err)})`, "pass --repo with a git checkout");
  }
}

async function branchExists(git: SimpleGit, branch: string): Promise<boolean> {
  // `branch --list` prints nothing for a missing branch (simple-git does not throw on a quiet non-zero exit).
  return (await git.raw(["branch", "--list", branch])).trim() !== "";
}

/**
 * Worktree at `ref`, or at `branch` when that branch already exists (a
 * follow-up run in the same thread continues on its own work).
 */
export async function createWorkspace(opts: {
  repoDir: string;
  ref: string;
  branch: string;
  injectedFiles: Record<string, string>;
  /** Mount points to create so Docker does not create them as root. */
  mountPoints: string[];
  /** uid:gid that must own the files (the container user), when the runner is root. */
  owner?: { uid: number; gid: number };
}): Promise<Workspace> {
  const git = await openRepo(opts.repoDir);
  const dir = await mkdtemp(join(tmpdir(), "gitcrew-ws-"));
  const start = (await branchExists(git, opts.branch)) ? opts.branch : opts.ref;
  try {
    await git.raw(["worktree", "add", "--detach", dir, start]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new InputError(`cannot check out "${start}" of ${opts.repoDir}: ${errorMessage(err).trim()}`, "check the ref exists (git rev-parse REF)");
  }
  const originals = new Map<string, Buffer | null>();
  for (const [rel, content] of Object.entries(opts.injectedFiles)) {
    const path = inside(dir, rel);
    originals.set(rel, existsSync(path) ? await readFile(path) : null);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  for (const rel of opts.mountPoints) await mkdir(inside(dir, rel), { recursive: true });
  if (opts.owner) await chownTree(dir, opts.owner.uid, opts.owner.gid);
  return { dir, repoDir: opts.repoDir, originals };
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  // `chown -R` is much faster than walking the tree from node on large repos.
  const { execFile } = await import("node:child_process");
  await new Promise<void>((resolve, reject) =>
    execFile("chown", ["-R", `${uid}:${gid}`, dir], (err) => (err ? reject(new EnvironmentError(`chown of the workspace failed: ${err.message}`)) : resolve())),
  );
  await chown(dir, uid, gid);
}

export interface CommitOutcome {
  changedFiles: string[];
  branch?: string;
  commit?: string;
}

/** Restore injected files, then commit whatever the agent changed on `branch`. */
export async function commitChanges(ws: Workspace, opts: { branch: string; identity: GitIdentity; message: string }): Promise<CommitOutcome> {
  for (const [rel, original] of ws.originals) {
    const path = inside(ws.dir, rel);
    if (original === null) await rm(path, { force: true });
    else await writeFile(path, original);
  }
  // The worktree belongs to the container user when the runner is root; this
  // runner created it, so git may work in it as is (no chown back and forth).
  const sg = simpleGit(ws.dir);
  const git = { raw: (args: string[]) => sg.raw(["-c", `safe.directory=${ws.dir}`, ...args]), revparse: (args: string[]) => sg.raw(["-c", `safe.directory=${ws.dir}`, "rev-parse", ...args]) };
  // One status call answers "did anything change" for the common case of a run that changed nothing.
  if ((await git.raw(["status", "--porcelain", "-z", "--untracked-files=all"])).length === 0) return { changedFiles: [] };
  await git.raw(["add", "-A", "--", "."]);
  const changed = (await git.raw(["diff", "--cached", "--name-only", "-z"])).split("\0").filter(Boolean);
  if (changed.length === 0) return { changedFiles: [] };
  const repo = simpleGit(ws.repoDir);
  const head = (await repo.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).catch(() => "")).trim();
  if (!opts.branch || opts.branch === head || ["main", "master", "HEAD"].includes(opts.branch)) {
    throw new GitcrewError(`refusing to commit the agent's work on "${opts.branch}": an agent's branch is never the default branch`, EXIT.failed);
  }
  const { name, email } = opts.identity;
  // Author and committer are the agent (config flags: simple-git refuses a copied environment).
  await git.raw(["-c", `user.name=${name}`, "-c", `user.email=${email}`, "-c", "commit.gpgsign=false", "commit", "--no-verify", "-q", "-m", opts.message]);
  const commit = (await git.revparse(["HEAD"])).trim();
  // Move (or create) the branch to the new commit; it started from that branch when it existed.
  await git.raw(["branch", "-f", opts.branch, commit]);
  return { changedFiles: changed, branch: opts.branch, commit };
}

export async function removeWorkspace(ws: { dir: string; repoDir: string }): Promise<void> {
  // Remove the folder, then let git forget the worktree whose folder is gone
  // (cheaper than `worktree remove`, which first checks the tree is clean).
  await rm(ws.dir, { recursive: true, force: true });
  await simpleGit(ws.repoDir)
    .raw(["worktree", "prune"])
    .catch(() => undefined);
}
