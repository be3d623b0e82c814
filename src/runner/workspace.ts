/**
 * The run's workspace: a git worktree of the repo at the run's ref in a temp
 * folder. Injected files (instructions) are written before the run and
 * restored before the commit, so they never land in the agent's commit.
 *
 * Everything in the worktree is the agent's to write, and the runner works on
 * it afterwards (often as root): git is pointed at the worktree's admin folder
 * recorded before the run (never at whatever \`.git\` the agent left), and
 * files are restored without following the agent's symlinks.
 */
import { chown, lstat, mkdir, mkdtemp, readFile, readlink, rename, rm, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, isAbsolute, join, normalize, relative, resolve, sep } from "node:path";
import { execFile } from "node:child_process";
import { collectChanges } from "./commit-worktree.js";
import { removeTree, unlockDir } from "./unlock-tree.js";
import { gitText } from "./host-git.js";
import type { GitIdentity } from "../crew/types.js";
import { EnvironmentError, GitcrewError, InputError, EXIT, errorMessage } from "../util/errors.js";

/** What the checkout had at an injected path: a file, a link (kept as a link), or nothing. */
export type Original = { file: Buffer } | { link: string } | null;

export interface Workspace {
  dir: string;
  repoDir: string;
  /** Original content of injected paths that the repo already had (null: absent). */
  originals: Map<string, Original>;
  /** The worktree's admin folder (`<repo>/.git/worktrees/<name>`), read before the agent ran. */
  admin?: string;
  /** The worktree's `.git` file as git wrote it. */
  dotGit?: string;
  /** ctime (ns) of a file made once the worktree was ready, before the agent ran (commit-worktree.ts). */
  settledNs?: bigint;
}

function inside(root: string, rel: string): string {
  const path = normalize(join(root, rel));
  if (isAbsolute(rel) || !path.startsWith(root + sep)) throw new InputError(`injected file "${rel}" would leave the workspace`);
  return path;
}

/** Whether `branch` exists; also the check that `repoDir` is a git repository (one git call for both). */
async function branchExists(repoDir: string, branch: string): Promise<boolean> {
  if (!existsSync(repoDir)) throw new InputError(`repository folder "${repoDir}" does not exist`, "pass --repo with a git checkout");
  // Exit 1 and no output: no such branch; anything else but 0: not a repository.
  const out = await gitExec(repoDir, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  if (out.code === 0) return true;
  if (out.code === 1 && out.stderr.trim() === "") return false;
  throw new InputError(`"${repoDir}" is not a git repository (${out.stderr.trim() || `git exited with ${out.code}`})`, "pass --repo with a git checkout");
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
  /** An empty folder made beforehand (so the container can be created meanwhile). */
  dir?: string;
}): Promise<Workspace> {
  // A ref such as "--upload-pack=…" must never reach git as an option.
  if (opts.ref.startsWith("-") || opts.branch.startsWith("-")) throw new InputError(`"${opts.ref.startsWith("-") ? opts.ref : opts.branch}" is not a ref`, "a ref or branch name never starts with '-'");
  const start = (await branchExists(opts.repoDir, opts.branch)) ? opts.branch : opts.ref;
  const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), "gitcrew-ws-")));
  // Parallel checkout: writing files is bound by the disk's latency, not the CPU (10,000 files
  // here: 5.5 s with one worker, 1.4 s with eight). Below 100 files git stays sequential.
  const added = await underRepoLock(opts.repoDir, () => gitExec(opts.repoDir, ["-c", "checkout.workers=8", "worktree", "add", "--detach", "--quiet", dir, start]));
  if (added.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new InputError(`cannot check out "${start}" of ${opts.repoDir}: ${added.stderr.trim() || `git exited with ${added.code}`}`, "check the ref exists (git rev-parse REF)");
  }
  const dotGit = await readFile(join(dir, ".git"), "utf8");
  const admin = /^gitdir: (.+)$/m.exec(dotGit)?.[1]?.trim();
  if (!admin || !isAbsolute(admin)) throw new EnvironmentError(`git wrote an unexpected .git file in the worktree ${dir}`);
  // The checked-out tree may come from a pull request: never write through its links.
  const originals = new Map<string, Original>();
  for (const [rel, content] of Object.entries(opts.injectedFiles)) {
    const path = inside(dir, rel);
    await ensureDirInside(dir, dirname(rel)).catch((err) => {
      throw new InputError(`cannot write ${rel} into the worktree: ${errorMessage(err)}`);
    });
    originals.set(rel, await originalAt(path, rel));
    await rm(path, { force: true });
    await writeFile(path, content, { flag: "wx" });
  }
  for (const rel of opts.mountPoints) {
    await ensureDirInside(dir, rel).catch((err) => {
      throw new InputError(`cannot mount at ${rel} in the worktree: ${errorMessage(err)}`);
    });
  }
  if (opts.owner) await chownTree(dir, opts.owner.uid, opts.owner.gid);
  return { dir, repoDir: opts.repoDir, originals, admin, dotGit, settledNs: await settledAt(dir) };
}

/** The file system's clock now, as the ctime of a file made and removed (the agent cannot set a ctime). */
async function settledAt(dir: string): Promise<bigint | undefined> {
  const mark = join(dir, `.gitcrew-settled-${process.pid}`);
  try {
    await writeFile(mark, "", { flag: "wx" });
    return (await lstat(mark, { bigint: true })).ctimeNs;
  } catch {
    return undefined;
  } finally {
    await rm(mark, { force: true });
  }
}

async function chownTree(dir: string, uid: number, gid: number): Promise<void> {
  // `chown -R` is much faster than walking the tree from node on large repos.
  await new Promise<void>((resolve, reject) =>
    execFile("chown", ["-R", `${uid}:${gid}`, dir], (err) => (err ? reject(new EnvironmentError(`chown of the workspace failed: ${err.message}`)) : resolve())),
  );
  await chown(dir, uid, gid);
}

export interface CommitOutcome {
  changedFiles: string[];
  /** Entries removed before the commit: nested `.git`, FIFOs and such (never committed). */
  removed?: string[];
  /** Changes under `frozen` paths, not committed (the start commit's version stays). */
  held?: string[];
  branch?: string;
  commit?: string;
}

/**
 * Restore injected files, then commit whatever the agent changed on `branch`.
 * No git process opens the worktree's files or config (see commit-worktree.ts);
 * `.git` entries the agent made below the root are removed and reported.
 */
export async function commitChanges(ws: Workspace, opts: { branch: string; identity: GitIdentity; message: string; frozen?: (path: string) => boolean }): Promise<CommitOutcome> {
  // The worktree's root is the agent's (the container user owns it): it may have locked it (chmod 000).
  unlockDir(ws.dir);
  await restoreFiles(ws);
  if (!ws.admin || ws.dotGit === undefined) throw new GitcrewError("the workspace has no recorded git folder", EXIT.failed);
  // The agent may have replaced `.git` (a repository whose config runs commands, a pointer elsewhere):
  // put git's own file back, and name the git folder explicitly anyway.
  await rm(join(ws.dir, ".git"), { recursive: true, force: true });
  await writeFile(join(ws.dir, ".git"), ws.dotGit, { flag: "wx" });
  const gitArgs = ["-c", `safe.directory=${ws.dir}`, "-c", `safe.directory=${ws.admin}`, `--git-dir=${ws.admin}`, `--work-tree=${ws.dir}`];
  const changes = await collectChanges({ dir: ws.dir, gitArgs, index: join(ws.admin, "index"), settledNs: ws.settledNs, frozen: opts.frozen }).catch((err) => {
    throw new GitcrewError(errorMessage(err), EXIT.failed);
  });
  const reported = { ...(changes.removed.length > 0 ? { removed: changes.removed } : {}), ...(changes.held.length > 0 ? { held: changes.held } : {}) };
  if (changes.changedFiles.length === 0) return { changedFiles: [], ...reported };
  const head = (await gitExec(ws.repoDir, ["symbolic-ref", "--quiet", "--short", "HEAD"])).stdout.trim();
  if (!opts.branch || opts.branch === head || ["main", "master", "HEAD"].includes(opts.branch)) {
    throw new GitcrewError(`refusing to commit the agent's work on "${opts.branch}": an agent's branch is never the default branch`, EXIT.failed);
  }
  // Author and committer are the agent; the branch moves to (or is created at) the new commit.
  const commit = await changes.write({ branch: opts.branch, identity: opts.identity, message: opts.message }).catch((err) => {
    throw new GitcrewError(errorMessage(err), EXIT.failed);
  });
  return { changedFiles: changes.changedFiles, branch: opts.branch, commit, ...reported };
}

/** git on the repository with the host-side minimal environment (host-git.ts). */
function gitExec(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return gitText(cwd, args);
}

/**
 * Put injected files back as the repo had them. The agent may have replaced
 * one (or a folder above it) by a symlink to a host path: remove what is
 * there, refuse a path that resolves outside the worktree, never write through a link.
 */
async function restoreFiles(ws: Workspace): Promise<void> {
  for (const [rel, original] of ws.originals) {
    const path = inside(ws.dir, rel);
    // Folders above it the agent locked (chmod 000): unlocked (unlockDir never follows a link).
    const above: string[] = [];
    for (let at = dirname(rel); at !== "." && at !== "/"; at = dirname(at)) above.unshift(at);
    for (const at of above) unlockDir(inside(ws.dir, at));
    try {
      await ensureDirInside(ws.dir, dirname(rel));
    } catch {
      throw new GitcrewError(`the agent replaced a folder above ${rel} by a link; its work is not committed`, EXIT.failed);
    }
    await rm(path, { recursive: true, force: true });
    if (original === null) continue;
    if ("link" in original) await symlink(original.link, path);
    else await writeFile(path, original.file, { flag: "wx" });
  }
}

async function originalAt(path: string, rel: string): Promise<Original> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return null;
  if (st.isSymbolicLink()) return { link: await readlink(path) };
  if (st.isFile()) return { file: await readFile(path) };
  throw new InputError(`cannot write ${rel} into the worktree: the repository has a folder there`);
}

/**
 * Make `root/rel` a real folder inside `root`, one component at a time, so
 * that no link (the repo's or the agent's) leads a write outside the worktree.
 */
async function ensureDirInside(root: string, rel: string): Promise<void> {
  let at = root;
  for (const part of normalize(rel).split(sep).filter((p) => p && p !== ".")) {
    if (part === "..") throw new GitcrewError(`"${rel}" leaves the worktree`, EXIT.failed);
    at = join(at, part);
    const st = await lstat(at).catch(() => undefined);
    if (!st) await mkdir(at);
    else if (st.isSymbolicLink()) throw new GitcrewError(`${relative(root, at)} is a link`, EXIT.failed);
    else if (!st.isDirectory()) throw new GitcrewError(`${relative(root, at)} is not a folder`, EXIT.failed);
  }
}

export async function removeWorkspace(ws: { dir: string; repoDir: string; admin?: string }): Promise<void> {
  // Removing the folder and its admin folder is what `git worktree remove` does, without its
  // checks and processes. Without a recorded admin folder (an orphan), git prunes what is gone.
  await removeTree(ws.dir);
  if (ws.admin) {
    // `git worktree add` reads every entry of .git/worktrees: move ours out in one rename
    // (under the repo's lock) before deleting it, so no run ever sees half an entry.
    const admin = ws.admin;
    const trash = join(dirname(dirname(admin)), `gitcrew-removed-${basename(admin)}-${process.pid}-${Date.now()}`);
    const moved = await underRepoLock(ws.repoDir, () => rename(admin, trash).then(
      () => true,
      () => false,
    ));
    await rm(moved ? trash : admin, { recursive: true, force: true });
  } else
    await underRepoLock(ws.repoDir, () => gitExec(ws.repoDir, ["worktree", "prune"]));
}

/**
 * Worktree additions and removals of one repository, one at a time in this
 * process: git reads all of .git/worktrees when it adds one, and an entry
 * being created or removed meanwhile makes it fail.
 */
const repoLocks = new Map<string, Promise<void>>();

async function underRepoLock<T>(repoDir: string, fn: () => Promise<T>): Promise<T> {
  const key = resolve(repoDir);
  const before = repoLocks.get(key) ?? Promise.resolve();
  const run = before.then(fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  repoLocks.set(key, tail);
  try {
    return await run;
  } finally {
    if (repoLocks.get(key) === tail) repoLocks.delete(key);
  }
}
