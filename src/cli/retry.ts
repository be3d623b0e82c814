import type { Verb } from "./io.js";
import { GitcrewError, EXIT } from "../util/errors.js";

export const verb: Verb = {
  summary: "(not built yet)",
  usage: "gitcrew retry",
  async run() {
    throw new GitcrewError("gitcrew retry is not built yet", EXIT.failed);
  },
};
