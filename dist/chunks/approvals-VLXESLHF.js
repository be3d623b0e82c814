import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  APPROVALS_DIR,
  APPROVAL_BRANCH_PREFIX,
  APPROVED_REF_PREFIX,
  NOT_COUNTED_REF_PREFIX,
  REJECTED_REF_PREFIX,
  connectGitHub,
  parseOutcomeMessage,
  parseRequest,
  repoFromOrigin
} from "./chunk-GDYOQ7CJ.js";
import "./chunk-IGJC2BDY.js";
import "./chunk-BYIYRQLH.js";
import "./chunk-ISYIODF4.js";
import "./chunk-GWDRLLF3.js";
import "./chunk-YFIKI3HB.js";
import "./chunk-4MEYDY32.js";
import {
  oneLine,
  terminalSafe
} from "./chunk-HAGKOCQO.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import "./chunk-N64I43M3.js";
import {
  EXIT,
  GitcrewError,
  InputError,
  UsageError,
  errorMessage
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/approvals.ts
import { resolve } from "node:path";

// src/approvals/states.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
var run = promisify(execFile);
var APPROVAL_STATES = ["pending", "approved", "not-counted", "rejected", "unresolved"];
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
async function records(dir, prefix) {
  const out = await tryGit(dir, ["for-each-ref", "--format=%(refname)%09%(objectname)%09%(*objectname)%09%(taggerdate:iso-strict)%09%(contents:subject)%09%(contents:body)%00", prefix]);
  const byId = /* @__PURE__ */ new Map();
  for (const rec of out.split("\0")) {
    const [ref = "", obj = "", target = "", date = "", subject = "", ...body] = rec.replace(/^\n/, "").split("	");
    if (!ref.startsWith(prefix)) continue;
    byId.set(ref.slice(prefix.length), { ref, commit: target || obj, date, subject, body: body.join("	") });
  }
  return byId;
}
async function readApprovals(dir, opts = {}) {
  if (!(await tryGit(dir, ["rev-parse", "--git-dir"])).trim()) throw new InputError(`${dir} is not a git repository`, "give the repository with --repo DIR");
  const hasOrigin = (await tryGit(dir, ["remote"])).split("\n").includes("origin");
  const branch = await defaultBranch(dir, hasOrigin);
  if (hasOrigin && opts.fetch !== false) {
    await tryGit(dir, ["fetch", "--quiet", "--no-tags", "origin", `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
    await tryGit(dir, ["fetch", "--quiet", "--no-tags", "--prune", "origin", `+refs/heads/${APPROVAL_BRANCH_PREFIX}*:refs/remotes/origin/${APPROVAL_BRANCH_PREFIX}*`]);
    await tryGit(dir, ["fetch", "--quiet", "--no-tags", "origin", "+refs/gitcrew/*:refs/gitcrew/*"]);
  }
  const remoteDefault = `refs/remotes/origin/${branch}`;
  const defRef = (await tryGit(dir, ["rev-parse", "--verify", "--quiet", remoteDefault])).trim() ? remoteDefault : branch;
  const read = async (ref, id) => {
    const text = await tryGit(dir, ["show", `${ref}:${APPROVALS_DIR}/${id}.yaml`]);
    return text ? parseRequest(text, id) : void 0;
  };
  const rows = /* @__PURE__ */ new Map();
  for (const [status, prefix] of [["approved", APPROVED_REF_PREFIX], ["not-counted", NOT_COUNTED_REF_PREFIX]]) {
    for (const [id, r] of await records(dir, prefix)) {
      const req = await read(r.commit, id) ?? await read(defRef, id);
      if (!req) continue;
      const { by, why } = parseOutcomeMessage(r.subject, r.body);
      rows.set(id, {
        ...req,
        id,
        status,
        ref: r.ref,
        commit: r.commit,
        ...by ? { merged_by: by } : {},
        ...by && status === "approved" ? { approved_by: by } : {},
        ...r.date ? { decided_at: r.date } : {},
        ...r.date && status === "approved" ? { approved_at: r.date } : {},
        ...why ? { note: why } : {}
      });
    }
  }
  for (const [id, r] of await records(dir, REJECTED_REF_PREFIX)) {
    if (rows.has(id)) continue;
    const req = await read(r.commit, id);
    if (req) rows.set(id, { ...req, id, status: "rejected", ref: r.ref, commit: r.commit });
  }
  const files = (await tryGit(dir, ["ls-tree", "--name-only", `${defRef}:${APPROVALS_DIR}`])).split("\n").filter((f) => f.endsWith(".yaml"));
  for (const f of files) {
    const id = f.slice(0, -".yaml".length);
    if (rows.has(id)) continue;
    const req = await read(defRef, id);
    if (!req) continue;
    const commit = (await tryGit(dir, ["log", "-1", "--first-parent", "--format=%H", defRef, "--", `${APPROVALS_DIR}/${f}`])).trim();
    rows.set(id, { ...req, id, status: "unresolved", ref: defRef, commit, note: `merged to ${branch}; gitcrew has not judged the merge yet` });
  }
  const branches = (await tryGit(dir, ["for-each-ref", "--format=%(refname) %(objectname)", `refs/remotes/origin/${APPROVAL_BRANCH_PREFIX}`, `refs/heads/${APPROVAL_BRANCH_PREFIX}`])).split("\n").filter(Boolean).map((l) => l.split(" "));
  for (const [ref, sha] of branches) {
    const id = ref.slice(ref.indexOf(APPROVAL_BRANCH_PREFIX) + APPROVAL_BRANCH_PREFIX.length);
    if (rows.has(id)) continue;
    const req = await read(ref, id);
    if (req) rows.set(id, { ...req, id, status: "pending", ref, commit: sha });
  }
  return [...rows.values()].sort((a, b) => (b.requested_at || "").localeCompare(a.requested_at || "") || a.id.localeCompare(b.id));
}
async function withPullRequests(rows, github, repo) {
  if (!rows.some((r) => r.status === "pending") || !github.listPullRequests) return rows;
  const closed = await github.listPullRequests(repo, { state: "closed", max: 300 });
  return rows.map((r) => {
    if (r.status !== "pending") return r;
    const pr = closed.find((p) => p.headRef === `${APPROVAL_BRANCH_PREFIX}${r.id}`);
    if (!pr) return r;
    const how = pr.merged ? "merged" : "closed without merging";
    return { ...r, status: "unresolved", note: `#${pr.number} was ${how} on GitHub; gitcrew has not resolved it yet` };
  });
}

// src/cli/approvals.ts
var usage = `Usage: gitcrew approvals list [--state STATE] [--repo DIR] [--no-fetch] [--no-github] [--json]
       gitcrew approvals show ID [--repo DIR] [--no-fetch] [--no-github] [--json]

Approval requests and what gitcrew decided, as the repository records them
(see docs/approvals.md):
  approved     merged by someone who counts (refs/gitcrew/approved/ID names who)
  not-counted  merged by someone who does not count (refs/gitcrew/not-counted/ID)
  rejected     closed without merging (refs/gitcrew/rejected/ID)
  unresolved   merged or closed, but gitcrew has not resolved it yet
  pending      an open gitcrew/approval/ID branch and none of the above
Without a token, a request closed while gitcrew did not listen reads as
pending: the repository cannot tell. With GITHUB_TOKEN (or GH_TOKEN) set,
GitHub is asked (GITHUB_API_URL, GITHUB_REPOSITORY or origin's URL).
  --repo DIR    the repository (default: the current folder)
  --no-fetch    do not fetch from origin first
  --no-github   do not ask GitHub, even with a token
  --state S     only requests in this state
  --json        {"approvals":[{"id","status","kind","what","reason","agent","requested_by","run","repo","thread","requested_at","ref","commit","merged_by","approved_by","decided_at","approved_at","note"}]}`;
async function withGitHub(rows, dir, env, warn) {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token || !rows.some((r) => r.status === "pending")) return rows;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const rid = owner && repo ? { owner, repo } : await repoFromOrigin(dir);
  if (!rid) {
    warn("gitcrew: not asking GitHub: set GITHUB_REPOSITORY=OWNER/NAME (origin's URL names no repository)\n");
    return rows;
  }
  try {
    const github = await connectGitHub({ auth: { token }, baseUrl: env.GITHUB_API_URL ?? "https://api.github.com" });
    return await withPullRequests(rows, github, rid);
  } catch (err) {
    warn(`gitcrew: could not ask GitHub about pending requests (${errorMessage(err)}); showing what the repository records
`);
    return rows;
  }
}
function human(r) {
  const v = (x) => oneLine(String(x ?? ""));
  const lines = [
    `${v(r.id)}: ${v(r.status)}`,
    `  kind:         ${v(r.kind)}`,
    `  what:         ${v(r.what)}`,
    `  why:          ${v(r.reason)}`,
    `  agent:        @${v(r.agent)}`,
    `  requested by: @${v(r.requested_by)}${r.requested_at ? ` at ${v(r.requested_at)}` : ""}`,
    `  run:          ${v(r.run)}`,
    `  thread:       ${v(r.repo)}#${v(r.thread)}${r.thread_url ? ` ${v(r.thread_url)}` : ""}`,
    `  ref:          ${v(r.ref)} (${v(r.commit.slice(0, 12))})`
  ];
  if (r.status === "approved" || r.status === "not-counted") {
    const what = r.status === "approved" ? "approved:    " : "not counted: ";
    lines.push(`  ${what} merged${r.merged_by ? ` by @${v(r.merged_by)}` : ""}${r.decided_at ? ` (judged ${v(r.decided_at)})` : ""}${r.note ? `: ${v(r.note)}` : ""}`);
  } else if (r.note) lines.push(`  note:         ${v(r.note)}`);
  return lines.join("\n");
}
var verb = {
  summary: "list and show approval requests (read from the repo)",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { repo: { type: "string" }, json: { type: "boolean" }, state: { type: "string" }, "no-fetch": { type: "boolean" }, "no-github": { type: "boolean" } },
      usage,
      true
    );
    const [sub, id, extra] = positionals;
    if (sub !== "list" && sub !== "show") throw new UsageError(sub ? `unknown subcommand "${sub}"` : "give a subcommand: list or show", usage);
    if (extra !== void 0 || sub === "list" && id !== void 0) throw new UsageError(`unexpected argument "${extra ?? id}"`, usage);
    const state = values.state;
    if (state && !APPROVAL_STATES.includes(state)) throw new UsageError(`unknown state "${state}": expected one of ${APPROVAL_STATES.join(", ")}`, usage);
    const dir = resolve(io.cwd, values.repo ?? ".");
    const recorded = await readApprovals(dir, { fetch: !values["no-fetch"] });
    const rows = values["no-github"] ? recorded : await withGitHub(recorded, dir, io.env, io.stderr);
    if (sub === "show") {
      if (!id) throw new UsageError("give the approval id: gitcrew approvals show ID", usage);
      const row = rows.find((r) => r.id === id);
      if (!row) throw new GitcrewError(`no approval request "${id}" in ${dir}`, EXIT.failed, "gitcrew approvals list shows the known ids");
      io.stdout(values.json ? `${JSON.stringify(row, null, 2)}
` : `${terminalSafe(human(row))}
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
    const table = shown.map((r) => [r.id, r.status, r.kind, `@${r.agent}`, r.thread ? `#${r.thread}` : "-", r.what.replace(/\s+/g, " ").slice(0, 60)].map(oneLine));
    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[["ID", "STATUS", "KIND", "AGENT", "THREAD"][i], ...table.map((t) => t[i])].map((x) => x.length)));
    const fmt = (cols) => cols.map((c, i) => i < 5 ? c.padEnd(widths[i]) : c).join("  ").trimEnd();
    io.stdout(`${[fmt(["ID", "STATUS", "KIND", "AGENT", "THREAD", "WHAT"]), ...table.map(fmt)].join("\n")}
`);
    return EXIT.ok;
  }
};
export {
  verb
};
