/**
 * What a signed-in person may do in a repository: their permission as GitHub
 * reports it to the server (`GET /repos/{owner}/{repo}/collaborators/{login}/permission`,
 * asked with the server's own token), cached 60 s per (login, repository).
 * read or more: see its runs, queue, approvals and crew; write or more: cancel and retry.
 * A failed lookup counts as no access and is not cached.
 */
import { errorMessage } from "../../util/errors.js";

export type Role = "none" | "read" | "triage" | "write" | "maintain" | "admin";

const RANK: Record<Role, number> = { none: 0, read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export const mayRead = (role: Role): boolean => RANK[role] >= RANK.read;
export const mayWrite = (role: Role): boolean => RANK[role] >= RANK.write;

export type RoleLookup = (login: string, repo: string) => Promise<Role>;

export const ACCESS_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

export class RepoAccess {
  private readonly cache = new Map<string, { role: Role; until: number }>();
  private readonly inFlight = new Map<string, Promise<Role>>();
  /** The last failed lookup, for /api/health. */
  lastError?: { at: number; message: string };

  constructor(
    private readonly lookup: RoleLookup,
    private readonly now: () => number,
    private readonly log: (line: string) => void = () => undefined,
    private readonly ttlMs: number = ACCESS_TTL_MS,
  ) {}

  async role(login: string, repo: string): Promise<Role> {
    const key = `${login.toLowerCase()}|${repo.toLowerCase()}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > this.now()) return hit.role;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const asked = this.ask(key, login, repo).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, asked);
    return asked;
  }

  private async ask(key: string, login: string, repo: string): Promise<Role> {
    try {
      const role = await this.lookup(login, repo);
      if (this.cache.size >= MAX_ENTRIES) this.evict();
      this.cache.set(key, { role, until: this.now() + this.ttlMs });
      this.lastError = undefined;
      return role;
    } catch (err) {
      this.lastError = { at: this.now(), message: errorMessage(err) };
      this.log(`dashboard: ${login}'s permission on ${repo}: ${errorMessage(err)}`);
      return "none";
    }
  }

  private evict(): void {
    const now = this.now();
    for (const [k, v] of this.cache) if (v.until <= now) this.cache.delete(k);
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
  }
}

const ROLES = new Set<string>(Object.keys(RANK));

/** The lookup against GitHub's REST API with a token of the server's for that repository. */
export function githubRoleLookup(apiUrl: string, token: (repo: string) => Promise<string>): RoleLookup {
  return async (login, repo) => {
    const [owner = "", name = ""] = repo.split("/");
    const res = await fetch(`${apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/collaborators/${encodeURIComponent(login)}/permission`, {
      headers: { accept: "application/vnd.github+json", authorization: `Bearer ${await token(repo)}`, "x-github-api-version": "2022-11-28" },
      signal: AbortSignal.timeout(10_000),
    });
    // Not a collaborator of a private repository, or no such user: no access.
    if (res.status === 404 || res.status === 403) return (await res.body?.cancel(), "none");
    if (!res.ok) throw new Error(`GET /repos/${owner}/${name}/collaborators/${login}/permission answered ${res.status}`);
    const body = (await res.json()) as { role_name?: unknown; permission?: unknown };
    const role = typeof body.role_name === "string" && ROLES.has(body.role_name) ? body.role_name : body.permission;
    return typeof role === "string" && ROLES.has(role) ? (role as Role) : "none";
  };
}
