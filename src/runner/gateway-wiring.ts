/**
 * One run on the gateway: what it registers (allowlist, real keys, host
 * secrets, caps) and what its container gets instead (the run token, the
 * gateway's routes and proxy), and how the gateway's report ends the run.
 */
import { sharedCaps } from "../crew/budgets.js";
import { isReservedSecretName } from "../crew/secret-names.js";
import type { CrewConfig, SharedBudgets } from "../crew/types.js";
import type { BudgetCap, BudgetExceeded, HostSecret, RunGitHub, RunHandle, RunRegistration } from "../gateway/index.js";
import type { ContainerSpec } from "../plan/types.js";
import type { GatewayWiring } from "../runtimes/types.js";

export interface GatewayRunInput {
  runId: string;
  spec: ContainerSpec;
  agent: string;
  threadKey: string;
  /** The crew's shared caps (crew.cue `budgets`). */
  budgets?: SharedBudgets;
  env: NodeJS.ProcessEnv;
  wiring?: GatewayWiring;
  /** Day for the per-agent-per-day cap (UTC). */
  now?: Date;
  /** The run's GitHub token (narrowed to `permissions`) and where GitHub is; held by the gateway only. */
  github?: RunGitHub;
  /** The agent's `permissions`: all `none` (or none at all) and the run gets no GitHub, whatever token is given. */
  permissions?: Record<string, string>;
}

/** Whether an agent's `permissions` grant anything (an installation token minted with none would get the App's all). */
export function grantsGitHub(permissions: Record<string, string> | undefined): boolean {
  return Object.values(permissions ?? {}).some((v) => v === "read" || v === "write");
}

/** The registration, plus every secret value it carries (for masking). */
export function registration(r: GatewayRunInput): { reg: RunRegistration; values: string[] } {
  const values: string[] = [];
  const modelKeys: RunRegistration["modelKeys"] = {};
  if (r.wiring) {
    const key = (r.spec.modelKeys ?? r.wiring.keyEnv).map((n) => r.env[n]).find((v) => v);
    if (key) {
      modelKeys[r.wiring.provider] = key;
      values.push(key);
    }
  }
  const secrets: HostSecret[] = [];
  for (const s of r.spec.hostSecrets ?? []) {
    // validate refuses these; a plan made some other way still never sends the runner's own credentials.
    if (isReservedSecretName(s.name)) continue;
    const value = r.env[s.name];
    if (value === undefined || value === "") continue;
    values.push(value);
    secrets.push({ host: s.host, header: s.header, value: s.format.replace("{}", value) });
  }
  const github = r.github && grantsGitHub(r.permissions) ? r.github : undefined;
  if (github && typeof github.token === "string") values.push(github.token);
  return {
    reg: { runId: r.runId, allow: r.spec.allow ?? [], modelKeys, secrets, ...(github ? { github } : {}), budget: caps(r), ...(r.spec.prices ? { prices: r.spec.prices } : {}) },
    values,
  };
}

function caps(r: GatewayRunInput): BudgetCap[] {
  const out: BudgetCap[] = [];
  if (r.spec.budget) out.push({ scope: "run", ...r.spec.budget });
  if (!r.budgets) return out;
  // A thread is `owner/repo#12`; a schedule's or a local run's key has no thread cap.
  const m = /^(.+)#(\d+)$/.exec(r.threadKey);
  const thread = m?.[1] && m[2] ? { repo: m[1], number: Number(m[2]) } : undefined;
  return [...out, ...sharedCaps({ budgets: r.budgets } as CrewConfig, r.agent, thread, r.now ?? new Date())];
}

/**
 * The container's side: the proxy for every tool (curl, npm, git, pip read
 * these), the gateway itself not proxied, the runtime's base URL and key
 * variable set to the gateway's route and the run token, and for a run with
 * GitHub access GITHUB_API_URL and a system gitconfig pointing at the
 * gateway's GitHub route.
 */
export function containerWiring(
  handle: RunHandle,
  host: string,
  spec: ContainerSpec,
  wiring?: GatewayWiring,
  github?: RunGitHub,
): { env: Record<string, string>; argv?: string[]; files?: Record<string, string> } {
  const out = runtimeWiring(handle, host, spec, wiring);
  if (!github) return out;
  const route = handle.githubUrl(host);
  out.env.GITHUB_API_URL = `${route}/api`;
  out.files = { ...out.files, [SYSTEM_GITCONFIG]: gitconfig(route, github.gitUrl, handle.token) };
  return out;
}

/** Debian's git reads it for every user; mounted read-only, so the agent cannot change where it points. */
export const SYSTEM_GITCONFIG = "/etc/gitconfig";

/**
 * git fetches the GitHub host's repositories from the gateway's route, with
 * the run token as a header (never in a URL git could print or store).
 * A clone's `origin` is the route's URL (git stores the rewritten one): no
 * credential is in it, and fetches from it get the header too.
 */
export function gitconfig(route: string, gitUrl: string, token: string): string {
  const web = new URL(gitUrl);
  const prefix = `${web.origin}${web.pathname.replace(/\/+$/, "")}/`;
  const lines = [`[url "${route}/git/"]`, `\tinsteadOf = ${prefix}`];
  // The SSH spellings of the same host (git@host:owner/repo) come the same way; there is no SSH way out.
  if (!web.pathname.replace(/\/+$/, "")) lines.push(`\tinsteadOf = git@${web.hostname}:`, `\tinsteadOf = ssh://git@${web.hostname}/`);
  lines.push(`[http "${route}/"]`, `\textraHeader = Authorization: Bearer ${token}`);
  return `${lines.join("\n")}\n`;
}

function runtimeWiring(handle: RunHandle, host: string, spec: ContainerSpec, wiring?: GatewayWiring): { env: Record<string, string>; argv?: string[]; files?: Record<string, string> } {
  const proxy = handle.proxyUrl(host);
  const env: Record<string, string> = {
    HTTPS_PROXY: proxy,
    HTTP_PROXY: proxy,
    https_proxy: proxy,
    http_proxy: proxy,
    NO_PROXY: host,
    no_proxy: host,
    GITCREW_RUN_TOKEN: handle.token,
  };
  if (!wiring) return { env };
  const base = handle.baseUrl(wiring.provider, host);
  Object.assign(env, wiring.env(base, handle.token));
  const extra = wiring.args?.(base);
  const argv = extra ? [...spec.argv.slice(0, extra.at), ...extra.args, ...spec.argv.slice(extra.at)] : undefined;
  return { env, argv, files: wiring.files };
}

/** Why a run stopped at a cap, for the thread: which cap, what was spent, how to raise it. */
export function budgetReason(b: BudgetExceeded): string {
  const caps: string[] = [];
  if (b.limit.tokens !== undefined) caps.push(`${b.limit.tokens} tokens`);
  if (b.limit.usd !== undefined) caps.push(`$${b.limit.usd}`);
  const spent = `spent ${b.spent.tokens} tokens, $${b.spent.usd.toFixed(4)}`;
  const where =
    b.scope === "run"
      ? "raise limits.budget in the agent's agent.cue"
      : b.scope === "agent_day"
        ? "raise budgets.agent_day (or budgets.agents.<agent>.agent_day) in crew.cue, or wait for the next UTC day"
        : "raise budgets.thread in crew.cue, or continue in a new thread";
  const name = b.scope === "run" ? "its run budget" : b.scope === "agent_day" ? "the agent's daily budget" : "the thread's budget";
  return `stopped by ${name} of ${caps.join(" / ")} (${spent}); ${where}`;
}
