/** ContainerSpec → Docker create options. Pure, so tests and dry-run can look at it. */
import type Docker from "dockerode";
import type { ContainerSpec } from "../plan/types.js";
import { RUN_ENV_DIR } from "../plan/container.js";
import { CHANNEL_DIR_IN_CONTAINER, CHANNEL_FILE } from "./channel.js";
import { diskLimit } from "./disk-guard.js";

/** The engine's log of a run's output, at most (the daemon's default driver keeps all of it). */
export const CONTAINER_LOG_MAX = "8m";
/** What covers a folder the image declares as a volume (in the container's memory, like /tmp). */
export const IMAGE_VOLUME_TMPFS = "rw,nosuid,nodev,size=1g";

export interface ContainerContext {
  runId: string;
  owner: { id: string; pid: number; host: string; pidns?: string };
  workspaceDir: string;
  /** The repository the worktree belongs to (to prune it after a crash). */
  repoDir: string;
  channelDir: string;
  /** Resolved read-only mounts (host path → container path). */
  mounts: { source: string; target: string; readOnly: boolean }[];
  /** Non-secret variables passed through from the runner's environment (spec.optionalEnv). */
  passEnv: Record<string, string>;
  /** Host folder holding the run's own variables (run-env.ts), mounted read-only at RUN_ENV_DIR when spec.runEnv. */
  runEnvDir?: string;
  /** Host folder kept per thread, mounted at spec.stateDir. */
  stateHostDir?: string;
  /** Secret values by name, from the runner's environment. */
  secrets: Record<string, string>;
  /** Container user after adjusting for a non-root runner. */
  user: string;
  /** For network `bridge` (egress): gitcrew's sealed egress network, or `GITCREW_DOCKER_NETWORK` (egress-network.ts). */
  egressNetwork?: string;
  /** Folders the image declares as volumes (`VOLUME`): each gets a tmpfs, never a volume on the host's disk. */
  imageVolumes?: string[];
  /** For network `gateway`: the internal network, and the variables that point the CLI and tools at the gateway. */
  gateway?: { network: string; env: Record<string, string>; argv?: string[] };
}

function withOwner(options: string, user: string): string {
  const [uid, gid] = user.split(":");
  const extra = [!/\buid=/.test(options) && uid ? `uid=${uid}` : "", !/\bgid=/.test(options) && gid ? `gid=${gid}` : ""].filter(Boolean);
  return [options, ...extra].filter(Boolean).join(",");
}

export function containerOptions(spec: ContainerSpec, ctx: ContainerContext): Docker.ContainerCreateOptions {
  const env = {
    ...spec.env,
    ...ctx.passEnv,
    ...ctx.secrets,
    ...ctx.gateway?.env,
    // A runtime that starts ahead finds the run's id in its variables file (run-env.ts).
    ...(spec.runEnv ? {} : { GITCREW_RUN: ctx.runId }),
    GITCREW_CHANNEL: `${CHANNEL_DIR_IN_CONTAINER}/${CHANNEL_FILE}`,
  };
  const tmpfs: Record<string, string> = {};
  // tmpfs home must belong to the container user, or CLIs cannot write their config.
  for (const [path, opts] of Object.entries(spec.tmpfs)) tmpfs[path] = withOwner(opts, ctx.user);
  const binds = [
    `${ctx.workspaceDir}:${spec.workdir}:rw`,
    `${ctx.channelDir}:${CHANNEL_DIR_IN_CONTAINER}:rw`,
    ...(spec.stateDir && ctx.stateHostDir ? [`${ctx.stateHostDir}:${spec.stateDir}:rw`] : []),
    ...(spec.runEnv ? [`${ctx.runEnvDir}:${RUN_ENV_DIR}:ro`] : []),
    ...ctx.mounts.map((m) => `${m.source}:${m.target}:${m.readOnly ? "ro" : "rw"}`),
  ];
  // An image's VOLUME would be a volume on the host's disk (past limits.disk, kept after the run): memory instead
  // (a bind at the same folder covers it already).
  const bound = new Set(binds.map((b) => b.split(":")[1]));
  for (const path of ctx.imageVolumes ?? []) if (!bound.has(path)) tmpfs[path] ??= withOwner(IMAGE_VOLUME_TMPFS, ctx.user);
  if (spec.runEnv && !ctx.runEnvDir) throw new Error("container-options: run variables without their folder");
  if (spec.network === "gateway" && !ctx.gateway) throw new Error("container-options: network gateway without a gateway");
  // Never Docker's default bridge by omission: the host's services answer on docker0.
  if (spec.network === "bridge" && !ctx.egressNetwork) throw new Error("container-options: network egress without the egress network");
  const network = spec.network === "bridge" ? ctx.egressNetwork! : spec.network === "gateway" && ctx.gateway ? ctx.gateway.network : "none";
  const stdin = spec.stdin !== undefined;
  return {
    Image: spec.image,
    Cmd: ctx.gateway?.argv ?? spec.argv,
    User: ctx.user,
    WorkingDir: spec.workdir,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      ...spec.labels,
      "gitcrew.run": ctx.runId,
      "gitcrew.owner": ctx.owner.id,
      "gitcrew.owner-pid": String(ctx.owner.pid),
      "gitcrew.host": ctx.owner.host,
      "gitcrew.pidns": ctx.owner.pidns ?? "",
      "gitcrew.workspace": ctx.workspaceDir,
      "gitcrew.repo-dir": ctx.repoDir,
    },
    AttachStdin: stdin,
    OpenStdin: stdin,
    StdinOnce: stdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    NetworkDisabled: network === "none",
    HostConfig: {
      Binds: binds,
      // The hardening floor holds whatever the spec says.
      ReadonlyRootfs: true,
      Tmpfs: tmpfs,
      CapDrop: [...new Set(["ALL", ...spec.capDrop])],
      SecurityOpt: [...new Set(["no-new-privileges", ...spec.securityOpt])],
      Memory: spec.memoryBytes,
      MemorySwap: spec.memoryBytes,
      NanoCpus: spec.nanoCpus,
      PidsLimit: spec.pidsLimit,
      // No file the agent writes grows past its disk limit (disk-guard.ts bounds the sum).
      Ulimits: [{ Name: "fsize", Soft: diskLimit(spec.diskBytes), Hard: diskLimit(spec.diskBytes) }],
      // The engine's copy of the output is on the host's disk too: bounded (gitcrew keeps its own log).
      LogConfig: { Type: "json-file", Config: { "max-size": CONTAINER_LOG_MAX, "max-file": "1" } },
      NetworkMode: network,
      Privileged: false,
      AutoRemove: false,
    },
  };
}
