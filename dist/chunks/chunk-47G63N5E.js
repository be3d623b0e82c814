import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  EnvironmentError,
  GitcrewError,
  InputError,
  UsageError,
  errorMessage
} from "./chunk-QEBERIHX.js";

// src/cli/json-errors.ts
function wantsJson(argv) {
  return argv.includes("--json");
}
async function jsonOnError(io, json, shape, body) {
  let file;
  try {
    return await body((f) => file = f);
  } catch (err) {
    if (json) {
      const hint = err instanceof GitcrewError && !(err instanceof UsageError) ? err.hint : void 0;
      const problem = { ...file ? { file } : {}, message: errorMessage(err), ...hint ? { hint } : {} };
      const shaped = shape([problem]);
      io.stdout(JSON.stringify(shaped && typeof shaped === "object" ? { ...shaped, ...errorJson(err) } : shaped, null, 2) + "\n");
    }
    throw err;
  }
}
function errorCode(err) {
  const own = err instanceof GitcrewError ? err.code : void 0;
  if (typeof own === "string") return own;
  if (err instanceof UsageError) return "usage";
  if (err instanceof InputError) return "bad_input";
  if (err instanceof EnvironmentError) return "environment";
  if (err instanceof GitcrewError) return err.exitCode === 124 ? "timed_out" : err.exitCode === 130 ? "cancelled" : "failed";
  return "internal";
}
function errorJson(err) {
  const hint = err instanceof GitcrewError && !(err instanceof UsageError) ? err.hint : void 0;
  return { error: { code: errorCode(err), message: errorMessage(err), ...hint ? { hint } : {} } };
}

export {
  wantsJson,
  jsonOnError,
  errorJson
};
