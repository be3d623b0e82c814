/**
 * A queued run is claimed without waiting for the worker's idle poll: the
 * store wakes the worker when work is stored (in the same process), and on
 * PostgreSQL another instance's NOTIFY wakes it. The poll is set to a minute
 * here, and every wait below gives up long before it: on the old worker,
 * which only woke the planner on a webhook, the run waited for the next poll.
 */
import pgClient from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { Worker } from "../../src/server/worker.js";
import { BACKENDS } from "../support/stores.js";
import { trivialPipeline } from "../support/trivial-pipeline.js";
import { SECRET, startHarness, until, type Harness } from "../support/server-harness.js";
import { commentPayload, postWebhook } from "../support/webhooks.js";

const NO_POLL = 60_000;
/** About 15 s of 50 ms checks: far less than NO_POLL. */
const TRIES = 300;

const harnesses: Harness[] = [];
const stores: Store[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0).reverse()) await h.stop(1000);
  for (const s of stores.splice(0)) await s.close();
});

async function start(spec: string, options: Parameters<typeof startHarness>[1] = {}): Promise<Harness> {
  const h = await startHarness(spec, { pollMs: NO_POLL, ...options });
  harnesses.push(h);
  return h;
}

describe.each(BACKENDS)("a worker woken by the queue on $name", (backend) => {
  it("claims a run queued from a webhook without waiting for a poll", async () => {
    const h = await start(await backend.fresh("wake-webhook"));
    for (const n of [1, 2, 3]) {
      expect((await postWebhook(h.server.url, { id: `w${n}`, body: commentPayload(n, "@dev hi"), secret: SECRET })).status).toBe(202);
      await until(`run w${n}:dev to finish`, async () => h.recorder.finished.includes(`w${n}:dev`), TRIES);
    }
    await until("the last run's record to say succeeded", async () => (await h.store.getRun("w3:dev"))?.status === "succeeded", TRIES);
  });

  it("plans a delivery it received itself at once, without claiming it", async () => {
    const spec = await backend.fresh("wake-handoff");
    // This instance's store never finds a delivery to claim: only the handoff of what it received explains a plan.
    const noClaims = await openStore(spec);
    stores.push(noClaims);
    Object.assign(noClaims, { claimDelivery: async () => undefined });
    const h = await start(spec, { store: noClaims, instance: "receiver" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const n of [1, 2]) {
      expect((await postWebhook(h.server.url, { id: `h${n}`, body: commentPayload(10 + n, "@dev hi"), secret: SECRET })).status).toBe(202);
      await until(`run h${n}:dev to finish`, async () => h.recorder.finished.includes(`h${n}:dev`), TRIES);
      expect(await h.store.getDelivery(`h${n}`)).toMatchObject({ state: "planned", attempts: 1 });
    }
  });

  it("gives up the lease of a delivery it received when it stops before planning it", async () => {
    const store = await openStore(await backend.fresh("wake-handoff-stop"));
    stores.push(store);
    const pipeline = trivialPipeline();
    const worker = new Worker(store, pipeline.handler, pipeline.executor, { owner: "a", concurrency: 1, leaseMs: NO_POLL, pollMs: NO_POLL, retryBaseMs: 50 });
    worker.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Stopped in the same turn: the planner never gets to the delivery handed to it.
    const received = worker.receive({ id: "s1", event: "issue_comment", payload: commentPayload(20, "@dev hi"), receivedAt: Date.now() });
    await worker.stop(0);
    expect(await received).toBe(true);
    // Any instance may plan it now, not only after the minute-long lease.
    expect((await store.claimDelivery("b", Date.now(), NO_POLL))?.id).toBe("s1");
    expect(pipeline.recorder.started).toEqual([]);
  });

  it("claims a run enqueued outside a delivery (schedules, retries) without waiting for a poll", async () => {
    const h = await start(await backend.fresh("wake-enqueue"));
    // Let the worker's first steps pass, so that it sleeps in its idle wait.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await h.store.enqueue("sched-1", "schedule-1", { agent: "dev", threadKey: "octo/repo#9", agentLimit: 1, plan: { body: "scheduled" } }, Date.now());
    await until("the enqueued run to finish", async () => h.recorder.finished.includes("sched-1"), TRIES);
  });

  it("claims the next run of a thread as soon as the one before it finishes", async () => {
    const h = await start(await backend.fresh("wake-thread"));
    expect((await postWebhook(h.server.url, { id: "t1", body: commentPayload(4, "@dev sleep:300"), secret: SECRET })).status).toBe(202);
    expect((await postWebhook(h.server.url, { id: "t2", body: commentPayload(4, "@dev second"), secret: SECRET })).status).toBe(202);
    await until("both runs of the thread to finish", async () => h.recorder.finished.includes("t1:dev") && h.recorder.finished.includes("t2:dev"), TRIES);
  });
});

describe("two instances on postgres", () => {
  const pg = BACKENDS.find((b) => b.name === "postgres")!;

  it("an instance that only receives wakes the one that plans and runs (NOTIFY)", async () => {
    const spec = await pg.fresh("wake-intake");
    const runner = await start(spec, { instance: "runner" });
    const intake = await start(spec, { instance: "intake", worker: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await postWebhook(intake.server.url, { id: "x1", body: commentPayload(5, "@dev hi"), secret: SECRET })).status).toBe(202);
    await until("the other instance to run it", async () => runner.recorder.finished.includes("x1:dev"), TRIES);
    expect(intake.recorder.started).toEqual([]);
  });

  it("a NOTIFY without a payload (an older instance's) still wakes the planner", async () => {
    const spec = await pg.fresh("wake-old-notify");
    const runner = await start(spec, { instance: "runner" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const older = new pgClient.Client({ connectionString: spec });
    await older.connect();
    try {
      await older.query("INSERT INTO gc_deliveries (id, event, payload, received_at) VALUES ($1, 'issue_comment', $2, $3)", ["o1", commentPayload(7, "@dev hi"), Date.now()]);
      await older.query("NOTIFY gitcrew_work");
    } finally {
      await older.end();
    }
    await until("the listening instance to run it", async () => runner.recorder.finished.includes("o1:dev"), TRIES);
  });

  it("a run queued by one instance is claimed by another at once (NOTIFY)", async () => {
    const spec = await pg.fresh("wake-queue");
    // A plans (its HTTP listener wakes its own planner) but may run nothing: concurrency 0.
    const a = await start(spec, { instance: "a", concurrency: 0 });
    const b = await start(spec, { instance: "b" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await postWebhook(a.server.url, { id: "y1", body: commentPayload(6, "@dev hi"), secret: SECRET })).status).toBe(202);
    await until("instance b to run it", async () => b.recorder.finished.includes("y1:dev"), TRIES);
    await until("the run's record to say succeeded", async () => (await b.store.getRun("y1:dev"))?.status === "succeeded", TRIES);
  });
});
