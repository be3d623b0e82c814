/** `gitcrew retry RUN [--json]`: run a finished run again (needs `gitcrew serve`). */
import type { Verb } from "./io.js";
import { runIdArgs } from "./args.js";
import { findServer, ServerClient } from "../server/client.js";
import { RunRecords } from "../runner/records.js";
import { EnvironmentError, EXIT } from "../util/errors.js";

const usage = `Usage: gitcrew retry RUN [--json]

Queues a finished run again on the running \`gitcrew serve\` (same plan, new
run id). Local runs of \`gitcrew run\` cannot be retried from their record
(the prompt is not kept); run the agent again with \`gitcrew run\`.`;

export const verb: Verb = {
  summary: "queue a finished run again (server)",
  usage,
  async run(io) {
    const { id, json } = runIdArgs(io.argv, usage);

    const server = findServer(io.env);
    if (server) {
      const run = await new ServerClient(server).retry(id);
      if (json) io.stdout(`${JSON.stringify({ source: "server", retryOf: id, run: run.id, status: run.status })}\n`);
      else io.stdout(`run ${id} queued again as ${run.id} (${run.status})\n`);
      return EXIT.ok;
    }
    // Name the run (or say it does not exist) before saying what is missing.
    const rec = new RunRecords(io.env).require(id);
    throw new EnvironmentError(
      `gitcrew retry needs a running gitcrew serve; run ${rec.id} is a local run (${rec.agent}, ${rec.status})`,
      `run the agent again: gitcrew run ${rec.agent} --repo DIR --prompt "…" (or start gitcrew serve and set GITCREW_SERVER_URL + GITCREW_API_TOKEN)`,
    );
  },
};
