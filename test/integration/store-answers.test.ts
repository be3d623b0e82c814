/**
 * Answers GitHub did not take, kept in the store (store/answers.ts): two
 * instances sharing it never both take the same answer; a lease given up (or
 * run out) lets the other take it; a later try waits for its time; written
 * answers are gone. On SQLite and PostgreSQL (two connections to one database).
 */
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
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
});
