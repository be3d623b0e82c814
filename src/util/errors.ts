/**
 * The few error classes gitcrew throws. Entry points catch once and map them
 * to an exit code, an HTTP status or `core.setFailed`.
 */

export const EXIT = {
  ok: 0,
  /** The crew has problems, or the run failed. */
  failed: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** Bad input file: payload not JSON, wrong event, unreadable. */
  input: 3,
  /** The environment is not ready: Docker engine down, image missing, git missing. */
  environment: 4,
  /** The run timed out (as `timeout(1)`). */
  timeout: 124,
} as const;

export class GitcrewError extends Error {
  readonly exitCode: number;
  /** What the user can do about it. */
  readonly hint?: string;
  constructor(message: string, exitCode: number, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Bad command-line usage (unknown flag, missing argument). */
export class UsageError extends GitcrewError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** Bad input data: names the file or field. */
export class InputError extends GitcrewError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.input, hint);
  }
}

/** A dependency of the environment is missing or down. */
export class EnvironmentError extends GitcrewError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.environment, hint);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
