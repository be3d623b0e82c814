import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  GitcrewError,
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
      io.stdout(JSON.stringify(shape([problem]), null, 2) + "\n");
    }
    throw err;
  }
}

export {
  wantsJson,
  jsonOnError
};
