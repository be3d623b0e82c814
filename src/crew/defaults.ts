/** Built-in defaults, then crew.cue defaults, then the agent's own values. */
import type { Permission } from "../events/trigger.js";
import type { Agent, Budget, CrewConfig, HostSecretRef, Limits, NetworkMode, PriceOverride, RuntimeName } from "./types.js";

export const DEFAULT_LIMITS: Limits = { timeout: 30 * 60, memory: 4 * 1024 ** 3, disk: 10 * 1024 ** 3, cpus: 2, pids: 512, network: { allow: [] } };
/** The network ceiling `{ allow: [] }` lets agents list any hosts but not take unrestricted egress. */
export const DEFAULT_CEILINGS: Limits = { timeout: 6 * 3600, memory: 16 * 1024 ** 3, disk: 50 * 1024 ** 3, cpus: 8, pids: 4096, network: { allow: [] } };
/** The smallest `limits.disk`: a filesystem below it holds hardly a checkout. */
export const MIN_DISK = 32 * 1024 ** 2;
export const DEFAULT_PERMISSIONS: Agent["permissions"] = { contents: "write", issues: "write", pull_requests: "write" };

/** "30m" → 1800 */
// Hand-written: exactly the CUE schema's forms (whole number + s|m|h, k|m|g binary); `ms`/`bytes` also take decimals, spaces and words the schema refuses.
export function parseDuration(text: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m) throw new Error(`bad duration "${text}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as "s" | "m" | "h"];
}

/** "4g" → bytes */
export function parseMemory(text: string): number {
  const m = /^(\d+)([kmg])$/i.exec(text);
  if (!m) throw new Error(`bad memory size "${text}"`);
  return Number(m[1]) * 1024 ** { k: 1, m: 2, g: 3 }[(m[2] ?? "g").toLowerCase() as "k" | "m" | "g"];
}

export interface RawLimits {
  timeout?: string;
  memory?: string;
  disk?: string;
  cpus?: number;
  pids?: number;
  network?: NetworkMode;
  budget?: Budget;
}

export function mergeLimits(base: Limits, raw: RawLimits | undefined): Limits {
  if (!raw) return { ...base };
  return {
    timeout: raw.timeout ? parseDuration(raw.timeout) : base.timeout,
    memory: raw.memory ? parseMemory(raw.memory) : base.memory,
    ...(raw.disk || base.disk !== undefined ? { disk: raw.disk ? parseMemory(raw.disk) : base.disk } : {}),
    cpus: raw.cpus ?? base.cpus,
    pids: raw.pids ?? base.pids,
    network: raw.network ?? base.network,
    ...(raw.budget ?? base.budget ? { budget: raw.budget ?? base.budget } : {}),
  };
}

/** The validated shapes (see schema/gitcrew.cue). */
export interface RawAllow {
  permission?: Permission;
  users?: string[];
  teams?: string[];
}
export interface RawAgent {
  runtime: RuntimeName;
  description?: string;
  model?: string;
  image?: string;
  command?: string[];
  triggers?: Partial<Agent["triggers"]>;
  allow?: RawAllow;
  skills?: string[];
  secrets?: (string | RawHostSecret)[];
  permissions?: Agent["permissions"];
  limits?: RawLimits;
  git?: Partial<Agent["git"]>;
  concurrency?: number;
  role?: Agent["role"];
  runs_on?: string[];
  gated?: string[];
}
export interface RawHostSecret {
  name: string;
  host: string;
  header?: string;
  format?: string;
}
export interface RawCrew {
  defaults?: {
    model?: string;
    allow?: RawAllow;
    limits?: RawLimits;
    git?: Partial<Agent["git"]>;
    permissions?: Agent["permissions"];
    concurrency?: number;
    runs_on?: string[];
    secrets?: string[];
  };
  approvers?: Partial<CrewConfig["approvers"]>;
  trusted_bots?: string[];
  loop_guard?: { max_depth?: number };
  ceilings?: RawLimits;
  gated_actions?: string[];
  branch_prefix?: string;
  budgets?: { agent_day?: Budget; thread?: Budget; agents?: Record<string, { agent_day?: Budget }> };
  prices?: Record<string, RawPrice>;
  presets?: Record<string, string[]>;
}
export interface RawPrice {
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok?: number;
  cache_write_per_mtok?: number;
}

function priceOf(p: RawPrice): PriceOverride {
  return {
    inputMtok: p.input_per_mtok,
    outputMtok: p.output_per_mtok,
    ...(p.cache_read_per_mtok !== undefined ? { cacheReadMtok: p.cache_read_per_mtok } : {}),
    ...(p.cache_write_per_mtok !== undefined ? { cacheWriteMtok: p.cache_write_per_mtok } : {}),
  };
}

export function resolveConfig(raw: RawCrew): CrewConfig {
  return {
    approvers: { users: raw.approvers?.users ?? [], teams: raw.approvers?.teams ?? [], codeowners: raw.approvers?.codeowners ?? false },
    trusted_bots: raw.trusted_bots ?? [],
    loop_guard: { max_depth: raw.loop_guard?.max_depth ?? 3 },
    ceilings: mergeLimits(DEFAULT_CEILINGS, raw.ceilings),
    gated_actions: raw.gated_actions ?? [],
    branch_prefix: raw.branch_prefix ?? "gitcrew",
    budgets: {
      ...(raw.budgets?.agent_day ? { agent_day: raw.budgets.agent_day } : {}),
      ...(raw.budgets?.thread ? { thread: raw.budgets.thread } : {}),
      agents: raw.budgets?.agents ?? {},
    },
    prices: Object.fromEntries(Object.entries(raw.prices ?? {}).map(([model, p]) => [model, priceOf(p)])),
    presets: raw.presets ?? {},
  };
}

export function resolveAgent(
  base: { name: string; file: string; dir: string; instructions: string },
  raw: RawAgent,
  crew: RawCrew,
  defaultImage: string,
): Agent {
  const d = crew.defaults ?? {};
  // A model runtime reaches its model (through the gateway) and nothing else; a command nothing at all.
  const baseLimits = mergeLimits({ ...DEFAULT_LIMITS, network: raw.runtime === "command" ? "none" : { allow: [] } }, d.limits);
  const t = raw.triggers ?? {};
  return {
    ...base,
    runtime: raw.runtime,
    model: raw.model ?? (raw.runtime === "command" ? undefined : d.model),
    image: raw.image ?? defaultImage,
    command: raw.command,
    description: raw.description,
    triggers: {
      mention: t.mention ?? true,
      labels: t.labels ?? [],
      assigned: t.assigned ?? false,
      commands: t.commands ?? [],
      events: t.events ?? [],
      schedule: t.schedule ?? [],
      paths: t.paths ?? [],
      edits: t.edits ?? false,
    },
    allow: {
      permission: raw.allow?.permission ?? d.allow?.permission ?? "write",
      users: raw.allow?.users ?? d.allow?.users ?? [],
      teams: raw.allow?.teams ?? d.allow?.teams ?? [],
    },
    skills: raw.skills ?? [],
    secrets: [...new Set([...(d.secrets ?? []), ...(raw.secrets ?? []).filter((s): s is string => typeof s === "string")])],
    hostSecrets: (raw.secrets ?? []).filter((s): s is RawHostSecret => typeof s !== "string").map(hostSecretOf),
    permissions: raw.permissions ?? d.permissions ?? DEFAULT_PERMISSIONS,
    limits: mergeLimits(baseLimits, raw.limits),
    git: {
      name: raw.git?.name ?? d.git?.name ?? `${base.name} (gitcrew)`,
      email: raw.git?.email ?? d.git?.email ?? `${base.name}@agents.gitcrew.invalid`,
    },
    concurrency: raw.concurrency ?? d.concurrency ?? 1,
    role: raw.role ?? "member",
    runs_on: raw.runs_on ?? d.runs_on ?? ["self-hosted"],
    gated: raw.gated ?? [],
  };
}

function hostSecretOf(s: RawHostSecret): HostSecretRef {
  return { name: s.name, host: s.host.toLowerCase(), header: (s.header ?? "authorization").toLowerCase(), format: s.format ?? "Bearer {}" };
}
