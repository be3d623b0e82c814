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

export class GitHubAccess {
  private readonly privateKey?: string;
  private readonly cache = new Map<string, { token: string; client: GitHubClient; expiresAt: number }>();

  constructor(
    private readonly settings: GitHubSettings,
    /** The repository whose installation an App uses; may become known later (the first webhook). */
    private readonly repository: () => { owner: string; repo: string } | undefined,
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

  /** A client for planning (the whole installation), or for one agent's run (its permissions). */
  async client(permissions?: Permissions): Promise<GitHubClient> {
    return (await this.entry(permissions)).client;
  }

  async token(permissions?: Permissions): Promise<string> {
    return (await this.entry(permissions)).token;
  }

  private async entry(permissions?: Permissions): Promise<{ token: string; client: GitHubClient }> {
    // An App, when configured, wins over a token (GITHUB_TOKEN may just be in the environment).
    const useApp = Boolean(this.settings.appId);
    const key = useApp ? JSON.stringify(Object.entries(permissions ?? {}).sort()) : "token";
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt - REFRESH_BEFORE_MS > Date.now()) return hit;
    let token = useApp ? undefined : this.settings.token;
    let expiresAt = Number.MAX_SAFE_INTEGER;
    let botLogin: string | undefined;
    if (!token) {
      const repository = this.repository();
      if (!repository) throw new EnvironmentError("a GitHub App needs --repo OWNER/NAME (or a clone whose origin names it) to find its installation");
      try {
        const minted = await installationToken({ appId: this.settings.appId ?? "", privateKey: this.privateKey ?? "", repository, permissions, baseUrl: this.settings.apiUrl });
        token = minted.token;
        botLogin = minted.botLogin;
        expiresAt = Date.parse(minted.expiresAt) || Date.now() + 50 * 60 * 1000;
      } catch (err) {
        if (err instanceof GitHubError && (err.status >= 500 || err.status === 429)) throw new EnvironmentError(err.message, err.hint);
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

/** GitHub or the network failed for now (5xx, rate limit, connection refused): worth trying again later. */
export function isTemporary(err: unknown): boolean {
  if (err instanceof EnvironmentError) return true;
  if (err instanceof GitHubError) return err.status >= 500 || err.status === 429 || (err.status === 403 && /rate limit/i.test(err.message));
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENOTFOUND|EPIPE|UND_ERR)/.test(code);
}
