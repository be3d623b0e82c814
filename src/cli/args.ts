import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError, errorMessage } from "../util/errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** `parseArgs` with gitcrew's error style: the bad flag is quoted, usage follows. */
export function parseFlags<T extends Options>(argv: string[], options: T, usage: string, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError(errorMessage(err).replace(/\. To specify a positional argument.*$/s, ""), usage);
  }
}

/** Parse a positive integer flag, naming the flag in the error. */
export function intFlag(value: string | undefined, flag: string, usage: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(value)) throw new UsageError(`${flag} expects a positive whole number, got "${value}"`, usage);
  return Number(value);
}

/** `VERB RUN [--json]`: the one run id, and whether JSON was asked for. */
export function runIdArgs(argv: string[], usage: string): { id: string; json: boolean } {
  const { values, positionals } = parseFlags(argv, { json: { type: "boolean" } }, usage, true);
  const [id, extra] = positionals;
  if (!id) throw new UsageError("missing RUN", usage);
  if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
  return { id, json: values.json === true };
}
