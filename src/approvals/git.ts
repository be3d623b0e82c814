/**
 * Git plumbing for approvals against the local clone (`origin` is GitHub):
 * a branch with one commit on top of the default branch, built with a
 * private index and `commit-tree` (the clone's worktree is never touched),
 * and reads of files and diffs at a commit.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { RepoId } from "../github/types.js";
import { NO_HOOKS } from "../pipeline/git-run.js";

const run = promisify(execFile);

export interface GitIdentity {
  name: string;
  email: string;
}

async function git(repoDir: string, args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<string> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0", ...opts.env };
  if (opts.input === undefined) {
    const { stdout } = await run("git", [...NO_HOOKS, "-C", repoDir, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }
  return new Promise((resolve, reject) => {
    const child = execFile("git", [...NO_HOOKS, "-C", repoDir, ...args], { env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin?.end(opts.input);
  });
}

/** The commit at `ref`, or undefined. */
export async function revParse(repoDir: string, ref: string): Promise<string | undefined> {
  const out = await git(repoDir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => "");
  return out.trim() || undefined;
}

/** File content at `commit`, or undefined when it does not exist there. */
export async function showFile(repoDir: string, commit: string, path: string): Promise<string | undefined> {
  try {
    return await git(repoDir, ["show", `${commit}:${path}`]);
  } catch {
    return undefined;
  }
}

/** Make sure `sha` is in the clone: fetch the branch that should hold it, then the sha itself. */
export async function ensureCommit(repoDir: string, sha: string, branches: string[] = []): Promise<boolean> {
  if (await revParse(repoDir, sha)) return true;
  for (const b of branches) {
    await git(repoDir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${b}:refs/remotes/origin/${b}`]).catch(() => "");
    if (await revParse(repoDir, sha)) return true;
  }
  await git(repoDir, ["fetch", "--quiet", "--no-tags", "origin", sha]).catch(() => "");
  return (await revParse(repoDir, sha)) !== undefined;
}

/** Paths changed between `from` and `to`. */
export async function changedPaths(repoDir: string, from: string, to: string): Promise<string[]> {
  const out = await git(repoDir, ["diff", "--name-only", "--no-renames", from, to]);
  return out.split("\n").filter(Boolean);
}

/** Unified diff between two commits limited to `paths`. */
export async function diff(repoDir: string, from: string, to: string, paths: string[]): Promise<string> {
  if (paths.length === 0) return "";
  return git(repoDir, ["diff", "--no-color", "--no-renames", from, to, "--", ...paths]);
}

/** Commits in `base..head`, oldest first; none when git cannot tell. */
export async function commitsBetween(repoDir: string, base: string, head: string): Promise<string[]> {
  const out = await git(repoDir, ["rev-list", "--reverse", `${base}..${head}`]).catch(() => "");
  return out.split("\n").filter(Boolean);
}

/** `owner/repo` from the clone's origin URL (https, ssh or a path ending in owner/repo(.git)). */
export async function repoFromOrigin(repoDir: string): Promise<RepoId | undefined> {
  const url = (await git(repoDir, ["remote", "get-url", "origin"]).catch(() => "")).trim();
  const m = /[/:]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url);
  return m?.[1] && m[2] ? { owner: m[1], repo: m[2] } : undefined;
}

/** Author, committer and number of parents of a commit, or undefined when it is not in the clone. */
export async function commitIdentity(repoDir: string, sha: string): Promise<{ author: GitIdentity; committer: GitIdentity; parents: number } | undefined> {
  const out = await git(repoDir, ["log", "-1", "--format=%an%x00%ae%x00%cn%x00%ce%x00%P", sha, "--"]).catch(() => "");
  const [an, ae, cn, ce, parents] = out.replace(/\n$/, "").split("\0");
  if (an === undefined || ae === undefined || cn === undefined || ce === undefined || parents === undefined) return undefined;
  return { author: { name: an, email: ae }, committer: { name: cn, email: ce }, parents: parents.split(" ").filter(Boolean).length };
}

/** First parent of a commit (the default branch before a merge). */
export async function firstParent(repoDir: string, sha: string): Promise<string | undefined> {
  return revParse(repoDir, `${sha}^1`);
}

/**
 * One commit on top of `base` that writes `files` (path → content), pushed
 * to `origin` as `branch` (forced: the branch belongs to this request).
 */
export async function pushFiles(
  repoDir: string,
  opts: { base: string; branch: string; files: Record<string, string>; message: string; identity: GitIdentity },
): Promise<string> {
  const tmp = await mkdtemp(join(tmpdir(), "gitcrew-approval-"));
  const env = {
    GIT_INDEX_FILE: join(tmp, "index"),
    GIT_AUTHOR_NAME: opts.identity.name,
    GIT_AUTHOR_EMAIL: opts.identity.email,
    GIT_COMMITTER_NAME: opts.identity.name,
    GIT_COMMITTER_EMAIL: opts.identity.email,
  };
  try {
    await git(repoDir, ["read-tree", opts.base], { env });
    for (const [path, content] of Object.entries(opts.files)) {
      const blob = (await git(repoDir, ["hash-object", "-w", "--stdin"], { env, input: content })).trim();
      await git(repoDir, ["update-index", "--add", "--cacheinfo", `100644,${blob},${path}`], { env });
    }
    const tree = (await git(repoDir, ["write-tree"], { env })).trim();
    const commit = (await git(repoDir, ["commit-tree", tree, "-p", opts.base, "-m", opts.message], { env })).trim();
    await git(repoDir, ["push", "--quiet", "--force", "origin", `${commit}:refs/heads/${opts.branch}`]);
    return commit;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Branches on origin under `prefix` with their head sha (no fetch needed). */
export async function remoteBranches(repoDir: string, prefix: string): Promise<{ branch: string; sha: string }[]> {
  const out = await git(repoDir, ["ls-remote", "--heads", "origin", `refs/heads/${prefix}*`]).catch(() => "");
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [sha = "", ref = ""] = line.split(/\s+/);
      return { branch: ref.replace(/^refs\/heads\//, ""), sha };
    })
    .filter((b) => b.branch.startsWith(prefix));
}

/** Point `ref` on origin at `sha` (e.g. `refs/gitcrew/rejected/<id>`), forced. */
export async function pushRef(repoDir: string, sha: string, ref: string): Promise<void> {
  await git(repoDir, ["push", "--quiet", "--force", "origin", `${sha}:${ref}`]);
}
