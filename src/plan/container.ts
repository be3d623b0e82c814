/**
 * The hardened container for one run, from the agent's limits and its
 * runtime adapter. Secret values are never here, only their names.
 */
import type { Agent, PriceOverride, SharedBudgets } from "../crew/types.js";
import { adapterFor } from "../runtimes/index.js";
import type { ContainerSpec } from "./types.js";

export const AGENT_UID = 1000;
export const AGENT_HOME = "/home/agent";
export const WORKSPACE = "/workspace";
/** Folder (read-only) and file of a run's own variables, for runtimes that start ahead. */
export const RUN_ENV_DIR = "/gitcrew-run";
export const RUN_ENV_FILE = `${RUN_ENV_DIR}/env`;

export interface ContainerInput {
  agent: Agent;
  prompt: string;
  repo: string;
  threadKey: string;
  branch: string;
  resumeSession?: string;
  /** The crew's `.gitcrew/` tree (crew.gitTree): skills are mounted from it. */
  crewTree?: string;
  /** crew.cue `budgets`, enforced by the run gateway. */
  budgets?: SharedBudgets;
  /** crew.cue `prices`, the gateway's price overrides for this run. */
  prices?: Record<string, PriceOverride>;
  /** crew.cue `presets`: hosts added to each `preset:NAME` the agent allows. */
  presets?: Record<string, string[]>;
}

export function containerSpec(c: ContainerInput): ContainerSpec {
  const adapter = adapterFor(c.agent.runtime);
  const prepared = adapter.prepare({ agent: c.agent, prompt: c.prompt, resumeSession: c.resumeSession });
  const { limits } = c.agent;
  const gateway = typeof limits.network === "object";
  const modelKeys = gateway ? (adapter.gateway?.keyEnv ?? []) : [];
  const perRun = { GITCREW_THREAD: c.threadKey, GITCREW_BRANCH: c.branch };
  const envFileVar = adapter.startsAhead?.envFileVar;
  const hostSecrets = gateway ? c.agent.hostSecrets : [];
  return {
    image: c.agent.image,
    user: `${AGENT_UID}:${AGENT_UID}`,
    argv: prepared.argv,
    workdir: WORKSPACE,
    env: {
      ...prepared.env,
      HOME: AGENT_HOME,
      GITCREW_AGENT: c.agent.name,
      GITCREW_REPO: c.repo,
      ...(envFileVar ? { [envFileVar]: RUN_ENV_FILE } : perRun),
    },
    ...(envFileVar ? { runEnv: perRun } : {}),
    secrets: [...new Set([...adapter.requiredSecrets, ...c.agent.secrets])].filter((name) => !modelKeys.includes(name)),
    injectedFiles: prepared.injectedFiles,
    mounts: c.agent.skills.map((s) => ({
      source: `.gitcrew/skills/${s}`,
      target: `${WORKSPACE}/${prepared.skillsDir}/${s}`,
      readOnly: true,
      ...(c.crewTree ? { crewTree: c.crewTree } : {}),
    })),
    readOnlyRootfs: true,
    tmpfs: {
      "/tmp": "rw,nosuid,nodev,size=1g",
      [AGENT_HOME]: `rw,nosuid,nodev,size=1g,uid=${AGENT_UID},gid=${AGENT_UID},mode=700`,
    },
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges"],
    memoryBytes: limits.memory,
    ...(limits.disk !== undefined ? { diskBytes: limits.disk } : {}),
    nanoCpus: Math.round(limits.cpus * 1e9),
    pidsLimit: limits.pids,
    network: limits.network === "egress" ? "bridge" : gateway ? "gateway" : "none",
    ...(typeof limits.network === "object"
      ? { allow: [...new Set([...limits.network.allow, ...crewPresetHosts(limits.network.allow, c.presets), ...hostSecrets.map((h) => h.host)])], modelKeys, hostSecrets }
      : {}),
    ...(limits.budget ? { budget: limits.budget } : {}),
    ...(gateway && c.budgets && (c.budgets.agent_day || c.budgets.thread || c.budgets.agents[c.agent.name]) ? { sharedBudgets: c.budgets } : {}),
    ...(gateway && c.prices && Object.keys(c.prices).length > 0 ? { prices: c.prices } : {}),
    timeoutSeconds: limits.timeout,
    labels: { "gitcrew.agent": c.agent.name, "gitcrew.repo": c.repo, "gitcrew.thread": c.threadKey },
    stdin: prepared.stdin,
    stateDir: prepared.stateDir,
    optionalEnv: adapter.optionalEnv ?? [],
  };
}

/** The hosts crew.cue adds to the presets an agent allows (the preset itself stays, for the gateway to expand). */
function crewPresetHosts(allow: string[], presets: Record<string, string[]> | undefined): string[] {
  if (!presets) return [];
  return allow.flatMap((a) => (a.startsWith("preset:") ? (presets[a.slice("preset:".length)] ?? []) : []));
}
