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
import { chown, copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
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
}

/**
 * Before the container is created: the empty git folder and the mounts.
 * Undefined when `repoDir` is no repository (the worktree step reports that).
 */
export async function prepareContainerGit(runDir: string, repoDir: string): Promise<ContainerGit | undefined> {
  const out = await gitText(repoDir, ["rev-parse", "--git-common-dir"]);
  if (out.code !== 0) return undefined;
  const commonDir = resolve(repoDir, out.stdout.trim());
  const hostDir = join(runDir, "git");
  await mkdir(hostDir, { mode: 0o700 });
  return {
    hostDir,
    commonDir,
    mounts: [
      { source: hostDir, target: GIT_DIR_IN_CONTAINER, readOnly: false },
      { source: join(commonDir, "objects"), target: OBJECTS_IN_CONTAINER, readOnly: true },
    ],
  };
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
  const made: string[] = [d];
  const dir = async (rel: string) => {
    let at = d;
    for (const part of rel.split("/")) {
      at = join(at, part);
      await mkdir(at).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== "EEXIST") throw err;
      });
      if (!made.includes(at)) made.push(at);
    }
  };
  const file = async (rel: string, content: string) => {
    await writeFile(join(d, rel), content, { flag: "wx" });
    made.push(join(d, rel));
  };
  await Promise.all(["objects/info", "objects/pack", "refs/heads", "refs/tags", "info"].map(dir));
  const branch = refName(opts.branch);
  if (branch) {
    await dir(`refs/heads/${branch.split("/").slice(0, -1).join("/")}`.replace(/\/$/, ""));
    await file(`refs/heads/${branch}`, `${start}\n`);
    await file("HEAD", `ref: refs/heads/${branch}\n`);
  } else await file("HEAD", `${start}\n`);
  await file("config", config(opts.identity, sha256));
  await file("objects/info/alternates", `${OBJECTS_IN_CONTAINER}\n`);
  // Files gitcrew put there (instructions, skill folders) are not the agent's changes.
  const injected = [...ws.originals].filter(([, was]) => was === null).map(([rel]) => rel);
  await file("info/exclude", [...injected, ...opts.mountPoints.map((m) => `${m}/`)].map((p) => `/${escapeGlob(p)}\n`).join(""));
  // The checkout's index (git's stat data of the files as checked out) and, for a shallow clone, its boundary.
  for (const [from, to] of [
    [join(ws.admin, "index"), "index"],
    [join(cg.commonDir, "shallow"), "shallow"],
  ] as const) {
    const copied = await copyFile(from, join(d, to)).then(
      () => true,
      () => false,
    );
    if (copied) made.push(join(d, to));
  }
  await rm(join(ws.dir, ".git"), { force: true });
  await writeFile(join(ws.dir, ".git"), `gitdir: ${GIT_DIR_IN_CONTAINER}\n`, { flag: "wx" });
  made.push(join(ws.dir, ".git"));
  if (opts.owner) for (const p of made) await chown(p, opts.owner.uid, opts.owner.gid);
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
  if (isAbsolute(branch) || !/^[A-Za-z0-9._/-]+$/.test(branch)) return undefined;
  const parts = branch.split("/");
  if (parts.some((p) => p === "" || p.startsWith(".") || p.endsWith(".lock"))) return undefined;
  if (branch.includes("..") || branch.endsWith(".")) return undefined;
  return branch;
}

function escapeGlob(p: string): string {
  return p.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`);
}
