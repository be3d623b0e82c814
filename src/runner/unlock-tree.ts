/**
 * Folders the agent locked. On a runner that is not root the container runs
 * as the runner's own uid, so the agent's files and folders are the runner's,
 * with the modes the agent gave them: a `chmod 000` folder is one the runner
 * can neither list nor empty, and a `chmod 000` file one it cannot read. The
 * owner may always change the modes back; this does, never through a link
 * (only what lstat calls a folder or a file is changed). Used only once an
 * operation was refused, so a run that locked nothing pays nothing.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, lstatSync, readdirSync, rmSync, type Dirent } from "node:fs";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);
/** Tools that walk a tree of any depth (fts with openat): node addresses every entry by its whole path, and fails past PATH_MAX. */
const UNLOCK_ALL = (path: string) => ["chmod", ["-R", "u+rwX", "--", path]] as const;
const REMOVE_ALL = (path: string) => ["rm", ["-rf", "--", path]] as const;

/** The file system refused the runner's own user (what unlocking can cure). */
export function isDenied(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === "EACCES" || code === "EPERM";
}

/** A folder given back u+rwx when it lacks any of them; false when it is no folder or needed nothing. */
export function unlockDir(path: string | Buffer): boolean {
  try {
    const st = lstatSync(path);
    if (!st.isDirectory() || (st.mode & 0o700) === 0o700) return false;
    chmodSync(path, (st.mode & 0o7777) | 0o700);
    return true;
  } catch {
    return false;
  }
}

/** Every folder below `root` (and `root`) given u+rwx, every file u+r, where they lack them. Names are handled as bytes. */
export function unlockTree(root: string | Buffer): void {
  const stack: Buffer[] = [Buffer.from(root)];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    unlockDir(dir);
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(dir, { withFileTypes: true, encoding: "buffer" });
    } catch {
      continue;
    }
    for (const e of entries) {
      const path = Buffer.concat([dir, Buffer.from("/"), e.name]);
      if (e.isDirectory()) stack.push(path);
      else if (e.isFile()) {
        try {
          const st = lstatSync(path);
          if (st.isFile() && !(st.mode & 0o400)) chmodSync(path, (st.mode & 0o7777) | 0o600);
        } catch {
          // gone meanwhile
        }
      }
    }
  }
}

function isFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** An error a deeper or locked tree gives node's removal: the tools below cope with it. */
function curable(err: unknown): boolean {
  return isDenied(err) || (err as { code?: unknown } | undefined)?.code === "ENAMETOOLONG";
}

/**
 * `rm -rf` of a folder the agent wrote in. When node's removal is refused
 * (folders the agent locked) or a path is too long for it (folders nested
 * past PATH_MAX), the system's chmod -R and rm -rf, which never follow a
 * link and walk any depth, unlock and remove it.
 */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    if (!curable(err)) throw err;
    // chmod follows a link named on its command line: only a real folder is unlocked.
    if (isFolder(path)) await run(...UNLOCK_ALL(path)).catch(() => undefined);
    await run(...REMOVE_ALL(path));
  }
}

/** removeTree, synchronously (the commit's walk). */
export function removeTreeSync(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch (err) {
    if (!curable(err)) throw err;
    try {
      // chmod follows a link named on its command line: only a real folder is unlocked.
      if (isFolder(path)) execFileSync(...UNLOCK_ALL(path), { stdio: "ignore" });
    } catch {
      // what it could not unlock, rm reports
    }
    execFileSync(...REMOVE_ALL(path), { stdio: ["ignore", "ignore", "pipe"] });
  }
}
