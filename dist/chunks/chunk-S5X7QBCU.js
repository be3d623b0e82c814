import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  UsageError,
  errorMessage
} from "./chunk-QEBERIHX.js";

// src/cli/args.ts
import { parseArgs } from "node:util";
function parseFlags(argv, options, usage, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(errorMessage(err).replace(/\. To specify a positional argument.*$/s, ""), usage);
  }
}
function intFlag(value, flag, usage) {
  if (value === void 0) return void 0;
  if (!/^[0-9]{1,9}$/.test(value)) throw new UsageError(`${flag} expects a positive whole number, got "${value}"`, usage);
  return Number(value);
}
function runIdArgs(argv, usage) {
  const { values, positionals } = parseFlags(argv, { json: { type: "boolean" } }, usage, true);
  const [id, extra] = positionals;
  if (!id) throw new UsageError("missing RUN", usage);
  if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
  return { id, json: values.json === true };
}

export {
  parseFlags,
  intFlag,
  runIdArgs
};
