/**
 * Under `--json`, stdout is always one JSON object, also when the verb stops
 * with an error (bad flags, unreadable input): scripts parse stdout and read
 * the exit code. The message still goes to stderr, from `main`.
 */
import { GitcrewError, UsageError, errorMessage } from "../util/errors.js";
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
      io.stdout(JSON.stringify(shape([problem]), null, 2) + "\n");
    }
    throw err;
  }
}
