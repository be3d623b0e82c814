/**
 * Octokit construction: from a token or from GitHub App credentials, with
 * masking and retries installed as request hooks so that no call escapes them.
 */
import { App } from "@octokit/app";
import { Octokit } from "@octokit/rest";
import { InputError } from "../util/errors.js";
import { USER_AGENT } from "../util/version.js";
import { GitHubError, httpFailure } from "./errors.js";
import type { Mask } from "./mask.js";
import { RETRY_DEFAULTS, retryDelay, sleep, type RetryOptions } from "./retry.js";

export interface OctokitOptions {
  token: string;
  /** API root; the double's loopback URL in tests, GHES' /api/v3 on a server. */
  baseUrl?: string;
  mask?: Mask;
  retry?: RetryOptions;
  userAgent?: string;
}

/** Request fields that carry text people read: masked before every send. */
const TEXT_FIELDS = ["body", "title", "commit_message", "commit_title", "message"] as const;
const OUTPUT_FIELDS = ["title", "summary", "text"] as const;

function maskFields(options: Record<string, unknown>, mask: Mask): void {
  for (const key of TEXT_FIELDS) {
    const v = options[key];
    if (typeof v === "string") options[key] = mask(v);
  }
  const output = options.output;
  if (typeof output === "object" && output !== null) {
    const o = output as Record<string, unknown>;
    for (const key of OUTPUT_FIELDS) if (typeof o[key] === "string") o[key] = mask(o[key]);
  }
}

const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * POSTs that make a new object each time. A 5xx does not prove GitHub did
 * nothing (a gateway may time out after the write), so repeating one could
 * make it twice: these are not repeated after a 5xx (a rate limit, which GitHub
 * answers before doing anything, is still waited out).
 */
const CREATES = new Set(["POST /repos/{owner}/{repo}/check-runs", "POST /repos/{owner}/{repo}/issues", "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"]);
/** Comments are repeated only after looking for the one the failed attempt may have posted. */
const CREATE_COMMENT = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";

interface CommentPost {
  owner: string;
  repo: string;
  issue_number: number;
  body: string;
}

/** The comment a failed attempt posted after all: same thread, same (masked) body, written since the first attempt. */
async function alreadyPosted(octokit: Octokit, post: CommentPost, since: number) {
  // GitHub's timestamps have whole seconds; a minute's margin covers clock skew.
  const after = new Date(since - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const { data, url, headers } = await octokit.issues.listComments({ owner: post.owner, repo: post.repo, issue_number: post.issue_number, since: after, per_page: 100 });
  const found = data.find((c) => c.body === post.body);
  return found ? { status: 201, url, headers, data: found } : undefined;
}

export function createOctokit(opts: OctokitOptions): Octokit {
  const octokit = new Octokit({
    auth: opts.token,
    baseUrl: opts.baseUrl,
    userAgent: opts.userAgent ?? USER_AGENT,
    // Failures surface as GitHubError with a hint; Octokit's own warnings would duplicate them.
    log: SILENT,
  });
  const mask = opts.mask ?? ((t: string) => t);
  const retry = { ...RETRY_DEFAULTS, ...opts.retry };
  const wait = opts.retry?.sleep ?? sleep;
  octokit.hook.wrap("request", async (request, options) => {
    maskFields(options as unknown as Record<string, unknown>, mask);
    const route = `${options.method} ${options.url}`;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await request(options);
      } catch (err) {
        const failure = httpFailure(err);
        if (!failure) throw err;
        const delay = attempt < retry.maxAttempts ? retryDelay(failure, attempt, retry) : undefined;
        if (delay === undefined || delay > retry.maxDelayMs) throw GitHubError.from(route, failure, attempt);
        if (failure.status >= 500 && CREATES.has(route)) throw GitHubError.from(route, failure, attempt);
        if (failure.status >= 500 && route === CREATE_COMMENT) {
          // A failed lookup throws (after its own retries): better no comment than a doubled one.
          const posted = await alreadyPosted(octokit, options as unknown as CommentPost, started).catch(() => {
            throw GitHubError.from(route, failure, attempt);
          });
          if (posted) return posted as Awaited<ReturnType<typeof request>>;
        }
        retry.onRetry?.({ route, status: failure.status, attempt, delayMs: delay });
        await wait(delay);
      }
    }
  });
  return octokit;
}

export interface AppCredentials {
  appId: number | string;
  privateKey: string;
  /** When unknown, looked up from `repository`. */
  installationId?: number;
  /** The repository served: the token is limited to it. */
  repository?: { owner: string; repo: string };
  /** The agent's `permissions`; "none" entries are left out of the token. */
  permissions?: Record<string, "read" | "write" | "none">;
  baseUrl?: string;
}

export interface InstallationToken {
  token: string;
  expiresAt: string;
  permissions: Record<string, string>;
  /** The App's bot login (`<slug>[bot]`), known when the installation was looked up by repository. */
  botLogin?: string;
}

function isTokenAuth(v: unknown): v is { token: string; expiresAt?: string; permissions?: Record<string, string> } {
  return typeof v === "object" && v !== null && typeof (v as { token?: unknown }).token === "string";
}

/** An installation token narrowed to the agent's permissions, via @octokit/app. */
export async function installationToken(creds: AppCredentials): Promise<InstallationToken> {
  const app = new App({
    appId: creds.appId,
    privateKey: creds.privateKey,
    Octokit: Octokit.defaults({ baseUrl: creds.baseUrl, log: SILENT, userAgent: USER_AGENT }),
  });
  let installationId = creds.installationId;
  let botLogin: string | undefined;
  // What failed, for the error: finding the installation, or minting its token.
  let step = "";
  try {
    if (installationId === undefined) {
      if (!creds.repository) throw new InputError("GitHub App: give an installation id or the repository to find it");
      step = `GET /repos/${creds.repository.owner}/${creds.repository.repo}/installation`;
      const { data } = await app.octokit.request("GET /repos/{owner}/{repo}/installation", creds.repository);
      installationId = data.id;
      if (data.app_slug) botLogin = `${data.app_slug}[bot]`;
    }
    step = `POST /app/installations/${installationId}/access_tokens`;
    const permissions = Object.fromEntries(Object.entries(creds.permissions ?? {}).filter(([, v]) => v !== "none"));
    const auth = await app.octokit.auth({
      type: "installation",
      installationId,
      ...(Object.keys(permissions).length > 0 ? { permissions } : {}),
      // Only the repository served: an installation on an organisation covers its private repositories too, which an agent must not read.
      ...(creds.repository ? { repositoryNames: [creds.repository.repo] } : {}),
    });
    if (!isTokenAuth(auth)) throw new Error("GitHub App authentication returned no token");
    return { token: auth.token, expiresAt: auth.expiresAt ?? "", permissions: auth.permissions ?? {}, ...(botLogin ? { botLogin } : {}) };
  } catch (err) {
    const failure = httpFailure(err);
    if (!failure) throw err;
    throw GitHubError.from(step, failure, 1);
  }
}
