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

// src/util/terminal-text.ts
var CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
var CONTROL_OR_BREAK = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;
function visible(c) {
  const code = c.charCodeAt(0);
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "	") return "\\t";
  return code > 255 ? `\\u${code.toString(16).padStart(4, "0")}` : `\\x${code.toString(16).padStart(2, "0")}`;
}
function terminalSafe(text) {
  return text.replace(/\r\n/g, "\n").replace(CONTROL, visible);
}
function oneLine(text) {
  return text.replace(CONTROL_OR_BREAK, visible);
}
var LIKE_OWN_NOTE = /^[\s\u200b-\u200f\u2060\ufeff]*(»|gitcrew:)/i;
function agentLogLine(line) {
  return LIKE_OWN_NOTE.test(line) ? `\u2502 ${line}` : line;
}
function ownLogNote(text) {
  return `\xBB ${oneLine(text)}`;
}

export {
  EXIT,
  GitcrewError,
  InputError,
  EnvironmentError,
  errorMessage,
  terminalSafe,
  oneLine,
  agentLogLine,
  ownLogNote
};
