import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/util/errors.ts
var EXIT = {
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
  timeout: 124
};
var GitcrewError = class extends Error {
  exitCode;
  /** What the user can do about it. */
  hint;
  constructor(message, exitCode, hint) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.hint = hint;
  }
};
var InputError = class extends GitcrewError {
  constructor(message, hint) {
    super(message, EXIT.input, hint);
  }
};
var EnvironmentError = class extends GitcrewError {
  constructor(message, hint) {
    super(message, EXIT.environment, hint);
  }
};
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

export {
  EXIT,
  GitcrewError,
  InputError,
  EnvironmentError,
  errorMessage
};
