/**
 * A run's own variables (GITCREW_RUN, GITCREW_THREAD, GITCREW_BRANCH) as a
 * shell file, for runtimes that start ahead (RuntimeAdapter.startsAhead): the
 * CLI sources it before each command it runs. The values come from a thread
 * and a branch a stranger may have named, so each is single-quoted whole.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ContainerSpec } from "../plan/types.js";

/** The file's text: `export NAME='value'` lines; names are gitcrew's own. */
export function runEnvText(vars: Record<string, string>): string {
  return Object.entries(vars)
    .filter(([name]) => /^[A-Z_][A-Z0-9_]*$/.test(name))
    .map(([name, value]) => `export ${name}=${shellQuote(value)}\n`)
    .join("");
}

/** One shell word whatever the text: '…' with each ' as '\'' (a NUL, which no shell word holds, is dropped). */
export function shellQuote(value: string): string {
  return `'${value.replace(/\0/g, "").replace(/'/g, `'\\''`)}'`;
}

/** Writes the run's variables into `<runDir>/run-env/env` (mounted read-only at RUN_ENV_DIR); the folder's path. */
export async function writeRunEnv(runDir: string, spec: ContainerSpec, runId: string, made = false): Promise<string | undefined> {
  if (!spec.runEnv) return undefined;
  const dir = join(runDir, "run-env");
  if (!made) await mkdir(dir, { mode: 0o755 });
  await writeFile(join(dir, "env"), runEnvText({ ...spec.runEnv, GITCREW_RUN: runId }), { mode: 0o644, flag: "wx" });
  return dir;
}

/** The folder alone, made before the run is known (a prepared container mounts it empty). */
export async function makeRunEnvDir(runDir: string): Promise<string> {
  const dir = join(runDir, "run-env");
  await mkdir(dir, { mode: 0o755 });
  return dir;
}
