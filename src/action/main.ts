/** Entry of the GitHub Action (bundled to dist/index.js). */
import * as core from "@actions/core";
import { GitcrewError, errorMessage } from "../util/errors.js";
import { runAction } from "./run-action.js";
import { abortOnSignals } from "./stop-signal.js";

const signal = abortOnSignals(process, (line) => core.warning(line));
try {
  await runAction(process.env, { signal });
} catch (err) {
  const hint = err instanceof GitcrewError && err.hint ? `\n${err.hint}` : "";
  core.setFailed(`${errorMessage(err)}${hint}`);
}
