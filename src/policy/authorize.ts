/**
 * Who may start which agent. Pure: the actor's permission and teams are
 * looked up by the caller (GitHub in real runs, flags in dry-run).
 */
import type { Agent, CrewConfig } from "../crew/types.js";
import { permissionAtLeast, type Permission, type Trigger } from "../events/trigger.js";

export interface Authority {
  /** The actor's permission on the repository. */
  permission: Permission;
  /** `org/team` slugs the actor belongs to, when known. */
  teams?: string[];
  /** Fork PR head shas a maintainer approved (`/approve` or approving review). */
  approvedShas?: string[];
  /** gitcrew's own bot login, whose comments carry the origin marker. */
  selfLogins?: string[];
  /** The comment author's permission and teams, for an edit of someone else's comment (`Trigger.author`); unknown counts as none. */
  author?: { permission: Permission; teams?: string[] };
}

/** `who`: whose authority fell short, when not the trigger's actor (the author of an edited comment). */
export type Decision = { ok: true; note?: string } | { ok: false; code: "unauthorized" | "bot" | "loop" | "untrusted"; reason: string; who?: string };

export const DEFAULT_SELF_LOGINS = ["github-actions[bot]", "gitcrew[bot]"];

const lower = (s: string) => s.toLowerCase();

export function whoCanApprove(config: CrewConfig): string {
  const names = [...config.approvers.users.map((u) => `@${u}`), ...config.approvers.teams.map((t) => `@${t}`)];
  if (config.approvers.codeowners) names.push("the code owners");
  return names.length > 0 ? names.join(", ") : "a maintainer (admin or maintain permission)";
}

export function isApprover(login: string, auth: Authority, config: CrewConfig): boolean {
  if (config.approvers.users.map(lower).includes(lower(login))) return true;
  if ((auth.teams ?? []).some((t) => config.approvers.teams.map(lower).includes(lower(t)))) return true;
  return permissionAtLeast(auth.permission, "maintain");
}

/**
 * Whether the trigger may start the agent. An edit of someone else's comment
 * runs the author's words at the editor's request: it counts only what both
 * may do (a maintainer fixing a stranger's formatting lends no authority).
 */
export function authorize(agent: Agent, t: Trigger, auth: Authority, config: CrewConfig): Decision {
  const editor = authorizeActor(agent, t, auth, config);
  const author = t.author;
  if (!editor.ok || !author || t.event === "schedule") return editor;
  const own = authorizeActor(agent, { ...t, actor: author }, { ...auth, permission: auth.author?.permission ?? "none", teams: auth.author?.teams ?? [] }, config);
  if (!own.ok) {
    const whose = t.edited
      ? `the comment is @${author.login}'s (@${t.actor.login} edited it), and an edit runs only with what both may do: `
      : `the request is @${author.login}'s (@${t.actor.login} asked to run it again), and it runs only with what both may do: `;
    return { ...own, reason: whose + own.reason, who: author.login };
  }
  const notes = [editor.note, own.note].filter(Boolean);
  return notes.length ? { ok: true, note: notes.join("; ") } : { ok: true };
}

function authorizeActor(agent: Agent, t: Trigger, auth: Authority, config: CrewConfig): Decision {
  // A schedule is the repository's own configuration, not a person's request.
  if (t.event === "schedule") return { ok: true, note: "scheduled in the crew's own definition" };
  const actor = t.actor;
  const self = (auth.selfLogins ?? DEFAULT_SELF_LOGINS).map(lower);
  if (t.origin && (actor.type !== "Bot" || self.includes(lower(actor.login)) || config.trusted_bots.map(lower).includes(lower(actor.login)))) {
    if (lower(t.origin.agent) === agent.name) return { ok: false, code: "loop", reason: `@${agent.name} does not answer its own comments` };
    const max = config.loop_guard.max_depth;
    if (t.origin.depth >= max) {
      return { ok: false, code: "loop", reason: `agent chain depth ${t.origin.depth} reached the loop guard (crew.cue loop_guard.max_depth: ${max})` };
    }
    if (actor.type === "Bot") return { ok: true, note: `called by agent @${t.origin.agent} (chain depth ${t.origin.depth + 1} of ${max})` };
  }
  if (actor.type === "Bot" && !config.trusted_bots.map(lower).includes(lower(actor.login))) {
    return { ok: false, code: "bot", reason: `@${actor.login} is a bot; bots are ignored unless listed in crew.cue trusted_bots` };
  }
  const headSha = t.thread?.pr?.headSha;
  if (t.untrusted.length > 0 && !(headSha && (auth.approvedShas ?? []).includes(headSha))) {
    const sha = headSha ? ` ${headSha.slice(0, 7)}` : "";
    return {
      ok: false,
      code: "untrusted",
      reason: `${t.untrusted.join("; ")}: its code does not run until ${whoCanApprove(config)} approves head${sha} (comment /approve)`,
    };
  }
  if (agent.allow.users.map(lower).includes(lower(actor.login))) return { ok: true, note: `@${actor.login} is in allow.users` };
  const team = (auth.teams ?? []).find((tm) => agent.allow.teams.map(lower).includes(lower(tm)));
  if (team) return { ok: true, note: `@${actor.login} is in team ${team}` };
  if (permissionAtLeast(auth.permission, agent.allow.permission)) return { ok: true };
  return {
    ok: false,
    code: "unauthorized",
    reason: `@${actor.login} has ${auth.permission} permission and @${agent.name} needs ${agent.allow.permission}; ${whoCanApprove(config)} can /approve to run it once`,
  };
}

/** Map GitHub's author_association to a permission, for dry-runs without GitHub. */
export function permissionFromAssociation(association: string | undefined): Permission {
  switch ((association ?? "").toUpperCase()) {
    case "OWNER":
      return "admin";
    case "MEMBER":
    case "COLLABORATOR":
      return "write";
    case "MANNEQUIN":
      return "none";
    default:
      return "read";
  }
}
