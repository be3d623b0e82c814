/** `gitcrew logs RUN [--follow]`: the masked log of a run (server or local). */
import type { Verb } from "./io.js";
import { parseFlags } from "./args.js";
import { findServer, ServerClient } from "../server/client.js";
import { RunRecords, ownerGone } from "../runner/records.js";
import { readLocalLog } from "../runner/local-runs.js";
import { FINAL_STATUSES } from "../store/types.js";
import { EXIT, UsageError } from "../util/errors.js";
import { oneLine, terminalSafe } from "../util/terminal-text.js";
import { costCellText, runCostOf, type RunCost } from "../runner/cost.js";

const usage = `Usage: gitcrew logs RUN [--follow]

Prints the log of RUN (see \`gitcrew ps\`), secrets already masked. With
--follow, keeps printing until the run ends (Ctrl-C stops following, not the run)
and then its status and, when metered by the run gateway, its tokens and cost.
Reads from a running \`gitcrew serve\` when there is one, else the local runs
under $GITCREW_HOME/runs.`;

const POLL_MS = 250;

export const verb: Verb = {
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
      for (;;) {
        const { run, chunks } = await client.logs(id, after);
        for (const c of chunks) {
          const text = terminalSafe(c.text);
          io.stdout(text.endsWith("\n") ? text : `${text}\n`);
          after = Math.max(after, c.seq);
        }
        const final = FINAL_STATUSES.includes(run.status);
        // After a final status one more read returns whatever was written just before it.
        if (!values.follow || io.signal?.aborted || (final && chunks.length === 0)) {
          if (values.follow && final) io.stderr(`▸ run ${run.id} ${run.status}${costSuffix(run.cost)}${run.error ? `: ${oneLine(run.error)}` : ""}\n`);
          return EXIT.ok;
        }
        if (!final) await sleep(POLL_MS, io.signal);
      }
    }

    const records = new RunRecords(io.env);
    // The log is the agent's output: shown, never interpreted by the terminal.
    const rec = await readLocalLog(records, id, (text) => io.stdout(terminalSafe(text)), { follow: values.follow, signal: io.signal, pollMs: POLL_MS });
    if (values.follow) {
      if (ownerGone(rec)) io.stderr(`▸ run ${rec.id}: its runner (pid ${rec.owner.pid}) is gone; the next \`gitcrew run\` records it failed\n`);
      else if (!io.signal?.aborted) io.stderr(`▸ run ${rec.id} ${rec.status}${costSuffix(runCostOf(rec.result?.gateway))}${rec.reason ? `: ${oneLine(rec.reason)}` : ""}\n`);
    }
    return EXIT.ok;
  },
};

/** " (6,540 tokens · $0.12)" after a finished run's status. */
function costSuffix(cost: RunCost | undefined): string {
  return cost ? ` (${costCellText(cost)})` : "";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });
}
