/**
 * `/cancel` in the Action: the runs of that thread on this runner's Docker
 * engine are stopped through their local run records (their own Action job
 * then ends as cancelled and says so in its tracking comment). The workflow
 * gives `/cancel` comments a concurrency group of their own, so they do not
 * wait behind the run they stop.
 */
import { connectDocker } from "../runner/engine.js";
import { cancelLocalRun } from "../runner/local-runs.js";
import { RunRecords } from "../runner/records.js";

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
