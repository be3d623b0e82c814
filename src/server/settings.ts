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
}

export type ServeFlags = Partial<Record<"repo" | "webhook-secret" | "store" | "host" | "port" | "concurrency" | "api-token" | "grace" | "lease" | "instance", string>>;

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
};

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
  };
}
