/**
 * The store's budget ledger: spend per agent per day and per thread is one
 * row per key, added to atomically, so that several `serve` instances on one
 * database charge the same key without losing a cent, and a cap one instance
 * reaches stops the runs of another.
 */
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Gateway, startGateway } from "../../src/gateway/index.js";
import { openStore } from "../../src/store/index.js";
import { StoreLedger } from "../../src/store/ledger.js";
import type { Store } from "../../src/store/types.js";
import { type FakeAnthropic, startFakeAnthropic } from "../support/fake-anthropic/server.js";
import { BACKENDS, freshStore } from "../support/stores.js";

const T0 = 1_700_000_000_000;

describe.each(BACKENDS)("budget ledger on $name", (backend) => {
  const open: Store[] = [];
  const gateways: Gateway[] = [];
  let anthropic: FakeAnthropic | undefined;
  afterEach(async () => {
    for (const g of gateways.splice(0)) await g.close();
    await anthropic?.close();
    anthropic = undefined;
    for (const s of open.splice(0)) await s.close();
  });

  /** Two instances of the store on one database, as two `serve` processes would have. */
  async function twoInstances(label: string): Promise<[Store, Store]> {
    const spec = await backend.fresh(label);
    const a = await openStore(spec);
    open.push(a);
    const b = await openStore(spec);
    open.push(b);
    return [a, b];
  }

  it("adds concurrent charges from two instances to one key exactly, and keeps keys apart", async () => {
    const [a, b] = await twoInstances("ledger-exact");
    const key = "agent_day:dev:2026-12-06";
    expect(await a.spent(key)).toEqual({ tokens: 0, usd: 0 });
    const charges = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).addSpend(key, { tokens: 137, usd: 0.000123 }, T0 + i));
    charges.push(b.addSpend("thread:o/r#7", { tokens: 5, usd: 0.1 }, T0));
    await Promise.all(charges);
    // 200 × 137 tokens and 200 × $0.000123, to the last token and nano-dollar, seen from either instance.
    for (const s of [a, b]) {
      expect(await s.spent(key)).toEqual({ tokens: 27_400, usd: 0.0246 });
      expect(await s.spent("thread:o/r#7")).toEqual({ tokens: 5, usd: 0.1 });
      expect(await s.spent("thread:o/r#8")).toEqual({ tokens: 0, usd: 0 });
    }
  });

  it("a per-agent-per-day cap one instance's gateway reached stops a run on the other's", async () => {
    const [a, b] = await twoInstances("ledger-cap");
    anthropic = await startFakeAnthropic({
      isAgentTurn: () => true,
      script: Array.from({ length: 40 }, () => ({ text: "ok", usage: { inputTokens: 10, outputTokens: 20 } })),
    });
    for (const s of [a, b]) gateways.push(await startGateway({ upstreams: { anthropic: anthropic.url }, ledger: new StoreLedger(s) }));
    const [gwA, gwB] = gateways;
    const day = { scope: "agent_day" as const, key: "agent_day:dev:2026-12-06", tokens: 200 };
    const ask = async (g: Gateway, token: string) => {
      const res = await fetch(`${g.url}/anthropic/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": token },
        body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 20, messages: [{ role: "user", content: "hi" }] }),
      });
      return { status: res.status, text: await res.text() };
    };
    const first = gwA!.register({ runId: "on-a", modelKeys: { anthropic: "sk-real" }, budget: [day] });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await ask(gwA!, first.token)).status);
    const served = statuses.filter((s) => s === 200).length;
    expect(served).toBeGreaterThan(0);
    expect(statuses).toEqual([...Array(served).fill(200), ...Array(10 - served).fill(400)]);
    expect((await b.spent(day.key)).tokens).toBe(30 * served);

    const upstreamBefore = anthropic.requests.length;
    const second = gwB!.register({ runId: "on-b", modelKeys: { anthropic: "sk-real" }, budget: [day] });
    const refused = await ask(gwB!, second.token);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("agent_day budget of 200 tokens reached");
    expect(anthropic.requests.length).toBe(upstreamBefore);
    expect(gwB!.revoke("on-b")?.budgetExceeded).toMatchObject({ scope: "agent_day", key: day.key, spent: { tokens: 30 * served } });
  });
});

describe.each(BACKENDS)("budget ledger retention on $name", (backend) => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  const DAY = 86_400_000;
  const NOW = Date.UTC(2026, 11, 20, 12);
  const day = (d: number) => new Date(NOW + d * DAY).toISOString().slice(0, 10);
  const keys = async (s: Store, all: string[]) => {
    const left: string[] = [];
    for (const k of all) if ((await s.spent(k)).tokens > 0) left.push(k);
    return left;
  };

  /** A run of `thread` enqueued at `at`, and finished at `finishedAt` unless that is undefined. */
  async function runIn(s: Store, id: string, thread: string, at: number, finishedAt?: number): Promise<void> {
    await s.enqueue(id, `d-${id}`, { agent: "dev", threadKey: thread, agentLimit: 5, plan: {} }, at);
    if (finishedAt === undefined) return;
    expect((await s.claimRun({ owner: "w", now: at, leaseMs: 30_000, ownerLimit: 10 }))?.id).toBe(id);
    expect(await s.finishRun(id, "w", { status: "succeeded" }, finishedAt)).toBe(true);
  }

  it("forgets a day once it ended before the window and 2 days ago, and a thread with no run in the window", async () => {
    store = await freshStore(backend, "ledger-retention");
    const charge = (key: string, at: number) => store!.addSpend(key, { tokens: 7, usd: 0.01 }, at);
    // Days: 30-day window.
    await charge(`agent_day:dev:${day(-40)}`, NOW - 40 * DAY);
    await charge(`agent_day:dev:${day(-30)}`, NOW - 30 * DAY + 1);
    await charge(`agent_day:dev:${day(0)}`, NOW);
    // Threads: an old run only; a run finished in the window; a run still queued from long ago;
    // awaiting approval from long ago; no run at all, charged long ago or lately.
    await runIn(store, "r1", "o/r#1", NOW - 40 * DAY, NOW - 39 * DAY);
    await charge("thread:o/r#1", NOW - 39 * DAY);
    await runIn(store, "r2a", "o/r#2", NOW - 40 * DAY, NOW - 39 * DAY);
    await runIn(store, "r2b", "o/r#2", NOW - 2 * DAY, NOW - DAY);
    await charge("thread:o/r#2", NOW - 39 * DAY);
    await store.enqueue("r4", "d-r4", { agent: "dev", threadKey: "o/r#4", agentLimit: 5, plan: {} }, NOW - 40 * DAY);
    expect((await store.claimRun({ owner: "w", now: NOW - 40 * DAY, leaseMs: 30_000, ownerLimit: 10 }))?.id).toBe("r4");
    expect(await store.finishRun("r4", "w", { status: "awaiting_approval" }, NOW - 40 * DAY)).toBe(true);
    await charge("thread:o/r#4", NOW - 39 * DAY);
    await runIn(store, "r3", "o/r#3", NOW - 40 * DAY);
    await charge("thread:o/r#3", NOW - 39 * DAY);
    await charge("thread:o/r#5", NOW - 39 * DAY);
    await charge("thread:o/r#6", NOW - DAY);
    const all = [`agent_day:dev:${day(-40)}`, `agent_day:dev:${day(-30)}`, `agent_day:dev:${day(0)}`, ...[1, 2, 3, 4, 5, 6].map((n) => `thread:o/r#${n}`)];

    const gone = await store.prune(NOW - 30 * DAY, NOW);
    expect(gone.spendRows).toBe(3);
    expect(await keys(store, all)).toEqual([`agent_day:dev:${day(-30)}`, `agent_day:dev:${day(0)}`, "thread:o/r#2", "thread:o/r#3", "thread:o/r#4", "thread:o/r#6"]);
    // What stays is still counted in full.
    expect(await store.spent("thread:o/r#2")).toEqual({ tokens: 7, usd: 0.01 });
  });

  it("keeps the last 2 days however short the window, for the per-day caps", async () => {
    store = await freshStore(backend, "ledger-retention-short");
    for (const d of [-3, -2, -1, 0]) await store.addSpend(`agent_day:dev:${day(d)}`, { tokens: 1, usd: 0 }, NOW + d * DAY);
    const all = [-3, -2, -1, 0].map((d) => `agent_day:dev:${day(d)}`);
    // A one-hour window: only the day that ended more than 2 days ago goes.
    expect((await store.prune(NOW - 3_600_000, NOW)).spendRows).toBe(1);
    expect(await keys(store, all)).toEqual(all.slice(1));
    // Without `now` the window's start stands for it: still 2 days before it.
    expect((await store.prune(NOW - 3_600_000)).spendRows).toBe(0);
  });
});

describe("a store made before the ledger", () => {
  it("gets the spend table when it is opened, its runs untouched", async () => {
    const spec = await BACKENDS[0]!.fresh("ledger-migrate");
    const old = await openStore(spec);
    await old.enqueue("r-1", "d-1", { agent: "dev", threadKey: "o/r#1", agentLimit: 1, plan: {} }, T0);
    await old.close();
    const raw = new Database(spec);
    raw.exec("DROP TABLE gc_spend");
    raw.close();
    const store = await openStore(spec);
    try {
      await store.addSpend("thread:o/r#1", { tokens: 3, usd: 0.5 }, T0);
      expect(await store.spent("thread:o/r#1")).toEqual({ tokens: 3, usd: 0.5 });
      expect((await store.getRun("r-1"))?.agent).toBe("dev");
    } finally {
      await store.close();
    }
  });
});
