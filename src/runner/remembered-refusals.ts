/**
 * A runner that cannot close the host's services to agent containers refuses
 * the run (unless GITCREW_ALLOW_OPEN_HOST=1). Finding that out may take a
 * container of the engine's (host-firewall.ts, for a runner that is not
 * root), and a long-running runner asks again for every run and every retry:
 * a burst of runs would start one firewall container each. So the refusal is
 * remembered for a while (60 s), and runs meanwhile get the same refusal
 * without a new attempt; after that the next run tries again (the operator
 * may have fixed the host).
 */
import { EnvironmentError } from "../util/errors.js";

export const REFUSAL_MEMORY_MS = 60_000;

export class RememberedRefusals {
  private readonly refused = new Map<string, { message: string; hint?: string; until: number }>();

  constructor(
    private readonly ms = REFUSAL_MEMORY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws the refusal remembered for `key` while it is fresh (a new error, the same words). */
  check(key: string): void {
    const r = this.refused.get(key);
    if (!r) return;
    if (this.now() < r.until) throw new EnvironmentError(r.message, r.hint);
    this.refused.delete(key);
  }

  /** Remembers `error` for `key`, and returns it to throw. */
  remember(key: string, error: EnvironmentError): EnvironmentError {
    this.refused.set(key, { message: error.message, ...(error.hint !== undefined ? { hint: error.hint } : {}), until: this.now() + this.ms });
    return error;
  }
}
