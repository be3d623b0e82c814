import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  APPROVALS_DIR,
  APPROVAL_BRANCH_PREFIX,
  REJECTED_REF_PREFIX,
  parseRequest
} from "./chunk-K3FINIMT.js";
import "./chunk-VJIE67J4.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  EXIT,
  GitcrewError,
  InputError,
  UsageError
} from "./chunk-QEBERIHX.js";
import "./chunk-ZZLPSW6X.js";

// src/cli/approvals.ts
import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { promisify } from "node:util";
var run = promisify(execFile);
var usage = `Usage: gitcrew approvals list [--state pending|approved|rejected] [--repo DIR] [--no-fetch] [--json]
       gitcrew approvals show ID [--repo DIR] [--no-fetch] [--json]

Approval requests as the repository records them (see docs/approvals.md):
approved = .gitcrew/approvals/ID.yaml merged to the default branch;
pending  = an open gitcrew/approval/ID branch;
rejected = closed without merging (refs/gitcrew/rejected/ID).
  --repo DIR   the repository (default: the current folder)
  --no-fetch   do not fetch from origin first
  --state S    only requests in this state
  --json       {"approvals":[{"id","status","kind","what","reason","agent","requested_by","run","repo","thread","requested_at","ref","commit","approved_by","approved_at"}]}`;
var STATES = ["pending", "approved", "rejected"];
async function git(dir, args) {
  const { stdout } = await run("git", ["-C", dir, ...args], { maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}
var tryGit = (dir, args) => git(dir, args).catch(() => "");
async function defaultBranch(dir, hasOrigin) {
  if (hasOrigin) {
    const head = (await tryGit(dir, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])).trim();
    if (head.startsWith("origin/")) return head.slice("origin/".length);
    const remote = (await tryGit(dir, ["ls-remote", "--symref", "origin", "HEAD"])).match(/^ref: refs\/heads\/(\S+)\s+HEAD/m)?.[1];
    if (remote) return remote;
  }
  for (const b of ["main", "master"]) if ((await tryGit(dir, ["rev-parse", "--verify", "--quiet", `refs/heads/${b}`])).trim()) return b;
  return (await tryGit(dir, ["rev-parse", "--abbrev-ref", "HEAD"])).trim() || "main";
}
async function readApprovals(dir, opts = {}) {
  if (!(await tryGit(dir, ["rev-parse", "--git-dir"])).trim()) throw new InputError(`${dir} is not a git repository`, "give the repository with --repo DIR");
  const hasOrigin = (await tryGit(dir, ["remote"])).split("\n").includes("origin");
  const branch = await defaultBranch(dir, hasOrigin);
  if (hasOrigin && opts.fetch !== false) {
    await tryGit(dir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    await tryGit(dir, ["fetch", "--quiet", "--no-tags", "--prune", "origin", `+refs/heads/${APPROVAL_BRANCH_PREFIX}*:refs/remotes/origin/${APPROVAL_BRANCH_PREFIX}*`]);
    await tryGit(dir, ["fetch", "--quiet", "--no-tags", "origin", `+${REJECTED_REF_PREFIX}*:${REJECTED_REF_PREFIX}*`]);
  }
  const remoteDefault = `refs/remotes/origin/${branch}`;
  const defRef = (await tryGit(dir, ["rev-parse", "--verify", "--quiet", remoteDefault])).trim() ? remoteDefault : branch;
  const rows = /* @__PURE__ */ new Map();
  const read = async (ref, id) => {
    const text = await tryGit(dir, ["show", `${ref}:${APPROVALS_DIR}/${id}.yaml`]);
    return text ? parseRequest(text, id) : void 0;
  };
  const files = (await tryGit(dir, ["ls-tree", "--name-only", `${defRef}:${APPROVALS_DIR}`])).split("\n").filter((f) => f.endsWith(".yaml"));
  for (const f of files) {
    const id = f.slice(0, -".yaml".length);
    const req = await read(defRef, id);
    if (!req) continue;
    const [commit = "", by = "", at = ""] = (await tryGit(dir, ["log", "-1", "--first-parent", "--format=%H%x09%an%x09%aI", defRef, "--", `${APPROVALS_DIR}/${f}`])).trim().split("	");
    rows.set(id, { ...req, id, status: "approved", ref: defRef, commit, ...by ? { approved_by: by } : {}, ...at ? { approved_at: at } : {} });
  }
  const refs = (await tryGit(dir, ["for-each-ref", "--format=%(refname) %(objectname)", REJECTED_REF_PREFIX, `refs/remotes/origin/${APPROVAL_BRANCH_PREFIX}`, `refs/heads/${APPROVAL_BRANCH_PREFIX}`])).split("\n").filter(Boolean).map((l) => l.split(" "));
  for (const [ref, sha] of refs) {
    const rejected = ref.startsWith(REJECTED_REF_PREFIX);
    const id = rejected ? ref.slice(REJECTED_REF_PREFIX.length) : ref.slice(ref.indexOf(APPROVAL_BRANCH_PREFIX) + APPROVAL_BRANCH_PREFIX.length);
    const known = rows.get(id);
    if (known && (known.status === "approved" || !rejected)) continue;
    const req = await read(ref, id);
    if (!req) continue;
    rows.set(id, { ...req, id, status: rejected ? "rejected" : "pending", ref, commit: sha });
  }
  return [...rows.values()].sort((a, b) => (b.requested_at || "").localeCompare(a.requested_at || "") || a.id.localeCompare(b.id));
}
function human(r) {
  const lines = [
    `${r.id}: ${r.status}`,
    `  kind:         ${r.kind}`,
    `  what:         ${r.what}`,
    `  why:          ${r.reason}`,
    `  agent:        @${r.agent}`,
    `  requested by: @${r.requested_by}${r.requested_at ? ` at ${r.requested_at}` : ""}`,
    `  run:          ${r.run}`,
    `  thread:       ${r.repo}#${r.thread}${r.thread_url ? ` ${r.thread_url}` : ""}`,
    `  ref:          ${r.ref} (${r.commit.slice(0, 12)})`
  ];
  if (r.status === "approved") lines.push(`  approved:     merged${r.approved_by ? ` by ${r.approved_by}` : ""}${r.approved_at ? ` at ${r.approved_at}` : ""}`);
  return lines.join("\n");
}
var verb = {
  summary: "list and show approval requests (read from the repo)",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { repo: { type: "string" }, json: { type: "boolean" }, state: { type: "string" }, "no-fetch": { type: "boolean" } },
      usage,
      true
    );
    const [sub, id, extra] = positionals;
    if (sub !== "list" && sub !== "show") throw new UsageError(sub ? `unknown subcommand "${sub}"` : "give a subcommand: list or show", usage);
    if (extra !== void 0 || sub === "list" && id !== void 0) throw new UsageError(`unexpected argument "${extra ?? id}"`, usage);
    const state = values.state;
    if (state && !STATES.includes(state)) throw new UsageError(`unknown state "${state}": expected one of ${STATES.join(", ")}`, usage);
    const dir = resolve(io.cwd, values.repo ?? ".");
    const rows = await readApprovals(dir, { fetch: !values["no-fetch"] });
    if (sub === "show") {
      if (!id) throw new UsageError("give the approval id: gitcrew approvals show ID", usage);
      const row = rows.find((r) => r.id === id);
      if (!row) throw new GitcrewError(`no approval request "${id}" in ${dir}`, EXIT.failed, "gitcrew approvals list shows the known ids");
      io.stdout(values.json ? `${JSON.stringify(row, null, 2)}
` : `${human(row)}
`);
      return EXIT.ok;
    }
    const shown = rows.filter((r) => !state || r.status === state);
    if (values.json) {
      io.stdout(`${JSON.stringify({ approvals: shown }, null, 2)}
`);
      return EXIT.ok;
    }
    if (shown.length === 0) {
      io.stdout("no approval requests\n");
      return EXIT.ok;
    }
    const table = shown.map((r) => [r.id, r.status, r.kind, `@${r.agent}`, r.thread ? `#${r.thread}` : "-", r.what.replace(/\s+/g, " ").slice(0, 60)]);
    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[["ID", "STATUS", "KIND", "AGENT", "THREAD"][i], ...table.map((t) => t[i])].map((x) => x.length)));
    const fmt = (cols) => cols.map((c, i) => i < 5 ? c.padEnd(widths[i]) : c).join("  ").trimEnd();
    io.stdout(`${[fmt(["ID", "STATUS", "KIND", "AGENT", "THREAD", "WHAT"]), ...table.map(fmt)].join("\n")}
`);
    return EXIT.ok;
  }
};
export {
  readApprovals,
  verb
};
