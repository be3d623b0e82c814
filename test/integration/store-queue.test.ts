/**
 * The queue as people see it (Store.queue): order, positions and the reason
 * each run waits, by claimRun's own rules, on SQLite and PostgreSQL; and the
 * leases of queue-position comment edits (Store.queueEdits): one editor,
 * throttled, no edit once the run is claimed, an in-flight edit seen by the
 * run's start.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunInput, Store } from "../../src/store/types.js";
import { BACKENDS, freshStore } from "../support/stores.js";

const T0 = 1_700_000_000_000;
const LEASE = 30_000;
const run = (agent: string, threadKey: string, agentLimit = 1): RunInput => ({ agent, threadKey, agentLimit, plan: {} });
const claim = (store: Store, now = T0, owner = "i1") => store.claimRun({ owner, now, leaseMs: LEASE, ownerLimit: 100 });

describe.each(BACKENDS)("the queue on $name", (backend) => {
  let store: Store;
  afterEach(async () => store?.close());

  it("says what waits, in claim order, and why: thread busy, agent at its limit, retry time, no free slot, next", async () => {
    store = await freshStore(backend, "queue-reasons");
    await store.enqueue("a1", "d", run("dev", "acme/w#1"), T0);
    expect((await claim(store))?.id).toBe("a1");
    await store.enqueue("a2", "d", run("dev", "acme/w#1"), T0 + 1); // same thread as the running a1
    await store.enqueue("b1", "d", run("dev", "acme/w#2"), T0 + 2); // dev runs 1 at a time: a1 runs, a2 is ahead
    await store.enqueue("b2", "d", run("dev", "acme/w#3"), T0 + 3); // behind a1, a2 and b1 of dev
    await store.enqueue("c1", "d", run("ops", "acme/w#4", 2), T0 + 4); // free
    await store.enqueue("c2", "d", run("ops", "acme/w#4", 2), T0 + 5); // behind c1 in its thread
    await store.enqueue("c3", "d", run("ops", "acme/w#5", 2), T0 + 6); // ops has room for 2: next too, but no slot left
    await store.enqueue("r1", "d", run("qa", "acme/w#6"), T0 + 7);
    expect((await claim(store, T0 + 8, "i2"))?.id).toBe("c1");
    expect(await store.retryLater("c1", "i2", "engine down", T0 + 60_000)).toBe(true);
    // c1 is back in line, waiting for its retry time; c2 still behind it in its thread.

    const view = await store.queue({ now: T0 + 10, freeSlots: 2 });
    expect(view.queued).toBe(7);
    expect(view.running).toBe(1);
    expect(view.entries.map((e) => [e.id, e.position, e.reason])).toEqual([
      ["a2", 1, { kind: "thread", ahead: 1 }],
      ["b1", 2, { kind: "agent", ahead: 2, limit: 1 }],
      ["b2", 3, { kind: "agent", ahead: 3, limit: 1 }],
      ["c1", 4, { kind: "retry", notBefore: T0 + 60_000, attempt: 2 }],
      ["c2", 5, { kind: "thread", ahead: 1 }],
      ["c3", 6, { kind: "next" }],
      ["r1", 7, { kind: "next" }],
    ]);
    // One free slot: the first runnable run is next, the second waits for capacity.
    const tight = await store.queue({ now: T0 + 10, freeSlots: 1 });
    expect(tight.entries.filter((e) => e.reason.kind === "next" || e.reason.kind === "capacity").map((e) => [e.id, e.reason.kind])).toEqual([
      ["c3", "next"],
      ["r1", "capacity"],
    ]);
    // The limit cuts the list, not the totals; positions stay absolute.
    const head = await store.queue({ now: T0 + 10, limit: 2 });
    expect(head.entries.map((e) => e.id)).toEqual(["a2", "b1"]);
    expect(head.queued).toBe(7);
    // What the view calls next is what claimRun takes.
    expect((await claim(store, T0 + 10))?.id).toBe("c3");
    expect((await store.queue({ now: T0 + 10, limit: 0 })).queued).toBe(6);
  });

  it("says a run waits for its repository when the instance's --repo-concurrency is reached", async () => {
    store = await freshStore(backend, "queue-repo");
    await store.enqueue("w1", "d", run("dev", "acme/w#1"), T0);
    expect((await store.claimRun({ owner: "i1", now: T0, leaseMs: LEASE, ownerLimit: 100, repoLimit: 1 }))?.id).toBe("w1");
    await store.enqueue("w2", "d", run("ops", "acme/w#2"), T0 + 1);
    await store.enqueue("w3", "d", run("qa", "acme/w#3"), T0 + 2);
    await store.enqueue("x1", "d", run("docs", "acme/x#1"), T0 + 3);
    const view = await store.queue({ now: T0 + 10, repoLimit: 1 });
    expect(view.entries.map((e) => [e.id, e.repo, e.reason])).toEqual([
      ["w2", "acme/w", { kind: "repo", repo: "acme/w", ahead: 1, limit: 1 }],
      ["w3", "acme/w", { kind: "repo", repo: "acme/w", ahead: 2, limit: 1 }],
      ["x1", "acme/x", { kind: "next" }],
    ]);
    // Without the limit nothing holds them.
    expect((await store.queue({ now: T0 + 10 })).entries.map((e) => e.reason.kind)).toEqual(["next", "next", "next"]);
    expect((await store.claimRun({ owner: "i1", now: T0 + 10, leaseMs: LEASE, ownerLimit: 100, repoLimit: 1 }))?.id).toBe("x1");
  });

  it("answers for thousands of queued runs in one read, in order", async () => {
    store = await freshStore(backend, "queue-many");
    const n = 3000;
    const stored = await store.completeDelivery("bulk", Array.from({ length: n }, (_, i) => run(`agent${i % 7}`, `acme/w#${i % 400}`)), T0);
    const ids = stored.map((r) => r.id);
    const view = await store.queue({ now: T0 + n, limit: 1000 });
    expect(view.queued).toBe(n);
    expect(view.entries).toHaveLength(1000);
    expect(view.entries.map((e) => e.position)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(view.entries.map((e) => e.id)).toEqual(ids.slice(0, 1000));
    // Only the first run of each agent is next (limit 1); the first 400 threads' later runs wait behind their thread.
    expect(view.entries.filter((e) => e.reason.kind === "next").map((e) => e.id)).toEqual(ids.slice(0, 7));
    expect(view.entries[500]?.reason).toEqual({ kind: "thread", ahead: 1 });
  }, 120_000);

  it("lets one editor at a time edit a queued run's comment, throttled, only when the text changes, never once it is claimed", async () => {
    store = await freshStore(backend, "queue-edits");
    const edits = store.queueEdits;
    await store.enqueue("x", "d", run("dev", "acme/w#1"), T0);
    expect(await edits.take("x", "queued: 1st", "i1", T0 + 10, 5000, 20_000)).toBe(true);
    // Another instance while the edit is in flight: refused.
    expect(await edits.take("x", "queued: 1st", "i2", T0 + 11, 5000, 20_000)).toBe(false);
    expect(await edits.settle("x", T0 + 12)).toBe(T0 + 20_010);
    await edits.done("x", "i1", "queued: 1st", T0 + 100);
    expect((await edits.states()).get("x")).toEqual({ text: "queued: 1st", editedAt: T0 + 100 });
    // The same text again: nothing to do; another text within the throttle: not yet; after it: yes.
    expect(await edits.take("x", "queued: 1st", "i2", T0 + 60_000, 5000, 20_000)).toBe(false);
    expect(await edits.take("x", "queued: 2nd", "i2", T0 + 4000, 5000, 20_000)).toBe(false);
    expect(await edits.take("x", "queued: 2nd", "i2", T0 + 5100, 5000, 20_000)).toBe(true);
    // A failed edit keeps the old text (retried after the throttle).
    await edits.done("x", "i2", undefined, T0 + 5200);
    expect((await edits.states()).get("x")).toEqual({ text: "queued: 1st", editedAt: T0 + 5200 });
    // An expired lease of a stalled editor does not block others.
    expect(await edits.take("x", "queued: 3rd", "i1", T0 + 10_300, 5000, 1000)).toBe(true);
    expect(await edits.take("x", "queued: 3rd", "i2", T0 + 11_400, 5000, 1000)).toBe(true);
    await edits.done("x", "i1", "stale editor", T0 + 11_500); // not the lease holder any more: ignored
    await edits.done("x", "i2", "queued: 3rd", T0 + 11_600);
    expect((await edits.states()).get("x")?.text).toBe("queued: 3rd");

    // Claimed: no edit may start any more, and the start finds nothing in flight and forgets the record.
    expect((await claim(store, T0 + 20_000))?.id).toBe("x");
    expect(await edits.take("x", "queued: 4th", "i1", T0 + 30_000, 5000, 20_000)).toBe(false);
    expect(await edits.settle("x", T0 + 30_000)).toBe(0);
    expect((await edits.states()).has("x")).toBe(false);
  });

  it("shows the start an edit taken before the claim, and sweeps records of runs that left the queue", async () => {
    store = await freshStore(backend, "queue-edits-race");
    const edits = store.queueEdits;
    await store.enqueue("y", "d", run("dev", "acme/w#1"), T0);
    await store.enqueue("z", "d", run("dev", "acme/w#2"), T0);
    expect(await edits.take("y", "queued: 1st", "i1", T0 + 10, 5000, 20_000)).toBe(true);
    expect(await edits.take("z", "queued: 2nd", "i1", T0 + 10, 5000, 20_000)).toBe(true);
    await edits.done("z", "i1", "queued: 2nd", T0 + 20);
    expect((await claim(store, T0 + 30))?.id).toBe("y");
    // The edit of y is still in flight: its start must wait for it.
    expect(await edits.settle("y", T0 + 40)).toBe(T0 + 20_010);
    await edits.done("y", "i1", "queued: 1st", T0 + 50);
    expect(await edits.settle("y", T0 + 60)).toBe(0);
    // z cancelled while queued: its record goes at the next sweep.
    await store.requestCancel("z", T0 + 70);
    expect(await edits.sweep(T0 + 80)).toBe(1);
    expect([...(await edits.states()).keys()]).toEqual([]);
  });
});
