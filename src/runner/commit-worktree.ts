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
import { constants, lstatSync, readdirSync, rmSync, type BigIntStats, type Dirent } from "node:fs";
import { open, readlink } from "node:fs/promises";
import { join } from "node:path";
import { readIndexStat, type IndexStat } from "./git-index.js";
import { gitRaw, gitSpawn } from "./host-git.js";

type FileMode = "100644" | "100755" | "120000";

interface HeadEntry {
  mode: string;
  id: string;
}

interface Found {
  mode: FileMode;
  st: BigIntStats;
}

export interface WorktreeChanges {
  /** The commit the worktree was checked out at. */
  start: string;
  /** Paths changed, added or deleted, in git's order. */
  changedFiles: string[];
  /** What was removed before any git call: nested `.git`, special files, unreadable names. */
  removed: string[];
  /** Writes the commit onto `refs/heads/<branch>`; returns its id. */
  write(opts: { branch: string; identity: { name: string; email: string }; message: string }): Promise<string>;
}

/** A name git treats as its own folder on some file system (`.git`, `.GIT.`, `git~1`). */
function isGitName(name: string): boolean {
  const n = name.toLowerCase().replace(/[. ]+$/, "");
  return n === ".git" || n === "git~1";
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
}): Promise<WorktreeChanges> {
  const git = async (args: string[], what: string) => {
    const out = await gitRaw(opts.dir, [...opts.gitArgs, ...args]);
    if (out.code !== 0) throw new Error(`git ${what} failed: ${out.stderr.trim() || `exit code ${out.code}`}`);
    return out.stdout;
  };
  // Only the admin folder (out of the agent's reach) is read by these two, meanwhile the worktree is walked.
  const [[format, start], listed, walked] = await Promise.all([
    git(["rev-parse", "--show-object-format", "HEAD"], "rev-parse").then((o) => o.toString("utf8").trim().split("\n")),
    git(["ls-tree", "-r", "-z", "--full-tree", "HEAD"], "ls-tree"),
    walk(opts.dir),
  ]);
  if (!format || !start) throw new Error("git rev-parse gave no object format or HEAD");
  const head = new Map<string, HeadEntry>();
  for (const rec of split0(listed)) {
    const tab = rec.indexOf(9);
    const [mode, , id] = rec.subarray(0, tab).toString("latin1").split(" ");
    const rawPath = rec.subarray(tab + 1);
    const path = utf8(rawPath);
    // A name that is not UTF-8 cannot be looked up here: it stays as it was (never touched below).
    if (path !== undefined) head.set(path, { mode: mode!, id: id! });
  }
  const gitlinks = new Set([...head].filter(([, e]) => e.mode === "160000").map(([p]) => p));
  const { removed } = walked;
  // Gitlinks stay as the start commit had them: nothing at or below one is the agent's to commit.
  const found = gitlinks.size === 0 ? walked.found : new Map([...walked.found].filter(([p]) => !atOrBelow(p, gitlinks)));
  const tracked = (p: string) => head.has(p);
  // Untracked files that .gitignore does not exclude (only asked when there are any).
  // No .git below the root and no FIFO is left in the worktree by now.
  const others = [...found.keys()].some((p) => !tracked(p))
    ? new Set(
        split0(
          await git(["--no-optional-locks", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "ls-files", "-z", "--others", "--exclude-standard"], "ls-files"),
        ).map((b) => b.toString("utf8")),
      )
    : new Set<string>();
  const kept = [...found].filter(([p]) => tracked(p) || others.has(p));
  const stats = opts.settledNs === undefined ? new Map<string, IndexStat>() : await readIndexStat(opts.index, format === "sha256" ? 32 : 20);
  const ids = await mapLimit(kept, 16, async ([p, f]) => asCheckedOut(f, head.get(p), stats.get(p), opts.settledNs) ?? blobId(join(opts.dir, p), f, format));
  const entries = new Map<string, { mode: string; id: string; changed: boolean }>();
  kept.forEach(([p, f], i) => {
    const before = head.get(p);
    entries.set(p, { mode: f.mode, id: ids[i]!, changed: !before || before.mode !== f.mode || before.id !== ids[i] });
  });
  const written = [...entries].filter(([, e]) => e.changed).map(([p, e]) => ({ path: p, mode: e.mode }));
  const deleted = [...head].filter(([p, e]) => e.mode !== "160000" && !entries.has(p)).map(([p]) => p);
  const changedFiles = [...written.map((w) => w.path), ...deleted].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

  return {
    start,
    changedFiles,
    removed,
    write: (w) => fastImport({ ...opts, start, written, deleted, ...w }),
  };
}

/**
 * A file's id without reading it, when its stat data is what git recorded at
 * checkout and it has not changed since: the agent can forge mtime and size
 * but not ctime, which any write moves past `settledNs`.
 */
function asCheckedOut(f: Found, head: HeadEntry | undefined, idx: IndexStat | undefined, settledNs: bigint | undefined): string | undefined {
  if (!head || !idx || settledNs === undefined || idx.id !== head.id) return undefined;
  const { st } = f;
  const same =
    st.ctimeNs < settledNs &&
    st.mtimeNs === BigInt(idx.mtimeSec) * 1_000_000_000n + BigInt(idx.mtimeNsec) &&
    Number(st.ino & 0xffffffffn) === idx.ino &&
    Number(st.size & 0xffffffffn) === idx.size;
  return same ? head.id : undefined;
}

/**
 * Every entry of the worktree without following a link: regular files and
 * links are found; `.git` entries below the root, FIFOs, sockets, devices and
 * names that are not UTF-8 are removed.
 * Synchronous calls (several times faster than promises for 10,000 lstats),
 * with a pause for the event loop every few hundred entries.
 */
async function walk(root: string): Promise<{ found: Map<string, Found>; removed: string[] }> {
  const found = new Map<string, Found>();
  const removed: string[] = [];
  const stack: string[] = [""];
  let done = 0;
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const abs = rel ? join(root, rel) : root;
    let dirents: Dirent<Buffer>[];
    try {
      dirents = readdirSync(abs, { withFileTypes: true, encoding: "buffer" }) as unknown as Dirent<Buffer>[];
    } catch {
      continue;
    }
    for (const d of dirents) {
      if (++done % 500 === 0) await new Promise((r) => setImmediate(r));
      const raw = d.name as unknown as Buffer;
      const name = utf8(raw);
      const absRaw = Buffer.concat([Buffer.from(`${abs}/`), raw]);
      if (name === undefined) {
        rmSync(absRaw, { recursive: true, force: true });
        removed.push(`${rel ? `${rel}/` : ""}${raw.toString("utf8")} (name not UTF-8)`);
        continue;
      }
      const path = rel ? `${rel}/${name}` : name;
      if (!rel && name === ".git") continue;
      let st: BigIntStats;
      try {
        st = lstatSync(absRaw, { bigint: true });
      } catch {
        continue;
      }
      if (isGitName(name)) {
        rmSync(absRaw, { recursive: true, force: true });
        removed.push(path);
      } else if (st.isDirectory()) {
        stack.push(path);
      } else if (st.isSymbolicLink() && NO_LINK.has(name.toLowerCase())) {
        rmSync(absRaw, { force: true });
        removed.push(`${path} (a link)`);
      } else if (st.isFile() || st.isSymbolicLink()) {
        found.set(path, { mode: st.isSymbolicLink() ? "120000" : st.mode & 0o100n ? "100755" : "100644", st });
      } else {
        rmSync(absRaw, { force: true });
        removed.push(`${path} (not a file)`);
      }
    }
  }
  return { found, removed };
}

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

function utf8(raw: Buffer): string | undefined {
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
