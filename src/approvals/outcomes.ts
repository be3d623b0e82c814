/**
 * What gitcrew decided about a merged approval PR, recorded in the repository
 * itself so that `gitcrew approvals` can read it with no database and no API:
 *
 *   refs/gitcrew/approved/<id>     merged by someone who counts
 *   refs/gitcrew/not-counted/<id>  merged by someone who does not count
 *
 * Each ref points at an annotated tag object on the merge commit whose
 * message names the merger's login and why it did (not) count; the tagger
 * date is when gitcrew decided. (A rejection is `refs/gitcrew/rejected/<id>`,
 * pointing at the closed request's head.)
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Services } from "../pipeline/types.js";
import { NO_HOOKS } from "../pipeline/git-run.js";
import { errorMessage } from "../util/errors.js";

const run = promisify(execFile);

export const APPROVED_REF_PREFIX = "refs/gitcrew/approved/";
export const NOT_COUNTED_REF_PREFIX = "refs/gitcrew/not-counted/";

export type MergeOutcome = "approved" | "not-counted";

export interface OutcomeRecord {
  outcome: MergeOutcome;
  /** The merger's GitHub login. */
  by: string;
  /** Why it counted or not (e.g. "@alice is in crew.cue approvers.users"). */
  why: string;
}

const refFor = (outcome: MergeOutcome, id: string) => `${outcome === "approved" ? APPROVED_REF_PREFIX : NOT_COUNTED_REF_PREFIX}${id}`;

/** The tag message: `<outcome> by @login`, then why. */
export function outcomeMessage(r: OutcomeRecord): string {
  return `${r.outcome} by @${r.by || "unknown"}\n\n${r.why.replace(/\s+/g, " ").trim()}\n`;
}

/** Reads `outcomeMessage` back (subject and body as git prints them). */
export function parseOutcomeMessage(subject: string, body = ""): { by?: string; why: string } {
  const by = /^(?:approved|not-counted) by @(\S+)$/.exec(subject.trim())?.[1];
  return { ...(by && by !== "unknown" ? { by } : {}), why: body.trim() };
}

async function git(repoDir: string, args: string[], input?: string): Promise<string> {
  const env = { ...process.env, GIT_TERMINAL_PROMPT: "0" };
  if (input === undefined) return (await run("git", [...NO_HOOKS, "-C", repoDir, ...args], { env })).stdout;
  return new Promise((resolve, reject) => {
    const child = execFile("git", [...NO_HOOKS, "-C", repoDir, ...args], { env }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin?.end(input);
  });
}

/** Push the record for `id` to origin (once: an existing record is left as it is). Failures are logged, not thrown. */
export async function recordOutcome(s: Services, id: string, mergeSha: string, r: OutcomeRecord): Promise<void> {
  const ref = refFor(r.outcome, id);
  try {
    if ((await git(s.repoDir, ["ls-remote", "origin", ref])).trim()) return;
    const seconds = Math.floor(Date.now() / 1000);
    const tag = [`object ${mergeSha}`, "type commit", `tag gitcrew-${r.outcome}-${id}`, `tagger gitcrew <gitcrew@users.noreply.github.com> ${seconds} +0000`, "", outcomeMessage(r)].join("\n");
    const sha = (await git(s.repoDir, ["mktag"], tag)).trim();
    await git(s.repoDir, ["push", "--quiet", "--force", "origin", `${sha}:${ref}`]);
  } catch (err) {
    s.log(`could not record that approval ${id} was ${r.outcome}: ${errorMessage(err)}`);
  }
}
