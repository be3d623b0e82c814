/**
 * Under `--json`, stdout is always one JSON object, also when the verb stops
 * with an error (bad flags, unreadable input, no Docker engine): scripts
 * parse stdout and read the exit code. A failure is
 * `{"error": {"code", "message", "hint"?}}` (validate and dry-run keep their
 * own shape and add `error`). The message still goes to stderr, from `main`.
 */
import { EnvironmentError, GitcrewError, InputError, UsageError, errorMessage } from "../util/errors.js";
import type { CliIo } from "./io.js";

export interface JsonProblem {
  file?: string;
  line?: number;
  column?: number;
  message: string;
}

/** `--json` anywhere in argv: known before the flags are parsed, so flag errors are JSON too. */
export function wantsJson(argv: string[]): boolean {
  return argv.includes("--json");
}

/** Run `body`; when it throws and JSON was asked for, print `shape(errors)` first, then let `main` report it. */
export async function jsonOnError(
  io: CliIo,
  json: boolean,
  shape: (errors: JsonProblem[]) => unknown,
  body: (setFile: (file: string | undefined) => void) => Promise<number>,
): Promise<number> {
  let file: string | undefined;
  try {
    return await body((f) => (file = f));
  } catch (err) {
    if (json) {
      const hint = err instanceof GitcrewError && !(err instanceof UsageError) ? err.hint : undefined;
      const problem: JsonProblem & { hint?: string } = { ...(file ? { file } : {}), message: errorMessage(err), ...(hint ? { hint } : {}) };
      const shaped = shape([problem]);
      io.stdout(JSON.stringify(shaped && typeof shaped === "object" ? { ...shaped, ...errorJson(err) } : shaped, null, 2) + "\n");
    }
    throw err;
  }
}

/**
 * A stable word for what went wrong: the error's own `code` (the Docker
 * engine's problems: docker_not_installed, docker_not_running,
 * docker_permission_denied, docker_too_old, docker_not_answering; crew_invalid),
 * else one per exit code.
 */
export function errorCode(err: unknown): string {
  const own = err instanceof GitcrewError ? (err as { code?: unknown }).code : undefined;
  if (typeof own === "string") return own;
  if (err instanceof UsageError) return "usage";
  if (err instanceof InputError) return "bad_input";
  if (err instanceof EnvironmentError) return "environment";
  if (err instanceof GitcrewError) return err.exitCode === 124 ? "timed_out" : err.exitCode === 130 ? "cancelled" : "failed";
  return "internal";
}

/** The `error` member of a `--json` failure. */
export function errorJson(err: unknown): { error: { code: string; message: string; hint?: string } } {
  const hint = err instanceof GitcrewError && !(err instanceof UsageError) ? err.hint : undefined;
  return { error: { code: errorCode(err), message: errorMessage(err), ...(hint ? { hint } : {}) } };
}
