import type { Verb } from "./io.js";
import { GitcrewError, EXIT } from "../util/errors.js";

export const verb: Verb = {
  summary: "(not built yet)",
  usage: "gitcrew init",
  async run() {
    throw new GitcrewError("gitcrew init is not built yet", EXIT.failed);
  },
};
