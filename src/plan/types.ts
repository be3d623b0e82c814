/** What one trigger causes: runs to start, agents skipped, commands to apply. */
import type { Budget, HostSecretRef, PriceOverride, SharedBudgets } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";

export interface Mount {
  /** Host path, or a path relative to the repo (`.gitcrew/skills/<name>`). */
  source: string;
  target: string;
  readOnly: boolean;
  /**
   * The tree id of `.gitcrew/` of the crew (the default branch): the folder is
   * copied from it, not taken from the checkout (a pull request could change it).
   */
  crewTree?: string;
}

/** Everything needed to start the container; values of secrets are never here. */
export interface ContainerSpec {
  image: string;
  /** uid:gid inside the container; never root. */
  user: string;
  argv: string[];
  workdir: string;
  /** Non-secret environment. */
  env: Record<string, string>;
  /**
   * The run's own variables, for a runtime that starts ahead (RuntimeAdapter.startsAhead):
   * written to RUN_ENV_FILE, which the CLI sources before each command, instead of `env`.
   */
  runEnv?: Record<string, string>;
  /** Names of secrets to inject from the runner's environment. */
  secrets: string[];
  /** Files written into the workspace before the run and removed before commit. */
  injectedFiles: Record<string, string>;
  /** Extra read-only mounts (skills) relative to the repo checkout. */
  mounts: Mount[];
  readOnlyRootfs: boolean;
  tmpfs: Record<string, string>;
  capDrop: string[];
  securityOpt: string[];
  memoryBytes: number;
  /** What the run may write on the runner's disk (limits.disk); absent: the runner's default (DEFAULT_LIMITS). */
  diskBytes?: number;
  nanoCpus: number;
  pidsLimit: number;
  /** `gateway`: an internal network whose only reachable address is the run gateway. */
  network: "none" | "bridge" | "gateway";
  /** Host patterns the gateway's proxy passes (network `gateway`); the model route needs none. */
  allow?: string[];
  /** Runner variables whose value is the model key the gateway holds for the run (never in the container). */
  modelKeys?: string[];
  /** Secrets for hosts (names only), added by the gateway. */
  hostSecrets?: HostSecretRef[];
  /** The run's cap (limits.budget). */
  budget?: Budget;
  /** The crew's shared caps (crew.cue `budgets`: per agent per day, per thread). */
  sharedBudgets?: SharedBudgets;
  /** crew.cue `prices` (USD per million tokens by model id), over the gateway's price database. */
  prices?: Record<string, PriceOverride>;
  timeoutSeconds: number;
  labels: Record<string, string>;
  /** Text on stdin (command runtime). */
  stdin?: string;
  /** Container path kept per thread between runs (session transcripts for resume). */
  stateDir?: string;
  /** Non-secret variables passed through from the runner's environment when set. */
  optionalEnv?: string[];
}

export interface PlannedRun {
  agent: string;
  reason: string;
  prompt: string;
  /** Conversation key: `owner/repo#12`, or `owner/repo@schedule:agent`. */
  threadKey: string;
  /** Branch the agent's commit lands on. */
  branch: string;
  /** Ref the workspace is checked out at. */
  ref: string;
  container: ContainerSpec;
  /** Why this run may not get secrets (fork PR, …); empty when trusted. */
  untrusted: string[];
  /**
   * A fork PR head an approver approved: `ref` is this sha, fetched from
   * `refs/pull/<pull>/head` before the run, which must still point at it.
   */
  pinnedHead?: { pull: number; sha: string };
}

export interface Skipped {
  agent: string;
  reason: string;
  /** `unauthorized`, `bot`, `loop`, `untrusted`, `not-addressed`, `filtered` */
  code: string;
  /** Whose request the refusal stands for, when not the actor's: the author of a comment someone else edited. */
  requester?: string;
}

/** Thread commands that steer runs rather than start them. */
export interface ControlCommand {
  name: "cancel" | "retry" | "approve";
  args: string;
  /** Whether the actor may use it. */
  allowed: boolean;
  reason: string;
}

export interface Plan {
  trigger: Trigger;
  runs: PlannedRun[];
  skipped: Skipped[];
  commands: ControlCommand[];
  /** Set when the event needs no work at all. */
  ignored?: string;
}
