/** Files shipped in the gitcrew package (schema/, templates/), found from src/ or dist/. */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EnvironmentError } from "./errors.js";

export function packageFile(...segments: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, ...segments);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new EnvironmentError(`${segments.join("/")} is missing from the gitcrew package`, "Reinstall gitcrew.");
}
