/** `gitcrew serve` settings from flags, then environment variables, then defaults. One place reads them. */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { UsageError } from "../util/errors.js";
import { parseRepoList, type RepoFilter } from "./repo-filter.js";

export interface ServeSettings {
  /** `--repo`: one repository, OWNER/NAME or the path of a local clone. */
  repo?: string;
  /** `--repos`: the repositories served (globs); absent with `--repo`, or with an App serving all its installations. */
  repos?: RepoFilter;
  /** Runs of one repository at once on all instances together (`--repo-concurrency`); absent: only `concurrency` bounds them. */
  repoConcurrency?: number;
  /** Disk the managed checkouts may take before the least recently used are removed (bytes). */
  checkoutBudgetBytes: number;
  webhookSecret: string;
  /** SQLite file or postgres:// URL; undefined = the default file under GITCREW_HOME. */
  store?: string;
  host: string;
  port: number;
  /** Runs this instance runs at once. */
  concurrency: number;
  /** Token for the local API; random when not given. */
  apiToken: string;
  /** Seconds running runs get to finish on SIGTERM. */
  graceSeconds: number;
  leaseSeconds: number;
  /** This instance's name in leases. */
  instance: string;
  /** GitHub access for planning and runs: a token, or GitHub App credentials. */
  github: GitHubSettings;
  /** Seconds between fetches of the default branch (crew reload fallback, schedules). */
  crewRefreshSeconds: number;
  /** Days finished runs and deliveries are kept; 0 keeps everything. */
  retainDays: number;
  /** Largest webhook body accepted, in bytes. */
  maxBodyBytes: number;
  /** Dashboard sign-in with GitHub (`--oauth-client-id`, `--oauth-client-secret-file`); absent: only the API token works. */
  oauth?: { clientId: string; clientSecret: string };
  /** How browsers reach this server (`--public-url`): the OAuth callback's base, and `Secure` cookies when https. */
  publicUrl?: string;
  /** GitHub's web address for sign-in (`--github-web-url`; default https://github.com). */
  githubWebUrl: string;
  /** Said once at start: secrets given as flags (visible in `ps`), and the like. */
  warnings: string[];
}

export interface GitHubSettings {
  token?: string;
  appId?: string;
  /** PEM file of the GitHub App's private key. */
  privateKeyFile?: string;
  /** REST API base for GitHub Enterprise Server (`https://HOST/api/v3`); default api.github.com. */
  apiUrl?: string;
}

export type ServeFlags = Partial<
  Record<
    | "repo"
    | "repos"
    | "repo-concurrency"
    | "checkout-budget"
    | "webhook-secret"
    | "webhook-secret-file"
    | "store"
    | "host"
    | "port"
    | "concurrency"
    | "api-token"
    | "api-token-file"
    | "grace"
    | "lease"
    | "instance"
    | "github-token"
    | "github-token-file"
    | "app-id"
    | "private-key-file"
    | "github-api-url"
    | "crew-refresh"
    | "retain-days"
    | "max-body"
    | "oauth-client-id"
    | "oauth-client-secret"
    | "oauth-client-secret-file"
    | "public-url"
    | "github-web-url",
    string
  >
>;

/** flag → environment variable. */
export const ENV_NAMES: Record<keyof ServeFlags, string> = {
  repo: "GITCREW_REPO",
  repos: "GITCREW_REPOS",
  "repo-concurrency": "GITCREW_REPO_CONCURRENCY",
  "checkout-budget": "GITCREW_CHECKOUT_BUDGET",
  "webhook-secret": "GITCREW_WEBHOOK_SECRET",
  "webhook-secret-file": "GITCREW_WEBHOOK_SECRET_FILE",
  store: "GITCREW_STORE",
  host: "GITCREW_HOST",
  port: "GITCREW_PORT",
  concurrency: "GITCREW_CONCURRENCY",
  "api-token": "GITCREW_API_TOKEN",
  "api-token-file": "GITCREW_API_TOKEN_FILE",
  grace: "GITCREW_SHUTDOWN_GRACE",
  lease: "GITCREW_LEASE_SECONDS",
  instance: "GITCREW_INSTANCE",
  "github-token": "GITHUB_TOKEN",
  "github-token-file": "GITHUB_TOKEN_FILE",
  "app-id": "GITHUB_APP_ID",
  "private-key-file": "GITHUB_APP_PRIVATE_KEY_FILE",
  "github-api-url": "GITHUB_API_URL",
  "crew-refresh": "GITCREW_CREW_REFRESH",
  "retain-days": "GITCREW_RETAIN_DAYS",
  "max-body": "GITCREW_MAX_BODY",
  "oauth-client-id": "GITCREW_OAUTH_CLIENT_ID",
  "oauth-client-secret": "GITCREW_OAUTH_CLIENT_SECRET",
  "oauth-client-secret-file": "GITCREW_OAUTH_CLIENT_SECRET_FILE",
  "public-url": "GITCREW_PUBLIC_URL",
  "github-web-url": "GITCREW_GITHUB_WEB_URL",
};

/** Secrets that may come from a flag (seen by every local user in `ps`), an environment variable or a file. */
const SECRET_FLAGS = ["webhook-secret", "api-token", "github-token", "oauth-client-secret"] as const;
type SecretFlag = (typeof SECRET_FLAGS)[number];

/**
 * Default body limit. The events gitcrew routes are far smaller than
 * GitHub's 25 MB cap: the largest @octokit/webhooks-examples payload among
 * them is 27 KB (pull_request), and the worst case of the text-heavy ones is
 * two bodies of GitHub's 65,536-character maximum (a comment and its issue or
 * pull request) at 6 bytes each when every character is JSON-escaped, about
 * 800 KB. A push of many large commits can be larger: raise --max-body.
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * GitHub lets a delivery be redelivered for 3 days; a delivery id forgotten
 * sooner would run again.
 */
export const MIN_RETAIN_DAYS = 3;

/** Default disk budget of the checkouts: ten gibibytes. */
export const DEFAULT_CHECKOUT_BUDGET_BYTES = 10 * 1024 ** 3;

export function readSettings(flags: ServeFlags, env: NodeJS.ProcessEnv, usage: string): ServeSettings {
  const get = (flag: keyof ServeFlags): string | undefined => flags[flag] ?? (env[ENV_NAMES[flag]] || undefined);
  const int = (flag: keyof ServeFlags, fallback: number, min: number, max: number): number => {
    const raw = get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^[0-9]+$/.test(raw) || n < min || n > max) {
      throw new UsageError(`--${flag} (${ENV_NAMES[flag]}) expects a whole number from ${min} to ${max}, got "${raw}"`, usage);
    }
    return n;
  };
  const warnings: string[] = [];
  const secret = (flag: SecretFlag): string | undefined => {
    const fileFlag = `${flag}-file` as const;
    const file = get(fileFlag);
    const direct = get(flag);
    if (file !== undefined && direct !== undefined) {
      throw new UsageError(`give --${flag} (${ENV_NAMES[flag]}) or --${fileFlag} (${ENV_NAMES[fileFlag]}), not both`, usage);
    }
    if (flags[flag] !== undefined) {
      warnings.push(`--${flag} is visible to every local user in \`ps\` and in shell history: prefer ${ENV_NAMES[flag]} or --${fileFlag}`);
    }
    return file === undefined ? direct : readSecretFile(fileFlag, file, usage);
  };
  if (flags.store !== undefined && /^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(flags.store)) {
    warnings.push("--store holds a password, visible to every local user in `ps`: prefer GITCREW_STORE");
  }
  const webhookSecret = secret("webhook-secret");
  if (!webhookSecret) {
    throw new UsageError(`--webhook-secret-file (or GITCREW_WEBHOOK_SECRET_FILE, GITCREW_WEBHOOK_SECRET) is required: the secret configured on GitHub's webhook`, usage);
  }
  const apiToken = secret("api-token");
  const githubToken = secret("github-token");
  const github = readGitHub(get, githubToken, usage);
  const { repo, repos } = readRepos(get, Boolean(github.appId), usage);
  const concurrency = int("concurrency", 4, 1, 1000);
  const repoConcurrency = get("repo-concurrency") === undefined ? undefined : int("repo-concurrency", 1, 1, 1000);
  const signIn = readSignIn(get, secret("oauth-client-secret"), usage);
  return {
    ...(repo ? { repo } : {}),
    ...(repos ? { repos } : {}),
    ...(repoConcurrency ? { repoConcurrency } : {}),
    checkoutBudgetBytes: checkoutBudget(get("checkout-budget"), usage),
    webhookSecret,
    store: get("store"),
    host: get("host") ?? "127.0.0.1",
    port: int("port", 3000, 0, 65535),
    concurrency,
    apiToken: apiToken ?? randomBytes(24).toString("base64url"),
    graceSeconds: int("grace", 30, 0, 86_400),
    leaseSeconds: int("lease", 30, 1, 3600),
    instance: get("instance") ?? `${hostname()}:${process.pid}`,
    github,
    crewRefreshSeconds: int("crew-refresh", 60, 5, 86_400),
    retainDays: retainDays(int("retain-days", 30, 0, 36_500), usage),
    maxBodyBytes: byteSize("max-body", get("max-body"), DEFAULT_MAX_BODY_BYTES, usage),
    ...signIn,
    warnings,
  };
}

/** The dashboard's sign-in: a client id and its secret together, and the URLs browsers and GitHub use. */
function readSignIn(
  get: (flag: keyof ServeFlags) => string | undefined,
  clientSecret: string | undefined,
  usage: string,
): Pick<ServeSettings, "oauth" | "publicUrl" | "githubWebUrl"> {
  const clientId = get("oauth-client-id");
  if (clientId && !clientSecret) throw new UsageError("--oauth-client-id needs --oauth-client-secret-file (or GITCREW_OAUTH_CLIENT_SECRET_FILE, GITCREW_OAUTH_CLIENT_SECRET)", usage);
  if (clientSecret && !clientId) throw new UsageError("--oauth-client-secret-file needs --oauth-client-id (or GITCREW_OAUTH_CLIENT_ID)", usage);
  if (clientId !== undefined && !/^[A-Za-z0-9._-]{1,100}$/.test(clientId)) throw new UsageError(`--oauth-client-id must be the client id GitHub shows (letters, digits, . _ -), got "${clientId.slice(0, 100)}"`, usage);
  const publicUrl = get("public-url");
  const origin = (flag: "public-url" | "github-web-url", raw: string): string => {
    let u: URL | undefined;
    try {
      u = new URL(raw);
    } catch {
      u = undefined;
    }
    if (!u || !/^https?:$/.test(u.protocol) || u.username || u.password || u.search || u.hash || (u.pathname !== "/" && flag === "public-url")) {
      throw new UsageError(`--${flag} (${ENV_NAMES[flag]}) must be an http(s) URL${flag === "public-url" ? " without a path, such as https://crew.example.com" : ""}, got "${raw.slice(0, 200)}"`, usage);
    }
    return u.toString().replace(/\/+$/, "");
  };
  return {
    ...(clientId && clientSecret ? { oauth: { clientId, clientSecret } } : {}),
    ...(publicUrl !== undefined ? { publicUrl: origin("public-url", publicUrl) } : {}),
    githubWebUrl: origin("github-web-url", get("github-web-url") ?? "https://github.com"),
  };
}

/** A secret from a file: its content without the trailing newline editors add. */
function readSecretFile(flag: string, path: string, usage: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`--${flag} ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? "error"})`, usage);
  }
  const value = text.replace(/\r?\n$/, "");
  if (!value) throw new UsageError(`--${flag} ${path}: the file is empty`, usage);
  return value;
}

const UNITS: Record<string, number> = { "": 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/** `1m`, `512k`, `1048576`: binary units; at most GitHub's own 25 MB cap. */
// Hand-written: the same k/m/g binary units as crew limits (crew/defaults.ts parseMemory); `bytes` reads "kb" as 1024 but also decimals and "kB" variants we would have to refuse.
function byteSize(flag: keyof ServeFlags, raw: string | undefined, fallback: number, usage: string): number {
  if (raw === undefined) return fallback;
  const m = /^([0-9]+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = m ? UNITS[(m[2] ?? "").toLowerCase()] : undefined;
  const n = m && unit ? Number(m[1]) * unit : NaN;
  if (!(n >= 1024 && n <= 25 * 1024 ** 2)) {
    throw new UsageError(`--${flag} (${ENV_NAMES[flag]}) expects a size from 1k to 25m (GitHub's own cap), such as 1m or 512k, got "${raw}"`, usage);
  }
  return n;
}

function retainDays(days: number, usage: string): number {
  if (days > 0 && days < MIN_RETAIN_DAYS) {
    throw new UsageError(
      `--retain-days (GITCREW_RETAIN_DAYS) must be 0 (keep everything) or at least ${MIN_RETAIN_DAYS}, got ${days}: GitHub redelivers deliveries up to 3 days old, and a delivery forgotten sooner would run again`,
      usage,
    );
  }
  return days;
}

function readGitHub(get: (flag: keyof ServeFlags) => string | undefined, token: string | undefined, usage: string): GitHubSettings {
  const appId = get("app-id");
  const privateKeyFile = get("private-key-file");
  const apiUrl = get("github-api-url");
  if (appId && !privateKeyFile) throw new UsageError("--app-id needs --private-key-file (or GITHUB_APP_PRIVATE_KEY_FILE)", usage);
  if (privateKeyFile && !appId) throw new UsageError("--private-key-file needs --app-id (or GITHUB_APP_ID)", usage);
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) throw new UsageError(`--github-api-url must be an http(s) URL, got "${apiUrl}"`, usage);
  return { ...(token ? { token } : {}), ...(appId ? { appId, privateKeyFile } : {}), ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, "") } : {}) };
}

/** `--repo` (one repository) or `--repos` (globs); neither serves every repository of an App's installations. */
function readRepos(get: (flag: keyof ServeFlags) => string | undefined, app: boolean, usage: string): { repo?: string; repos?: RepoFilter } {
  const repo = get("repo");
  const raw = get("repos");
  if (repo && raw !== undefined) throw new UsageError("give --repo (GITCREW_REPO, one repository) or --repos (GITCREW_REPOS, patterns), not both", usage);
  if (repo) return { repo };
  if (raw === undefined) {
    if (app) return {};
    throw new UsageError("--repo OWNER/NAME|PATH or --repos PATTERNS is required (or GITCREW_REPO, GITCREW_REPOS); with --app-id and neither, every repository of the App's installations is served", usage);
  }
  try {
    return { repos: parseRepoList(raw) };
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (GITCREW_REPOS)`, usage);
  }
}

const BIG_UNITS: Record<string, number> = { ...UNITS, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };

/** `--checkout-budget`: `10g`, `500m`; at least 100m (one checkout must fit). */
function checkoutBudget(raw: string | undefined, usage: string): number {
  if (raw === undefined) return DEFAULT_CHECKOUT_BUDGET_BYTES;
  const m = /^([0-9]+)\s*([a-z]*)$/i.exec(raw.trim());
  const unit = m ? BIG_UNITS[(m[2] ?? "").toLowerCase()] : undefined;
  const n = m && unit ? Number(m[1]) * unit : NaN;
  if (!(n >= 100 * 1024 ** 2)) throw new UsageError(`--checkout-budget (GITCREW_CHECKOUT_BUDGET) expects a size of at least 100m, such as 10g or 500m, got "${raw}"`, usage);
  return n;
}
