/**
 * Client of a running `gitcrew serve` for `gitcrew ps|logs|cancel|retry`.
 * The server writes its URL and API token to `$GITCREW_HOME/server.json`
 * (mode 0600); GITCREW_SERVER_URL + GITCREW_API_TOKEN override it.
 */
import { readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { EnvironmentError, GitcrewError, EXIT } from "../util/errors.js";
import { gitcrewHome } from "../util/home.js";
import type { LogChunk, RunStatus } from "../store/types.js";
import type { QueueEntry } from "../store/queue.js";
import type { RunSummary } from "./api.js";

export type { RunSummary } from "./api.js";

/** The answer of `GET /api/queue`. */
export interface QueueAnswer {
  queued: number;
  running: number;
  queue: (QueueEntry & { waiting: string })[];
}

export interface ServerAddress {
  url: string;
  token: string;
}

export function serverFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(gitcrewHome(env), "server.json");
}

export function writeServerFile(address: ServerAddress & { pid: number }, env: NodeJS.ProcessEnv = process.env): string {
  const file = serverFilePath(env);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(address, null, 2) + "\n", { mode: 0o600 });
  return file;
}

export function removeServerFile(env: NodeJS.ProcessEnv = process.env): void {
  rmSync(serverFilePath(env), { force: true });
}

/**
 * Where a server is, if any: GITCREW_SERVER_URL (+ GITCREW_API_TOKEN), else
 * the server file. Undefined means "no server: use local runs".
 */
export function findServer(env: NodeJS.ProcessEnv = process.env): ServerAddress | undefined {
  if (env.GITCREW_SERVER_URL) {
    if (!env.GITCREW_API_TOKEN) throw new EnvironmentError("GITCREW_SERVER_URL is set but GITCREW_API_TOKEN is not", "Set GITCREW_API_TOKEN to the server's --api-token.");
    return { url: env.GITCREW_SERVER_URL, token: env.GITCREW_API_TOKEN };
  }
  try {
    const parsed = JSON.parse(readFileSync(serverFilePath(env), "utf8")) as Partial<ServerAddress>;
    return parsed.url && parsed.token ? { url: parsed.url, token: parsed.token } : undefined;
  } catch {
    return undefined;
  }
}

export class ServerClient {
  constructor(private readonly address: ServerAddress) {}

  private async call<T>(method: "GET" | "POST", path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.address.url), { method, headers: { authorization: `Bearer ${this.address.token}` } });
    } catch (err) {
      throw new EnvironmentError(
        `gitcrew serve at ${this.address.url} does not answer (${(err as Error).message})`,
        "Start it, or remove the stale server file / unset GITCREW_SERVER_URL to look at local runs.",
      );
    }
    const body = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (!res.ok) throw new GitcrewError(`server: ${body.error ?? `HTTP ${res.status}`}`, res.status === 404 ? EXIT.input : EXIT.failed);
    return body;
  }

  async ps(options: { status?: RunStatus; limit?: number; thread?: string; repo?: string } = {}): Promise<RunSummary[]> {
    const q = new URLSearchParams();
    if (options.status) q.set("status", options.status);
    if (options.repo) q.set("repo", options.repo);
    if (options.limit) q.set("limit", String(options.limit));
    if (options.thread) q.set("thread", options.thread);
    return (await this.call<{ runs: RunSummary[] }>("GET", `/api/runs?${q}`)).runs;
  }

  /** `GET /api/queue`: what waits, in order, and why. */
  async queue(limit?: number): Promise<QueueAnswer> {
    return this.call("GET", `/api/queue${limit ? `?limit=${limit}` : ""}`);
  }

  async run(id: string): Promise<RunSummary> {
    return (await this.call<{ run: RunSummary }>("GET", `/api/runs/${encodeURIComponent(id)}`)).run;
  }

  async logs(id: string, after = 0): Promise<{ run: RunSummary; chunks: LogChunk[] }> {
    return this.call("GET", `/api/runs/${encodeURIComponent(id)}/logs?after=${after}`);
  }

  async cancel(id: string): Promise<RunSummary> {
    return (await this.call<{ run: RunSummary }>("POST", `/api/runs/${encodeURIComponent(id)}/cancel`)).run;
  }

  async retry(id: string): Promise<RunSummary> {
    return (await this.call<{ run: RunSummary }>("POST", `/api/runs/${encodeURIComponent(id)}/retry`)).run;
  }
}
