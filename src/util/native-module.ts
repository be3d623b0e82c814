/**
 * A native addon (better-sqlite3) compiled for one Node and loaded by
 * another fails with Node's ERR_DLOPEN_FAILED about NODE_MODULE_VERSION;
 * said instead as which Node it was built for, which one this is, and the fix.
 */
import { EnvironmentError } from "./errors.js";

/** NODE_MODULE_VERSION → Node major (nodejs.org's abi_version_registry). */
const NODE_OF_ABI: Record<number, string> = { 93: "16", 108: "18", 115: "20", 120: "21", 127: "22", 131: "23", 137: "24", 141: "25" };

const MISMATCH = /compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)\.\s+This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/;

/** The error to show for `err` if it is an ABI mismatch of `name`; otherwise undefined. */
export function abiMismatch(err: unknown, name: string): EnvironmentError | undefined {
  const m = MISMATCH.exec(err instanceof Error ? err.message : String(err));
  if (!m) return undefined;
  const built = Number(m[1]);
  const here = process.versions.node;
  const builtFor = NODE_OF_ABI[built] ? `Node ${NODE_OF_ABI[built]}` : "another Node";
  return new EnvironmentError(
    `${name} was built for ${builtFor} (NODE_MODULE_VERSION ${built}), this is Node ${here} (NODE_MODULE_VERSION ${m[2]})`,
    `run \`npm rebuild ${name}\` with this Node in the folder gitcrew is installed in, or start gitcrew with the Node it was installed with`,
  );
}

/** `load()`, with an ABI mismatch of `name` turned into an EnvironmentError that says the fix. */
export function withNativeModule<T>(name: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    throw abiMismatch(err, name) ?? err;
  }
}
