/**
 * Signs of life before a run starts: 👀 on the comment as soon as the
 * delivery is planned — before the GitHub lookups of planning when the text
 * @mentions an agent of the crew — and each run's tracking comment, saying
 * "queued", when its run is queued. The executor then skips 👀 and edits that
 * comment instead of posting one (RunJob.early). Neither waits for a poll,
 * the worktree or the engine.
 */
import type { Crew } from "../crew/types.js";
import { normalize } from "../events/normalize.js";
import type { Trigger } from "../events/trigger.js";
import { TrackingComment } from "../github/tracking.js";
import type { GitHubClient } from "../github/types.js";
import { seenTarget, trackingOptionsFor } from "../pipeline/execute.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { crewRoutesEdits } from "../plan/route.js";
import { errorMessage } from "../util/errors.js";
import { runnerRunId } from "./run-id.js";

export class EarlySigns {
  private eyes: Promise<void> | undefined;

  constructor(
    private readonly s: Services,
    private readonly deliveryId: string,
  ) {}

  /**
   * Before planning: 👀 at once when the comment @mentions one of the crew's
   * agents (a pure check of the payload, no GitHub call). Not awaited here.
   */
  beforePlan(event: string, payload: unknown, crew: Crew): void {
    let trigger: Trigger;
    try {
      const n = normalize(event, payload, { deliveryId: this.deliveryId, edits: crewRoutesEdits(crew.agents) });
      if (!n.ok) return;
      trigger = n.trigger;
    } catch {
      return;
    }
    if (crew.agents.some((a) => a.triggers.mention && trigger.mentions.includes(a.name.toLowerCase()))) this.react(trigger);
  }

  /**
   * The delivery's runs are planned: 👀 if not given yet, and each run's
   * tracking comment ("queued"), posted at once. A comment that could not be
   * posted is left to the executor, which posts it (and retries) as before.
   */
  async queued(runs: RunJob[]): Promise<RunJob[]> {
    const first = runs[0];
    if (!first) return (await this.eyes, runs);
    this.react(first.trigger);
    const seen = seenTarget(first.trigger) !== undefined;
    const ids = runIdsOf(this.deliveryId, runs);
    const out = await Promise.all(
      runs.map(async (job, i): Promise<RunJob> => {
        if (!job.trigger.thread) return { ...job, early: { seen } };
        const github: GitHubClient = this.s.clientFor ? await this.s.clientFor(job.agent) : this.s.github;
        const opts = trackingOptionsFor(this.s, job, runnerRunId(ids[i] ?? "", 1), github, this.warn);
        const tracking = await TrackingComment.queued(opts).catch((e: unknown) => {
          this.warn(`tracking comment not posted when queued (the run posts it): ${errorMessage(e)}`);
          return undefined;
        });
        return { ...job, early: { seen, ...(tracking ? { tracking: { id: tracking.id, url: tracking.url } } : {}) } };
      }),
    );
    await this.eyes;
    return out;
  }

  /** Waits for a 👀 in flight (planning ended without runs). */
  async settle(): Promise<void> {
    await this.eyes;
  }

  private react(t: Trigger): void {
    const target = seenTarget(t);
    if (this.eyes || !target) return;
    this.eyes = this.s.github.react(repoId(t), target, "eyes").then(
      () => undefined,
      (e: unknown) => this.warn(`no 👀 reaction: ${errorMessage(e)}`),
    );
  }

  private readonly warn = (message: string): void => this.s.log(`warning: ${message}`);
}

/** The ids the store gives a delivery's runs (SqlStore.completeDelivery): `<delivery>:<agent>`, then `:2`, `:3` for repeats. */
export function runIdsOf(deliveryId: string, runs: RunJob[]): string[] {
  const seen = new Set<string>();
  return runs.map((job) => {
    let id = `${deliveryId}:${job.agent.name}`;
    for (let i = 2; seen.has(id); i++) id = `${deliveryId}:${job.agent.name}:${i}`;
    seen.add(id);
    return id;
  });
}
