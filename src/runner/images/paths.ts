/** Where image build inputs live: the shipped templates and a cache folder. */
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EnvironmentError } from "../../util/errors.js";

/** `templates/docker`, found by walking up from this module (works from src/ and from dist/). */
export function dockerTemplatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "templates", "docker");
    if (existsSync(join(candidate, "bin", "gitcrew-channel.mjs"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new EnvironmentError("cannot find gitcrew's templates/docker folder", "reinstall gitcrew: the package ships templates/");
    dir = parent;
  }
}

function writable(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** `$GITCREW_CACHE`, else /var/cache/gitcrew when writable (root), else ~/.cache/gitcrew. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const choices = [env.GITCREW_CACHE, "/var/cache/gitcrew", join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "gitcrew")];
  for (const dir of choices) if (dir && writable(dir)) return dir;
  throw new EnvironmentError("no writable cache folder for image builds", "set GITCREW_CACHE to a writable folder");
}
