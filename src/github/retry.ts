/** How long to wait before retrying a GitHub call, and whether to retry at all. */
import { isRateLimited, type HttpFailure } from "./errors.js";

export interface RetryOptions {
  /** Total attempts including the first (default 4). */
  maxAttempts?: number;
  /** First backoff for 5xx without retry-after (default 1000 ms, doubled each attempt). */
  baseDelayMs?: number;
  /** Longest single wait; a rate limit that resets later fails at once (default 60 s). */
  maxDelayMs?: number;
  /** Replaceable for tests of the policy itself. */
  sleep?: (ms: number) => Promise<void>;
  /** Told about every retry, e.g. to log it. */
  onRetry?: (info: { route: string; status: number; attempt: number; delayMs: number }) => void;
}

export const RETRY_DEFAULTS = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 60_000 } as const;

// Hand-written: GitHub's own rules (retry-after, x-ratelimit-reset, 403 as a rate limit) in one pure function; @octokit/plugin-retry + plugin-throttling bring Bottleneck and a queue for the same policy.
const RETRYABLE_5XX = new Set([500, 502, 503, 504]);

/**
 * Milliseconds to wait before attempt `attempt + 1`, or undefined when the
 * failure is not worth retrying (a 403 for permissions, a 404, a 422…).
 */
export function retryDelay(f: HttpFailure, attempt: number, opts: RetryOptions = {}, now = Date.now()): number | undefined {
  const base = opts.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs;
  const retryAfter = Number(f.headers["retry-after"]);
  if (isRateLimited(f)) {
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
    const reset = Number(f.headers["x-ratelimit-reset"]);
    // The reset time is in whole seconds of GitHub's clock: wait until just after it.
    if (Number.isFinite(reset) && reset > 0) return Math.max(reset * 1000 - now, 0) + 500;
    return base * 2 ** (attempt - 1);
  }
  if (RETRYABLE_5XX.has(f.status)) {
    if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
    // Full jitter keeps many runners from retrying in lockstep.
    return Math.round(base * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
  }
  return undefined;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
