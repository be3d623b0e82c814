/**
 * The once guard. Everything that must happen once (a follow-up run for a
 * merge, a rejection reply, running a refused trigger after `/approve`) is
 * claimed twice: with `Services.once` (the server's store) and with a hidden
 * `gitcrew:done` marker in the thread, checked before and re-read after
 * posting, so that the Action (no store) and redelivered webhooks never start
 * work twice.
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

async function isDone(s: Services, repo: RepoId, issue: number, key: string): Promise<boolean> {
  return (await botComments(s, repo, issue)).some((c) => hasDoneMarker(c.body, key));
}

/**
 * Post `body` with the done marker for `key` unless that already happened.
 * Returns the comment when this caller won the claim.
 */
export async function claim(s: Services, repo: RepoId, issue: number, key: string, body: string): Promise<CommentRef | undefined> {
  if (await isDone(s, repo, issue, key)) return undefined;
  const mine = await s.github.createComment(repo, issue, `${body}\n\n${doneMarker(key)}`);
  // The store is asked after posting: a failed post consumes nothing, so reconcile can try again later.
  if (s.once && !(await s.once(key))) {
    await s.github.deleteComment(repo, mine.id).catch(() => undefined);
    return undefined;
  }
  // Two deliveries racing (the Action has no store): the oldest marker wins, the other withdraws.
  const winners = (await botComments(s, repo, issue)).filter((c) => hasDoneMarker(c.body, key)).sort((a, b) => a.id - b.id);
  const first = winners[0];
  if (first && first.id !== mine.id) {
    await s.github.deleteComment(repo, mine.id).catch(() => undefined);
    return undefined;
  }
  return mine;
}

/** `claim`, as the replies to report: the comment when this caller won, none otherwise. */
export async function claimReply(s: Services, repo: RepoId, issue: number, key: string, body: string): Promise<Reply[]> {
  const posted = await claim(s, repo, issue, key, body);
  return posted ? [{ issue, url: posted.url }] : [];
}
