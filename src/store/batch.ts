/**
 * Group commit for webhook intake: deliveries that arrive while writes are
 * in flight (or in the same tick) are committed together in one transaction,
 * so that one fsync covers many of them. Every caller still hears back only
 * after its delivery is durable. `inFlight` batches may be written at once:
 * 1 for SQLite (one connection), more for PostgreSQL, whose own group commit
 * then lets one WAL flush cover concurrent batches, so that a delivery does
 * not wait behind a commit that started before it arrived.
 */
import type { DeliveryInput, DeliveryLease } from "./types.js";

/** A delivery to store, maybe already claimed by the instance that received it. */
export type IntakeRow = DeliveryInput & { lease?: DeliveryLease };

interface Waiting {
  delivery: IntakeRow;
  resolve(fresh: boolean): void;
  reject(err: unknown): void;
}

export type BatchWriter = (deliveries: IntakeRow[]) => Promise<Set<string>>;

export class DeliveryBatcher {
  private queue: Waiting[] = [];
  private writing = 0;
  private scheduled = false;

  /** `write` stores distinct deliveries in one transaction and returns the ids it newly inserted. */
  constructor(
    private readonly write: BatchWriter,
    private readonly options: { maxBatch?: number; inFlight?: number } = {},
  ) {}

  record(delivery: IntakeRow): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ delivery, resolve, reject });
      if (!this.scheduled && this.writing < (this.options.inFlight ?? 1)) {
        this.scheduled = true;
        // Let the requests already parsed in this turn of the event loop join the batch.
        setImmediate(() => {
          this.scheduled = false;
          void this.flush();
        });
      }
    });
  }

  private async flush(): Promise<void> {
    this.writing++;
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        // A redelivery (same id) or a replayed body (same body key) inside one batch: the first copy
        // is written, the others are duplicates. (Across concurrent batches the database's unique keys decide.)
        const first = new Map<string, IntakeRow>();
        const bodies = new Set<string>();
        for (const w of batch) {
          const key = w.delivery.bodyKey;
          if (first.has(w.delivery.id) || (key !== undefined && bodies.has(key))) continue;
          first.set(w.delivery.id, w.delivery);
          if (key !== undefined) bodies.add(key);
        }
        try {
          const inserted = await this.write([...first.values()]);
          for (const w of batch) {
            const mine = first.get(w.delivery.id) === w.delivery;
            w.resolve(mine && inserted.has(w.delivery.id));
          }
        } catch (err) {
          for (const w of batch) w.reject(err);
        }
      }
    } finally {
      this.writing--;
    }
  }
}
