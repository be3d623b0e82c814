/**
 * Signs of life before a run starts, given as soon as the delivery is
 * claimed for planning — before planning's GitHub lookups (permission,
 * issue, comments) — when the text addresses agents of the crew (@mention
 * or their slash command): 👀 on the comment, and for each such agent the
 * tracking comment of its run, saying "queued". The executor then skips 👀
 * and edits that comment instead of posting one (RunJob.early).
 *
 * The early comments are a guess that planning settles:
 * - a planned run takes over its agent's comment (same run id);
 * - a reply planning posts in the thread (a refusal, a command's answer) is
 *   written into an early comment of an agent that did not run, so the
 *   thread reads as it did without early comments;
 * - planning's own reads of the thread do not see them (the prompt's history
 *   and the markers read are what they were);
 *   both through the services given to the constructor: their `github` is
 *   guarded while early comments are open (the same object planning uses);
 * - the rest are deleted, also when planning fails (it is tried again).
 * A comment that could not be posted early is left to the executor, which
 * posts it (and retries) as before.
 */
import type { Agent, Crew } from "../crew/types.js";
import { normalize } from "../events/normalize.js";
import type { Trigger } from "../events/trigger.js";
import { GitHubError } from "../github/errors.js";
import { TrackingComment } from "../github/tracking.js";
import type { CommentRef, GitHubClient, RepoId } from "../github/types.js";
import { seenTarget, trackingOptionsFor } from "../pipeline/execute.js";
import { repoId, type RunJob, type Services } from "../pipeline/types.js";
import { authorize } from "../policy/authorize.js";
import { crewRoutesEdits, route } from "../plan/route.js";
import { errorMessage } from "../util/errors.js";
import { failedRunBody, type Failure } from "../pipeline/failure-answers.js";
import { watchQueuedComments } from "./queue-comments.js";
import { runnerRunId } from "./run-id.js";

/** One tracking comment posted before planning, and who took it over. */
interface EarlyComment {
  agent: string;
  /** The queued run's id it is for (`<delivery>:<agent>`). */
  runId: string;
  repo: RepoId;
  issue: number;
  /** Undefined when GitHub refused it. */
  posted: Promise<CommentRef | undefined>;
  /** What it says planning failed for good, in place of "queued". */
  failedBody: (failure: Failure) => string;
  taken?: "run" | "reply" | "withdrawn";
}

export class EarlySigns {
  private eyes: Promise<void> | undefined;
  private readonly early: EarlyComment[] = [];
  /** The client as given, unguarded. */
  private readonly github: GitHubClient;

  constructor(
    private readonly s: Services,
    private readonly deliveryId: string,
  ) {
    this.github = s.github;
  }

  /**
   * Before planning: 👀 and the tracking comments of the agents the text
   * addresses (pure checks of the payload, no GitHub lookup). Not awaited.
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
    const agents = addressedAgents(trigger, crew);
    if (agents.length || crew.agents.some((a) => a.triggers.mention && trigger.mentions.includes(a.name.toLowerCase()))) this.react(trigger);
    for (const agent of agents) this.postEarly(trigger, agent);
    // Planning's reads of the thread skip the early comments, its replies reuse them.
    if (this.early.length) this.s.github = this.guarded(this.github);
  }

  /**
   * The delivery's runs are planned: 👀 if not given yet, and each run's
   * tracking comment ("queued"): the one posted before planning, or posted
   * now. Early comments no run took are deleted.
   */
  async queued(runs: RunJob[]): Promise<RunJob[]> {
    const first = runs[0];
    if (first) this.react(first.trigger);
    const seen = first ? seenTarget(first.trigger) !== undefined : false;
    const ids = runIdsOf(this.deliveryId, runs);
    const out = await Promise.all(
      runs.map(async (job, i): Promise<RunJob> => {
        if (!job.trigger.thread) return { ...job, early: { seen } };
        const id = ids[i] ?? "";
        const mine = this.early.find((e) => !e.taken && e.runId === id && e.agent === job.agent.name);
        if (mine) {
          mine.taken = "run";
          const ref = await mine.posted;
          // Not posted early: the executor posts it when the run starts, as before.
          return { ...job, early: { seen, ...(ref ? { tracking: { id: ref.id, url: ref.url } } : {}) } };
        }
        const github: GitHubClient = this.s.clientFor ? await this.s.clientFor(job.agent) : this.github;
        const opts = trackingOptionsFor(this.s, job, runnerRunId(id, 1), github, this.warn);
        const tracking = await TrackingComment.queued(opts).catch((e: unknown) => {
          this.warn(`tracking comment not posted when queued (the run posts it): ${errorMessage(e)}`);
          return undefined;
        });
        return { ...job, early: { seen, ...(tracking ? { tracking: { id: tracking.id, url: tracking.url } } : {}) } };
      }),
    );
    // While the runs wait, their comments show their place in the queue (queue-comments.ts).
    watchQueuedComments(this.s, ids, out);
    await this.withdraw("no run took it");
    await this.eyes;
    this.s.github = this.github;
    return out;
  }

  /** Planning ended without queueing (it failed and is tried again): early comments are withdrawn, 👀 in flight awaited. */
  async settle(): Promise<void> {
    await this.withdraw("planning did not finish");
    await this.eyes;
    this.s.github = this.github;
  }

  /**
   * Planning failed for good (it is not tried again): the early comments say
   * what failed instead of being withdrawn. True when one of them says it.
   */
  async failed(failure: Failure): Promise<boolean> {
    const mine = this.early.filter((e) => e.taken !== "reply" && e.taken !== "withdrawn");
    for (const e of mine) e.taken = "withdrawn";
    const told = await Promise.all(
      mine.map(async (e) => {
        const ref = await e.posted;
        if (!ref) return false;
        return this.github.updateComment(e.repo, ref.id, e.failedBody(failure)).then(
          () => true,
          (err: unknown) => (this.warn(`could not say in the early tracking comment of ${e.agent} that planning failed: ${errorMessage(err)}`), false),
        );
      }),
    );
    await this.eyes;
    this.s.github = this.github;
    return told.includes(true);
  }

  private react(t: Trigger): void {
    const target = seenTarget(t);
    if (this.eyes || !target) return;
    this.eyes = this.github.react(repoId(t), target, "eyes").then(
      () => undefined,
      (e: unknown) => this.warn(`no 👀 reaction: ${errorMessage(e)}`),
    );
  }

  private postEarly(trigger: Trigger, agent: Agent): void {
    const thread = trigger.thread;
    if (!thread) return;
    const runId = `${this.deliveryId}:${agent.name}`;
    const origin = trackingOptionsFor(this.s, { trigger, agent }, runnerRunId(runId, 1), this.github, this.warn).origin;
    const posted = (async () => {
      const github = this.s.clientFor ? await this.s.clientFor(agent) : this.github;
      return TrackingComment.queued(trackingOptionsFor(this.s, { trigger, agent }, runnerRunId(runId, 1), github, this.warn));
    })().catch((e: unknown) => {
      this.warn(`tracking comment not posted when queued (the run posts it): ${errorMessage(e)}`);
      return undefined;
    });
    const failedBody = (failure: Failure) => failedRunBody(origin, failure, "failed", this.s.runUrl);
    this.early.push({ agent: agent.name, runId, repo: repoId(trigger), issue: thread.number, posted, failedBody });
  }

  /** Deletes the early comments nobody took. */
  private async withdraw(why: string): Promise<void> {
    const left = this.early.filter((e) => !e.taken);
    for (const e of left) e.taken = "withdrawn";
    await Promise.all(
      left.map(async (e) => {
        const ref = await e.posted;
        if (!ref) return;
        await this.github.deleteComment(e.repo, ref.id).then(
          () => this.s.log(`delivery ${this.deliveryId}: early tracking comment of ${e.agent} withdrawn (${why})`),
          (err: unknown) => this.warn(`could not withdraw the early tracking comment of ${e.agent}: ${errorMessage(err)}`),
        );
      }),
    );
  }

  /** Early comments on this thread not taken yet. */
  private open(repo: RepoId, issue: number): EarlyComment[] {
    return this.early.filter((e) => !e.taken && e.issue === issue && sameRepo(e.repo, repo));
  }

  private guarded(inner: GitHubClient): GitHubClient {
    const listComments: GitHubClient["listComments"] = async (repo, issue, opts) => {
      const hidden = this.open(repo, issue);
      if (!hidden.length) return inner.listComments(repo, issue, opts);
      const max = Math.max(opts?.max ?? 50, 0);
      const all = await inner.listComments(repo, issue, { ...opts, max: max + hidden.length });
      const ids = new Set((await Promise.all(hidden.map((e) => e.posted))).flatMap((r) => (r ? [r.id] : [])));
      const shown = all.comments.filter((c) => !ids.has(c.id));
      const kept = shown.slice(Math.max(shown.length - max, 0));
      return { ...all, comments: kept, omitted: all.omitted + shown.length - kept.length };
    };
    const createComment: GitHubClient["createComment"] = async (repo, issue, body) => {
      // An agent the reply names first (a refusal names the agents that did not start).
      const named = (e: EarlyComment) => Number(!body.includes(`@${e.agent}`));
      for (const e of this.open(repo, issue).sort((a, b) => named(a) - named(b))) {
        if (e.taken) continue;
        e.taken = "reply";
        const ref = await e.posted;
        if (!ref) continue;
        try {
          return await inner.updateComment(repo, ref.id, body);
        } catch (err) {
          // Deleted meanwhile: posted as a new comment. Otherwise it is withdrawn with the rest when planning fails.
          if (err instanceof GitHubError && err.status === 404) break;
          e.taken = undefined;
          throw err;
        }
      }
      return inner.createComment(repo, issue, body);
    };
    return new Proxy(inner, {
      get(target, prop) {
        if (prop === "listComments") return listComments;
        if (prop === "createComment") return createComment;
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }

  private readonly warn = (message: string): void => this.s.log(`warning: ${message}`);
}

/**
 * The agents a comment addresses by its text whose run would be queued if the
 * actor may start them: a guess before planning, without GitHub lookups.
 * Bots are left out (whether one counts needs gitcrew's own login).
 */
function addressedAgents(t: Trigger, crew: Crew): Agent[] {
  if (!t.thread || t.actor.type === "Bot" || !seenTarget(t)) return [];
  return crew.agents.filter((a) => {
    const byText = (a.triggers.mention && t.mentions.includes(a.name.toLowerCase())) || t.commands.some((c) => a.triggers.commands.includes(c.name));
    return byText && route(a, t).addressed && authorize(a, t, { permission: "admin", author: { permission: "admin" } }, crew.config).ok;
  });
}

function sameRepo(a: RepoId, b: RepoId): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
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
