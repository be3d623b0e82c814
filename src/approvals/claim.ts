/**
 * The once guard. Everything that must happen once (a follow-up run for a
 * merge, a rejection reply, running a refused trigger after `/approve`) is
 * claimed twice: with `Services.once` (the server's store) and with a hidden
 * `gitcrew:done` marker in the thread, checked before and re-read after
 * posting, so that the Action (no store) and redelivered webhooks never start
 * work twice. A follow-up run is claimed here and then queued under an id
 * derived from the claim (follow-up-runs.ts): a claim whose run was never
 * queued (the process died in between) is queued again by whoever finds it.
 */
import type { CommentRef, RepoId, ThreadComment } from "../github/types.js";
import type { Services } from "../pipeline/types.js";
import { isBotLogin } from "./approvers.js";
import { doneMarker, hasDoneMarker } from "./markers.js";
import type { Reply } from "./result.js";

/** Comments read when looking for markers (newest kept). */
export const MARKER_SCAN = 300;

/**
 * Logins gitcrew posts as when that is not a bot (a machine user's token):
 * `GITCREW_SELF_LOGIN` (comma-separated) in the runner's environment.
 */
function selfLogins(s: Services): string[] {
  return (s.env.GITCREW_SELF_LOGIN ?? "")
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
}

/** The thread's comments that gitcrew wrote: only there do markers count. */
export async function botComments(s: Services, repo: RepoId, issue: number): Promise<ThreadComment[]> {
  const { comments } = await s.github.listComments(repo, issue, { max: MARKER_SCAN });
  // A bot, or gitcrew's configured login: a person cannot forge a marker.
  const self = selfLogins(s);
  return comments.filter((c) => isBotLogin(c.author, c.authorType) || self.includes(c.author.toLowerCase()));
}

/**
 * How a claim went: this caller posted the marker (`won`), found it posted by
 * an earlier resolution (`earlier`, the comment), or lost a race to a
 * delivery handling it right now (`lost`).
 */
export type ClaimOutcome = { won: CommentRef } | { earlier: ThreadComment } | { lost: true };

/** Post `body` with the done marker for `key` unless that already happened. */
export async function claimOnce(s: Services, repo: RepoId, issue: number, key: string, body: string): Promise<ClaimOutcome> {
  const done = (await botComments(s, repo, issue)).find((c) => hasDoneMarker(c.body, key));
  if (done) return { earlier: done };
  const mine = await s.github.createComment(repo, issue, `${body}\n\n${doneMarker(key)}`);
  // The store is asked after posting: a failed post consumes nothing, so reconcile can try again later.
  if (s.once && !(await s.once(key))) {
    await s.github.deleteComment(repo, mine.id).catch(() => undefined);
    return { lost: true };
  }
  // Two deliveries racing (the Action has no store): the oldest marker wins, the other withdraws.
  const winners = (await botComments(s, repo, issue)).filter((c) => hasDoneMarker(c.body, key)).sort((a, b) => a.id - b.id);
  const first = winners[0];
  if (first && first.id !== mine.id) {
    await s.github.deleteComment(repo, mine.id).catch(() => undefined);
    return { lost: true };
  }
  return { won: mine };
}

/** `claimOnce`: the comment when this caller won the claim, nothing otherwise. */
export async function claim(s: Services, repo: RepoId, issue: number, key: string, body: string): Promise<CommentRef | undefined> {
  const outcome = await claimOnce(s, repo, issue, key, body);
  return "won" in outcome ? outcome.won : undefined;
}

/** `claim`, as the replies to report: the comment when this caller won, none otherwise. */
export async function claimReply(s: Services, repo: RepoId, issue: number, key: string, body: string): Promise<Reply[]> {
  const posted = await claim(s, repo, issue, key, body);
  return posted ? [{ issue, url: posted.url }] : [];
}
