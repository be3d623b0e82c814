import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  ServerClient,
  findServer
} from "./chunk-5HJXHEJH.js";
import {
  RunRecords
} from "./chunk-N5XJEPJ3.js";
import {
  runIdArgs
} from "./chunk-S5X7QBCU.js";
import {
  EXIT,
  EnvironmentError
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/retry.ts
var usage = `Usage: gitcrew retry RUN [--json]

Queues a finished run again on the running \`gitcrew serve\` (same plan, new
run id). Local runs of \`gitcrew run\` cannot be retried from their record
(the prompt is not kept); run the agent again with \`gitcrew run\`.`;
var verb = {
  summary: "queue a finished run again (server)",
  usage,
  async run(io) {
    const { id, json } = runIdArgs(io.argv, usage);
    const server = findServer(io.env);
    if (server) {
      const run = await new ServerClient(server).retry(id);
      if (json) io.stdout(`${JSON.stringify({ source: "server", retryOf: id, run: run.id, status: run.status })}
`);
      else io.stdout(`run ${id} queued again as ${run.id} (${run.status})
`);
      return EXIT.ok;
    }
    const rec = new RunRecords(io.env).require(id);
    throw new EnvironmentError(
      `gitcrew retry needs a running gitcrew serve; run ${rec.id} is a local run (${rec.agent}, ${rec.status})`,
      `run the agent again: gitcrew run ${rec.agent} --repo DIR --prompt "\u2026" (or start gitcrew serve and set GITCREW_SERVER_URL + GITCREW_API_TOKEN)`
    );
  }
};
export {
  verb
};
