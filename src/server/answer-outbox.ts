/**
 * Answers that could not reach GitHub (it is down, or rate limits us after
 * the client's own retries): kept and written again later, with a growing
 * delay, so a thread is told what happened once GitHub answers again. Each
 * answer is logged once when it is put off and once when it is written or
 * given up; the attempts in between are quiet. Kept in memory: a restart
 * forgets what was pending (the run records keep the outcome).
 */
import { errorMessage } from "../util/errors.js";
import { isTemporary } from "./github-access.js";

export interface OutboxOptions {
  /** First delay before writing again (doubles each time, capped at `maxDelayMs`). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** Given up after this long (default a day). */
  giveUpAfterMs?: number;
  log(line: string): void;
}

interface Pending {
  what: string;
  write: () => Promise<unknown>;
  since: number;
  delay: number;
  timer?: ReturnType<typeof setTimeout>;
}

export class AnswerOutbox {
  private readonly pending = new Set<Pending>();
  private closed = false;
  private readonly o: Required<OutboxOptions>;

  constructor(options: OutboxOptions) {
    this.o = { firstDelayMs: 30_000, maxDelayMs: 10 * 60_000, giveUpAfterMs: 24 * 3_600_000, ...options };
  }

  /**
   * Write now; when GitHub cannot be reached, again later until it can.
   * Resolves after the first try (true: written). Other failures (the
   * comment refused, a bad request) are logged and not tried again.
   */
  async send(what: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (err) {
      this.defer(what, err, write);
      return false;
    }
  }

  /** `write` failed with `err`: written again later if GitHub could not be reached, else logged and dropped. */
  defer(what: string, err: unknown, write: () => Promise<unknown>): void {
    if (!isTemporary(err) || this.closed) return this.o.log(`warning: ${what} not written: ${errorMessage(err)}`);
    this.o.log(`warning: ${what} not written, GitHub does not answer (${errorMessage(err)}); gitcrew writes it again when GitHub answers`);
    this.later({ what, write, since: Date.now(), delay: this.o.firstDelayMs });
  }

  /** Answers still waiting for GitHub. */
  get size(): number {
    return this.pending.size;
  }

  close(): void {
    this.closed = true;
    for (const p of this.pending) if (p.timer) clearTimeout(p.timer);
    if (this.pending.size) this.o.log(`warning: ${this.pending.size} answer(s) GitHub did not take are dropped at shutdown`);
    this.pending.clear();
  }

  private later(p: Pending): void {
    this.pending.add(p);
    p.timer = setTimeout(() => void this.again(p), p.delay);
    p.timer.unref?.();
  }

  private async again(p: Pending): Promise<void> {
    this.pending.delete(p);
    if (this.closed) return;
    try {
      await p.write();
      this.o.log(`${p.what} written after GitHub answered again`);
    } catch (err) {
      if (isTemporary(err) && Date.now() - p.since < this.o.giveUpAfterMs) return this.later({ ...p, delay: Math.min(p.delay * 2, this.o.maxDelayMs) });
      this.o.log(`warning: ${p.what} given up: ${errorMessage(err)}`);
    }
  }
}
