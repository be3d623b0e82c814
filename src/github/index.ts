/** gitcrew's GitHub module: the only place that talks to Octokit. */
export { createGitHubClient, toPermission, withClosing } from "./client.js";
export { GitHubError } from "./errors.js";
export { originMarker } from "./marker.js";
export { secretMask, type Mask } from "./mask.js";
export { createOctokit, installationToken, type AppCredentials, type InstallationToken, type OctokitOptions } from "./octokit.js";
export { renderFinal, renderWorking, formatDuration, type RunOutcome, type RunSummary } from "./render.js";
export { RETRY_DEFAULTS, retryDelay, type RetryOptions } from "./retry.js";
export { COMMENT_LIMIT, chunkText, splitBody } from "./split.js";
export { TrackingComment, type TrackingOptions } from "./tracking.js";
export type * from "./types.js";

import { createGitHubClient } from "./client.js";
import type { Mask } from "./mask.js";
import { createOctokit, installationToken, type AppCredentials } from "./octokit.js";
import type { RetryOptions } from "./retry.js";
import type { GitHubClient } from "./types.js";

export type GitHubAuth = { token: string } | { app: AppCredentials };

export interface ConnectOptions {
  auth: GitHubAuth;
  baseUrl?: string;
  mask?: Mask;
  retry?: RetryOptions;
  /** Told the token the client acts with (an installation token is minted here), e.g. to mask it. */
  onToken?: (token: string) => void;
}

/** A GitHubClient from a token, or from app credentials (installation token narrowed to the agent's permissions). */
export async function connectGitHub(opts: ConnectOptions): Promise<GitHubClient> {
  const minted = "token" in opts.auth ? { token: opts.auth.token } : await installationToken({ baseUrl: opts.baseUrl, ...opts.auth.app });
  opts.onToken?.(minted.token);
  const botLogin = "botLogin" in minted ? minted.botLogin : undefined;
  return createGitHubClient(createOctokit({ token: minted.token, baseUrl: opts.baseUrl, mask: opts.mask, retry: opts.retry }), { selfLogin: botLogin });
}
