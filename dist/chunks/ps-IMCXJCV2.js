import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  RUN_STATUSES
} from "./chunk-H5IRGGZK.js";
import {
  ServerClient,
  findServer
} from "./chunk-2YDUPAIH.js";
import {
  costCellText,
  runCostOf
} from "./chunk-IGJC2BDY.js";
import {
  RunRecords,
  ownerGone
} from "./chunk-Y62GFOZG.js";
import {
  oneLine
} from "./chunk-KJXN722L.js";
import {
  intFlag,
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  EXIT,
  UsageError
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/ps.ts
var usage = `Usage: gitcrew ps [--all] [--status STATUS] [--limit N] [--json]

Lists runs, newest first: id, agent, status, age and repo (or thread). With a
running \`gitcrew serve\` (its server file under $GITCREW_HOME, or
GITCREW_SERVER_URL + GITCREW_API_TOKEN) the server's runs; otherwise the
local runs of \`gitcrew run\` under $GITCREW_HOME/runs.
  --all        every run (default: the last 20)
  --status S   only runs with this status (${RUN_STATUSES.join(", ")})
  --limit N    at most N runs
  --json       {"source":"server"|"local","runs":[{"id","agent","status","createdAt","repo","exitCode","reason","tokens","costUsd"}]}
COST is the run's model tokens (input, output, cache) and USD, metered by the
run gateway; "price unknown" for a model without a price, "\u2014" without metering.`;
var costFields = (c) => ({ tokens: c?.tokens.total ?? null, costUsd: c?.costUsd ?? null });
var verb = {
  summary: "list runs (server or local) with their status",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { all: { type: "boolean" }, status: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } },
      usage,
      true
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, usage);
    const status = values.status;
    if (status && !RUN_STATUSES.includes(status)) throw new UsageError(`unknown status "${status}": expected one of ${RUN_STATUSES.join(", ")}`, usage);
    const limit = intFlag(values.limit, "--limit", usage) ?? (values.all ? void 0 : 20);
    const server = findServer(io.env);
    let rows;
    if (server) {
      const runs = await new ServerClient(server).ps({ status, limit: limit ?? 1e3 });
      rows = runs.map((r) => ({
        id: r.id,
        agent: r.agent,
        status: r.status,
        createdAt: new Date(r.createdAt).toISOString(),
        repo: r.threadKey,
        exitCode: null,
        reason: r.error ?? null,
        ...costFields(r.cost),
        cost: r.cost
      }));
    } else {
      const records = new RunRecords(io.env).list().filter((r) => !status || r.status === status);
      rows = (limit === void 0 ? records : records.slice(0, limit)).map(localRow);
    }
    if (values.json) {
      io.stdout(`${JSON.stringify({ source: server ? "server" : "local", runs: rows.map(({ cost: _cost, ...row }) => row) })}
`);
      return EXIT.ok;
    }
    if (rows.length === 0) {
      io.stderr(server ? `no runs on ${server.url}
` : `no local runs under ${new RunRecords(io.env).root}
`);
      return EXIT.ok;
    }
    const now = Date.now();
    const table = [
      ["RUN", "AGENT", "STATUS", "AGE", "COST", server ? "THREAD" : "REPO"],
      ...rows.map((r) => [r.id, r.agent, r.status, age(now - Date.parse(r.createdAt)), costCellText(r.cost), r.repo].map(oneLine))
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const row of table) io.stdout(`${row.map((c, i) => i === row.length - 1 ? c : c.padEnd(widths[i])).join("  ")}
`);
    return EXIT.ok;
  }
};
function localRow(r) {
  const lost = ownerGone(r);
  const cost = runCostOf(r.result?.gateway);
  return {
    id: r.id,
    agent: r.agent,
    status: lost ? `${r.status} (runner gone)` : r.status,
    createdAt: r.createdAt,
    repo: r.repo,
    exitCode: r.exitCode ?? r.result?.exitCode ?? null,
    reason: r.reason ?? (lost ? `its runner (pid ${r.owner.pid}) is gone` : null),
    ...costFields(cost),
    cost
  };
}
function age(ms) {
  const s = Math.max(0, Math.round(ms / 1e3));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}
export {
  age,
  verb
};
