/**
 * The Action's answer when the step fails before any run could say so
 * (planning: GitHub's answers, a git error): what the request addressed (its
 * agents, a command of gitcrew's, an approving review) was not done, what
 * failed, what to do (src/pipeline/unplanned-answer.ts decides, as on serve).
 */
import * as core from "@actions/core";
import type { Crew } from "../crew/types.js";
import type { Trigger } from "../events/trigger.js";
import type { GitHubClient } from "../github/types.js";
import { errorMessage } from "../util/errors.js";
import { agentFolders } from "./crew-broken.js";

/** Posts the answer; its URL, or undefined when nothing was addressed or GitHub did not take it. Never fails the step a second time. */
export async function tellThread(github: GitHubClient, trigger: Trigger, crew: Crew | undefined, repoDir: string, err: unknown, runUrl: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const thread = trigger.thread;
  if (!thread) return undefined;
  const warn = (e: unknown) => void core.warning(`could not answer in the thread: ${errorMessage(e)}`);
  try {
    const [{ planningFailure }, { unplannedAnswerBody }] = await Promise.all([import("../pipeline/failure-answers.js"), import("../pipeline/unplanned-answer.js")]);
    const failure = planningFailure(err);
    const hint = runUrl ? `${failure.hint ?? "comment again"}, or re-run the jobs of [the workflow run](${runUrl})` : failure.hint;
    const folders = () => agentFolders(repoDir, `refs/remotes/origin/${trigger.repo.defaultBranch}`);
    const body = await unplannedAnswerBody({ github: async () => github, env }, trigger, crew, folders, { message: failure.message, ...(hint ? { hint } : {}) });
    if (!body) return undefined;
    return (await github.createComment({ owner: trigger.repo.owner, repo: trigger.repo.name }, thread.number, body)).url;
  } catch (e) {
    warn(e);
    return undefined;
  }
}
