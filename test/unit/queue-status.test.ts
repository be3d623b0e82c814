/** The words of a waiting run's place and reason, as the thread and `ps --queue` show them. */
import { describe, expect, it } from "vitest";
import { ordinal, queueStatus, waitingFor } from "../../src/server/queue-comments.js";
import type { QueueEntry } from "../../src/store/queue.js";

const entry = (position: number, reason: QueueEntry["reason"]): QueueEntry => ({ id: "r", agent: "dev", threadKey: "acme/w#1", repo: "acme/w", position, createdAt: 0, attempt: 1, reason });

describe("queue status", () => {
  it("says the place with its ordinal and why the run waits", () => {
    expect(queueStatus(entry(3, { kind: "agent", ahead: 2, limit: 1 }))).toBe("queued: 3rd in line, behind 2 runs of `@dev` (1 at a time)");
    expect(queueStatus(entry(1, { kind: "thread", ahead: 1 }))).toBe("queued: 1st in line, behind 1 run in this thread");
    expect(queueStatus(entry(2, { kind: "repo", repo: "acme/w", ahead: 4, limit: 2 }))).toBe("queued: 2nd in line, behind 4 runs of acme/w (2 at a time)");
    expect(queueStatus(entry(1, { kind: "capacity" }))).toBe("queued: 1st in line, waiting for a free runner");
    expect(queueStatus(entry(4, { kind: "retry", notBefore: Date.UTC(2026, 11, 6, 10, 42, 5), attempt: 2 }))).toBe("queued: 4th in line, attempt 2 not before 10:42:05 UTC");
  });

  it("stops counting past the exact places, so far comments do not change as runs move", () => {
    expect(queueStatus(entry(21, { kind: "agent", ahead: 20, limit: 1 }))).toBe("queued: behind 20+ runs");
    expect(queueStatus(entry(500, { kind: "thread", ahead: 1 }))).toBe("queued: behind 20+ runs");
    expect(queueStatus(entry(6, { kind: "capacity" }), 5)).toBe("queued: behind 5+ runs");
  });

  it("names the agent in a code span in the thread (no mention, no notification), plainly elsewhere", () => {
    expect(waitingFor({ kind: "agent", ahead: 1, limit: 3 }, "@dev")).toBe("behind 1 run of @dev (3 at a time)");
    expect(waitingFor({ kind: "next" }, "@dev")).toBe("next to start");
  });

  it("writes English ordinals", () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(ordinal)).toEqual(["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"]);
  });
});
