/** `gitcrew serve` settings from flags, then environment variables, then defaults. One place reads them. */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { UsageError } from "../util/errors.js";

export interface ServeSettings {
  /** OWNER/NAME or the path of a local clone. */
  repo: string;
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
}

export interface GitHubSettings {
  token?: string;
  appId?: string;
  /** PEM file of the GitHub App's private key. */
  privateKeyFile?: string;
  /** REST API base for GitHub Enterprise Server (`https://HOST/api/v3`); default api.github.com. */
  apiUrl?: string;
}

export type ServeFlags = Partial<Record<"repo" | "webhook-secret" | "store" | "host" | "port" | "concurrency" | "api-token" | "grace" | "lease" | "instance" | "github-token" | "app-id" | "private-key-file" | "github-api-url" | "crew-refresh" | "retain-days", string>>;

/** flag → environment variable. */
export const ENV_NAMES: Record<keyof ServeFlags, string> = {
  repo: "GITCREW_REPO",
  "webhook-secret": "GITCREW_WEBHOOK_SECRET",
  store: "GITCREW_STORE",
  host: "GITCREW_HOST",
  port: "GITCREW_PORT",
  concurrency: "GITCREW_CONCURRENCY",
  "api-token": "GITCREW_API_TOKEN",
  grace: "GITCREW_SHUTDOWN_GRACE",
  lease: "GITCREW_LEASE_SECONDS",
  instance: "GITCREW_INSTANCE",
  "github-token": "GITHUB_TOKEN",
  "app-id": "GITHUB_APP_ID",
  "private-key-file": "GITHUB_APP_PRIVATE_KEY_FILE",
  "github-api-url": "GITHUB_API_URL",
  "crew-refresh": "GITCREW_CREW_REFRESH",
  "retain-days": "GITCREW_RETAIN_DAYS",
};

/**
 * GitHub lets a delivery be redelivered for 3 days; a delivery id forgotten
 * sooner would run again.
 */
export const MIN_RETAIN_DAYS = 3;

export function readSettings(flags: ServeFlags, env: NodeJS.ProcessEnv, usage: string): ServeSettings {
  const get = (flag: keyof ServeFlags): string | undefined => flags[flag] ?? (env[ENV_NAMES[flag]] || undefined);
  const required = (flag: keyof ServeFlags): string => {
    const value = get(flag);
    if (!value) throw new UsageError(`--${flag} is required (or set ${ENV_NAMES[flag]})`, usage);
    return value;
  };
  const int = (flag: keyof ServeFlags, fallback: number, min: number, max: number): number => {
    const raw = get(flag);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^[0-9]+$/.test(raw) || n < min || n > max) {
      throw new UsageError(`--${flag} (${ENV_NAMES[flag]}) expects a whole number from ${min} to ${max}, got "${raw}"`, usage);
    }
    return n;
  };
  return {
    repo: required("repo"),
    webhookSecret: required("webhook-secret"),
    store: get("store"),
    host: get("host") ?? "127.0.0.1",
    port: int("port", 3000, 0, 65535),
    concurrency: int("concurrency", 4, 1, 1000),
    apiToken: get("api-token") ?? randomBytes(24).toString("base64url"),
    graceSeconds: int("grace", 30, 0, 86_400),
    leaseSeconds: int("lease", 30, 1, 3600),
    instance: get("instance") ?? `${hostname()}:${process.pid}`,
    github: readGitHub(get, usage),
    crewRefreshSeconds: int("crew-refresh", 60, 5, 86_400),
    retainDays: retainDays(int("retain-days", 30, 0, 36_500), usage),
  };
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

function readGitHub(get: (flag: keyof ServeFlags) => string | undefined, usage: string): GitHubSettings {
  const token = get("github-token");
  const appId = get("app-id");
  const privateKeyFile = get("private-key-file");
  const apiUrl = get("github-api-url");
  if (appId && !privateKeyFile) throw new UsageError("--app-id needs --private-key-file (or GITHUB_APP_PRIVATE_KEY_FILE)", usage);
  if (privateKeyFile && !appId) throw new UsageError("--private-key-file needs --app-id (or GITHUB_APP_ID)", usage);
  if (apiUrl && !/^https?:\/\//.test(apiUrl)) throw new UsageError(`--github-api-url must be an http(s) URL, got "${apiUrl}"`, usage);
  return { ...(token ? { token } : {}), ...(appId ? { appId, privateKeyFile } : {}), ...(apiUrl ? { apiUrl: apiUrl.replace(/\/+$/, "") } : {}) };
}
