/**
 * Whether a GitHub user's merge, review or `/approve` counts: the rules of
 * approvers.ts, fed with what only GitHub knows (permission, team membership).
 */
import type { Crew } from "../crew/types.js";
import type { RepoId } from "../github/types.js";
import type { Services } from "../pipeline/types.js";
import { countsAsApprover, type ApprovalContext, type Verdict } from "./approvers.js";

/**
 * `org/team` slugs among those crew.cue (and CODEOWNERS) name that `login`
 * belongs to, asked of GitHub; none when the client cannot tell.
 */
async function teamsOf(s: Services, crew: Crew, login: string, codeowners?: string): Promise<string[]> {
  if (!s.github.isTeamMember || !login) return [];
  const named = new Set(crew.config.approvers.teams.map((t) => t.toLowerCase()));
  if (codeowners) for (const m of codeowners.matchAll(/@([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)/g)) named.add((m[1] as string).toLowerCase());
  const out: string[] = [];
  for (const slug of named) {
    const [org = "", team = ""] = slug.split("/");
    if (await s.github.isTeamMember(org, team, login).catch(() => false)) out.push(slug);
  }
  return out;
}

/** Does `who` count as an approver under `crew`? (Nobody, when the login is unknown.) */
export async function judgeApprover(s: Services, crew: Crew, repo: RepoId, who: { login: string; type?: string }, ctx: ApprovalContext = {}): Promise<Verdict> {
  const permission = who.login ? await s.github.permissionOf(repo, who.login) : "none";
  const teams = await teamsOf(s, crew, who.login, ctx.codeowners);
  return countsAsApprover({ login: who.login, type: who.type, permission, teams }, crew, ctx);
}
