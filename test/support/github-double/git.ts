/** The double's view of a bare repository: refs, diffs and real merges. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

async function git(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run("git", ["--git-dir", dir, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** Sha of a branch, or undefined when it does not exist. */
export async function branchSha(dir: string, branch: string): Promise<string | undefined> {
  try {
    return (await git(dir, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}^{commit}`])).trim();
  } catch {
    return undefined;
  }
}

export async function listRefs(dir: string, prefix = "refs/"): Promise<{ ref: string; sha: string }[]> {
  const out = await git(dir, ["for-each-ref", "--format=%(refname) %(objectname)", prefix]);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [ref = "", sha = ""] = line.split(" ");
      return { ref, sha };
    });
}

export async function updateRef(dir: string, ref: string, sha: string): Promise<void> {
  await git(dir, ["update-ref", ref, sha]);
}

export async function deleteRef(dir: string, ref: string): Promise<void> {
  await git(dir, ["update-ref", "-d", ref]);
}

export async function objectExists(dir: string, sha: string): Promise<boolean> {
  try {
    await git(dir, ["cat-file", "-e", `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

export interface FileChange {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  additions: number;
  deletions: number;
  previousFilename?: string;
}

/** Files changed on head since it left base (three-dot, as a PR shows them). */
export async function changedFiles(dir: string, base: string, head: string): Promise<FileChange[]> {
  const range = `${base}...${head}`;
  const numstat = await git(dir, ["diff", "--numstat", "-M", "-z", range]);
  const names = await git(dir, ["diff", "--name-status", "-M", range]);
  const counts = parseNumstat(numstat);
  return names
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [code = "M", a = "", b] = line.split("\t");
      const filename = b ?? a;
      const c = counts.get(filename) ?? { additions: 0, deletions: 0 };
      const status = code.startsWith("A")
        ? "added"
        : code.startsWith("D")
          ? "removed"
          : code.startsWith("R")
            ? "renamed"
            : "modified";
      return { filename, status, ...c, ...(b ? { previousFilename: a } : {}) };
    });
}

function parseNumstat(z: string): Map<string, { additions: number; deletions: number }> {
  const out = new Map<string, { additions: number; deletions: number }>();
  const parts = z.split("\0");
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i] ?? "";
    if (!entry) continue;
    const [add = "0", del = "0", path = ""] = entry.split("\t");
    // A rename is "add\tdel\t" followed by old and new path as separate fields.
    const name = path === "" ? (parts[(i += 2)] ?? "") : path;
    out.set(name, { additions: Number(add) || 0, deletions: Number(del) || 0 });
  }
  return out;
}

export async function commitCount(dir: string, base: string, head: string): Promise<number> {
  return Number((await git(dir, ["rev-list", "--count", `${base}..${head}`])).trim());
}

export interface MergeOutcome {
  ok: boolean;
  sha?: string;
}

/**
 * Merges head into base inside the bare repository (no worktree):
 * `merge-tree --write-tree` gives the tree, `commit-tree` the commit.
 */
export async function merge(
  dir: string,
  opts: { base: string; head: string; method: "merge" | "squash"; message: string; author: string },
): Promise<MergeOutcome> {
  const baseSha = await branchSha(dir, opts.base);
  if (!baseSha) return { ok: false };
  let tree: string;
  try {
    tree = (await git(dir, ["merge-tree", "--write-tree", baseSha, opts.head])).split("\n")[0]?.trim() ?? "";
  } catch {
    return { ok: false }; // exit status 1: conflicts
  }
  const parents = opts.method === "merge" ? ["-p", baseSha, "-p", opts.head] : ["-p", baseSha];
  const who = { GIT_AUTHOR_NAME: opts.author, GIT_AUTHOR_EMAIL: `${opts.author}@users.noreply.invalid` };
  const env = { ...who, GIT_COMMITTER_NAME: "GitHub", GIT_COMMITTER_EMAIL: "noreply@double.invalid" };
  const sha = (await git(dir, ["commit-tree", tree, ...parents, "-m", opts.message], env)).trim();
  await git(dir, ["update-ref", `refs/heads/${opts.base}`, sha, baseSha]);
  return { ok: true, sha };
}
