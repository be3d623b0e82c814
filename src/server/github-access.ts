/**
 * GitHub access for a long-running server: a fixed token, or a GitHub App
 * whose installation tokens (one hour) are minted again before they expire,
 * narrowed to an agent's `permissions` for its runs.
 */
import { readFileSync } from "node:fs";
import { createGitHubClient, createOctokit, GitHubError, installationToken } from "../github/index.js";
import type { GitHubClient } from "../github/types.js";
import { EnvironmentError, InputError, errorMessage } from "../util/errors.js";
import type { GitHubSettings } from "./settings.js";

/** Mint a new installation token this long before the old one expires. */
const REFRESH_BEFORE_MS = 10 * 60 * 1000;

type Permissions = Record<string, "read" | "write" | "none">;

/** A repository whose installation the App could not get a token for is not asked again for this long. */
const NO_INSTALLATION_MS = 10 * 60 * 1000;

export class GitHubAccess {
  private readonly privateKey?: string;
  private readonly cache = new Map<string, { token: string; client: GitHubClient; expiresAt: number }>();
  /** Repositories the App cannot mint a token for, with why and until when (no retry storm, one log line). */
  private readonly refused = new Map<string, { message: string; until: number }>();

  constructor(
    private readonly settings: GitHubSettings,
    private readonly log: (line: string) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (!settings.token && !settings.appId) {
      throw new InputError("gitcrew serve needs GitHub access: --github-token (GITHUB_TOKEN), or --app-id and --private-key-file for a GitHub App");
    }
    if (settings.appId && settings.privateKeyFile) {
      try {
        this.privateKey = readFileSync(settings.privateKeyFile, "utf8");
      } catch (err) {
        throw new InputError(`cannot read --private-key-file ${settings.privateKeyFile}: ${errorMessage(err)}`);
      }
    }
  }

  get apiUrl(): string | undefined {
    return this.settings.apiUrl;
  }

  get isApp(): boolean {
    return Boolean(this.settings.appId);
  }

  /** A client for planning in OWNER/NAME (the whole installation), or for one agent's run there (its permissions). */
  async client(repository: string | undefined, permissions?: Permissions): Promise<GitHubClient> {
    return (await this.entry(repository, permissions)).client;
  }

  async token(repository: string | undefined, permissions?: Permissions): Promise<string> {
    return (await this.entry(repository, permissions)).token;
  }

  /** Forget a repository's tokens (it left the installation, was renamed or deleted). */
  forget(repository: string): void {
    const prefix = `${repository.toLowerCase()}|`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
    this.refused.delete(repository.toLowerCase());
  }

  private async entry(repository: string | undefined, permissions?: Permissions): Promise<{ token: string; client: GitHubClient }> {
    // An App, when configured, wins over a token (GITHUB_TOKEN may just be in the environment).
    const useApp = Boolean(this.settings.appId);
    const repoKey = (repository ?? "").toLowerCase();
    const key = useApp ? `${repoKey}|${JSON.stringify(Object.entries(permissions ?? {}).sort())}` : "token";
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt - REFRESH_BEFORE_MS > this.now()) return hit;
    let token = useApp ? undefined : this.settings.token;
    let expiresAt = Number.MAX_SAFE_INTEGER;
    let botLogin: string | undefined;
    if (!token) {
      const [owner, repo] = (repository ?? "").split("/");
      if (!owner || !repo) throw new EnvironmentError("a GitHub App needs the repository's OWNER/NAME to find its installation (a --repo clone whose origin is a local path learns it from the first webhook)");
      const refused = this.refused.get(repoKey);
      if (refused && refused.until > this.now()) throw new NoInstallationError(refused.message);
      try {
        const minted = await installationToken({ appId: this.settings.appId ?? "", privateKey: this.privateKey ?? "", repository: { owner, repo }, permissions, baseUrl: this.settings.apiUrl });
        token = minted.token;
        botLogin = minted.botLogin;
        expiresAt = Date.parse(minted.expiresAt) || this.now() + 50 * 60 * 1000;
      } catch (err) {
        if (err instanceof GitHubError && (err.status >= 500 || err.status === 429)) throw new EnvironmentError(err.message, err.hint);
        // The installation itself (planning's token, all it grants): remembered. A narrowed token refused fails its run alone.
        if (err instanceof GitHubError && !permissions && [401, 403, 404, 422].includes(err.status)) {
          const message = `the GitHub App cannot get a token for ${repository} (GitHub answered ${err.status}: ${err.message}); is the App installed on it, with the permissions asked? Not asked again for ${NO_INSTALLATION_MS / 60_000} minutes`;
          this.refused.set(repoKey, { message, until: this.now() + NO_INSTALLATION_MS });
          this.log(`github: ${message}`);
          throw new NoInstallationError(message);
        }
        throw err;
      }
    }
    // An App's comments are by `<slug>[bot]`: gitcrew's own login, whose markers count.
    const client = createGitHubClient(createOctokit({ token, baseUrl: this.settings.apiUrl }), { selfLogin: botLogin });
    const entry = { token, client, expiresAt };
    this.cache.set(key, entry);
    return entry;
  }
}

/** The App has no installation (or not the permissions) for a repository: not temporary, not retried. */
export class NoInstallationError extends Error {}

/** GitHub or the network failed for now (5xx, rate limit, connection refused): worth trying again later. */
export function isTemporary(err: unknown): boolean {
  if (err instanceof EnvironmentError) return true;
  if (err instanceof GitHubError) return err.status >= 500 || err.status === 429 || (err.status === 403 && /rate limit/i.test(err.message));
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|UND_ERR)/.test(code);
}
