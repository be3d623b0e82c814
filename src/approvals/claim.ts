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
import { writtenByGitcrew } from "../pipeline/own-comments.js";
import { doneMarker, hasDoneMarker } from "../github/marker.js";
import type { Reply } from "./result.js";

/** Comments read when looking for markers (newest kept). */
export const MARKER_SCAN = 300;

/** The thread's comments that gitcrew's own login wrote: only there do markers count (own-comments.ts). */
export async function botComments(s: Services, repo: RepoId, issue: number): Promise<ThreadComment[]> {
  const { comments } = await s.github.listComments(repo, issue, { max: MARKER_SCAN });
  const own = await writtenByGitcrew(s);
  return comments.filter(own);
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
