/**
 * `/cancel` in the Action: the runs of that thread on this runner's Docker
 * engine are stopped through their local run records (their own Action job
 * then ends as cancelled and says so in its tracking comment). The workflow
 * gives a comment that is just `/cancel` a concurrency group of its own, so
 * it does not wait behind the run it stops; any other comment waits in the
 * thread's group (one with `@dev …` beside the `/cancel` would otherwise
 * start a second run on the thread's branch).
 */
import { connectDocker } from "../runner/engine.js";
import { cancelLocalRun } from "../runner/local-runs.js";
import { RunRecords } from "../runner/records.js";

/**
 * The comment bodies templates/workflows/gitcrew.yml puts in a group of their
 * own (its contains() compares case-insensitively); the template test checks
 * that both lists are the same.
 */
export const OWN_GROUP_CANCEL_BODIES = ["/cancel", "/cancel ", "/cancel\n", "/cancel\r\n", "/cancel\n\n", "/cancel\r\n\r\n"] as const;

/** Whether the workflow let this comment run beside the thread's run (and so could stop it). */
export function cancelsOutOfTurn(body: string): boolean {
  return (OWN_GROUP_CANCEL_BODIES as readonly string[]).includes(body.toLowerCase());
}

/** The reply when a `/cancel` found no run; a `/cancel` with other text waited for the run to end first. */
export function nothingToCancel(login: string, body: string | undefined): string {
  const base = `@${login} nothing to cancel: no run of this thread is going on this runner.`;
  if (body === undefined || cancelsOutOfTurn(body)) return base;
  return `${base} A \`/cancel\` in a comment with anything else in it waits until the thread's current run has ended; to stop a run while it works, comment \`/cancel\` alone.`;
}

export async function cancelThreadRuns(threads: string[], env: NodeJS.ProcessEnv, by: string): Promise<string[]> {
  if (threads.length === 0) return [];
  const docker = await connectDocker(env);
  const records = new RunRecords(env);
  const cancelled: string[] = [];
  for (const thread of threads) {
    const containers = await docker.listContainers({ filters: { label: [`gitcrew.thread=${thread}`] } });
    const runs = new Set(containers.map((c) => c.Labels["gitcrew.run"]).filter((r): r is string => !!r));
    for (const run of runs) {
      if (!records.get(run)) continue;
      const outcome = await cancelLocalRun(records, run, { env, by, waitMs: 20_000 });
      if (!outcome.alreadyFinished) cancelled.push(run);
    }
  }
  return cancelled;
}
