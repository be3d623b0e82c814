/**
 * Answers that could not reach GitHub (it is down, or rate limits us after
 * the client's own retries): kept in the store and written again later, with
 * a growing delay, so a thread is told what happened once GitHub answers
 * again, also after a restart of `serve` and by whichever instance sharing
 * the store gets to it first (each answer is leased to one at a time). Each
 * answer is logged once when it is put off and once when it is written or
 * given up; the attempts in between are quiet.
 */
import type { ThreadAnswer } from "../pipeline/types.js";
import type { PendingAnswers, StoredAnswer } from "../store/answers.js";
import { errorMessage } from "../util/errors.js";
import { isTemporary } from "./github-access.js";

export interface OutboxOptions {
  /** Where answers wait (the server's store: survives restarts, shared by instances). */
  store: PendingAnswers;
  /** This instance's name (its leases). */
  owner: string;
  /** Writes an answer in its thread (throws what GitHub answered). */
  write(answer: ThreadAnswer): Promise<unknown>;
  /** First delay before writing again (doubles each time, capped at `maxDelayMs`); also how often the store is looked at. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Given up after this long (default a day). */
  giveUpAfterMs?: number;
  log(line: string): void;
  now?: () => number;
}

/**
 * Thrown by `write` for an answer in a repository this instance does not
 * serve (instances sharing a store may serve different ones): left for
 * another instance, never written with this one's token.
 */
export class NotServedHere extends Error {}

/** An instance that stops while writing an answer lets another take it over after this long. */
const LEASE_MS = 5 * 60_000;
/** Answers taken per look at the store. */
const BATCH = 20;

export class AnswerOutbox {
  private closed = false;
  private busy = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly o: Required<OutboxOptions>;

  constructor(options: OutboxOptions) {
    this.o = { firstDelayMs: 30_000, maxDelayMs: 10 * 60_000, giveUpAfterMs: 24 * 3_600_000, now: Date.now, ...options };
    // Answers put off by this instance, by another one, or before a restart: all are in the store.
    this.timer = setInterval(() => void this.due(), this.o.firstDelayMs);
    this.timer.unref?.();
  }

  /**
   * Write now; when GitHub cannot be reached, again later until it can.
   * Resolves after the first try (true: written). Other failures (the
   * comment refused, a bad request) are logged and not tried again.
   */
  async send(what: string, answer: ThreadAnswer): Promise<boolean> {
    try {
      await this.o.write(answer);
      return true;
    } catch (err) {
      await this.defer(what, err, answer);
      return false;
    }
  }

  /** Writing `answer` failed with `err`: kept to write again later if GitHub could not be reached, else logged and dropped. */
  async defer(what: string, err: unknown, answer: ThreadAnswer): Promise<void> {
    if (!isTemporary(err)) return this.o.log(`warning: ${what} not written: ${errorMessage(err)}`);
    try {
      await this.o.store.add({ what, answer: JSON.stringify(answer), since: this.o.now(), delayMs: this.o.firstDelayMs }, this.o.now() + this.o.firstDelayMs);
    } catch (stored) {
      return this.o.log(`warning: ${what} not written (${errorMessage(err)}) and not kept to write later: the store failed (${errorMessage(stored)})`);
    }
    this.o.log(`warning: ${what} not written, GitHub does not answer (${errorMessage(err)}); gitcrew writes it again when GitHub answers`);
  }

  /** Stops looking; this instance's leases are given up so that another instance (or the restart) writes them. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.o.store.release(this.o.owner).catch(() => undefined);
    const left = await this.o.store.count().catch(() => 0);
    if (left) this.o.log(`${left} answer(s) GitHub did not take yet are kept in the store: gitcrew writes them once it runs again`);
  }

  /** Answers whose time has come, one at a time. */
  private async due(): Promise<void> {
    if (this.busy || this.closed) return;
    this.busy = true;
    try {
      const taken = await this.o.store.claimDue(this.o.owner, this.o.now(), LEASE_MS, BATCH);
      for (const a of taken) {
        if (this.closed) break;
        await this.again(a).catch((err: unknown) => {
          // Shut down meanwhile: the lease was given up, the next start writes it.
          if (!this.closed) this.o.log(`warning: ${a.what}: the store failed (${errorMessage(err)}); it is written again once its lease ends`);
        });
      }
    } catch (err) {
      if (!this.closed) this.o.log(`warning: answers waiting for GitHub could not be read from the store: ${errorMessage(err)}`);
    } finally {
      this.busy = false;
    }
  }

  private async again(a: StoredAnswer): Promise<void> {
    let answer: ThreadAnswer;
    try {
      answer = JSON.parse(a.answer) as ThreadAnswer;
      await this.o.write(answer);
    } catch (err) {
      const delay = err instanceof NotServedHere ? a.delayMs : Math.min(a.delayMs * 2, this.o.maxDelayMs);
      if ((isTemporary(err) || err instanceof NotServedHere) && this.o.now() - a.since < this.o.giveUpAfterMs) {
        await this.o.store.later(a.id, this.o.owner, this.o.now() + delay, delay);
        return;
      }
      this.o.log(`warning: ${a.what} given up: ${errorMessage(err)}`);
      await this.o.store.remove(a.id, this.o.owner);
      return;
    }
    this.o.log(`${a.what} written after GitHub answered again`);
    await this.o.store.remove(a.id, this.o.owner);
  }
}
