/**
 * git inside the container. The worktree's own `.git` names a host folder
 * (`<repo>/.git/worktrees/<name>`) the container cannot see, and that folder
 * must stay out of its reach anyway: the repository's config may hold a token
 * (`http.extraheader`), and hooks or config written there would run on the host.
 *
 * So the container gets a git folder of its own, made here in the run's
 * folder before the container starts and never read by the host afterwards:
 * HEAD on the run's branch at the start commit, a copy of the checkout's
 * index, a config with only safe keys and the agent's identity, and the
 * repository's object store mounted read-only as its alternate (the real
 * history up to the start commit, nothing else of the host's `.git`). The
 * worktree's `.git` names that folder by its path in the container. What the
 * agent commits there is its own business: the commit step (workspace.ts)
 * reads only the worktree's files, with the admin folder recorded before the run.
 */
import { chown, copyFile, lstat, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { isAbsolute, join, resolve } from "node:path";
import type { GitIdentity } from "../crew/types.js";
import { gitText } from "./host-git.js";

/** Where the container sees its git folder, and the repository's objects (read-only). */
export const GIT_DIR_IN_CONTAINER = "/gitcrew-git";
export const OBJECTS_IN_CONTAINER = "/gitcrew-objects";

export interface ContainerGit {
  /** The container's git folder on the host (in the run's folder). */
  hostDir: string;
  mounts: { source: string; target: string; readOnly: boolean }[];
  /** The repository's common git folder (shallow file, object store). */
  commonDir: string;
  /** The run's ref as a branch of the container's (`main`), when it names one: the agent can diff against it. */
  base: Promise<{ name: string; id: string } | undefined>;
}

/**
 * Before the container is created: the empty git folder and the mounts.
 * Undefined when `repoDir` is no repository (the worktree step reports that).
 */
export async function prepareContainerGit(runDir: string, repoDir: string, ref?: string): Promise<ContainerGit | undefined> {
  const commonDir = await commonDirOf(repoDir);
  // A bind's source cannot hold ":" (Docker's separator); without an object store, nothing to mount.
  if (!commonDir || commonDir.includes(":") || !(await lstat(join(commonDir, "objects")).catch(() => undefined))?.isDirectory()) return undefined;
  const base = baseOf(commonDir, ref);
  const hostDir = join(runDir, "git");
  await mkdir(hostDir, { mode: 0o700 });
  return {
    hostDir,
    commonDir,
    base,
    mounts: [
      { source: hostDir, target: GIT_DIR_IN_CONTAINER, readOnly: false },
      { source: join(commonDir, "objects"), target: OBJECTS_IN_CONTAINER, readOnly: true },
    ],
  };
}

/**
 * The commit a branch (or origin's branch of that name) points at, read as git
 * stores it (a loose ref, else packed-refs) without a process: a spawn costs
 * more than the run can spare on a loaded machine. Other stores: nothing.
 */
/** The run's ref as a branch, read from the host's own repository (never the container's folder). */
export function baseOf(commonDir: string, ref?: string): ContainerGit["base"] {
  const name = ref && ref !== "HEAD" && !/^[0-9a-f]{40,64}$/.test(ref) ? refName(ref) : undefined;
  return name ? branchTip(commonDir, name).then((id) => (id ? { name, id } : undefined), () => undefined) : Promise.resolve(undefined);
}

async function branchTip(commonDir: string, name: string): Promise<string | undefined> {
  const packed = await readFile(join(commonDir, "packed-refs"), "latin1").catch(() => "");
  const isId = (id: string | undefined) => id !== undefined && /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(id);
  // A loose ref wins over its packed entry, as in git; the local branch over origin's.
  for (const ref of [`refs/heads/${name}`, `refs/remotes/origin/${name}`]) {
    const loose = (await readFile(join(commonDir, ref), "latin1").catch(() => "")).trim();
    if (isId(loose)) return loose;
    const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
    const id = line?.slice(0, line.indexOf(" "));
    if (isId(id)) return id;
  }
  return undefined;
}

/** The repository's common git folder: read from `<repo>/.git` as git would (no process), else asked of git (a bare repository, a subfolder). */
async function commonDirOf(repoDir: string): Promise<string | undefined> {
  const dotGit = join(repoDir, ".git");
  const st = await lstat(dotGit).catch(() => undefined);
  if (st?.isDirectory()) return resolve(dotGit);
  if (st?.isFile()) {
    const gitdir = /^gitdir: (.+)$/m.exec(await readFile(dotGit, "utf8"))?.[1]?.trim();
    if (gitdir) {
      const at = resolve(repoDir, gitdir);
      const common = await readFile(join(at, "commondir"), "utf8").catch(() => undefined);
      return common === undefined ? at : resolve(at, common.trim());
    }
  }
  const out = await gitText(repoDir, ["rev-parse", "--git-common-dir"]);
  return out.code === 0 ? resolve(repoDir, out.stdout.trim()) : undefined;
}

/**
 * After the worktree is checked out, before the container starts: fill the
 * container's git folder and point the worktree's `.git` at it (the commit
 * step puts git's own `.git` back before it runs).
 */
export async function fillContainerGit(
  cg: ContainerGit,
  ws: { dir: string; admin?: string; originals: Map<string, unknown> },
  opts: { branch: string; identity: GitIdentity; mountPoints: string[]; owner?: { uid: number; gid: number } },
): Promise<void> {
  if (!ws.admin) return;
  const start = (await readFile(join(ws.admin, "HEAD"), "latin1")).trim();
  // `git worktree add --detach` writes the commit id; anything else: no git in the container (as before).
  if (!/^([0-9a-f]{40}|[0-9a-f]{64})$/.test(start)) return;
  const sha256 = start.length === 64;
  const d = cg.hostDir;
  const branch = refName(opts.branch);
  const heads = new Map<string, string>(branch ? [[branch, start]] : []);
  // The run's ref (`main`) too, unless its name collides with the branch's (one a folder of the other).
  const base = await cg.base;
  if (base && branch && base.name !== branch && !`${branch}/`.startsWith(`${base.name}/`) && !`${base.name}/`.startsWith(`${branch}/`)) heads.set(base.name, base.id);
  // Folders first, each after the one it is in, then every file at once.
  const dirs = ["objects", "objects/info", "objects/pack", "refs", "refs/heads", "refs/tags", "info"];
  for (const name of heads.keys()) {
    const above = name.split("/").slice(0, -1);
    for (let k = 1; k <= above.length; k++) if (!dirs.includes(`refs/heads/${above.slice(0, k).join("/")}`)) dirs.push(`refs/heads/${above.slice(0, k).join("/")}`);
  }
  for (const rel of dirs) await mkdir(join(d, rel));
  // Files gitcrew put there (instructions, skill folders) are not the agent's changes.
  const injected = [...ws.originals].filter(([, was]) => was === null).map(([rel]) => rel);
  const files: Record<string, string> = {
    HEAD: branch ? `ref: refs/heads/${branch}\n` : `${start}\n`,
    ...Object.fromEntries([...heads].map(([name, id]) => [`refs/heads/${name}`, `${id}\n`])),
    config: config(opts.identity, sha256),
    "objects/info/alternates": `${OBJECTS_IN_CONTAINER}\n`,
    "info/exclude": [...injected, ...opts.mountPoints.map((m) => `${m}/`)].map((p) => `/${escapeGlob(p)}\n`).join(""),
  };
  // The checkout's index (git's stat data of the files as checked out) and, for a shallow clone, its boundary.
  const copies: [string, string][] = [
    [join(ws.admin, "index"), "index"],
    [join(cg.commonDir, "shallow"), "shallow"],
  ];
  const [, copied] = await Promise.all([
    Promise.all(Object.entries(files).map(([rel, text]) => writeFile(join(d, rel), text, { flag: "wx" }))),
    Promise.all(copies.map(([from, to]) => copyFile(from, join(d, to)).then(() => to, () => undefined))),
    rm(join(ws.dir, ".git"), { force: true }).then(() => writeFile(join(ws.dir, ".git"), `gitdir: ${GIT_DIR_IN_CONTAINER}\n`, { flag: "wx" })),
  ]);
  // Injected files that replace the repository's own: git inside sees them as checked out.
  const replaced = new Set([...ws.originals].filter(([, was]) => was !== null).map(([rel]) => rel));
  if (replaced.size > 0 && copied.includes("index")) await assumeUnchanged(join(d, "index"), replaced, sha256);
  const made = [d, ...dirs, ...Object.keys(files), ...copied.filter((c) => c !== undefined)].map((rel) => (rel === d ? d : join(d, rel)));
  made.push(join(ws.dir, ".git"));
  const owner = opts.owner;
  if (owner) await Promise.all(made.map((p) => chown(p, owner.uid, owner.gid)));
}

/**
 * Set git's "assume unchanged" bit (`update-index --assume-unchanged`) of
 * `paths` in an index of version 2 or 3, and its checksum anew. Other
 * versions are left as they are (git then shows those files as modified).
 */
async function assumeUnchanged(path: string, paths: Set<string>, sha256: boolean): Promise<void> {
  const buf = await readFile(path);
  const idBytes = sha256 ? 32 : 20;
  if (buf.length < 12 + idBytes || buf.toString("latin1", 0, 4) !== "DIRC") return;
  const version = buf.readUInt32BE(4);
  if (version !== 2 && version !== 3) return;
  let at = 12;
  for (let i = buf.readUInt32BE(8); i > 0; i--) {
    const flagsAt = at + 40 + idBytes;
    if (flagsAt + 2 > buf.length) return;
    const flags = buf.readUInt16BE(flagsAt);
    const nameAt = flagsAt + 2 + (version === 3 && flags & 0x4000 ? 2 : 0);
    const nameLen = (flags & 0xfff) === 0xfff ? buf.indexOf(0, nameAt) - nameAt : flags & 0xfff;
    if (nameLen < 0 || nameAt + nameLen > buf.length) return;
    if (paths.has(buf.toString("utf8", nameAt, nameAt + nameLen))) buf.writeUInt16BE(flags | 0x8000, flagsAt);
    // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
    at += (nameAt - at + nameLen + 8) & ~7;
  }
  const body = buf.subarray(0, buf.length - idBytes);
  createHash(sha256 ? "sha256" : "sha1").update(body).digest().copy(buf, buf.length - idBytes);
  await writeFile(path, buf);
}

/** Only safe keys: no hooks path, no fsmonitor, no filters, no credentials, no host path. */
function config(identity: GitIdentity, sha256: boolean): string {
  return [
    "[core]",
    `\trepositoryformatversion = ${sha256 ? 1 : 0}`,
    "\tfilemode = true",
    "\tbare = false",
    "\tlogallrefupdates = true",
    ...(sha256 ? ["[extensions]", "\tobjectformat = sha256"] : []),
    "[gc]",
    "\tauto = 0",
    "[user]",
    `\tname = ${quote(identity.name)}`,
    `\temail = ${quote(identity.email)}`,
    "",
  ].join("\n");
}

function quote(s: string): string {
  return `"${s.replace(/[\r\n\0]/g, " ").replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A branch name that is safe as a path under refs/heads (else HEAD stays detached). */
function refName(branch: string): string | undefined {
  if (isAbsolute(branch) || branch.startsWith("-") || !/^[A-Za-z0-9._/-]+$/.test(branch)) return undefined;
  const parts = branch.split("/");
  if (parts.some((p) => p === "" || p.startsWith(".") || p.endsWith(".lock"))) return undefined;
  if (branch.includes("..") || branch.endsWith(".")) return undefined;
  return branch;
}

function escapeGlob(p: string): string {
  return p.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
}
