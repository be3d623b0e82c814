import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  adapterFor
} from "./chunk-EYNVMV6C.js";

// src/plan/container.ts
var AGENT_UID = 1e3;
var AGENT_HOME = "/home/agent";
var WORKSPACE = "/workspace";
var RUN_ENV_DIR = "/gitcrew-run";
var RUN_ENV_FILE = `${RUN_ENV_DIR}/env`;
function containerSpec(c) {
  const adapter = adapterFor(c.agent.runtime);
  const prepared = adapter.prepare({ agent: c.agent, prompt: c.prompt, resumeSession: c.resumeSession });
  const { limits } = c.agent;
  const gateway = typeof limits.network === "object";
  const modelKeys = gateway ? adapter.gateway?.keyEnv ?? [] : [];
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
      ...envFileVar ? { [envFileVar]: RUN_ENV_FILE } : perRun
    },
    ...envFileVar ? { runEnv: perRun } : {},
    secrets: [.../* @__PURE__ */ new Set([...adapter.requiredSecrets, ...c.agent.secrets])].filter((name) => !modelKeys.includes(name)),
    injectedFiles: prepared.injectedFiles,
    mounts: c.agent.skills.map((s) => ({
      source: `.gitcrew/skills/${s}`,
      target: `${WORKSPACE}/${prepared.skillsDir}/${s}`,
      readOnly: true,
      ...c.crewTree ? { crewTree: c.crewTree } : {}
    })),
    readOnlyRootfs: true,
    tmpfs: {
      "/tmp": "rw,nosuid,nodev,size=1g",
      [AGENT_HOME]: `rw,nosuid,nodev,size=1g,uid=${AGENT_UID},gid=${AGENT_UID},mode=700`
    },
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges"],
    memoryBytes: limits.memory,
    ...limits.disk !== void 0 ? { diskBytes: limits.disk } : {},
    nanoCpus: Math.round(limits.cpus * 1e9),
    pidsLimit: limits.pids,
    network: limits.network === "egress" ? "bridge" : gateway ? "gateway" : "none",
    ...typeof limits.network === "object" ? { allow: [.../* @__PURE__ */ new Set([...limits.network.allow, ...crewPresetHosts(limits.network.allow, c.presets), ...hostSecrets.map((h) => h.host)])], modelKeys, hostSecrets } : {},
    ...limits.budget ? { budget: limits.budget } : {},
    ...gateway && c.budgets && (c.budgets.agent_day || c.budgets.thread || c.budgets.agents[c.agent.name]) ? { sharedBudgets: c.budgets } : {},
    ...gateway && c.prices && Object.keys(c.prices).length > 0 ? { prices: c.prices } : {},
    timeoutSeconds: limits.timeout,
    labels: { "gitcrew.agent": c.agent.name, "gitcrew.repo": c.repo, "gitcrew.thread": c.threadKey },
    stdin: prepared.stdin,
    stateDir: prepared.stateDir,
    optionalEnv: adapter.optionalEnv ?? []
  };
}
function crewPresetHosts(allow, presets) {
  if (!presets) return [];
  return allow.flatMap((a) => a.startsWith("preset:") ? presets[a.slice("preset:".length)] ?? [] : []);
}

export {
  RUN_ENV_DIR,
  containerSpec
};
