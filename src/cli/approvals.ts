/**
 * `gitcrew approvals list|show ID [--repo DIR] [--json]`: approval requests
 * and what gitcrew decided about them, read from the repository (no
 * database); see src/approvals/states.ts. With GITHUB_TOKEN (or GH_TOKEN)
 * set, GitHub is asked too, which tells a request closed while gitcrew did
 * not listen from an open one.
 */
import { resolve } from "node:path";
import type { Verb } from "./io.js";
import { parseFlags } from "./args.js";
import { repoFromOrigin } from "../approvals/git.js";
import { APPROVAL_STATES, readApprovals, withPullRequests, type ApprovalRow, type ApprovalStatus } from "../approvals/states.js";
import { connectGitHub } from "../github/index.js";
import type { RepoId } from "../github/types.js";
import { EXIT, GitcrewError, UsageError, errorMessage } from "../util/errors.js";
import { oneLine, terminalSafe } from "../util/terminal-text.js";

const usage = `Usage: gitcrew approvals list [--state STATE] [--repo DIR] [--no-fetch] [--no-github] [--json]
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

/** GitHub's view of closed requests, when a token is at hand; the repo's own otherwise. */
async function withGitHub(rows: ApprovalRow[], dir: string, env: NodeJS.ProcessEnv, warn: (line: string) => void): Promise<ApprovalRow[]> {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token || !rows.some((r) => r.status === "pending")) return rows;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  const rid: RepoId | undefined = owner && repo ? { owner, repo } : await repoFromOrigin(dir);
  if (!rid) {
    warn("gitcrew: not asking GitHub: set GITHUB_REPOSITORY=OWNER/NAME (origin's URL names no repository)\n");
    return rows;
  }
  try {
    const github = await connectGitHub({ auth: { token }, baseUrl: env.GITHUB_API_URL ?? "https://api.github.com" });
    return await withPullRequests(rows, github, rid);
  } catch (err) {
    warn(`gitcrew: could not ask GitHub about pending requests (${errorMessage(err)}); showing what the repository records\n`);
    return rows;
  }
}

/** One request, a field a line: each value on its line (the agent wrote what and why; a line break in them must not start a field of its own). */
function human(r: ApprovalRow): string {
  const v = (x: unknown) => oneLine(String(x ?? ""));
  const lines = [
    `${v(r.id)}: ${v(r.status)}`,
    `  kind:         ${v(r.kind)}`,
    `  what:         ${v(r.what)}`,
    `  why:          ${v(r.reason)}`,
    `  agent:        @${v(r.agent)}`,
    `  requested by: @${v(r.requested_by)}${r.requested_at ? ` at ${v(r.requested_at)}` : ""}`,
    `  run:          ${v(r.run)}`,
    `  thread:       ${v(r.repo)}#${v(r.thread)}${r.thread_url ? ` ${v(r.thread_url)}` : ""}`,
    `  ref:          ${v(r.ref)} (${v(r.commit.slice(0, 12))})`,
  ];
  if (r.status === "approved" || r.status === "not-counted") {
    const what = r.status === "approved" ? "approved:    " : "not counted: ";
    lines.push(`  ${what} merged${r.merged_by ? ` by @${v(r.merged_by)}` : ""}${r.decided_at ? ` (judged ${v(r.decided_at)})` : ""}${r.note ? `: ${v(r.note)}` : ""}`);
  } else if (r.note) lines.push(`  note:         ${v(r.note)}`);
  return lines.join("\n");
}

export const verb: Verb = {
  summary: "list and show approval requests (read from the repo)",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { repo: { type: "string" }, json: { type: "boolean" }, state: { type: "string" }, "no-fetch": { type: "boolean" }, "no-github": { type: "boolean" } },
      usage,
      true,
    );
    const [sub, id, extra] = positionals;
    if (sub !== "list" && sub !== "show") throw new UsageError(sub ? `unknown subcommand "${sub}"` : "give a subcommand: list or show", usage);
    if (extra !== undefined || (sub === "list" && id !== undefined)) throw new UsageError(`unexpected argument "${extra ?? id}"`, usage);
    const state = values.state as ApprovalStatus | undefined;
    if (state && !APPROVAL_STATES.includes(state)) throw new UsageError(`unknown state "${state}": expected one of ${APPROVAL_STATES.join(", ")}`, usage);
    const dir = resolve(io.cwd, (values.repo as string | undefined) ?? ".");
    const recorded = await readApprovals(dir, { fetch: !values["no-fetch"] });
    const rows = values["no-github"] ? recorded : await withGitHub(recorded, dir, io.env, io.stderr);
    if (sub === "show") {
      if (!id) throw new UsageError("give the approval id: gitcrew approvals show ID", usage);
      const row = rows.find((r) => r.id === id);
      if (!row) throw new GitcrewError(`no approval request "${id}" in ${dir}`, EXIT.failed, "gitcrew approvals list shows the known ids");
      // What and why are the agent's words: shown, never interpreted by the terminal.
      io.stdout(values.json ? `${JSON.stringify(row, null, 2)}\n` : `${terminalSafe(human(row))}\n`);
      return EXIT.ok;
    }
    const shown = rows.filter((r) => !state || r.status === state);
    if (values.json) {
      io.stdout(`${JSON.stringify({ approvals: shown }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (shown.length === 0) {
      io.stdout("no approval requests\n");
      return EXIT.ok;
    }
    const table = shown.map((r) => [r.id, r.status, r.kind, `@${r.agent}`, r.thread ? `#${r.thread}` : "-", r.what.replace(/\s+/g, " ").slice(0, 60)].map(oneLine));
    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[["ID", "STATUS", "KIND", "AGENT", "THREAD"][i] as string, ...table.map((t) => t[i] as string)].map((x) => x.length)));
    const fmt = (cols: string[]) => cols.map((c, i) => (i < 5 ? c.padEnd(widths[i] as number) : c)).join("  ").trimEnd();
    io.stdout(`${[fmt(["ID", "STATUS", "KIND", "AGENT", "THREAD", "WHAT"]), ...table.map(fmt)].join("\n")}\n`);
    return EXIT.ok;
  },
};
