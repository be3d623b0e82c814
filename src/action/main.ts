/**
 * The Action's logic as `run()`, the shape @github/local-action loads
 * (`npx local-action . src/action/main.ts .env`); src/action/index.ts calls it
 * on GitHub and is what dist/index.js is bundled from.
 */
import * as core from "@actions/core";
import { GitcrewError, errorMessage } from "../util/errors.js";
import { VERSION } from "../util/version.js";
import { runAction } from "./run-action.js";
import { abortOnSignals } from "./stop-signal.js";

export async function run(): Promise<void> {
  core.info(`gitcrew ${VERSION} (Node ${process.versions.node})`);
  const signal = abortOnSignals(process, (line) => core.warning(line));
  try {
    await runAction(process.env, { signal });
  } catch (err) {
    const hint = err instanceof GitcrewError && err.hint ? `\n${err.hint}` : "";
    core.setFailed(`${errorMessage(err)}${hint}`);
  }
}
