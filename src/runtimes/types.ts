/**
 * A runtime adapter says how one agent CLI is driven: files to inject, argv,
 * environment, and how to read its answer. The pure half (`prepare`) is used
 * by the plan so that dry-run shows the exact container; `parseOutput` is
 * used by the runner after the container exits.
 */
import type { Agent, RuntimeName } from "../crew/types.js";

export interface PrepareInput {
  agent: Agent;
  prompt: string;
  /** Session id of the previous run in the same thread, to resume. */
  resumeSession?: string;
}

export interface Prepared {
  argv: string[];
  env: Record<string, string>;
  /** Workspace-relative path → content (instructions file). */
  injectedFiles: Record<string, string>;
  /** Where skills are mounted read-only, relative to the workspace. */
  skillsDir: string;
  /** Text fed on stdin, if any. */
  stdin?: string;
  /**
   * Absolute container path that must survive between runs of the same
   * thread (session transcripts for resume). The runner mounts a writable
   * per-thread folder here; without it the CLI still runs but cannot resume.
   */
  stateDir?: string;
}

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export interface ParsedOutput {
  answer: string;
  sessionId?: string;
  usage?: Usage;
  /** The CLI reported an error in its own output. */
  error?: string;
}

export interface RuntimeAdapter {
  name: RuntimeName;
  /** Image used when the agent names none. */
  defaultImage: string;
  /** Secrets this runtime needs in any case (e.g. ANTHROPIC_API_KEY). */
  requiredSecrets: string[];
  /**
   * Non-secret settings passed through from the runner's environment when
   * set there (e.g. ANTHROPIC_BASE_URL for a proxy or a test server).
   */
  optionalEnv?: string[];
  /**
   * How the CLI reaches its model through the run gateway: the provider
   * route, the runner variables holding the real key (given to the gateway,
   * never to the container), and what the container gets instead.
   */
  gateway?: GatewayWiring;
  /**
   * The CLI does nothing before its prompt arrives on stdin and reads the
   * workspace only after it, so `gitcrew serve` may start its container
   * ahead of the run (prepared-runs.ts). `envFileVar` names the variable of
   * a shell file the CLI sources before each command it runs: the run's own
   * variables (thread, branch, run id) go there, for every run of the agent,
   * so the container's environment is the same whether it started ahead or not.
   * `stdinLead`: what every run's stdin starts with, written when the container
   * starts (the CLI gives up on a stdin that stays silent for a while).
   */
  startsAhead?: { envFileVar: string; stdinLead: string };
  prepare(input: PrepareInput): Prepared;
  parseOutput(stdout: string, stderr: string): ParsedOutput;
}

export interface GatewayWiring {
  provider: "anthropic" | "openai" | "gemini";
  /** Runner variables with the real key, first one set wins. */
  keyEnv: string[];
  /** Container environment: `baseUrl` is the gateway's provider route, `token` the run token. */
  env(baseUrl: string, token: string): Record<string, string>;
  /** Files the CLI reads its settings from (absolute container path → content), mounted read-only and root-owned. */
  files?: Record<string, string>;
  /** Arguments placed after argv[0..argvAt) (CLIs that take their provider from flags). */
  args?(baseUrl: string): { at: number; args: string[] };
}
