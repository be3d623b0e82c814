import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  readLocalLog
} from "./chunk-WK36GWVW.js";
import {
  FINAL_STATUSES
} from "./chunk-5JPDJB34.js";
import {
  ServerClient,
  findServer
} from "./chunk-5HJXHEJH.js";
import {
  costCellText,
  runCostOf
} from "./chunk-IGJC2BDY.js";
import "./chunk-QYJ4L7FF.js";
import {
  RunRecords,
  ownerGone
} from "./chunk-N5XJEPJ3.js";
import {
  oneLine,
  terminalSafe
} from "./chunk-HAGKOCQO.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  EXIT,
  UsageError
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/logs.ts
var usage = `Usage: gitcrew logs RUN [--follow]

Prints the log of RUN (see \`gitcrew ps\`), secrets already masked. With
--follow, keeps printing until the run ends (Ctrl-C stops following, not the run)
and then its status and, when metered by the run gateway, its tokens and cost.
Reads from a running \`gitcrew serve\` when there is one, else the local runs
under $GITCREW_HOME/runs.`;
var POLL_MS = 250;
var verb = {
  summary: "print (and --follow) the masked log of a run",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(io.argv, { follow: { type: "boolean", short: "f" } }, usage, true);
    const [id, extra] = positionals;
    if (!id) throw new UsageError("missing RUN", usage);
    if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
    const server = findServer(io.env);
    if (server) {
      const client = new ServerClient(server);
      let after = 0;
      for (; ; ) {
        const { run, chunks } = await client.logs(id, after);
        for (const c of chunks) {
          const text = terminalSafe(c.text);
          io.stdout(text.endsWith("\n") ? text : `${text}
`);
          after = Math.max(after, c.seq);
        }
        const final = FINAL_STATUSES.includes(run.status);
        if (!values.follow || io.signal?.aborted || final && chunks.length === 0) {
          if (values.follow && final) io.stderr(`\u25B8 run ${run.id} ${run.status}${costSuffix(run.cost)}${run.error ? `: ${oneLine(run.error)}` : ""}
`);
          return EXIT.ok;
        }
        if (!final) await sleep(POLL_MS, io.signal);
      }
    }
    const records = new RunRecords(io.env);
    const rec = await readLocalLog(records, id, (text) => io.stdout(terminalSafe(text)), { follow: values.follow, signal: io.signal, pollMs: POLL_MS });
    if (values.follow) {
      if (ownerGone(rec)) io.stderr(`\u25B8 run ${rec.id}: its runner (pid ${rec.owner.pid}) is gone; the next \`gitcrew run\` records it failed
`);
      else if (!io.signal?.aborted) io.stderr(`\u25B8 run ${rec.id} ${rec.status}${costSuffix(runCostOf(rec.result?.gateway))}${rec.reason ? `: ${oneLine(rec.reason)}` : ""}
`);
    }
    return EXIT.ok;
  }
};
function costSuffix(cost) {
  return cost ? ` (${costCellText(cost)})` : "";
}
function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}
export {
  verb
};
