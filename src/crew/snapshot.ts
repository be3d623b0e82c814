/**
 * An in-memory copy of `.gitcrew/` (plus CODEOWNERS), read either from a
 * working tree or from a git ref. Loading and validation work on the snapshot
 * only, so they are pure and identical for the CLI, the Action and the server.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { promises as fs, readdirSync, readFileSync, readlinkSync, statSync, type Dirent } from "node:fs";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { EnvironmentError, InputError } from "../util/errors.js";

const run = promisify(execFile);

export const CREW_DIR = ".gitcrew";
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
/** Files above this size are not read (an agent file is a few KB). */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface Entry {
  path: string;
  size: number;
  /** Set for files whose content gitcrew reads; undefined for other files. */
  content?: Buffer;
  /** Set when the entry is a symbolic link. */
  symlinkTarget?: string;
}

export interface Snapshot {
  /** Where it came from, for messages: a folder or `ref` in a folder. */
  origin: string;
  /** Content hash (working tree) or tree sha (git). */
  version: string;
  /** The tree id of `.gitcrew/` when read from git (skills are mounted from it, never from a checkout). */
  gitTree?: string;
  entries: Map<string, Entry>;
}

/** The problem of a snapshot with nothing under `.gitcrew/` (for the CLI verbs that check a crew). */
export function noCrewProblem(snap: Snapshot): { file: string; line: number; column: number; message: string } | undefined {
  for (const path of snap.entries.keys()) if (path.startsWith(`${CREW_DIR}/`)) return undefined;
  return { file: CREW_DIR, line: 1, column: 1, message: `no ${CREW_DIR}/ here (${snap.origin}): run \`gitcrew init\` for an example crew` };
}

/** Files whose content is needed; other files (skill assets) are only listed. */
function wanted(path: string): boolean {
  if (CODEOWNERS_PATHS.includes(path)) return true;
  const name = path.split("/").pop() ?? "";
  return /^(agent\.(cue|ya?ml)|instructions\.md|SKILL\.md|crew\.cue)$/.test(name) || path.startsWith(`${CREW_DIR}/approvals/`);
}

// Synchronous on purpose: a crew is hundreds of small files, and one promise
// round trip per open/stat/read costs more than the reads themselves.
function walk(root: string, dir: string, out: Entry[]): void {
  let dirents: Dirent[];
  try {
    dirents = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return;
  }
  for (const d of dirents) {
    const abs = join(dir, d.name);
    const path = relative(root, abs).split(sep).join("/");
    if (d.isSymbolicLink()) out.push({ path, size: 0, symlinkTarget: readlinkSync(abs) });
    else if (d.isDirectory()) walk(root, abs, out);
    else if (d.isFile()) {
      const size = statSync(abs).size;
      // Oversized files are listed, never read (the loader reports them).
      out.push(wanted(path) && size <= MAX_FILE_BYTES ? { path, size, content: readFileSync(abs) } : { path, size });
    }
  }
}

function hashEntries(entries: Entry[]): string {
  const h = createHash("sha256");
  for (const e of entries) {
    h.update(`${e.path}\0${e.size}\0${e.symlinkTarget ?? ""}\0`);
    if (e.content) h.update(e.content);
  }
  return h.digest("hex");
}

/** Snapshot of the working tree at `repoDir` (what `gitcrew validate` checks). */
export async function snapshotFromDir(repoDir: string): Promise<Snapshot> {
  try {
    const st = await fs.stat(repoDir);
    if (!st.isDirectory()) throw new Error();
  } catch {
    throw new InputError(`--repo ${repoDir}: not a folder`);
  }
  const out: Entry[] = [];
  walk(repoDir, join(repoDir, CREW_DIR), out);
  for (const p of CODEOWNERS_PATHS) {
    try {
      const content = await fs.readFile(join(repoDir, p));
      out.push({ path: p, size: content.length, content });
    } catch {
      // absent
    }
  }
  return { origin: repoDir, version: hashEntries(out), entries: new Map(out.map((e) => [e.path, e])) };
}

async function git(repoDir: string, args: string[], maxBuffer = 64 * 1024 * 1024): Promise<Buffer> {
  try {
    const { stdout } = await run("git", ["-C", repoDir, ...args], { encoding: "buffer", maxBuffer });
    return stdout;
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === "ENOENT") throw new EnvironmentError("git is not installed or not on PATH");
    throw new InputError(`git ${args[0]} failed in ${repoDir}: ${e.stderr?.toString().trim() ?? String(err)}`);
  }
}

/**
 * Snapshot of `.gitcrew/` at `ref` (normally the default branch), read from the
 * object store: a pull request's head can never change the crew.
 */
export async function snapshotFromGit(repoDir: string, ref: string): Promise<Snapshot> {
  const listing = (await git(repoDir, ["ls-tree", "-r", "-z", "--full-tree", "-l", ref, "--", CREW_DIR, ...CODEOWNERS_PATHS]))
    .toString("utf8")
    .split("\0")
    .filter(Boolean);
  const entries: Entry[] = [];
  const blobs: { entry: Entry; sha: string }[] = [];
  for (const line of listing) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(line);
    if (!m || m[2] !== "blob") continue;
    const [, mode, , sha, size, path] = m as unknown as [string, string, string, string, string, string];
    const entry: Entry = { path, size: size === "-" ? 0 : Number(size) };
    if (mode === "120000") blobs.push({ entry: Object.assign(entry, { symlinkTarget: "" }), sha });
    else if (wanted(path) && entry.size <= MAX_FILE_BYTES) blobs.push({ entry, sha });
    entries.push(entry);
  }
  if (blobs.length > 0) {
    const contents = await catBlobs(repoDir, blobs.map((b) => b.sha));
    blobs.forEach((b, i) => {
      const content = contents[i] ?? Buffer.alloc(0);
      if (b.entry.symlinkTarget !== undefined) b.entry.symlinkTarget = content.toString("utf8");
      else b.entry.content = content;
    });
  }
  let version: string;
  try {
    version = (await git(repoDir, ["rev-parse", `${ref}:${CREW_DIR}`])).toString().trim();
  } catch {
    version = "empty";
  }
  return { origin: `${ref} in ${repoDir}`, version, ...(version !== "empty" ? { gitTree: version } : {}), entries: new Map(entries.map((e) => [e.path, e])) };
}

/** Read many blobs with one `git cat-file --batch` (`env`: the git process's whole environment, when given). */
export async function catBlobs(repoDir: string, shas: string[], env?: NodeJS.ProcessEnv): Promise<Buffer[]> {
  const { spawn } = await import("node:child_process");
  const child = spawn("git", ["-C", repoDir, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "pipe"], ...(env ? { env } : {}) });
  const chunks: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => chunks.push(c));
  child.stdin.end(shas.join("\n") + "\n");
  await new Promise<void>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new InputError(`git cat-file failed in ${repoDir}`))));
  });
  const all = Buffer.concat(chunks);
  const out: Buffer[] = [];
  let pos = 0;
  for (let i = 0; i < shas.length; i++) {
    const nl = all.indexOf(10, pos);
    const header = all.subarray(pos, nl).toString();
    const size = Number(header.split(" ")[2]);
    out.push(all.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return out;
}
