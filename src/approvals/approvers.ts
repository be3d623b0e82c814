/**
 * Whether one person's merge, review or `/approve` counts as an approval.
 *
 * Stricter than "may use /approve": when crew.cue names approvers (users,
 * teams, code owners), only they count; with no list, maintainers (maintain
 * or admin) do. Never the requester, the agent, gitcrew itself or any bot.
 */
import type { Crew } from "../crew/types.js";
import { permissionAtLeast, type Permission } from "../events/trigger.js";
import { DEFAULT_SELF_LOGINS } from "../policy/authorize.js";

export interface Candidate {
  login: string;
  /** GitHub user type when known (`Bot` never counts). */
  type?: string;
  permission: Permission;
  /** `org/team` slugs, when known. */
  teams?: string[];
}

export interface ApprovalContext {
  /** Who asked (the person whose request started the run; every name gitcrew recorded for it), and the agent. */
  requester?: string | string[];
  agent?: string;
  /** Who opened the approval PR (gitcrew's own login): never an approver. */
  opener?: string;
  /** Paths the approval touches, for CODEOWNERS. */
  paths?: string[];
  /** CODEOWNERS text from the default branch, when `approvers.codeowners`. */
  codeowners?: string;
  selfLogins?: string[];
}

export type Verdict = { ok: true; why: string } | { ok: false; why: string };

const lower = (s: string) => s.toLowerCase();

export function isBotLogin(login: string, type?: string): boolean {
  return type === "Bot" || /\[bot\]$/i.test(login);
}

export function countsAsApprover(c: Candidate, crew: Crew, ctx: ApprovalContext = {}): Verdict {
  const login = lower(c.login);
  if (!login) return { ok: false, why: "nobody" };
  if (isBotLogin(c.login, c.type)) return { ok: false, why: `@${c.login} is a bot` };
  if ((ctx.selfLogins ?? DEFAULT_SELF_LOGINS).map(lower).includes(login) || (ctx.opener && lower(ctx.opener) === login)) {
    return { ok: false, why: `@${c.login} opened the request itself` };
  }
  if (ctx.agent && lower(ctx.agent) === login) return { ok: false, why: `@${c.login} is the agent that asked` };
  const requesters = (Array.isArray(ctx.requester) ? ctx.requester : [ctx.requester]).filter((r): r is string => !!r).map(lower);
  if (requesters.includes(login)) return { ok: false, why: `@${c.login} asked for it (an approval needs a second person)` };
  if (crew.agents.some((a) => a.name === login)) return { ok: false, why: `@${c.login} is an agent of the crew` };
  const a = crew.config.approvers;
  if (a.users.map(lower).includes(login)) return { ok: true, why: `@${c.login} is in crew.cue approvers.users` };
  const team = (c.teams ?? []).find((t) => a.teams.map(lower).includes(lower(t)));
  if (team) return { ok: true, why: `@${c.login} is in approvers team ${team}` };
  if (a.codeowners && ctx.codeowners !== undefined && ctx.paths && ctx.paths.length > 0) {
    if (ownsAll(ctx.codeowners, ctx.paths, c.login, c.teams ?? [])) return { ok: true, why: `@${c.login} owns the touched paths in CODEOWNERS` };
  }
  const listed = a.users.length > 0 || a.teams.length > 0 || a.codeowners;
  if (!listed && permissionAtLeast(c.permission, "maintain")) return { ok: true, why: `@${c.login} has ${c.permission} permission` };
  return { ok: false, why: `@${c.login} is not an approver` };
}

/**
 * CODEOWNERS pattern → RegExp, as GitHub documents it ("About code owners"):
 * gitignore-like, but `dir/*` is files directly in `dir/` only. A leading or
 * inner `/` anchors at the root; a trailing `/`, or a last segment without a
 * wildcard, also owns everything below; `**` spans directories. Hand-written
 * (no glob library): gitignore libraries let `dir/*` reach nested files.
 */
export function codeownersPattern(pattern: string): RegExp {
  let p = pattern.replace(/\\([# ])/g, "$1");
  const dir = p.endsWith("/");
  p = p.replace(/\/+$/, "");
  const anchored = p.startsWith("/") || p.includes("/", 1);
  p = p.replace(/^\//, "");
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string;
    if (ch === "*" && p[i + 1] === "*") {
      i++;
      if (p[i + 1] === "/") {
        re += "(?:.*/)?";
        i++;
      } else re += ".*";
    } else if (ch === "*") re += "[^/]*";
    else if (ch === "?") re += "[^/]";
    else re += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const last = p.slice(p.lastIndexOf("/") + 1);
  // `docs/*`, `*.js`: the wildcard names files, not the directories below them.
  const below = dir ? "/.*" : /\*/.test(last.replace(/\*\*/g, "")) ? "" : "(?:/.*)?";
  const start = anchored ? "^" : "^(?:.*/)?";
  return new RegExp(`${start}${re}${below}$`);
}

/** Owners of `path`: the last CODEOWNERS line whose pattern matches. */
export function ownersOf(codeowners: string, path: string): string[] {
  let owners: string[] = [];
  for (const line of codeowners.split("\n")) {
    const [pattern, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (!pattern) continue;
    if (codeownersPattern(pattern).test(path)) owners = names;
  }
  return owners.map((o) => lower(o.replace(/^@/, "")));
}

function ownsAll(codeowners: string, paths: string[], login: string, teams: string[]): boolean {
  const mine = new Set([lower(login), ...teams.map(lower)]);
  return paths.every((p) => ownersOf(codeowners, p).some((o) => mine.has(o)));
}
