/** Who asks: the API token (scripts, `gitcrew ps`: everything), or a signed-in person (per repository, from GitHub). */
import { repoNameProblem } from "../repo-filter.js";
import { mayRead, mayWrite, type RepoAccess } from "./access.js";
import type { ActiveSession } from "./sessions.js";

export type Principal = { kind: "token" } | ({ kind: "session" } & ActiveSession);

/** How many permission lookups one list may start at once. */
const LOOKUPS_AT_ONCE = 8;

export class Gate {
  constructor(private readonly access: RepoAccess | undefined) {}

  async canRead(p: Principal, repo: string): Promise<boolean> {
    if (p.kind === "token") return true;
    // A run or crew whose repository is not known ("unknown") is the API token's alone.
    if (repoNameProblem(repo) !== undefined) return false;
    return this.access !== undefined && mayRead(await this.access.role(p.session.login, repo));
  }

  async canWrite(p: Principal, repo: string): Promise<boolean> {
    if (p.kind === "token") return true;
    if (repoNameProblem(repo) !== undefined) return false;
    return this.access !== undefined && mayWrite(await this.access.role(p.session.login, repo));
  }

  /** The repositories among `repos` that `p` may read (all of them for the token). */
  async readable(p: Principal, repos: string[]): Promise<string[]> {
    if (p.kind === "token") return repos;
    const out: string[] = [];
    for (let i = 0; i < repos.length; i += LOOKUPS_AT_ONCE) {
      const part = repos.slice(i, i + LOOKUPS_AT_ONCE);
      const ok = await Promise.all(part.map((r) => this.canRead(p, r)));
      part.forEach((r, j) => ok[j] && out.push(r));
    }
    return out;
  }
}
