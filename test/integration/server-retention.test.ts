/** Retention in server mode: old finished work is forgotten in the background, once per period across instances. */
import { afterEach, describe, expect, it } from "vitest";
import { Worker } from "../../src/server/worker.js";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { startHarness, until, type Harness } from "../support/server-harness.js";
import { trivialPipeline } from "../support/trivial-pipeline.js";
import { BACKENDS, freshStore } from "../support/stores.js";

const DAY = 86_400_000;

async function oldFinishedRuns(store: Store, at: number): Promise<void> {
  for (const id of ["old-1", "old-2"]) {
    await store.recordDelivery({ id, event: "issue_comment", payload: "{}", receivedAt: at });
    await store.claimDelivery("planner", at, 30_000);
    await store.completeDelivery(id, [{ agent: "dev", threadKey: "o/r#1", agentLimit: 1, plan: {} }], at);
    await store.claimRun({ owner: "w", now: at, leaseMs: 30_000, ownerLimit: 1 });
    await store.appendLog(`${id}:dev`, "hello\n", at);
    await store.finishRun(`${id}:dev`, "w", { status: "succeeded" }, at + 1);
  }
}

describe.each(BACKENDS)("retention on $name", (backend) => {
  let store: Store | undefined;
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.stop();
    await store?.close();
    harness = store = undefined;
  });

  it("prunes once per period however many instances share the store, and says what it forgot", async () => {
    store = await freshStore(backend, "retention-once");
    const now = 1_700_000_000_000;
    await oldFinishedRuns(store, now - 40 * DAY);
    // The budget ledger: the old thread's and an old day's rows go, today's stays.
    const today = `agent_day:dev:${new Date(now).toISOString().slice(0, 10)}`;
    await store.addSpend("thread:o/r#1", { tokens: 5, usd: 0.1 }, now - 40 * DAY);
    await store.addSpend(`agent_day:dev:${new Date(now - 40 * DAY).toISOString().slice(0, 10)}`, { tokens: 5, usd: 0.1 }, now - 40 * DAY);
    await store.addSpend(today, { tokens: 5, usd: 0.1 }, now);
    const logs: string[] = [];
    const pipeline = trivialPipeline();
    const workers = ["a", "b", "c"].map(
      (owner) => new Worker(store!, pipeline.handler, pipeline.executor, { owner, concurrency: 1, leaseMs: 30_000, pollMs: 50, retryBaseMs: 50, retainMs: 30 * DAY, now: () => now, log: (l) => logs.push(l) }),
    );
    await Promise.all(workers.map((w) => w.pruneOld()));
    expect(logs).toEqual(["retention: forgot what finished over 30 day(s) ago: 1 deliveries, 1 runs, 2 log chunks, 0 once keys, 2 budget rows, 1 repository turns, 0 approval decisions, 0 answers never written"]);
    expect(await store.spent("thread:o/r#1")).toEqual({ tokens: 0, usd: 0 });
    expect(await store.spent(today)).toEqual({ tokens: 5, usd: 0.1 });
    expect(await store.getRun("old-1:dev")).toBeUndefined();
    expect((await store.getRun("old-2:dev"))?.status).toBe("succeeded");
  });

  it("runs in the background of gitcrew serve, and not at all with retention off", async () => {
    const spec = await backend.fresh("retention-serve");
    // Written before any server runs, so that no worker plans these deliveries first.
    store = await openStore(spec);
    await oldFinishedRuns(store, Date.now() - 40 * DAY);
    await store.close();
    store = undefined;
    harness = await startHarness(spec, { retainMs: 0, pruneEveryMs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await harness.store.getDelivery("old-1")).toBeDefined();
    await harness.stop();
    harness = await startHarness(spec, { retainMs: 30 * DAY, pruneEveryMs: 50 });
    await until("old-1 to be forgotten", async () => (await harness!.store.getDelivery("old-1")) === undefined);
    expect(await harness.store.readLog("old-2:dev")).toEqual([]);
  });
});
