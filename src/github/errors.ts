/** GitHub API failures as one error class with the fields callers branch on. */
import { EXIT, GitcrewError } from "../util/errors.js";

export interface HttpFailure {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
}

/** Octokit's RequestError, recognised by shape so that no Octokit type leaks out. */
export function httpFailure(err: unknown): HttpFailure | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const status = (err as { status?: unknown }).status;
  if (typeof status !== "number") return undefined;
  const response = (err as { response?: { headers?: Record<string, string | number | undefined> } }).response;
  return { status, headers: response?.headers ?? {}, message: err instanceof Error ? err.message : String(err) };
}

export function isRateLimited(f: HttpFailure): boolean {
  if (f.status === 429) return true;
  if (f.status !== 403) return false;
  return f.headers["retry-after"] !== undefined || String(f.headers["x-ratelimit-remaining"]) === "0";
}

export class GitHubError extends GitcrewError {
  constructor(
    /** `POST /repos/{owner}/{repo}/issues/{issue_number}/comments` */
    readonly route: string,
    readonly status: number,
    message: string,
    hint?: string,
  ) {
    super(`GitHub ${route} failed with ${status}: ${message}`, EXIT.failed, hint);
  }

  static from(route: string, f: HttpFailure, attempts: number): GitHubError {
    const tried = attempts > 1 ? ` (after ${attempts} attempts)` : "";
    return new GitHubError(route, f.status, `${f.message}${tried}`, hintFor(f));
  }
}

function hintFor(f: HttpFailure): string | undefined {
  if (isRateLimited(f)) {
    const reset = Number(f.headers["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
    return `GitHub is rate limiting this token${when}; wait, or use a GitHub App token which has a higher limit.`;
  }
  switch (f.status) {
    case 401:
      return "The token is invalid or expired: check the `github-token` input or the app credentials.";
    case 403:
      return "The token lacks permission for this call: grant it in the workflow's `permissions:` or the agent's `permissions`.";
    case 404:
      return "Not found, or the token cannot see it (private repository, or the item was deleted).";
    case 422:
      return "GitHub rejected the request as invalid; the message above says which field.";
    default:
      return f.status >= 500 ? "GitHub had a server error; retry the run later." : undefined;
  }
}
