/** `$GITCREW_HOME`, default `~/.gitcrew`: run records, the embedded store, session state, clones. */
import { homedir } from "node:os";
import { join } from "node:path";

export function gitcrewHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITCREW_HOME || join(homedir(), ".gitcrew");
}
