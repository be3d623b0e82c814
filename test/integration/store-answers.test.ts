/**
 * Answers GitHub did not take, kept in the store (store/answers.ts): two
 * instances sharing it never both take the same answer; a lease given up (or
 * run out) lets the other take it; a later try waits for its time; written
 * answers are gone. On SQLite and PostgreSQL (two connections to one database).
 */
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import type { ThreadAnswer } from "../../src/pipeline/types.js";
import { AnswerOutbox, NotServedHere } from "../../src/server/answer-outbox.js";
import { until } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";

let open: Store[] = [];
afterEach(async () => {
  for (const s of open) await s.close();
  open = [];
});

describe.each(BACKENDS)("answers waiting for GitHub on $name", (backend) => {
  it("two instances claim a due answer: exactly one gets it, until it gives its lease up", async () => {
    const spec = await backend.fresh("answers-lease");
    const a = await openStore(spec);
    const b = await openStore(spec);
    open = [a, b];
    const now = 1_000_000;
    const id = await a.answers.add({ what: "the final comment of run r1", answer: '{"repo":"acme/widgets","issue":1,"bodies":["done"]}', since: now, delayMs: 100 }, now + 100);
    expect(await b.answers.claimDue("b", now, 60_000, 10)).toEqual([]);
    const [first, second] = await Promise.all([a.answers.claimDue("a", now + 100, 60_000, 10), b.answers.claimDue("b", now + 100, 60_000, 10)]);
    expect([...(first ?? []), ...(second ?? [])].map((x) => x.id)).toEqual([id]);
    const holder = first?.length ? "a" : "b";
    const other = holder === "a" ? b : a;
    expect(await other.answers.claimDue("x", now + 200, 60_000, 10)).toEqual([]);

    // Not written: tried again later, by anyone.
    expect(await a.answers.later(id, holder === "a" ? "b" : "a", now + 1_000, 200)).toBe(false);
    expect(await a.answers.later(id, holder, now + 1_000, 200)).toBe(true);
    expect(await other.answers.claimDue("x", now + 999, 60_000, 10)).toEqual([]);
    const again = await other.answers.claimDue("x", now + 1_000, 60_000, 10);
    expect(again).toEqual([{ id, what: "the final comment of run r1", answer: '{"repo":"acme/widgets","issue":1,"bodies":["done"]}', since: now, delayMs: 200 }]);

    // x shuts down: its lease is given up at once; a lease that ran out is taken over too.
    await other.answers.release("x");
    expect((await a.answers.claimDue("a", now + 1_001, 50, 10)).map((x) => x.id)).toEqual([id]);
    expect((await b.answers.claimDue("b", now + 1_100, 60_000, 10)).map((x) => x.id)).toEqual([id]);
    await a.answers.remove(id, "a");
    expect(await a.answers.count()).toBe(1);
    await b.answers.remove(id, "b");
    expect(await a.answers.count()).toBe(0);
  });

  it("an instance that does not serve the answer's repository leaves it to one that does", async () => {
    const spec = await backend.fresh("answers-served");
    const store = await openStore(spec);
    open = [store];
    const logs: string[] = [];
    const written: ThreadAnswer[] = [];
    const answer: ThreadAnswer = { repo: "acme/gadgets", issue: 4, bodies: ["❌ **dev** failed"] };
    await store.answers.add({ what: "the tracking comment of run r2", answer: JSON.stringify(answer), since: Date.now(), delayMs: 50 }, Date.now());
    const other = new AnswerOutbox({ store: store.answers, owner: "widgets-only", write: async () => Promise.reject(new NotServedHere("acme/gadgets is not on --repos")), log: (l) => logs.push(l), firstDelayMs: 50 });
    // Let the instance that does not serve it look at least once before the right one starts.
    await new Promise((r) => setTimeout(r, 300));
    expect(written).toEqual([]);
    const serving = new AnswerOutbox({ store: store.answers, owner: "gadgets", write: async (a) => written.push(a), log: (l) => logs.push(l), firstDelayMs: 50 });
    await until("the answer written by the instance that serves it", async () => (written.length ? true : undefined));
    await until("the answer gone from the store", async () => ((await store.answers.count()) === 0 ? true : undefined));
    await other.close();
    await serving.close();
    expect(written).toEqual([answer]);
    expect(logs.filter((l) => l.includes("given up"))).toEqual([]);
    expect(logs.filter((l) => l.includes("written after GitHub answered again"))).toHaveLength(1);
  });
});
