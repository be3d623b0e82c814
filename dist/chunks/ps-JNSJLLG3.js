import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  repoKey,
  repoNameProblem,
  repoOfThreadKey
} from "./chunk-ZEU2GWSI.js";
import {
  RUN_STATUSES
} from "./chunk-5JPDJB34.js";
import {
  ServerClient,
  findServer
} from "./chunk-5HJXHEJH.js";
import {
  costCellText,
  runCostOf
} from "./chunk-IGJC2BDY.js";
import {
  RunRecords,
  ownerGone
} from "./chunk-N5XJEPJ3.js";
import "./chunk-ZNFD3J2A.js";
import {
  oneLine
} from "./chunk-HAGKOCQO.js";
import {
  intFlag,
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  EXIT,
  GitcrewError,
  UsageError
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/ps.ts
var usage = `Usage: gitcrew ps [--all] [--status STATUS] [--repo OWNER/NAME] [--limit N] [--json]
       gitcrew ps --queue [--all] [--limit N] [--json]

Lists runs, newest first: id, agent, status, age and repo (or thread). With a
running \`gitcrew serve\` (its server file under $GITCREW_HOME, or
GITCREW_SERVER_URL + GITCREW_API_TOKEN) the server's runs; otherwise the
local runs of \`gitcrew run\` under $GITCREW_HOME/runs.
  --all        every run (default: the last 20)
  --status S   only runs with this status (${RUN_STATUSES.join(", ")})
  --repo R     only runs of this repository (OWNER/NAME, any case; local
               runs, which know their checkout's folder, match by NAME)
  --limit N    at most N runs
  --json       {"source":"server"|"local","runs":[{"id","agent","status","createdAt","repo","thread","exitCode","reason","tokens","costUsd"}]}
               (thread: the server's thread key, null for local runs)
COST is the run's model tokens (input, output, cache) and USD, metered by the
run gateway; "price unknown" for a model without a price, "\u2014" without metering.

  --queue      the server's queue instead: what waits, in the order runs start,
               with POS (1 = next in line) and WAITING, why it waits: behind
               runs in its thread, its agent or repository at its concurrency
               limit, a retry time, no free runner slot on the server asked,
               or next
  --json       with --queue: {"source":"server","queued","running","queue":[{"position","id",
               "agent","threadKey","createdAt","attempt","reason":{"kind",\u2026},"waiting"}]}`;
var costFields = (c) => ({ tokens: c?.tokens.total ?? null, costUsd: c?.costUsd ?? null });
var verb = {
  summary: "list runs (server or local) with their status",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { all: { type: "boolean" }, status: { type: "string" }, limit: { type: "string" }, json: { type: "boolean" }, queue: { type: "boolean" }, repo: { type: "string" } },
      usage,
      true
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, usage);
    const status = values.status;
    if (status && !RUN_STATUSES.includes(status)) throw new UsageError(`unknown status "${status}": expected one of ${RUN_STATUSES.join(", ")}`, usage);
    const limit = intFlag(values.limit, "--limit", usage) ?? (values.all ? void 0 : 20);
    const repo = values.repo;
    if (values.queue) {
      if (status) throw new UsageError("--queue lists queued runs: --status does not apply", usage);
      if (repo) throw new UsageError("--queue lists the server's whole queue: --repo does not apply", usage);
      return showQueue(io, Math.min(limit ?? 1e3, 1e3), values.json === true);
    }
    const server = findServer(io.env);
    let rows;
    if (server) {
      if (repo !== void 0 && repoNameProblem(repo) !== void 0) throw new UsageError(`--repo "${oneLine(repo)}" is not OWNER/NAME`, usage);
      const runs = await new ServerClient(server).ps({ status, repo, limit: limit ?? 1e3 });
      const repoOf = (r) => r.repo ?? repoOfThreadKey(r.threadKey) ?? r.threadKey;
      rows = runs.filter((r) => !repo || repoKey(repoOf(r)) === repoKey(repo)).map((r) => ({
        id: r.id,
        agent: r.agent,
        status: r.status,
        createdAt: new Date(r.createdAt).toISOString(),
        repo: repoOf(r),
        thread: r.threadKey,
        exitCode: null,
        reason: r.error ?? null,
        ...costFields(r.cost),
        cost: r.cost
      }));
    } else {
      const records = new RunRecords(io.env).list().filter((r) => (!status || r.status === status) && (!repo || sameLocalRepo(r.repo, repo)));
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
      ...rows.map((r) => [r.id, r.agent, r.status, age(now - Date.parse(r.createdAt)), costCellText(r.cost), r.thread ?? r.repo].map(oneLine))
    ];
    const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
    for (const row of table) io.stdout(`${row.map((c, i) => i === row.length - 1 ? c : c.padEnd(widths[i])).join("  ")}
`);
    return EXIT.ok;
  }
};
async function showQueue(io, limit, json) {
  const server = findServer(io.env);
  if (!server) {
    throw new GitcrewError("no gitcrew serve found: the queue is the server's", EXIT.environment, "start gitcrew serve, or set GITCREW_SERVER_URL and GITCREW_API_TOKEN");
  }
  const answer = await new ServerClient(server).queue(Math.max(1, limit));
  if (json) {
    io.stdout(`${JSON.stringify({ source: "server", queued: answer.queued, running: answer.running, queue: answer.queue })}
`);
    return EXIT.ok;
  }
  if (answer.queue.length === 0) {
    io.stderr(`nothing queued on ${server.url} (${answer.running} running)
`);
    return EXIT.ok;
  }
  const now = Date.now();
  const table = [
    ["POS", "RUN", "AGENT", "AGE", "THREAD", "WAITING"],
    ...answer.queue.map((e) => [String(e.position), e.id, e.agent, age(now - e.createdAt), e.threadKey, e.waiting].map(oneLine))
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) io.stdout(`${row.map((c, i) => i === row.length - 1 ? c : c.padEnd(widths[i])).join("  ")}
`);
  const more = answer.queued - answer.queue.length;
  io.stdout(`${answer.queued} queued, ${answer.running} running${more > 0 ? `; ${more} more not shown (--limit N, --all)` : ""}
`);
  return EXIT.ok;
}
function sameLocalRepo(recorded, wanted) {
  return [wanted, wanted.split("/").pop() ?? wanted].some((w) => repoKey(w) === repoKey(recorded));
}
function localRow(r) {
  const lost = ownerGone(r);
  const cost = runCostOf(r.result?.gateway);
  return {
    id: r.id,
    agent: r.agent,
    status: lost ? `${r.status} (runner gone)` : r.status,
    createdAt: r.createdAt,
    repo: r.repo,
    thread: null,
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
