/**
 * Which comments of a thread gitcrew wrote. Its hidden markers (origin,
 * session) are plain HTML comments anyone can type, so they count only in
 * comments whose author is a bot (the Action's token, a GitHub App) or a login
 * named in `GITCREW_SELF_LOGIN` (a machine user's token). The same rule as the
 * approval markers (src/approvals/claim.ts).
 */
import type { ThreadComment } from "../github/types.js";

function selfLogins(env: NodeJS.ProcessEnv): string[] {
  return (env.GITCREW_SELF_LOGIN ?? "")
    .split(",")
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
}

export function writtenByGitcrew(env: NodeJS.ProcessEnv): (c: Pick<ThreadComment, "author" | "authorType">) => boolean {
  const self = selfLogins(env);
  return (c) => c.authorType === "Bot" || /\[bot\]$/i.test(c.author) || self.includes(c.author.toLowerCase());
}
