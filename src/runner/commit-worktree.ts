/**
 * The agent's work as one commit, without letting git open the worktree.
 *
 * Everything in the worktree is the agent's. A git that walks it (status,
 * add) enters nested repositories and honours their config (fsmonitor,
 * filters, hooks) on the host, and honours .gitattributes filters of the
 * top repository too. So: every `.git` below the root is removed first (and
 * reported), gitlinks stay exactly as the start commit had them, the only git
 * call that looks at the worktree is `ls-files --others` (a directory listing
 * with .gitignore, hardened, after FIFOs and such are gone), files are read
 * here without following links, blob ids are computed here, and the commit is
 * written by one `git fast-import` fed from here.
 */
import { createHash, type Hash } from "node:crypto";
import { isAscii } from "node:buffer";
import { chmodSync, constants, lstatSync, readdirSync, rmSync, type BigIntStats, type Dirent } from "node:fs";
import { open, readFile, readlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { readIndexStat, type IndexStat } from "./git-index.js";
import { gitRaw, gitSpawn } from "./host-git.js";
import { isDenied, removeTreeSync, unlockDir, unlockTree } from "./unlock-tree.js";

type FileMode = "100644" | "100755" | "120000";

interface HeadEntry {
  mode: string;
  id: string;
}

/** What the walk keeps of an entry's lstat: only what the index comparison needs (10,000 BigIntStats kept alive cost GC time). */
interface Found {
  mode: FileMode;
  ctimeNs: bigint;
  mtimeNs: bigint;
  /** Inode and size modulo 2^32, as git's index stores them. */
  ino: number;
  size: number;
}

export interface WorktreeChanges {
  /** The commit the worktree was checked out at. */
  start: string;
  /** Paths changed, added or deleted, in git's order. */
  changedFiles: string[];
  /** What was removed before any git call: nested `.git`, special files, unreadable names. */
  removed: string[];
  /** Changes under `frozen` paths: left as the start commit had them, never committed. */
  held: string[];
  /** Writes the commit onto `refs/heads/<branch>`; returns its id. */
  write(opts: { branch: string; identity: { name: string; email: string }; message: string }): Promise<string>;
}

/** A name git treats as its own folder on some file system (`.git`, `.GIT.`, `git~1`). */
function isGitName(name: string): boolean {
  const c = name.charCodeAt(0);
  if (c !== 46 && c !== 71 && c !== 103) return false; // ".", "G", "g": most names end here
  const n = name.toLowerCase().replace(/[. ]+$/, "");
  return n === ".git" || n === "git~1";
}

/**
 * Where GitHub reads workflows from (`.github/workflows/…`), and `.github`
 * itself made a file or a link: a change there runs on GitHub's runners with
 * the repository's secrets, so GitHub asks a token for the `workflows`
 * permission to push one; gitcrew asks the agent's `permissions` the same,
 * whatever token pushes. Compared in any case, as a caution that costs nothing.
 */
export function workflowPath(path: string): boolean {
  const p = path.toLowerCase();
  return p === ".github" || p === ".github/workflows" || p.startsWith(".github/workflows/");
}

/** Files git refuses (or reads as config-like data) when they are links. */
const NO_LINK = new Set([".gitmodules", ".gitattributes", ".gitignore", ".mailmap"]);

export async function collectChanges(opts: {
  dir: string;
  gitArgs: string[];
  /** The worktree's index (in its admin folder): stat data from the checkout. */
  index: string;
  /** ctime (ns) of a file made after the checkout and before the agent ran; files older than it are as checked out. */
  settledNs?: bigint;
  /** Paths whose changes are not the agent's to commit (workflowPath): kept as the start commit had them. */
  frozen?: (path: string) => boolean;
}): Promise<WorktreeChanges> {
  const git = async (args: string[], what: string) => {
    const out = await gitRaw(opts.dir, [...opts.gitArgs, ...args]);
    if (out.code !== 0) throw new Error(`git ${what} failed: ${out.stderr.trim() || `exit code ${out.code}`}`);
    return out.stdout;
  };
  // The admin folder (beside the index, out of the agent's reach) names the commit checked out; git only when it holds something else.
  const startP = detachedHead(join(dirname(opts.index), "HEAD")).then(
    async (h) => h ?? (await git(["rev-parse", "--show-object-format", "HEAD"], "rev-parse")).toString("utf8").trim().split("\n"),
  );
  // Only the admin folder is read by these, meanwhile the worktree is walked.
  const [[format, start], listed, stats, walked] = await Promise.all([
    startP,
    git(["ls-tree", "-r", "-z", "--full-tree", "HEAD"], "ls-tree"),
    opts.settledNs === undefined ? new Map<string, IndexStat>() : startP.then(([f]) => readIndexStat(opts.index, f === "sha256" ? 32 : 20)),
    walk(opts.dir),
  ]);
  if (!format || !start) throw new Error("git rev-parse gave no object format or HEAD");
  const head = parseTree(listed);
  const gitlinks = new Set<string>();
  for (const [p, e] of head) if (e.mode === "160000") gitlinks.add(p);
  const { found, removed } = walked;
  // Gitlinks stay as the start commit had them: nothing at or below one is the agent's to commit.
  if (gitlinks.size > 0) for (const p of found.keys()) if (atOrBelow(p, gitlinks)) found.delete(p);
  let untracked = false;
  for (const p of found.keys())
    if (!head.has(p)) {
      untracked = true;
      break;
    }
  // Untracked files that .gitignore does not exclude (only asked when there are any).
  // No .git below the root and no FIFO is left in the worktree by now.
  const others = untracked
    ? new Set(
        split0(
          await git(["--no-optional-locks", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "ls-files", "-z", "--others", "--exclude-standard"], "ls-files"),
        ).map((b) => b.toString("utf8")),
      )
    : new Set<string>();
  // Files as checked out take their id from the start commit; only the others are read.
  const ids = new Map<string, string>();
  const toRead: [string, Found][] = [];
  for (const [p, f] of found) {
    const before = head.get(p);
    if (!before && !others.has(p)) continue;
    const id = asCheckedOut(f, before, stats.get(p), opts.settledNs);
    if (id === undefined) toRead.push([p, f]);
    else ids.set(p, id);
  }
  const read = await mapLimit(toRead, 16, ([p, f]) => blobId(join(opts.dir, p), f, format));
  toRead.forEach(([p], i) => ids.set(p, read[i]!));
  let written: { path: string; mode: string }[] = [];
  for (const [p, { mode }] of found) {
    const id = ids.get(p);
    const before = head.get(p);
    if (id !== undefined && (!before || before.mode !== mode || before.id !== id)) written.push({ path: p, mode });
  }
  let deleted: string[] = [];
  for (const [p, e] of head) if (e.mode !== "160000" && !ids.has(p)) deleted.push(p);
  const frozen = opts.frozen;
  const held = frozen ? [...written.map((w) => w.path), ...deleted].filter(frozen).sort() : [];
  if (frozen && held.length > 0) {
    written = written.filter((w) => !frozen(w.path));
    deleted = deleted.filter((p) => !frozen(p));
  }
  const changedFiles = [...written.map((w) => w.path), ...deleted].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

  return {
    start,
    changedFiles,
    removed,
    held,
    write: (w) => fastImport({ ...opts, start, written, deleted, ...w }),
  };
}

/** [object format, commit] from a worktree's admin HEAD when it is a detached commit id (as `git worktree add --detach` writes it). */
async function detachedHead(path: string): Promise<[string, string] | undefined> {
  const text = await readFile(path, "latin1").catch(() => "");
  const id = /^([0-9a-f]{40}|[0-9a-f]{64})\n?$/.exec(text)?.[1];
  return id ? [id.length === 64 ? "sha256" : "sha1", id] : undefined;
}

/** `ls-tree -r -z` output by path. */
function parseTree(listed: Buffer): Map<string, HeadEntry> {
  const head = new Map<string, HeadEntry>();
  for (const rec of split0(listed)) {
    // "<mode> <type> <id>\t<path>"
    const tab = rec.indexOf(9);
    const sp1 = rec.indexOf(32);
    const sp2 = rec.lastIndexOf(32, tab);
    const path = utf8(rec.subarray(tab + 1));
    // A name that is not UTF-8 cannot be looked up here: it stays as it was (never touched below).
    if (path !== undefined) head.set(path, { mode: rec.toString("latin1", 0, sp1), id: rec.toString("latin1", sp2 + 1, tab) });
  }
  return head;
}

/**
 * A file's id without reading it, when its stat data is what git recorded at
 * checkout and it has not changed since: the agent can forge mtime and size
 * but not ctime, which any write moves past `settledNs`.
 */
function asCheckedOut(f: Found, head: HeadEntry | undefined, idx: IndexStat | undefined, settledNs: bigint | undefined): string | undefined {
  if (!head || !idx || settledNs === undefined || idx.id !== head.id) return undefined;
  const same =
    f.ctimeNs < settledNs && f.ino === idx.ino && f.size === idx.size && f.mtimeNs === BigInt(idx.mtimeSec) * 1_000_000_000n + BigInt(idx.mtimeNsec);
  return same ? head.id : undefined;
}

/**
 * Every entry of the worktree without following a link: regular files and
 * links are found; `.git` entries below the root, FIFOs, sockets, devices and
 * names that are not UTF-8 are removed.
 * Synchronous calls (several times faster than promises for 10,000 lstats),
 * with a pause for the event loop every few hundred entries. Folders and
 * special files are known from the directory entry's type (the entry itself,
 * never a link's target); files and links are lstat'ed for the index comparison.
 */
async function walk(root: string): Promise<{ found: Map<string, Found>; removed: string[] }> {
  const found = new Map<string, Found>();
  const removed: string[] = [];
  const stack: string[] = [""];
  let done = 0;
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const abs = rel ? `${root}/${rel}` : root;
    let dirents: Dirent[] | Dirent<Buffer>[] = [];
    const list = () => {
      dirents = readdirSync(abs, { withFileTypes: true });
      // A name that is not UTF-8 reads as one with U+FFFD: only then are the names read as bytes.
      if (dirents.some((d) => d.name.includes("\ufffd"))) dirents = readdirSync(abs, { withFileTypes: true, encoding: "buffer" }) as unknown as Dirent<Buffer>[];
    };
    try {
      list();
    } catch (err) {
      // A folder the agent locked (chmod 000) is the runner's own on a runner that is not root: unlocked, listed.
      if (!isDenied(err) || !unlockDir(abs)) continue;
      try {
        list();
      } catch {
        continue;
      }
    }
    for (const d of dirents) {
      if (++done % 500 === 0) await new Promise((r) => setImmediate(r));
      const raw = d.name as string | Buffer;
      const name = typeof raw === "string" ? raw : utf8(raw);
      if (name === undefined) {
        removeEntry(abs, Buffer.concat([Buffer.from(`${abs}/`), raw as Buffer]));
        removed.push(`${rel ? `${rel}/` : ""}${raw.toString("utf8")} (name not UTF-8)`);
        continue;
      }
      if (!rel && name === ".git") continue;
      const path = rel ? `${rel}/${name}` : name;
      const absPath = `${abs}/${name}`;
      if (isGitName(name)) {
        removeEntry(abs, absPath);
        removed.push(path);
        continue;
      }
      if (d.isDirectory()) {
        if (Buffer.byteLength(absPath) <= MAX_DIR_PATH) stack.push(path);
        else {
          removeTreeSync(absPath);
          removed.push(`${path.slice(0, 200)}… (a path too long)`);
        }
        continue;
      }
      if (d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice()) {
        removeEntry(abs, absPath);
        removed.push(`${path} (not a file)`);
        continue;
      }
      let st: BigIntStats;
      try {
        st = lstatSync(absPath, { bigint: true });
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (Buffer.byteLength(absPath) <= MAX_DIR_PATH) stack.push(path);
        else {
          removeTreeSync(absPath);
          removed.push(`${path.slice(0, 200)}… (a path too long)`);
        }
      } else if (st.isSymbolicLink() && NO_LINK.has(name.toLowerCase())) {
        removeEntry(abs, absPath);
        removed.push(`${path} (a link)`);
      } else if (st.isFile() || st.isSymbolicLink()) {
        // A file the agent made unreadable (chmod 000) is the runner's own on a runner that is not root.
        if (st.isFile() && !(st.mode & 0o400n)) chmodSync(absPath, Number(st.mode & 0o7777n) | 0o600);
        found.set(path, {
          mode: st.isSymbolicLink() ? "120000" : st.mode & 0o100n ? "100755" : "100644",
          ctimeNs: st.ctimeNs,
          mtimeNs: st.mtimeNs,
          ino: Number(st.ino & 0xffffffffn),
          size: Number(st.size & 0xffffffffn),
        });
      } else {
        removeEntry(abs, absPath);
        removed.push(`${path} (not a file)`);
      }
    }
  }
  return { found, removed };
}

/** Removes one entry without following links; a folder the agent locked (its own or the one it is in) is unlocked first. */
function removeEntry(parent: string, path: string | Buffer): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (err) {
    if (!isDenied(err) && (err as { code?: unknown }).code !== "ENAMETOOLONG") throw err;
    unlockDir(parent);
    if (typeof path === "string") removeTreeSync(path);
    else {
      unlockTree(path);
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/**
 * Longest path (bytes) of a folder the walk enters: its entries' paths stay
 * under PATH_MAX (4,096). Deeper, node and git can no longer address what is
 * in it, so a `.git` there would go unseen, and the worktree could not be removed.
 */
const MAX_DIR_PATH = 4096 - 256 - 1;

function atOrBelow(path: string, dirs: Set<string>): boolean {
  for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) if (dirs.has(path.slice(0, i))) return true;
  return dirs.has(path);
}

/** The git object id of a file or link, read without following links. */
async function blobId(path: string, f: Found, format: string): Promise<string> {
  const hash = createHash(format === "sha256" ? "sha256" : "sha1");
  if (f.mode === "120000") {
    const target = await readlink(path, { encoding: "buffer" });
    return hash.update(`blob ${target.length}\0`).update(target).digest("hex");
  }
  await readExact(path, (size) => hash.update(`blob ${size}\0`), (chunk) => hash.update(chunk));
  return (hash as Hash).digest("hex");
}

/** Read a regular file (never a link, never blocking on a FIFO), its size first. */
async function readExact(path: string, onSize: (size: number) => unknown, onChunk: (chunk: Buffer) => unknown): Promise<void> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new Error(`${path} is no longer a regular file`);
    await onSize(st.size);
    const buf = Buffer.allocUnsafe(Math.min(st.size, 1024 * 1024) || 1);
    let pos = 0;
    while (pos < st.size) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, st.size - pos), pos);
      if (bytesRead === 0) throw new Error(`${path} shrank while it was read`);
      await onChunk(Buffer.from(buf.subarray(0, bytesRead)));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/**
 * One commit on top of `start`: its tree as it was (gitlinks and names this
 * module cannot address included) with the deletions and the new contents
 * applied. Only changed paths are sent, so the cost follows the change, not the repo.
 */
async function fastImport(o: {
  dir: string;
  gitArgs: string[];
  start: string;
  written: { path: string; mode: string }[];
  deleted: string[];
  branch: string;
  identity: { name: string; email: string };
  message: string;
}): Promise<string> {
  const child = gitSpawn(o.dir, [...o.gitArgs, "fast-import", "--quiet", "--force", "--done"]);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr = (stderr + c.toString("utf8")).slice(-4000)));
  const exited = new Promise<number>((resolve) => child.on("close", (code) => resolve(code ?? 128)));
  let broken: Error | undefined;
  child.stdin.on("error", (err) => (broken = err));
  const put = async (data: string | Buffer) => {
    if (broken) throw broken;
    if (child.stdin.write(data)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        child.stdin.off("drain", done).off("close", done);
        resolve();
      };
      child.stdin.on("drain", done).on("close", done);
    });
  };
  try {
    const who = `${clean(o.identity.name)} <${clean(o.identity.email)}> ${Math.floor(Date.now() / 1000)} +0000`;
    const message = Buffer.from(o.message.endsWith("\n") ? o.message : `${o.message}\n`);
    await put(`commit refs/heads/${o.branch}\nmark :1\nauthor ${who}\ncommitter ${who}\ndata ${message.length}\n`);
    await put(Buffer.concat([message, Buffer.from(`from ${o.start}\n`)]));
    // Deletions first: a file may take the place of a deleted folder, or the other way round.
    if (o.deleted.length > 0) await put(Buffer.concat(o.deleted.flatMap((p) => [Buffer.from("D "), quote(Buffer.from(p)), Buffer.from("\n")])));
    for (const { path, mode } of o.written) {
      await put(Buffer.concat([Buffer.from(`M ${mode} inline `), quote(Buffer.from(path)), Buffer.from("\n")]));
      const abs = join(o.dir, path);
      if (mode === "120000") {
        const target = await readlink(abs, { encoding: "buffer" });
        await put(Buffer.concat([Buffer.from(`data ${target.length}\n`), target, Buffer.from("\n")]));
      } else {
        await readExact(abs, (size) => put(`data ${size}\n`), (chunk) => put(chunk));
        await put("\n");
      }
    }
    await put("\nget-mark :1\ndone\n");
  } catch (err) {
    child.kill("SIGKILL");
    await exited;
    throw err;
  } finally {
    child.stdin.end();
  }
  const code = await exited;
  const commit = stdout.trim();
  if (code !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) throw new Error(`git fast-import failed: ${stderr.trim() || `exit code ${code}`}`);
  return commit;
}

/** A name or email as a commit header can carry it. */
function clean(s: string): string {
  return s.replace(/[<>\n\r\0]/g, "").trim();
}

/** A path in fast-import's C-style quoting (any byte allowed but NUL). */
function quote(path: Buffer): Buffer {
  const out: number[] = [0x22];
  for (const b of path) {
    if (b === 0x22 || b === 0x5c) out.push(0x5c, b);
    else if (b === 0x0a) out.push(0x5c, 0x6e);
    else if (b < 0x20 || b === 0x7f) out.push(...Buffer.from(`\\${b.toString(8).padStart(3, "0")}`));
    else out.push(b);
  }
  out.push(0x22);
  return Buffer.from(out);
}

/** The name as a string when it is UTF-8 (ASCII names, most of them, need no round trip). */
function utf8(raw: Buffer): string | undefined {
  if (isAscii(raw)) return raw.toString("latin1");
  const s = raw.toString("utf8");
  return Buffer.from(s).equals(raw) ? s : undefined;
}

function split0(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = buf.indexOf(0); i !== -1; i = buf.indexOf(0, at)) {
    if (i > at) out.push(buf.subarray(at, i));
    at = i + 1;
  }
  if (at < buf.length) out.push(buf.subarray(at));
  return out;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
