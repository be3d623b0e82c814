/** Whether a trigger addresses an agent, and why. Pure. */
import type { Agent } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import { anyMatch } from "../crew/path-filter.js";

export type Route = { addressed: true; reason: string } | { addressed: false; reason: string; code: "not-addressed" | "filtered" };

/** Events whose text may address agents by @mention or slash command. */
const CONVERSATIONAL = new Set([
  "issue_comment.created",
  "issue_comment.edited",
  "issues.opened",
  "pull_request.opened",
  "pull_request_review.submitted",
  "pull_request_review_comment.created",
  "pull_request_review_comment.edited",
]);

/** Whether edited comments need normalising at all: only when some agent sets triggers.edits. */
export function crewRoutesEdits(agents: readonly Agent[]): boolean {
  return agents.some((a) => a.triggers.edits);
}

/** Why this event never starts this agent, whatever it says, or undefined. */
function excluded(agent: Agent, t: Trigger): string | undefined {
  // An edited body may differ from what people read and reacted to: only agents that opt in see edits.
  if ((t.edited || t.action === "edited") && !agent.triggers.edits) return "an edited comment (this agent does not set triggers.edits)";
  // A close without merge is heard (approvals read it as a rejection) but starts no agent.
  if (t.kind === "pull_request.closed" && !t.thread?.pr?.merged) return "a pull request closed without merging";
  return undefined;
}

function byText(agent: Agent, t: Trigger): string | undefined {
  if (!CONVERSATIONAL.has(t.kind)) return undefined;
  const where = t.edited ? " in an edited comment" : "";
  const cmd = t.commands.find((c) => agent.triggers.commands.includes(c.name));
  if (cmd) return `slash command /${cmd.name}${cmd.args ? ` ${cmd.args}` : ""} by @${t.actor.login}${where}`;
  if (agent.triggers.mention && t.mentions.includes(agent.name)) return `mentioned as @${agent.name} by @${t.actor.login}${where}`;
  return undefined;
}

function byEvent(agent: Agent, t: Trigger): string | undefined {
  const tr = agent.triggers;
  if ((t.kind === "issues.labeled" || t.kind === "pull_request.labeled") && t.label && tr.labels.includes(t.label)) {
    return `label "${t.label}" added by @${t.actor.login}`;
  }
  if ((t.kind === "issues.assigned" || t.kind === "pull_request.assigned") && tr.assigned && t.assignee?.toLowerCase() === agent.name) {
    return `assigned by @${t.actor.login}`;
  }
  if (t.event === "schedule" && t.schedule && tr.schedule.includes(t.schedule)) return `schedule "${t.schedule}"`;
  if (t.event === "workflow_dispatch" && String(t.inputs?.agent ?? "").toLowerCase() === agent.name) {
    return `workflow_dispatch by @${t.actor.login}`;
  }
  if (tr.events.includes(t.kind) || tr.events.includes(t.event)) return `event ${t.kind}`;
  return undefined;
}

export function route(agent: Agent, t: Trigger, changedFiles?: string[]): Route {
  const never = excluded(agent, t);
  if (never) return { addressed: false, code: "not-addressed", reason: `not addressed: ${never}` };
  const text = byText(agent, t);
  if (text) return { addressed: true, reason: text };
  const event = byEvent(agent, t);
  if (!event) return { addressed: false, code: "not-addressed", reason: "not addressed by this event" };
  const paths = agent.triggers.paths;
  if (paths.length === 0 || !["pull_request", "push"].includes(t.event)) return { addressed: true, reason: event };
  const files = changedFiles ?? t.changedFiles;
  if (!files) return { addressed: true, reason: `${event} (path filter not checked: changed files unknown)` };
  const hit = anyMatch(paths, files);
  return hit
    ? { addressed: true, reason: `${event}, ${hit} matches paths` }
    : { addressed: false, code: "filtered", reason: `${event}, but no changed file matches paths ${JSON.stringify(paths)}` };
}
