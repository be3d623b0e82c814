/**
 * The state of every approval request, read from what gitcrew recorded in the
 * repository (no database, no GitHub API needed):
 *
 * - approved:    refs/gitcrew/approved/<id>, a tag on the merge commit naming the merger's login and why it counted;
 * - not-counted: refs/gitcrew/not-counted/<id>, the same for a merge by someone who does not count;
 * - rejected:    refs/gitcrew/rejected/<id>, the closed request's head;
 * - unresolved:  `.gitcrew/approvals/<id>.yaml` is on the default branch but gitcrew has not judged the merge yet;
 * - pending:     a `gitcrew/approval/<id>` branch and nothing of the above.
 *
 * The repository cannot tell an open request from one closed while gitcrew
 * did not listen: given a GitHub client, `withPullRequests` asks GitHub and
 * turns such a "pending" into "unresolved".
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { GitHubClient, RepoId } from "../github/types.js";
import { InputError } from "../util/errors.js";
import { APPROVED_REF_PREFIX, NOT_COUNTED_REF_PREFIX, parseOutcomeMessage } from "./outcomes.js";
import { APPROVAL_BRANCH_PREFIX, APPROVALS_DIR, REJECTED_REF_PREFIX, parseRequest, type ApprovalRequest } from "./request.js";

const run = promisify(execFile);

export type ApprovalStatus = "pending" | "approved" | "not-counted" | "rejected" | "unresolved";
export const APPROVAL_STATES: readonly ApprovalStatus[] = ["pending", "approved", "not-counted", "rejected", "unresolved"];

export interface ApprovalRow extends ApprovalRequest {
  status: ApprovalStatus;
  /** Where it was read: the outcome ref, the default branch or the approval branch. */
  ref: string;
  /** The merge commit (approved, not-counted, unresolved merge), else the request's head. */
  commit: string;
  /** The merger's login, as gitcrew recorded it (approved, not-counted). */
  merged_by?: string;
  /** approved only: the same login. */
  approved_by?: string;
  /** When gitcrew decided (approved, not-counted). */
  decided_at?: string;
  approved_at?: string;
  /** Why the merge counted or not; for unresolved, what is known. */
  note?: string;
}

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", dir, ...args], { maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}
const tryGit = (dir: string, args: string[]) => git(dir, args).catch(() => "");

async function defaultBranch(dir: string, hasOrigin: boolean): Promise<string> {
  if (hasOrigin) {
    const head = (await tryGit(dir, ["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"])).trim();
    if (head.startsWith("origin/")) return head.slice("origin/".length);
    const remote = (await tryGit(dir, ["ls-remote", "--symref", "origin", "HEAD"])).match(/^ref: refs\/heads\/(\S+)\s+HEAD/m)?.[1];
    if (remote) return remote;
  }
  for (const b of ["main", "master"]) if ((await tryGit(dir, ["rev-parse", "--verify", "--quiet", `refs/heads/${b}`])).trim()) return b;
  return (await tryGit(dir, ["rev-parse", "--abbrev-ref", "HEAD"])).trim() || "main";
}

interface Recorded {
  ref: string;
  /** The commit the record is on (a tag's target, or the ref itself). */
  commit: string;
  date: string;
  subject: string;
  body: string;
}

/** Outcome refs under `prefix`, by id. */
async function records(dir: string, prefix: string): Promise<Map<string, Recorded>> {
  const out = await tryGit(dir, ["for-each-ref", "--format=%(refname)%09%(objectname)%09%(*objectname)%09%(taggerdate:iso-strict)%09%(contents:subject)%09%(contents:body)%00", prefix]);
  const byId = new Map<string, Recorded>();
  for (const rec of out.split("\0")) {
    const [ref = "", obj = "", target = "", date = "", subject = "", ...body] = rec.replace(/^\n/, "").split("\t");
    if (!ref.startsWith(prefix)) continue;
    byId.set(ref.slice(prefix.length), { ref, commit: target || obj, date, subject, body: body.join("\t") });
  }
  return byId;
}

/** Every approval request the repository knows, newest first. */
export async function readApprovals(dir: string, opts: { fetch?: boolean } = {}): Promise<ApprovalRow[]> {
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
  const read = async (ref: string, id: string): Promise<ApprovalRequest | undefined> => {
    const text = await tryGit(dir, ["show", `${ref}:${APPROVALS_DIR}/${id}.yaml`]);
    return text ? parseRequest(text, id) : undefined;
  };
  const rows = new Map<string, ApprovalRow>();

  // What gitcrew decided about merges.
  for (const [status, prefix] of [["approved", APPROVED_REF_PREFIX], ["not-counted", NOT_COUNTED_REF_PREFIX]] as const) {
    for (const [id, r] of await records(dir, prefix)) {
      const req = (await read(r.commit, id)) ?? (await read(defRef, id));
      if (!req) continue;
      const { by, why } = parseOutcomeMessage(r.subject, r.body);
      rows.set(id, {
        ...req,
        id,
        status,
        ref: r.ref,
        commit: r.commit,
        ...(by ? { merged_by: by } : {}),
        ...(by && status === "approved" ? { approved_by: by } : {}),
        ...(r.date ? { decided_at: r.date } : {}),
        ...(r.date && status === "approved" ? { approved_at: r.date } : {}),
        ...(why ? { note: why } : {}),
      });
    }
  }
  // Rejected: closed without merging.
  for (const [id, r] of await records(dir, REJECTED_REF_PREFIX)) {
    if (rows.has(id)) continue;
    const req = await read(r.commit, id);
    if (req) rows.set(id, { ...req, id, status: "rejected", ref: r.ref, commit: r.commit });
  }
  // Merged, but no outcome recorded yet: not approved until gitcrew has judged who merged.
  const files = (await tryGit(dir, ["ls-tree", "--name-only", `${defRef}:${APPROVALS_DIR}`])).split("\n").filter((f) => f.endsWith(".yaml"));
  for (const f of files) {
    const id = f.slice(0, -".yaml".length);
    if (rows.has(id)) continue;
    const req = await read(defRef, id);
    if (!req) continue;
    const commit = (await tryGit(dir, ["log", "-1", "--first-parent", "--format=%H", defRef, "--", `${APPROVALS_DIR}/${f}`])).trim();
    rows.set(id, { ...req, id, status: "unresolved", ref: defRef, commit, note: `merged to ${branch}; gitcrew has not judged the merge yet` });
  }
  // Pending: an approval branch and nothing else.
  const branches = (await tryGit(dir, ["for-each-ref", "--format=%(refname) %(objectname)", `refs/remotes/origin/${APPROVAL_BRANCH_PREFIX}`, `refs/heads/${APPROVAL_BRANCH_PREFIX}`]))
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(" ") as [string, string]);
  for (const [ref, sha] of branches) {
    const id = ref.slice(ref.indexOf(APPROVAL_BRANCH_PREFIX) + APPROVAL_BRANCH_PREFIX.length);
    if (rows.has(id)) continue;
    const req = await read(ref, id);
    if (req) rows.set(id, { ...req, id, status: "pending", ref, commit: sha });
  }
  return [...rows.values()].sort((a, b) => (b.requested_at || "").localeCompare(a.requested_at || "") || a.id.localeCompare(b.id));
}

/** Pending requests whose pull request GitHub says is closed (gitcrew did not resolve it yet) become unresolved. */
export async function withPullRequests(rows: ApprovalRow[], github: GitHubClient, repo: RepoId): Promise<ApprovalRow[]> {
  if (!rows.some((r) => r.status === "pending") || !github.listPullRequests) return rows;
  const closed = await github.listPullRequests(repo, { state: "closed", max: 300 });
  return rows.map((r) => {
    if (r.status !== "pending") return r;
    const pr = closed.find((p) => p.headRef === `${APPROVAL_BRANCH_PREFIX}${r.id}`);
    if (!pr) return r;
    const how = pr.merged ? "merged" : "closed without merging";
    return { ...r, status: "unresolved" as const, note: `#${pr.number} was ${how} on GitHub; gitcrew has not resolved it yet` };
  });
}
