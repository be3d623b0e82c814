/**
 * 👀 before the crew loads (issue 21): the crew load fetches the default
 * branch and planning asks GitHub about the actor and the thread, about half
 * a second on the Action's path before the executor's 👀. When the comment
 * @mentions an agent folder of the checkout (actions/checkout's HEAD, the
 * default branch for comment events), the reaction goes out at once, as
 * `gitcrew serve`'s early signs do; the executor then does not react again.
 * A guess: a wrong one costs a 👀 and nothing else. Bots get none.
 */
import type { Trigger } from "../events/trigger.js";
import type { GitHubClient } from "../github/types.js";
import { seenTarget } from "../pipeline/seen-target.js";
import { repoId } from "../pipeline/types.js";
import { errorMessage } from "../util/errors.js";
import { addressedAgents, agentFolders } from "./crew-broken.js";

/** Whether the trigger @mentions an agent folder of the checkout's HEAD (folder names only; never for bots). */
export async function addressesCheckoutAgent(trigger: Trigger, repoDir: string): Promise<boolean> {
  if (trigger.actor.type === "Bot" || !trigger.mentions.length) return false;
  return addressedAgents(trigger, await agentFolders(repoDir, "HEAD")).length > 0;
}

/** Reacts when the trigger addresses an agent folder; true when a reaction was asked for (the executor skips its own). */
export async function earlyEyes(github: GitHubClient, trigger: Trigger, addressed: boolean, warn: (line: string) => void): Promise<boolean> {
  const target = seenTarget(trigger);
  if (!target || !addressed) return false;
  await github.react(repoId(trigger), target, "eyes").catch((e: unknown) => warn(`no 👀 reaction: ${errorMessage(e)}`));
  return true;
}
