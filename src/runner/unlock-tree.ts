/**
 * Folders the agent locked. On a runner that is not root the container runs
 * as the runner's own uid, so the agent's files and folders are the runner's,
 * with the modes the agent gave them: a `chmod 000` folder is one the runner
 * can neither list nor empty, and a `chmod 000` file one it cannot read. The
 * owner may always change the modes back; this does, never through a link
 * (only what lstat calls a folder or a file is changed). Used only once an
 * operation was refused, so a run that locked nothing pays nothing.
 */
import { chmodSync, lstatSync, readdirSync, type Dirent } from "node:fs";
import { rm } from "node:fs/promises";

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

/** `rm -rf` of a folder the agent wrote in: when refused, its folders are unlocked and it is tried once more. */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true });
  } catch (err) {
    if (!isDenied(err)) throw err;
    unlockTree(path);
    await rm(path, { recursive: true, force: true });
  }
}
