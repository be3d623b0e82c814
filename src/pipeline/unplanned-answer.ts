/**
 * What a request that could not be planned for good is answered with, the
 * same on the Action and on `gitcrew serve`: every request gitcrew accepted
 * gets a visible answer in its thread. Who counts as addressed:
 * - the agents the trigger routes to (mention, slash command, label,
 *   assignment, subscribed events, edits where an agent sets triggers.edits),
 *   or, the crew not loading, the agent folders it @mentions or assigns;
 * - one of gitcrew's own commands (`/approve`, `/cancel`, `/retry`);
 * - an approving review that approves runs: of an agent's pull request whose
 *   definition gates steps on it, or of a fork's pull request where gitcrew
 *   refused runs.
 * Anything else (a remark, a bot, a review of an unrelated pull request) is
 * not answered: a broken crew or an outage must not answer every comment.
 */
import { BUILTIN_COMMANDS } from "../crew/checks.js";
import type { Crew } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import { neutralizeAgentText } from "../github/agent-text.js";
import { parseRefusalMarkers } from "../github/marker.js";
import type { GitHubClient } from "../github/types.js";
import { route } from "../plan/route.js";
import { couldNotStartBody, type Failure } from "./failure-answers.js";
import { writtenByGitcrew } from "./own-comments.js";

/** The branch prefix of agents' pull requests when no crew says otherwise (crew/defaults.ts). */
const DEFAULT_PREFIX = "gitcrew";
/** Comments looked through for gitcrew's refusals in a fork's pull request. */
const LOOKED_AT = 100;

/** The agents a trigger addresses: routed by the crew, or (no crew loaded) @mentioned or assigned agent folders. Bots' requests: none. */
export function addressedBy(t: Trigger, crew: Crew | undefined, folders: string[]): string[] {
  if (t.actor.type === "Bot") return [];
  if (crew) return crew.agents.filter((a) => route(a, t).addressed).map((a) => a.name);
  const named = [...t.mentions, ...(t.kind.endsWith(".assigned") && t.assignee ? [t.assignee.toLowerCase()] : [])];
  return [...new Set(named)].filter((m) => folders.includes(m.toLowerCase()));
}

/** gitcrew's own command in the trigger's text, if any. */
function ownCommand(t: Trigger): string | undefined {
  return t.commands.find((c) => (BUILTIN_COMMANDS as readonly string[]).includes(c.name))?.name;
}

/** An approving review by a person of a pull request. */
function approvingReview(t: Trigger): boolean {
  return t.kind === "pull_request_review.submitted" && t.reviewState === "approved" && !!t.thread?.pr;
}

/** Is the reviewed pull request an agent's whose definition gates steps on an approval (any agent folder, the crew not loading)? */
function agentPullRequest(t: Trigger, crew: Crew | undefined, folders: string[]): boolean {
  const head = t.thread?.pr?.headRef ?? "";
  const prefix = `${crew?.config.branch_prefix ?? DEFAULT_PREFIX}/`;
  if (!head.startsWith(prefix)) return false;
  const name = head.slice(prefix.length).split("/")[0] ?? "";
  return crew ? crew.agents.some((a) => a.name === name && a.gated.length > 0) : folders.includes(name.toLowerCase());
}

/** GitHub, reached only to look for refusals (a client that cannot be made counts as GitHub not answering). */
export interface Asker {
  github: () => Promise<GitHubClient>;
  env: NodeJS.ProcessEnv;
}

/** Did gitcrew refuse runs in this fork's pull request? Unknown (GitHub does not answer): assumed so, an answer too many rather than none. */
async function refusedHere(s: Asker, t: Trigger): Promise<boolean> {
  const thread = t.thread;
  if (!thread) return false;
  try {
    const github = await s.github();
    const ours = await writtenByGitcrew({ github, env: s.env });
    const { comments } = await github.listComments({ owner: t.repo.owner, repo: t.repo.name }, thread.number, { max: LOOKED_AT });
    return comments.some((c) => ours(c) && parseRefusalMarkers(c.body).length > 0);
  } catch {
    return true;
  }
}

/** The failure as told to someone who asks again by `again` (the hints say "comment again"). */
function askAgainBy(failure: Failure, again: string): Failure {
  if (!failure.hint) return { ...failure, hint: again };
  const hint = failure.hint.includes("comment again") ? failure.hint.replaceAll("comment again", again) : `${failure.hint}; then ${again}`;
  return { ...failure, hint };
}

/** The text of a "not carried out" answer (error text can quote anything: it never writes a gitcrew marker). */
function notCarriedOut(what: string, failure: Failure): string {
  const said = (text: string) => neutralizeAgentText(text);
  return [`❌ ${what} was not carried out: ${said(failure.message)}.`, failure.hint ? `**What to do:** ${said(failure.hint)}.` : ""].filter(Boolean).join("\n\n");
}

/**
 * The new comment that answers a request planning failed on for good, or
 * undefined when the request addressed nothing of gitcrew's (or has no thread).
 * `folders`: the agent folders on the default branch, read when no crew loads.
 */
export async function unplannedAnswerBody(
  s: Asker,
  t: Trigger,
  crew: Crew | undefined,
  folders: () => Promise<string[]>,
  failure: Failure,
): Promise<string | undefined> {
  if (!t.thread || t.actor.type === "Bot") return undefined;
  const names = crew ? [] : await folders();
  const agents = addressedBy(t, crew, names);
  if (agents.length) return couldNotStartBody(agents, failure);
  const command = ownCommand(t);
  if (command) return notCarriedOut(`\`/${command}\``, failure);
  if (approvingReview(t) && (agentPullRequest(t, crew, names) || (t.thread.pr?.fork && (await refusedHere(s, t))))) {
    return notCarriedOut(`The approving review by @${t.actor.login}`, askAgainBy(failure, "approve the pull request again in a new review"));
  }
  return undefined;
}
