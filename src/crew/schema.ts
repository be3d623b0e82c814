/** The CUE schema shipped with gitcrew (schema/gitcrew.cue at the package root). */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EnvironmentError } from "../util/errors.js";

let cached: string | undefined;

/** Found by walking up from this module: works from src/ and from dist/. */
export function schemaText(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, "schema", "gitcrew.cue");
    if (existsSync(candidate)) return (cached = readFileSync(candidate, "utf8"));
    dir = dirname(dir);
  }
  throw new EnvironmentError("schema/gitcrew.cue is missing from the gitcrew package", "Reinstall gitcrew.");
}
