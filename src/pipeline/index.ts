/** The run pipeline: one event in, jobs planned and carried out (Action), or queued (server). */
import { followUpRecorded } from "../approvals/follow-up-runs.js";
import type { Crew } from "../crew/types.js";
import { errorMessage } from "../util/errors.js";
import { executeJob } from "./execute.js";
import { prepareEvent } from "./prepare.js";
import type { EventInput, ExecuteOptions, Prepared, RunReport, Services } from "./types.js";

export { executeJob } from "./execute.js";
export { enrichTrigger, jobsOf, planContext, planTrigger, prepareEvent } from "./prepare.js";
export { fetchDefaultBranch, loadDefaultCrew } from "./crew-source.js";
export { readSessions } from "./sessions.js";
export type * from "./types.js";
export { repoId } from "./types.js";

export interface EventOutcome extends Prepared {
  reports: RunReport[];
}

/** Plan the event and run its jobs one after another (the Action's flow). */
export async function runEvent(s: Services, input: EventInput, crew: Crew, opts: Pick<ExecuteOptions, "signal" | "observer"> & { onJob?(name: string): void; /** 👀 was given before planning (the Action's early eyes). */ seen?: boolean } = {}): Promise<EventOutcome> {
  const prepared = await prepareEvent(s, input, crew);
  const reports: RunReport[] = [];
  for (const job of opts.seen ? prepared.jobs.map((j) => ({ ...j, early: { ...j.early, seen: true } })) : prepared.jobs) {
    opts.onJob?.(job.agent.name);
    try {
      // An approval's follow-up runs under its claim's run id: its tracking comment records that it started.
      reports.push(await executeJob(s, job, { signal: opts.signal, observer: opts.observer, ...(job.followUp ? { runId: job.followUp.runId } : {}) }));
      if (job.followUp) await followUpRecorded(s, job);
    } catch (err) {
      // executeJob reports failures itself; this is a GitHub call that failed before the run.
      reports.push({ job, status: "failed", approvals: [], comments: [], error: { message: errorMessage(err) } });
    }
  }
  return { ...prepared, reports };
}
