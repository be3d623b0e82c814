/**
 * Run containers started ahead (issue 21): the CLI's own start (about 0.8 s
 * for Claude Code) and the container's are paid before the trigger. Only for
 * runtimes whose CLI does nothing before its prompt arrives on stdin
 * (RuntimeAdapter.startsAhead), in `gitcrew serve`, with a root runner.
 *
 * A prepared container is made from the spec of a run of the same image,
 * agent and repository, the first of its thread, with folders of its own: an
 * empty workspace the container user can enter but neither list nor write, an
 * empty git folder it cannot reach, an empty read-only variables folder, its own state folder,
 * and a gateway token that is registered only when a run takes it. Until then
 * the CLI holds no credential that works and has no prompt.
 *
 * A run takes it only when the create options it would make now, with the
 * prepared folders and token, are the same field by field (its id and thread
 * labels aside), its agent spec's digest is the same, its thread has no state
 * yet, and the container still runs from the image its name gives. Then the
 * run's token is registered, the worktree and git folder filled, the variables
 * file written, the state folder moved to the thread's place, and the prompt
 * written to stdin. Otherwise it is removed and the run starts as usual.
 *
 * Each serves one run and is removed with it; unused ones are removed after
 * GITCREW_PREPARED_IDLE_SECONDS (600) and by `close`. Labelled like run
 * containers, so the orphan sweep removes those a dead runner left.
 */
import type Docker from "dockerode";
import { rm } from "node:fs/promises";
import type { AttachedContainer } from "./docker-run.js";
import type { ContainerGit } from "./container-git.js";
import { gitText } from "./host-git.js";
import { removeRunDir, type RunDisk } from "./disk-guard.js";

export interface PreparedRun {
  /** Its id in labels and folders (`ahead-…`): never a run's. */
  id: string;
  key: string;
  /** agentSpecDigest of the spec it was made from. */
  specDigest: string;
  runDir: string;
  /** The run's folder as made (a filesystem of limits.disk's size on a root runner: disk-guard.ts). */
  disk?: RunDisk;
  wsDir: string;
  channelDir: string;
  runEnvDir: string | undefined;
  /** Its own state folder, moved to the thread's place by the run that takes it. */
  stateDir: string | undefined;
  git: ContainerGit | undefined;
  /** The object store it mounted (its inode): a clone removed and made again meanwhile is another one. */
  objectsIno: number | undefined;
  /** The gateway token in its environment, registered by the run that takes it. */
  token: string | undefined;
  options: Docker.ContainerCreateOptions;
  attached: AttachedContainer;
}

export const PREPARED_IDLE_MS = (Number(process.env.GITCREW_PREPARED_IDLE_SECONDS) || 600) * 1000;
/** At most this many at once (each holds a loaded CLI, 150-280 MB): a server with many agents and repositories does not keep one for each. */
export const PREPARED_MAX = Number(process.env.GITCREW_PREPARED_MAX) || 4;

interface Entry {
  made: Promise<PreparedRun | undefined>;
  idle?: NodeJS.Timeout;
  /** A run took it while it was being made: it is that run's once made. */
  taken?: boolean;
}

export class PreparedRuns {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(
    private readonly docker: Docker,
    private readonly log: (line: string) => void = () => undefined,
    private readonly max = PREPARED_MAX,
  ) {}

  /** Whether one is ready or being made for `key`. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The one made for `key`, out of the map (no other run can take it); undefined when none is ready or it no longer runs. */
  async take(key: string): Promise<PreparedRun | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    entry.taken = true;
    clearTimeout(entry.idle);
    const run = await entry.made;
    if (!run) return undefined;
    if (await this.stillFits(run)) return run;
    await this.discard(run);
    return undefined;
  }

  /** Makes one for the next run of `key` in the background, unless one is there or being made. */
  prepare(key: string, make: () => Promise<PreparedRun>): void {
    if (this.closed || this.entries.has(key)) return;
    // Full: the one made longest ago goes (its key's next run starts as usual).
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size < this.max) break;
      void this.expire(oldKey, old);
    }
    const entry: Entry = { made: Promise.resolve(undefined) };
    entry.made = make().then(
      async (run) => {
        // Closed or expired meanwhile: nobody will take it.
        if (this.closed || (!entry.taken && this.entries.get(key) !== entry)) {
          await this.discard(run);
          return undefined;
        }
        if (entry.taken) return run;
        entry.idle = setTimeout(() => void this.expire(key, entry), PREPARED_IDLE_MS);
        entry.idle.unref();
        return run;
      },
      (err: unknown) => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        this.log(`prepared run for ${key}: ${err instanceof Error ? err.message : String(err)}; its next run starts as usual`);
        return undefined;
      },
    );
    this.entries.set(key, entry);
  }

  /** Removes a prepared container and its folders (unused, or not fit for the run that took it). */
  async discard(run: PreparedRun): Promise<void> {
    await run.attached.container.remove({ force: true, v: true }).catch(() => undefined);
    await Promise.all([
      removeRunDir(run.runDir, (dir) => rm(dir, { recursive: true, force: true })),
      run.stateDir ? rm(run.stateDir, { recursive: true, force: true }) : undefined,
    ]).catch(() => undefined);
  }

  /** Removes every prepared container; none is made afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(
      all.map(async (e) => {
        clearTimeout(e.idle);
        const run = await e.made;
        if (run) await this.discard(run);
      }),
    );
  }

  private async expire(key: string, entry: Entry): Promise<void> {
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    clearTimeout(entry.idle);
    const run = await entry.made;
    if (run) await this.discard(run);
  }

  /** Still running, from the image its name gives now (a tag moved meanwhile: not used). */
  private async stillFits(run: PreparedRun): Promise<boolean> {
    const [container, image] = await Promise.all([
      run.attached.container.inspect().catch(() => undefined),
      this.docker.getImage(String(run.options.Image)).inspect().catch(() => undefined),
    ]);
    return container?.State?.Running === true && image !== undefined && container.Image === image.Id;
  }
}

/**
 * What Claude Code reads of its workspace at its start, before the prompt
 * (traced on the real CLI: the project's settings and skills, `.mcp.json`).
 * A prepared container's CLI started in an empty workspace, so a run whose
 * tree has any of these starts as usual: the project's MCP servers, for one,
 * are decided then.
 */
export const READ_AT_START = [".mcp.json", ".claude"];

/**
 * Whether the commit a run starts from (its branch when the clone has it, else
 * its ref; as createWorkspace chooses) has a path the CLI reads at its start.
 * Read from the host's own repository. Unknown (no such commit) counts as yes.
 */
export async function readAtStart(repoDir: string, branch: string, ref: string): Promise<boolean> {
  if (ref.startsWith("-") || branch.startsWith("-")) return true;
  const list = (rev: string) => gitText(repoDir, ["ls-tree", "--name-only", rev, "--", ...READ_AT_START]);
  let out = await list(`refs/heads/${branch}^{commit}`);
  if (out.code !== 0) out = await list(`${ref}^{commit}`);
  return out.code !== 0 || out.stdout.trim() !== "";
}
