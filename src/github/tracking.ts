/**
 * The tracking comment of one run: posted when the run starts (or, by the
 * server, when it is queued, and taken over when it starts), updated in
 * place (throttled) as the agent reports progress, recreated if someone
 * deletes it, and finished with the result.
 */
import type { AgentOrigin } from "../events/trigger.js";
import { errorMessage } from "../util/errors.js";
import { GitHubError } from "./errors.js";
import { originMarker } from "./marker.js";
import { renderFinal, renderWorking, type RunSummary } from "./render.js";
import { ANSWER_LIMIT, clipAnswer } from "./split.js";
import type { CommentRef, GitHubClient, RepoId } from "./types.js";

export interface TrackingOptions {
  client: GitHubClient;
  repo: RepoId;
  issueNumber: number;
  origin: AgentOrigin;
  /** Link to the workflow run or server log of this run. */
  runUrl?: string;
  /** Most characters of an answer posted (default ANSWER_LIMIT); the rest is left to the run's log. */
  answerLimit?: number;
  /** Least time between two progress edits (default 3000 ms). */
  minIntervalMs?: number;
  /** Told when a progress edit fails; progress never fails the run. */
  onError?: (message: string) => void;
}

export class TrackingComment {
  private ref: CommentRef;
  private lastWrite: number;
  private pending: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private finished = false;
  private readonly marker: string;
  private readonly interval: number;

  private constructor(
    private readonly opts: TrackingOptions,
    ref: CommentRef,
  ) {
    this.ref = ref;
    this.lastWrite = Date.now();
    this.marker = originMarker(opts.origin);
    this.interval = opts.minIntervalMs ?? 3000;
  }

  /** Posts "<agent> is working on it" and returns the handle. */
  static async start(opts: TrackingOptions): Promise<TrackingComment> {
    const body = renderWorking(opts.origin.agent, originMarker(opts.origin), opts.runUrl);
    const ref = await opts.client.createComment(opts.repo, opts.issueNumber, body);
    return new TrackingComment(opts, ref);
  }

  /** Posts "<agent> is queued" ahead of the run (the server, when it queues it); `adopt` takes it over when the run starts. */
  static async queued(opts: TrackingOptions): Promise<CommentRef> {
    return opts.client.createComment(opts.repo, opts.issueNumber, renderWorking(opts.origin.agent, originMarker(opts.origin), opts.runUrl, "queued: starts as soon as a runner is free"));
  }

  /** Takes over a comment posted by `queued`: edits it to "working" now (posted again if it was deleted). */
  static async adopt(opts: TrackingOptions, ref: CommentRef): Promise<TrackingComment> {
    const tracking = new TrackingComment(opts, ref);
    await tracking.write(renderWorking(opts.origin.agent, tracking.marker, opts.runUrl));
    return tracking;
  }

  /** The comment as it is now (its id changes when it had to be recreated). */
  get comment(): CommentRef {
    return this.ref;
  }

  /**
   * Shows `status` under the headline. Edits happen at most once per
   * interval; statuses in between are coalesced into the latest one.
   */
  progress(status: string): void {
    if (this.finished) return;
    this.pending = status;
    if (this.timer) return;
    const wait = this.lastWrite + this.interval - Date.now();
    if (wait <= 0) this.queueWrite();
    else this.timer = setTimeout(() => this.queueWrite(), wait);
  }

  /** Writes a pending status now and waits for edits in flight. */
  async flush(): Promise<void> {
    if (this.timer) this.queueWrite();
    else if (this.pending !== undefined) this.queueWrite();
    await this.chain;
  }

  /**
   * Replaces the comment with the result. Above GitHub's size limit the
   * answer continues in further comments; all of them are returned.
   */
  async finish(summary: RunSummary): Promise<CommentRef[]> {
    this.finished = true;
    this.clearTimer();
    this.pending = undefined;
    await this.chain;
    const [first = "", ...rest] = this.finalBodies(summary);
    const refs = [await this.write(first)];
    for (const part of rest) refs.push(await this.opts.client.createComment(this.opts.repo, this.opts.issueNumber, part));
    return refs;
  }

  /** What `finish` writes: the comment's final text, then any further comments. */
  finalBodies(summary: RunSummary): string[] {
    return renderFinal({ runUrl: this.opts.runUrl, ...summary, ...this.cappedAnswer(summary.answer) }, this.marker);
  }

  /**
   * An answer over the limit is cut, and its last part says where the whole
   * output is: the workflow run's log in the Action, `gitcrew logs RUN` elsewhere.
   */
  private cappedAnswer(answer: string | undefined): { answer?: string } {
    if (answer === undefined) return {};
    const { text, cut } = clipAnswer(answer, this.opts.answerLimit ?? ANSWER_LIMIT);
    if (!cut) return { answer };
    const where = this.opts.runUrl ? `the [workflow run's log](${this.opts.runUrl})` : `the run's log: \`gitcrew logs ${this.opts.origin.runId.replace(/\.attempt\d+$/, "")}\``;
    return { answer: `${text}\n\n---\n\n**The answer is cut here:** ${cut.toLocaleString("en-US")} more characters are not posted. The agent's whole output is in ${where}.` };
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private queueWrite(): void {
    this.clearTimer();
    const status = this.pending;
    this.pending = undefined;
    if (status === undefined || this.finished) return;
    this.lastWrite = Date.now();
    const body = renderWorking(this.opts.origin.agent, this.marker, this.opts.runUrl, status);
    this.chain = this.chain.then(async () => {
      try {
        await this.write(body);
      } catch (err) {
        this.opts.onError?.(`could not update the tracking comment: ${errorMessage(err)}`);
      }
    });
  }

  /** Edits the comment; when it was deleted meanwhile, posts it again. */
  private async write(body: string): Promise<CommentRef> {
    const { client, repo, issueNumber } = this.opts;
    try {
      this.ref = await client.updateComment(repo, this.ref.id, body);
    } catch (err) {
      if (!(err instanceof GitHubError && err.status === 404)) throw err;
      this.ref = await client.createComment(repo, issueNumber, body);
    }
    return this.ref;
  }
}
