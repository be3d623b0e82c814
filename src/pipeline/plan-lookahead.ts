/**
 * Planning's GitHub lookups asked before the crew is loaded (issue 21). The
 * actor's permission, the thread's comments, the pull request behind a
 * comment and its files depend on the trigger alone, so the Action asks them
 * while the default branch is fetched and the crew evaluated, not after.
 * Each answer (or failure) goes to planning's first identical call, once;
 * any later call asks GitHub again.
 */
import type { Trigger } from "../events/trigger.js";
import type { GitHubClient } from "../github/types.js";
import { HISTORY_COMMENTS, repoId } from "./types.js";

type Asked = "permissionOf" | "listComments" | "getPullRequest" | "listPullFiles";

/** `github` with the lookups planning will make for `t` already asked. */
export function lookAhead(github: GitHubClient, t: Trigger): GitHubClient {
  const waiting = new Map<string, Promise<unknown>>();
  const ask = (method: Asked, args: unknown[]) => {
    const answer = (github[method] as (...a: unknown[]) => Promise<unknown>).apply(github, args);
    answer.catch(() => undefined); // handed to planning's call, which sees the failure
    waiting.set(keyOf(method, args), answer);
  };
  const repo = repoId(t);
  const thread = t.thread;
  // As plan-trigger.ts asks them (same arguments), so that the keys meet.
  if (t.event !== "schedule") ask("permissionOf", [repo, t.actor.login]);
  if (t.author) ask("permissionOf", [repo, t.author.login]);
  if (thread) ask("listComments", [repo, thread.number, { max: HISTORY_COMMENTS }]);
  if (thread?.kind === "pull_request") {
    if (!thread.pr) ask("getPullRequest", [repo, thread.number]);
    if (!t.changedFiles) ask("listPullFiles", [repo, thread.number]);
  }
  return new Proxy(github, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const key = typeof prop === "string" ? keyOf(prop as Asked, args) : undefined;
        const early = key ? waiting.get(key) : undefined;
        if (early && key) {
          waiting.delete(key);
          return early;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

function keyOf(method: string, args: unknown[]): string {
  return `${method} ${JSON.stringify(args)}`;
}
