/**
 * Network namespaces made ahead of runs (issue 21). A run's container joins
 * the network namespace of a holder: a small hardened container of the same
 * image that only sleeps, on the network the run's spec names (none, the run
 * gateway's internal network, the egress network). Making that namespace is
 * most of a container's start (a veth pair and a bridge port, the embedded
 * DNS's rules); with a holder made ahead per (image, agent, repository) a
 * claimed run's container skips it.
 *
 * A holder carries nothing of any run: no environment, no mounts, no token.
 * The run's container is still created at claim time with everything per run.
 * A holder serves one run and is removed with it; a prepared holder whose
 * create options differ from the ones the run would make now (compared field
 * by field: image, user, network, hardening, the agent's and repository's
 * labels, the digest of the agent's container spec), that no longer runs, or
 * whose image is no longer the one its name gives, is removed, and a fresh one
 * made. Holders are labelled like run containers (owner, pid, host), so the
 * orphan sweep removes those a dead runner left; `close` removes the prepared
 * ones.
 */
import type Docker from "dockerode";
import { createHash, randomBytes } from "node:crypto";
import type { ContainerSpec } from "../plan/types.js";
import { errorMessage } from "../util/errors.js";
import { createRunContainer, withinStartDeadline } from "./docker-run.js";
import type { RunnerIdentity } from "./owner.js";

/** Label of a holder (its value: the key it was made for). */
export const HOLDER_LABEL = "gitcrew.network-holder";

export interface Holder {
  id: string;
  /** Made ahead of the run (true) or for it (false). */
  prepared: boolean;
  /** Settles when the holder runs (the run's container can start in its namespace). */
  running: Promise<void>;
}

/** Which prepared holder a run may take: one per image, agent and repository. */
export function holderKey(spec: ContainerSpec, repo: string): string {
  return JSON.stringify([spec.image, spec.labels["gitcrew.agent"] ?? "", repo]);
}

/**
 * What of a run's spec is the same for every run of the agent: all but the
 * prompt (stdin), the argv (a resumed session), the thread's and branch's
 * variables (in `env`, or `runEnv`) and label. Its digest is a holder's label: a changed crew gives
 * other create options, so a holder prepared before the change is not used.
 */
export function agentSpecDigest(spec: ContainerSpec): string {
  const { stdin: _stdin, argv: _argv, env, labels, runEnv: _runEnv, ...rest } = spec;
  const { GITCREW_THREAD: _t, GITCREW_BRANCH: _b, ...staticEnv } = env;
  const { "gitcrew.thread": _thread, ...staticLabels } = labels;
  return createHash("sha256").update(canonical({ ...rest, env: staticEnv, labels: staticLabels })).digest("hex");
}

/** The holder's create options for a run whose own create options are `run`. */
export function holderOptions(run: Docker.ContainerCreateOptions, spec: ContainerSpec, repo: string, owner: RunnerIdentity): Docker.ContainerCreateOptions {
  const h = run.HostConfig ?? {};
  return {
    Image: run.Image,
    // `sleep` of the image itself: no other image is needed; an image without one runs without a holder.
    Entrypoint: ["sleep"],
    Cmd: ["2147483647"],
    User: run.User,
    Env: [],
    Labels: {
      "gitcrew.run": `holder-${randomBytes(6).toString("hex")}`,
      [HOLDER_LABEL]: holderKey(spec, repo),
      "gitcrew.agent": spec.labels["gitcrew.agent"] ?? "",
      "gitcrew.repo": repo,
      "gitcrew.spec": agentSpecDigest(spec),
      "gitcrew.owner": owner.id,
      "gitcrew.owner-pid": String(owner.pid),
      "gitcrew.host": owner.host,
      "gitcrew.pidns": owner.pidns ?? "",
      // Set (empty) so the image's own labels of these names never reach the orphan sweep, which deletes and prunes what they name.
      "gitcrew.workspace": "",
      "gitcrew.repo-dir": "",
    },
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    NetworkDisabled: run.NetworkDisabled ?? false,
    HostConfig: {
      ReadonlyRootfs: true,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges"],
      Memory: HOLDER_MEMORY,
      MemorySwap: HOLDER_MEMORY,
      NanoCpus: HOLDER_NANO_CPUS,
      PidsLimit: 4,
      NetworkMode: h.NetworkMode ?? "none",
      Privileged: false,
      AutoRemove: false,
    },
  };
}

/** The run's create options, in the holder's network namespace instead of a network of its own. */
export function joinHolder(run: Docker.ContainerCreateOptions, holderId: string): Docker.ContainerCreateOptions {
  return { ...run, NetworkDisabled: false, HostConfig: { ...run.HostConfig, NetworkMode: `container:${holderId}` } };
}

/** Whether two holders' create options are the same, field by field (their own unique name aside). */
export function sameHolderOptions(a: Docker.ContainerCreateOptions, b: Docker.ContainerCreateOptions): boolean {
  const strip = (o: Docker.ContainerCreateOptions) => ({ ...o, Labels: { ...o.Labels, "gitcrew.run": "" } });
  return canonical(strip(a)) === canonical(strip(b));
}

interface Prepared {
  options: Docker.ContainerCreateOptions;
  /** The holder, running; undefined when making it failed. */
  holder: Promise<string | undefined>;
}

export class NetworkHolders {
  private readonly prepared = new Map<string, Prepared>();
  /** Images whose holder could not start (no `sleep`): their runs get a network of their own, as before holders. */
  private readonly unable = new Set<string>();
  private closed = false;

  constructor(
    private readonly docker: Docker,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  /**
   * A holder for one run: the one prepared for `key` when its options equal
   * `options`, otherwise a new one (created now; `running` once started).
   * Undefined when the image cannot hold a namespace: the run uses its own network.
   * A prepared holder leaves the map here: no other run can take it.
   */
  async take(key: string, options: Docker.ContainerCreateOptions): Promise<Holder | undefined> {
    const image = String(options.Image);
    const ready = this.prepared.get(key);
    this.prepared.delete(key);
    if (ready) {
      const id = await ready.holder;
      if (id && sameHolderOptions(ready.options, options) && (await this.stillFits(id, image))) return { id, prepared: true, running: Promise.resolve() };
      if (id) void this.remove(id);
    }
    if (this.unable.has(image)) return undefined;
    const container = await createRunContainer(this.docker, options);
    const running = withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the network holder").then(() => undefined);
    running.catch(() => undefined);
    return { id: container.id, prepared: false, running };
  }

  /** A prepared holder still runs, and from the image the name gives now (a tag moved meanwhile: not used). */
  private async stillFits(id: string, image: string): Promise<boolean> {
    const [holder, current] = await Promise.all([
      this.docker.getContainer(id).inspect().catch(() => undefined),
      this.docker.getImage(image).inspect().catch(() => undefined),
    ]);
    return holder?.State?.Running === true && current !== undefined && holder.Image === current.Id;
  }

  /** Makes a holder for the next run of `key` in the background, unless one is there or being made. */
  prepare(key: string, options: Docker.ContainerCreateOptions): void {
    if (this.closed || this.prepared.has(key) || this.unable.has(String(options.Image))) return;
    const entry: Prepared = { options, holder: Promise.resolve(undefined) };
    entry.holder = (async () => {
      let id: string | undefined;
      try {
        const container = await createRunContainer(this.docker, options);
        id = container.id;
        await withinStartDeadline((abortSignal) => container.start({ abortSignal }), "start the network holder");
        // Closed meanwhile: nobody will take or remove it.
        if (this.closed) throw new Error("closed");
        return id;
      } catch (err) {
        if (id) await this.remove(id);
        this.noteUnable(String(options.Image), err);
        if (this.prepared.get(key) === entry) this.prepared.delete(key);
        return undefined;
      }
    })();
    this.prepared.set(key, entry);
  }

  /** A holder whose start failed: when the image has no `sleep`, its runs go without holders from now on. */
  noteUnable(image: string, err: unknown): void {
    if (this.unable.has(image) || !/executable file not found|no such file or directory/i.test(errorMessage(err))) return;
    this.unable.add(image);
    this.log(`network holders: ${image}: ${errorMessage(err)}; its runs get a network of their own`);
  }

  /** Removes a holder (after its run's container is gone, or unused). */
  async remove(id: string): Promise<void> {
    await this.docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }

  /** Removes every prepared holder; none is made afterwards. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(all.map(async (p) => {
      const id = await p.holder;
      if (id) await this.remove(id);
    }));
  }
}

/** Holders are tiny: `sleep` needs little; the engine's floor for a memory limit is 6 MiB. */
const HOLDER_MEMORY = 16 * 1024 * 1024;
const HOLDER_NANO_CPUS = 100_000_000;

/** JSON with object keys sorted: the same value always gives the same text. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
