/**
 * The crew on the default branch does not load: no run can start. When the
 * trigger addressed an agent (an `@name` that is a folder under
 * `.gitcrew/agents/`), the thread is told why and what to do, so that a
 * mention never goes unanswered. Other comments stay unanswered: an invalid
 * crew must not make gitcrew reply to every comment in every thread.
 */
import { simpleGit } from "simple-git";
import type { Problem } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import type { GitHubClient } from "../github/types.js";

const LISTED = 10;

/** The agents named by folder on `ref`, whatever their definitions say. */
export async function agentFolders(repoDir: string, ref: string): Promise<string[]> {
  const out = await simpleGit(repoDir)
    .raw(["ls-tree", "-d", "--name-only", `${ref}:.gitcrew/agents`])
    .catch(() => "");
  return out.split("\n").map((l) => l.trim().toLowerCase()).filter(Boolean);
}

/** The agents of `folders` that the trigger mentions, or assigns (an issue or PR assigned to an agent's login); as pipeline/unplanned-answer.ts does with no crew. */
export function addressedAgents(trigger: Trigger, folders: string[]): string[] {
  const assigned = trigger.kind.endsWith(".assigned") && trigger.assignee ? [trigger.assignee.toLowerCase()] : [];
  return [...new Set([...trigger.mentions, ...assigned])].filter((m) => folders.includes(m.toLowerCase()));
}

export function brokenCrewMessage(branch: string, errors: Problem[]): { message: string; hint: string } {
  return {
    message: `the crew on ${branch} has ${errors.length} error(s); no agent can run until they are fixed`,
    hint: `run \`npx gitcrew validate\` on ${branch}, fix what it reports, push, then comment again`,
  };
}

/** Posts the answer in the thread; returns its URL. */
export async function answerBrokenCrew(client: GitHubClient, trigger: Trigger, agents: string[], branch: string, errors: Problem[]): Promise<string | undefined> {
  const thread = trigger.thread;
  if (!thread || !agents.length) return undefined;
  const { message, hint } = brokenCrewMessage(branch, errors);
  const names = agents.map((a) => `**${a}**`).join(", ");
  const listed = errors.slice(0, LISTED).map((p) => `- \`${p.file}:${p.line}:${p.column}\`: ${p.message.replace(/\s+/g, " ").slice(0, 500)}`);
  if (errors.length > LISTED) listed.push(`- … and ${errors.length - LISTED} more`);
  const body = [
    `❌ ${names} could not start: ${message}.`,
    listed.join("\n"),
    `**What to do:** ${hint}.`,
  ].join("\n\n");
  const ref = await client.createComment({ owner: trigger.repo.owner, repo: trigger.repo.name }, thread.number, body);
  return ref.url;
}
