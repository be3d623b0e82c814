/**
 * A run's writes on the runner's disk, bounded (limits.disk). Everything the
 * container can write on the host is in two places: the run's folder (its
 * worktree, its git folder, the channel, bind-mounted read-write) and the
 * thread's state folder (the CLI's session, kept for `--resume`).
 *
 * - Root runner: the run's folder is a filesystem of its own, the size of the
 *   limit (a sparse file, ext4, loop-mounted on the folder): the kernel says
 *   "no space" at the limit, nothing spills onto the host's disk. Made ahead
 *   (one spare per size in use), so a run's start does not wait for mkfs.
 * - Any runner: a watch measures the run's folder and the thread's state
 *   while the container runs, and stops the run past the limit. Without the
 *   filesystem, what is written between two looks passes the limit: at most
 *   the disk's write speed times the interval (GITCREW_DISK_CHECK_MS).
 * - The container's own files are capped at the limit too (RLIMIT_FSIZE).
 */
import { execFile, execFileSync } from "node:child_process";
import { readdirSync, rmSync, statSync } from "node:fs";
import { chmod, lstat, mkdtemp, readFile, rm, rmdir, stat, statfs, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DEFAULT_LIMITS } from "../crew/defaults.js";
import { pidNamespace, processAlive, samePidNamespace } from "./owner.js";

/** A run's folder: `dir`, with a filesystem of `limit` bytes mounted on it when `sized`. */
export interface RunDisk {
  dir: string;
  limit: number;
  sized: boolean;
}

export const RUN_DIR_PREFIX = "gitcrew-run-";
/** In the run's folder: who made it (`<pid> <runner id> [<pid namespace>]`), for the sweep of folders a dead runner left. */
const OWNER_FILE = ".owner";
/** In the run's folder, under the filesystem mounted on it: the filesystem's image. */
const IMAGE_FILE = ".disk";
/** At most this many spare filesystems (one per size) wait for runs. */
const MAX_SPARES = 4;
/** Free space under which a run's filesystem counts as full (ext4 keeps a little for itself). */
const FULL_SLACK = 1024 * 1024;
/** A run folder without an owner file is some runner's until it is this old (a run's container names its folder meanwhile). */
const OWNERLESS_AGE_MS = 24 * 3600 * 1000;

export function diskLimit(diskBytes: number | undefined): number {
  return diskBytes ?? DEFAULT_LIMITS.disk!;
}

/** "64 MiB", "1.5 GiB": sizes as the thread reads them. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${Math.round((n / 1024 ** 3) * 10) / 10} GiB`;
  return `${Math.round((n / 1024 ** 2) * 10) / 10} MiB`;
}

const SBIN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function tool(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(file, args, { env: { PATH: SBIN_PATH, LC_ALL: "C" }, timeout: 60_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`${file} ${args[0] ?? ""}: ${String(stderr).trim() || err.message}`)) : resolve(),
    ),
  );
}

/** Whether `dir` has a filesystem mounted on it (its device differs from its parent's). */
export async function isMountPoint(dir: string): Promise<boolean> {
  const [a, b] = await Promise.all([stat(dir).catch(() => undefined), stat(dirname(dir)).catch(() => undefined)]);
  return a !== undefined && b !== undefined && a.dev !== b.dev;
}

/** Removes a run's folder: its filesystem unmounted first (lazily when a process still holds it), then the folder with the image. */
export async function removeRunDir(dir: string, remove: (dir: string) => Promise<void>): Promise<void> {
  if (await isMountPoint(dir)) {
    await tool("umount", [dir]).catch(() => tool("umount", ["-l", dir]));
  }
  await remove(dir);
  LIVE.delete(dir);
}

/**
 * Run folders this process made and has not removed. A run that fails
 * before its clean-up owns its folder (a `gitcrew run` or Action process
 * exits soon after): they are unmounted and removed when the process exits.
 */
const LIVE = new Set<string>();
let exitHook = false;

function made(dir: string): void {
  LIVE.add(dir);
  if (exitHook) return;
  exitHook = true;
  process.once("exit", () => {
    for (const d of LIVE) {
      try {
        if (statSync(d).dev !== statSync(dirname(d)).dev) execFileSync("umount", ["-l", d], { env: { PATH: SBIN_PATH }, stdio: "ignore" });
        rmSync(d, { recursive: true, force: true });
      } catch {
        // gone already, or not ours to remove: the next runner's sweep looks again
      }
    }
  });
}

/**
 * The runner's run folders. `mount`: a root runner that may loop-mount
 * (GITCREW_DISK_MOUNT not "0"); the first failure turns it off for the process.
 */
export class RunDisks {
  private readonly spares = new Map<number, Promise<RunDisk>>();
  private mount: boolean;
  private closed = false;

  constructor(
    env: NodeJS.ProcessEnv,
    private readonly owner: string,
    private readonly log: (line: string) => void = () => undefined,
    /** Keep a spare of each size in use (a long-lived runner that calls `close`). */
    private readonly keepSpares = false,
  ) {
    this.mount = process.platform === "linux" && process.getuid?.() === 0 && env.GITCREW_DISK_MOUNT !== "0";
  }

  /** Whether runs get a sized filesystem (else the watch alone bounds them). */
  get sized(): boolean {
    return this.mount;
  }

  /**
   * Makes a spare of `limit` bytes in the background (a server's start: the first run does not wait
   * for mkfs). `once`: also without keepSpares, for the run a short-lived process is about to start.
   */
  warm(limit: number, once = false): void {
    if (!this.mount || (!this.keepSpares && !once) || this.closed || this.spares.has(limit)) return;
    for (const [size, old] of this.spares) {
      if (this.spares.size < MAX_SPARES) break;
      this.spares.delete(size);
      void old.then((d) => this.release(d), () => undefined);
    }
    const made = this.make(limit);
    made.catch(() => undefined);
    this.spares.set(limit, made);
  }

  /** The folder of a run that may write `limit` bytes: the spare of that size when there is one, else made now; a next spare is made. */
  async take(limit: number): Promise<RunDisk> {
    const spare = this.spares.get(limit);
    this.spares.delete(limit);
    const disk = spare ? await spare.catch(() => this.make(limit)) : await this.make(limit);
    if (this.mount && this.keepSpares) setImmediate(() => this.warm(limit));
    return disk;
  }

  /** Unmounts and removes the spares. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.spares.values()];
    this.spares.clear();
    await Promise.all(all.map((p) => p.then((d) => this.release(d), () => undefined)));
  }

  private async release(d: RunDisk): Promise<void> {
    await removeRunDir(d.dir, (dir) => rm(dir, { recursive: true, force: true })).catch(() => undefined);
  }

  private async make(limit: number): Promise<RunDisk> {
    // Every host-side file of the run lives in one folder only the runner's user can enter (mkdtemp: 0700).
    const dir = await mkdtemp(join(tmpdir(), RUN_DIR_PREFIX));
    made(dir);
    const ns = pidNamespace();
    const own = () => writeFile(join(dir, OWNER_FILE), `${process.pid} ${this.owner}${ns ? ` ${ns}` : ""}\n`, { mode: 0o600 });
    if (!this.mount) {
      await own();
      return { dir, limit, sized: false };
    }
    const image = join(dir, IMAGE_FILE);
    const sparse = await writeFile(image, "", { mode: 0o600 })
      .then(() => truncate(image, limit))
      .then(() => true, () => false);
    if (!sparse) {
      // This size only (past the file system's largest file): this run is watched; the next ones get theirs.
      await rm(image, { force: true });
      await own();
      return { dir, limit, sized: false };
    }
    try {
      // No journal (the filesystem lives as long as its run), no blocks kept for root, inode tables written lazily.
      await tool("mkfs.ext4", ["-q", "-F", "-m", "0", "-O", "^has_journal", "-E", "nodiscard,lazy_itable_init=1,root_owner=0:0", image]);
      await tool("mount", ["-t", "ext4", "-o", "loop,nodev,nosuid,noatime", image, dir]);
      await chmod(dir, 0o700);
      await rmdir(join(dir, "lost+found")).catch(() => undefined);
      await own();
      return { dir, limit, sized: true };
    } catch (err) {
      this.mount = false;
      this.log(`no filesystem of its own for a run's folder (${err instanceof Error ? err.message : String(err)}); runs' disk use is watched instead (limits.disk, GITCREW_DISK_MOUNT)`);
      await removeRunDir(dir, (d) => rm(d, { recursive: true, force: true })).catch(() => undefined);
      return this.make(limit);
    }
  }
}

/**
 * Bytes a tree takes on disk (allocated blocks: a sparse file counts what it
 * holds), by `du`, which walks any depth and follows no link. Folders the
 * agent locked (a runner that is not root runs the container as itself) are
 * unlocked and the tree measured again: nothing is hidden from the count.
 */
export async function diskUsage(root: string): Promise<number> {
  const first = await du(root);
  // Files that vanished during the walk are not hidden: only a refusal is.
  if (!first.denied) return first.bytes;
  await unlockAll(root);
  return Math.max(first.bytes, (await du(root)).bytes);
}

function du(root: string): Promise<{ bytes: number; denied: boolean }> {
  return new Promise((resolve) =>
    execFile("du", ["-s", "-k", "-x", "--", root], { env: { PATH: SBIN_PATH, LC_ALL: "C" }, timeout: 120_000, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      const kib = Number(/^(\d+)/.exec(String(stdout))?.[1] ?? Number.NaN);
      // A tree that vanished (the run's removal) counts nothing.
      resolve({ bytes: Number.isFinite(kib) ? kib * 1024 : 0, denied: err !== null && /permission denied/i.test(String(stderr)) });
    }),
  );
}

function unlockAll(root: string): Promise<void> {
  return new Promise((resolve) => execFile("chmod", ["-R", "u+rwX", "--", root], { env: { PATH: SBIN_PATH }, timeout: 120_000 }, () => resolve()));
}

/** What a run has written: its folder (a statfs when it is a filesystem of its own) and the thread's state folder. */
export async function runUsage(disk: RunDisk, stateDir: string | undefined): Promise<{ used: number; full: boolean }> {
  const state = stateDir ? await diskUsage(stateDir) : 0;
  if (disk.sized) {
    const s = await statfs(disk.dir);
    const used = (s.blocks - s.bfree) * s.bsize;
    return { used: used + state, full: s.bavail * s.bsize < FULL_SLACK || used + state > disk.limit };
  }
  const used = (await diskUsage(disk.dir)) + state;
  return { used, full: used > disk.limit };
}

/** How often a run's disk use is looked at (GITCREW_DISK_CHECK_MS, 1000). */
export function diskCheckMs(env: NodeJS.ProcessEnv): number {
  const ms = Number(env.GITCREW_DISK_CHECK_MS);
  return Number.isFinite(ms) && ms >= 50 ? ms : 1000;
}

/**
 * Looks at a run's disk use every `everyMs` (longer when a look takes
 * long: a walk of a big tree costs at most a fifth of the time) and calls
 * `over` once, with the bytes written, when the run reached its limit.
 */
export function watchDisk(disk: RunDisk, stateDir: string | undefined, everyMs: number, over: (used: number) => void): { stop(): void; check(): Promise<{ used: number; full: boolean }> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const look = async () => {
    const t0 = performance.now();
    const u = await runUsage(disk, stateDir).catch(() => undefined);
    if (stopped) return;
    if (u?.full) {
      stopped = true;
      over(u.used);
      return;
    }
    timer = setTimeout(() => void look(), Math.max(everyMs, 4 * (performance.now() - t0)));
    timer.unref();
  };
  timer = setTimeout(() => void look(), everyMs);
  timer.unref();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    check: () => runUsage(disk, stateDir),
  };
}

/**
 * Run folders in the temp folder whose runner is gone (its pid in the owner
 * file no longer runs; without an owner file, a day old) and that no
 * container names: their filesystem unmounted, removed. Only folders this
 * user owns, and only of runners of this pid namespace (another one's are
 * left to runners there: its pids are not this process table's).
 */
export async function sweepRunDirs(inUse: ReadonlySet<string>, remove: (dir: string) => Promise<void>, root = tmpdir()): Promise<string[]> {
  let names: string[];
  try {
    names = readdirSync(root).filter((n) => new RegExp(`^${RUN_DIR_PREFIX}[A-Za-z0-9]{6}$`).test(n));
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const name of names) {
    const dir = join(root, name);
    if (inUse.has(dir)) continue;
    const st = await lstat(dir).catch(() => undefined);
    if (!st?.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
    const owner = await readFile(join(dir, OWNER_FILE), "utf8").catch(() => undefined);
    if (owner === undefined) {
      // Made by a runner before owner files (or it died before writing one): a day old and named by no container.
      if (Date.now() - st.mtimeMs < OWNERLESS_AGE_MS) continue;
    } else {
      const pid = Number(owner.split(" ")[0]);
      // A runner in another pid namespace (a container of its own sharing this temp folder): its pid means nothing here.
      const pidns = /\s(pid:\[\d+\])\s*$/.exec(owner)?.[1];
      if (!samePidNamespace(pidns)) continue;
      if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    }
    await removeRunDir(dir, remove).catch(() => undefined);
    removed.push(dir);
  }
  return removed;
}
