/**
 * Schedules in server mode: every agent whose `triggers.schedule` matches the
 * current UTC minute gets one `schedule` delivery per minute, stored under a
 * deterministic id (`schedule-<agent>-<YYYYMMDDHHMM>`). The store's unique
 * delivery id makes the tick happen once across all instances sharing it,
 * and the stored delivery goes through the same planning as a webhook.
 */
import type { Crew } from "../crew/types.js";
import { cronMatches, parseCron, type Cron } from "../crew/cron.js";
import { errorMessage } from "../util/errors.js";
import type { Store } from "../store/types.js";

const MINUTE = 60_000;
/** A tick late by up to this much still fires (a busy event loop, a slow store). */
const CATCH_UP_MINUTES = 2;

export interface ScheduledAgent {
  agent: string;
  cron: string;
}

/** Payload of a synthesized `schedule` event: what GitHub sends (`schedule`, `repository`) plus the agent it is for. */
export interface SchedulePayload {
  schedule: string;
  repository: Record<string, unknown>;
  gitcrew: { agent: string; minute: string };
}

/** `suffix` tells repositories apart when one server serves several (their agents may share names). */
export function scheduleDeliveryId(agent: string, minute: Date, suffix?: string): string {
  return `schedule-${agent}-${minute.toISOString().slice(0, 16).replace(/[-:T]/g, "")}${suffix ? `-${suffix}` : ""}`;
}

/** (agent, cron) pairs due in the UTC minute of `at`; bad expressions are skipped (the crew check reports them). */
export function dueAt(crew: Crew, at: Date, parsed = new Map<string, Cron | null>()): ScheduledAgent[] {
  const due: ScheduledAgent[] = [];
  for (const agent of crew.agents) {
    for (const cron of agent.triggers.schedule) {
      let c = parsed.get(cron);
      if (c === undefined) {
        try {
          c = parseCron(cron);
        } catch {
          c = null;
        }
        parsed.set(cron, c);
      }
      // One delivery per agent and minute even if two of its expressions match.
      if (c && cronMatches(c, at)) {
        due.push({ agent: agent.name, cron });
        break;
      }
    }
  }
  return due;
}

export class Scheduler {
  private timer?: NodeJS.Timeout;
  private last?: number;
  private readonly parsed = new Map<string, Cron | null>();

  constructor(
    private readonly o: {
      store: Store;
      crew(): Crew | undefined;
      repository(): Record<string, unknown> | undefined;
      log(line: string): void;
      now?: () => number;
      /** How often to look at the clock (ms). */
      everyMs?: number;
      /** A delivery was stored. */
      stored?(): void;
      /** Appended to the delivery ids (one per repository when a server serves several). */
      idSuffix?: string;
    },
  ) {}

  start(): void {
    const loop = () => {
      void this.tick().finally(() => {
        this.timer = setTimeout(loop, this.o.everyMs ?? 10_000);
        this.timer.unref();
      });
    };
    loop();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** Store the schedule deliveries of every minute since the last tick (at most a few back). */
  async tick(): Promise<string[]> {
    const crew = this.o.crew();
    const repository = this.o.repository();
    if (!crew || !repository) return [];
    const now = (this.o.now ?? Date.now)();
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const from = this.last === undefined ? minute : Math.max(this.last + MINUTE, minute - CATCH_UP_MINUTES * MINUTE);
    const stored: string[] = [];
    for (let m = from; m <= minute; m += MINUTE) {
      const at = new Date(m);
      for (const { agent, cron } of dueAt(crew, at, this.parsed)) {
        const id = scheduleDeliveryId(agent, at, this.o.idSuffix);
        const payload: SchedulePayload = { schedule: cron, repository, gitcrew: { agent, minute: at.toISOString() } };
        try {
          const fresh = await this.o.store.recordDelivery({ id, event: "schedule", payload: JSON.stringify(payload), receivedAt: now });
          if (fresh) {
            stored.push(id);
            this.o.log(`schedule: ${agent} ("${cron}") at ${at.toISOString().slice(0, 16)}Z queued as delivery ${id}`);
          }
        } catch (err) {
          this.o.log(`schedule: could not store ${id}: ${errorMessage(err)}`);
          return stored;
        }
      }
      this.last = m;
    }
    if (stored.length) this.o.stored?.();
    return stored;
  }
}
