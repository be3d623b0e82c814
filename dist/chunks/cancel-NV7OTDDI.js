import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  cancelLocalRun
} from "./chunk-WK36GWVW.js";
import {
  ServerClient,
  findServer
} from "./chunk-5HJXHEJH.js";
import "./chunk-QYJ4L7FF.js";
import {
  RunRecords
} from "./chunk-N5XJEPJ3.js";
import "./chunk-HAGKOCQO.js";
import {
  runIdArgs
} from "./chunk-S5X7QBCU.js";
import {
  EXIT
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/cancel.ts
var usage = `Usage: gitcrew cancel RUN [--json]

Stops RUN (see \`gitcrew ps\`). With a running \`gitcrew serve\` the server
cancels it. Otherwise, for a local \`gitcrew run\`: its container is killed
(found through its gitcrew.run label) and the run is recorded cancelled with
exit code 130; a run that already finished is left as it is.`;
var verb = {
  summary: "cancel a queued or running run",
  usage,
  async run(io) {
    const { id, json } = runIdArgs(io.argv, usage);
    const server = findServer(io.env);
    if (server) {
      const run = await new ServerClient(server).cancel(id);
      if (json) io.stdout(`${JSON.stringify({ source: "server", run: run.id, status: run.status, cancelRequested: run.cancelRequested })}
`);
      else io.stdout(`run ${run.id}: ${run.status === "cancelled" ? "cancelled" : `cancel requested (now ${run.status})`}
`);
      return EXIT.ok;
    }
    const out = await cancelLocalRun(new RunRecords(io.env), id, { env: io.env, by: `gitcrew cancel (pid ${process.pid})` });
    const rec = out.record;
    if (json) {
      const exitCode = rec.exitCode ?? rec.result?.exitCode ?? null;
      io.stdout(`${JSON.stringify({ source: "local", run: rec.id, status: rec.status, exitCode, alreadyFinished: out.alreadyFinished, pending: out.pending, killed: out.killed })}
`);
    } else if (out.alreadyFinished) {
      io.stdout(`run ${rec.id} already finished (${rec.status}); nothing to cancel
`);
    } else if (out.pending) {
      io.stdout(`run ${rec.id}: cancel requested; its runner has not recorded it yet (still ${rec.status})
`);
    } else {
      io.stdout(`run ${rec.id} ${rec.status}${out.killed.length ? ` (container ${out.killed.map((c) => c.slice(0, 12)).join(", ")} killed)` : ""}
`);
    }
    return EXIT.ok;
  }
};
export {
  verb
};
