/**
 * Attack: someone who captured one signed webhook (a proxy log, a debugging
 * dump, GitHub's delivery page) posts it again under a new X-GitHub-Delivery
 * id, or under another X-GitHub-Event name (the event header is not covered by
 * the signature). The body was already accepted once: the replay must be a
 * duplicate, on both stores, and must start no run. GitHub's own redeliveries
 * (same id, same body) still get the duplicate answer.
 */
import Database from "better-sqlite3";
import pg from "pg";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { normalize, ROUTED_EVENTS } from "../../src/events/normalize.js";
import { openStore } from "../../src/store/index.js";
import { BACKENDS, type Backend } from "../support/stores.js";
import { SECRET, startHarness, until, type Harness } from "../support/server-harness.js";
import { commentPayload, postWebhook, sign } from "../support/webhooks.js";

/** A store as gitcrew left it before deliveries had a body key, holding one delivery. */
async function storeOfEarlierVersion(backend: Backend): Promise<string> {
  const spec = await backend.fresh("before-body-key");
  const table = `CREATE TABLE gc_deliveries (id TEXT PRIMARY KEY, event TEXT NOT NULL, payload TEXT NOT NULL, received_at BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, not_before BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT, lease_expires_at BIGINT, error TEXT)`;
  const insert = "INSERT INTO gc_deliveries (id, event, payload, received_at, state) VALUES ('old', 'issue_comment', '{\"old\":true}', 1, 'planned')";
  if (backend.name === "sqlite") {
    const db = new Database(spec);
    db.exec(table);
    db.exec(insert);
    db.close();
  } else {
    const client = new pg.Client({ connectionString: spec });
    await client.connect();
    await client.query(table);
    await client.query(insert);
    await client.end();
  }
  return spec;
}

describe.each(BACKENDS)("a replayed signed webhook on $name", (backend) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it("is a duplicate under a new delivery id and under another event name; GitHub's redelivery too; one run in all", async () => {
    h = await startHarness(await backend.fresh("replay"));
    const url = h.server.url;
    const body = commentPayload(41, "@dev please look");
    const signature = await sign(SECRET, body);
    const first = await postWebhook(url, { id: "original", body, signature });
    expect(first).toMatchObject({ status: 202, body: { accepted: "original" } });
    expect(first.body.duplicate).toBeUndefined();

    const newId = await postWebhook(url, { id: "replayed-under-new-id", body, signature });
    expect(newId).toMatchObject({ status: 202, body: { accepted: "replayed-under-new-id", duplicate: true } });
    const otherEvent = await postWebhook(url, { id: "replayed-as-review-comment", event: "pull_request_review_comment", body, signature });
    expect(otherEvent).toMatchObject({ status: 202, body: { duplicate: true } });
    const redelivery = await postWebhook(url, { id: "original", body, signature });
    expect(redelivery).toMatchObject({ status: 202, body: { accepted: "original", duplicate: true } });

    expect(await h.store.getDelivery("replayed-under-new-id")).toBeUndefined();
    expect(await h.store.getDelivery("replayed-as-review-comment")).toBeUndefined();
    await until("the run to finish", async () => (await h!.store.getRun("original:dev"))?.status === "succeeded");
    expect((await h.store.listRuns()).map((r) => r.id)).toEqual(["original:dev"]);
    expect(h.recorder.started).toEqual(["original:dev"]);
  });

  it("is a duplicate when the copies arrive at the same time", async () => {
    h = await startHarness(await backend.fresh("replay-race"));
    const body = commentPayload(42);
    const signature = await sign(SECRET, body);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => postWebhook(h!.server.url, { id: `copy-${i}`, body, signature })));
    expect(replies.map((r) => r.status)).toEqual(Array(20).fill(202));
    expect(replies.filter((r) => !r.body.duplicate)).toHaveLength(1);
    await until("the run to finish", async () => (await h!.store.countByStatus()).succeeded === 1);
    expect(await h.store.listRuns()).toHaveLength(1);
  });

  it("a store made before body keys is migrated in place: its deliveries still read, and replays are refused from then on", async () => {
    const spec = await storeOfEarlierVersion(backend);
    h = await startHarness(spec);
    expect((await h.store.getDelivery("old"))?.payload).toBe('{"old":true}');
    const body = commentPayload(43);
    const signature = await sign(SECRET, body);
    expect((await postWebhook(h.server.url, { id: "after-upgrade", body, signature })).body.duplicate).toBeUndefined();
    expect((await postWebhook(h.server.url, { id: "after-upgrade-replay", body, signature })).body.duplicate).toBe(true);
    // A second start (another instance, a restart) migrates nothing twice.
    const again = await openStore(spec);
    expect((await again.getDelivery("after-upgrade"))?.event).toBe("issue_comment");
    await again.close();
  });
});

describe("a body named as another event", () => {
  const require = createRequire(import.meta.url);
  const groups = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{ name: string; examples: unknown[] }>;

  it("is never planned as that event: every example payload under every other routed event name is ignored or refused", () => {
    const planned: string[] = [];
    for (const g of groups) {
      for (const payload of g.examples) {
        for (const event of ROUTED_EVENTS) {
          if (event === g.name) continue;
          try {
            if (normalize(event, payload, { edits: true }).ok) planned.push(`${g.name} as ${event}`);
          } catch {
            // refused: the payload lacks a field the named event needs
          }
        }
      }
    }
    expect(planned).toEqual([]);
  });
});
