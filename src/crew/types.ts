/** The crew as loaded from `.gitcrew/` and resolved with defaults. Pure data. */
import type { Permission } from "../events/trigger.js";

export type RuntimeName = "claude" | "codex" | "gemini" | "command";
export const RUNTIMES: readonly RuntimeName[] = ["claude", "codex", "gemini", "command"];

/**
 * `none`: no network. `{ allow }`: only the run gateway: the runtime's model
 * route, and these host patterns through its proxy. `egress`: unrestricted
 * (the Docker bridge), only where crew.cue's ceilings say "egress".
 */
export type NetworkMode = "none" | "egress" | { allow: string[] };

/** A run's spending cap (tokens: input + output + cache; usd: priced models). */
export interface Budget {
  tokens?: number;
  usd?: number;
}

/** A secret the gateway adds to one host's requests; its value never enters the container. */
export interface HostSecretRef {
  /** Variable in the runner's environment holding the value. */
  name: string;
  host: string;
  /** Header, `authorization` by default. */
  header: string;
  /** Header value with `{}` for the secret, `Bearer {}` by default. */
  format: string;
}

export interface Limits {
  /** Hard timeout in seconds. */
  timeout: number;
  /** Memory in bytes. */
  memory: number;
  /**
   * Bytes the run may write on the runner's disk (its worktree, git folder,
   * channel, and the thread's session state). Absent in hand-made agents: the default.
   */
  disk?: number;
  cpus: number;
  pids: number;
  network: NetworkMode;
  budget?: Budget;
}

export interface Triggers {
  /** React to `@name` mentions. */
  mention: boolean;
  /** Run when one of these labels is added. */
  labels: string[];
  /** Run when the issue or PR is assigned to `name` (the agent's login alias). */
  assigned: boolean;
  /** Agent-defined slash commands (without the slash). */
  commands: string[];
  /** Raw event kinds such as `pull_request.opened` or `issues.opened`. */
  events: string[];
  /** Cron expressions (5 fields, UTC). */
  schedule: string[];
  /** Glob filters on changed paths for pull_request / push events. */
  paths: string[];
  /** Also react to edited comments (off by default: an edit is not trusted). */
  edits: boolean;
}

export interface Allow {
  /** Minimum repository permission of the actor. */
  permission: Permission;
  /** Logins allowed whatever their permission. */
  users: string[];
  /** `org/team` slugs allowed whatever their permission. */
  teams: string[];
}

export interface GitIdentity {
  name: string;
  email: string;
}

export interface Agent {
  name: string;
  /** Repo-relative path of agent.cue / agent.yaml. */
  file: string;
  /** Repo-relative path of the agent folder. */
  dir: string;
  runtime: RuntimeName;
  model?: string;
  image: string;
  /** argv for the `command` runtime. */
  command?: string[];
  instructions: string;
  description?: string;
  triggers: Triggers;
  allow: Allow;
  skills: string[];
  /** Names of environment variables; values come from the runner. */
  secrets: string[];
  /** Secrets for hosts, added by the run gateway; never in the container. */
  hostSecrets: HostSecretRef[];
  /** GitHub token permissions for the run, e.g. { contents: "write" }. */
  permissions: Record<string, "read" | "write" | "none">;
  limits: Limits;
  git: GitIdentity;
  concurrency: number;
  role: "member" | "leader";
  runs_on: string[];
  /** Steps the agent may only take after an approving review / approval. */
  gated: string[];
}

export interface Skill {
  name: string;
  /** Repo-relative folder, e.g. `.gitcrew/skills/testing`. */
  dir: string;
  description: string;
}

export interface Approvers {
  users: string[];
  teams: string[];
  /** Owners of the touched paths in CODEOWNERS also approve. */
  codeowners: boolean;
}

export interface CrewConfig {
  approvers: Approvers;
  /** Bot logins (e.g. `dependabot[bot]`) whose events may start runs. */
  trusted_bots: string[];
  /** Maximum agent→agent chain depth. */
  loop_guard: { max_depth: number };
  /** Upper bounds an agent may not exceed. */
  ceilings: Limits;
  /** Actions that always need approval (e.g. `deploy`). */
  gated_actions: string[];
  /** Prefix of agent branches. */
  branch_prefix: string;
  /** Caps shared by runs (crew.cue `budgets`), kept by the budget ledger. */
  budgets: SharedBudgets;
  /** Price overrides by model id (crew.cue `prices`). */
  prices: Record<string, PriceOverride>;
  /** Hosts crew.cue adds to a preset (`presets: packages: [...]`), for every agent allowing `preset:NAME`. */
  presets?: Record<string, string[]>;
}

export interface SharedBudgets {
  /** Per agent per UTC day, for every agent without its own. */
  agent_day?: Budget;
  /** Per thread (issue or PR), all agents' runs together. */
  thread?: Budget;
  /** Per-agent day caps, by agent name, over `agent_day`. */
  agents: Record<string, { agent_day?: Budget }>;
}

/** USD per million tokens (the gateway's ModelPrice); cache prices default to the input price. */
export interface PriceOverride {
  inputMtok: number;
  outputMtok: number;
  cacheReadMtok?: number;
  cacheWriteMtok?: number;
}

export interface Crew {
  /** Git tree or content hash the crew was loaded from (cache key). */
  version: string;
  /** The tree id of `.gitcrew/` when the crew was read from git (a branch, not a working tree). */
  gitTree?: string;
  config: CrewConfig;
  agents: Agent[];
  skills: Skill[];
}

export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
}
