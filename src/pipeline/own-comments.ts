/**
 * gitcrew's own identity, and which comments and PRs it wrote. Its hidden
 * markers (src/github/marker.ts) are plain HTML comments anyone can type,
 * so they count only in what gitcrew's own login wrote; not in a person's
 * comment, not in another bot's or App's.
 *
 * The login, first match wins:
 * 1. `GITCREW_SELF_LOGIN` (comma-separated) in the runner's environment;
 * 2. the login of the token, when GitHub says it (a personal token);
 * 3. otherwise `github-actions[bot]` (the Action's GITHUB_TOKEN) and
 *    `gitcrew[bot]` (the App of that name); a GitHub App of another name
 *    sets 1. to `<app-slug>[bot]`.
 */
import type { GitHubClient } from "../github/types.js";
import { DEFAULT_SELF_LOGINS } from "../policy/authorize.js";

const lower = (s: string) => s.toLowerCase();

function configured(env: NodeJS.ProcessEnv): string[] {
  return (env.GITCREW_SELF_LOGIN ?? "")
    .split(",")
    .map((l) => lower(l.trim()))
    .filter(Boolean);
}

/** gitcrew's own logins, lower-case. */
export async function gitcrewLogins(s: { env: NodeJS.ProcessEnv; github: Pick<GitHubClient, "selfLogin"> }): Promise<string[]> {
  const named = configured(s.env);
  if (named.length) return named;
  const learned = await s.github.selfLogin?.();
  return learned ? [lower(learned)] : DEFAULT_SELF_LOGINS.map(lower);
}

/** Whether gitcrew wrote it: a comment or PR by one of its logins. */
export async function writtenByGitcrew(s: { env: NodeJS.ProcessEnv; github: Pick<GitHubClient, "selfLogin"> }): Promise<(c: { author: string }) => boolean> {
  const self = await gitcrewLogins(s);
  return (c) => self.includes(lower(c.author));
}
