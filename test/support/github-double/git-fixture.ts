/** Real git repositories for tests: a bare "origin" and commits pushed to it. */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.invalid",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.invalid",
};

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", args, { cwd, env: { ...process.env, ...IDENTITY } });
  return stdout.trim();
}

/** A bare repository at `dir` whose `branch` holds one commit with `files`. */
export async function createBareRepo(dir: string, files: Record<string, string>, branch = "main"): Promise<string> {
  await mkdir(dir, { recursive: true });
  await git(dir, ["init", "--bare", "--quiet", `--initial-branch=${branch}`]);
  return pushCommit(dir, branch, files, "initial commit", undefined);
}

/**
 * Commits `files` on `branch` (started from `from`, or the branch itself when
 * it exists) and pushes it to the bare repo. Returns the new commit sha.
 */
export async function pushCommit(
  bareDir: string,
  branch: string,
  files: Record<string, string>,
  message: string,
  from: string | undefined = branch,
): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), "gitcrew-double-work-"));
  try {
    await git(work, ["init", "--quiet", `--initial-branch=${branch}`]);
    await git(work, ["remote", "add", "origin", bareDir]);
    const start = from ? await remoteSha(work, from) : undefined;
    if (start) {
      await git(work, ["fetch", "--quiet", "origin", start]);
      await git(work, ["checkout", "--quiet", "-B", branch, start]);
    }
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(work, path)), { recursive: true });
      await writeFile(join(work, path), content);
    }
    await git(work, ["add", "-A"]);
    await git(work, ["commit", "--quiet", "--allow-empty", "-m", message]);
    await git(work, ["push", "--quiet", "--force", "origin", `HEAD:refs/heads/${branch}`]);
    return await git(work, ["rev-parse", "HEAD"]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function remoteSha(work: string, branch: string): Promise<string | undefined> {
  const out = await git(work, ["ls-remote", "origin", `refs/heads/${branch}`]);
  return out.split(/\s+/)[0] || undefined;
}
