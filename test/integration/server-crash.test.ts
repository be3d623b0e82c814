/**
 * Crash safety with real `gitcrew serve` processes: SIGKILL mid-run loses no
 * accepted delivery, and on PostgreSQL a second instance finishes the work of
 * a killed one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { BACKENDS } from "../support/stores.js";
import { SECRET, until } from "../support/server-harness.js";
import { startServeChild, type ServeChild } from "../support/serve-process.js";
import { commentPayload, postWebhook } from "../support/webhooks.js";

const children: ServeChild[] = [];
let store: Store | undefined;

afterEach(async () => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) (c.child.kill("SIGKILL"), await c.exited);
  await store?.close();
  store = undefined;
});

function env(spec: string, instance: string): Record<string, string> {
  return {
    GITCREW_HOME: mkdtempSync(join(tmpdir(), "gitcrew-home-")),
    GITCREW_REPO: "octo/repo",
    GITCREW_WEBHOOK_SECRET: SECRET,
    GITCREW_STORE: spec,
    GITCREW_INSTANCE: instance,
    GITCREW_LEASE_SECONDS: "2",
    GITCREW_CONCURRENCY: "4",
  };
}

async function start(spec: string, instance: string): Promise<ServeChild> {
  const c = await startServeChild(env(spec, instance));
  children.push(c);
  return c;
}

async function allSucceeded(s: Store, n: number): Promise<boolean> {
  return (await s.countByStatus()).succeeded === n;
}

describe.each(BACKENDS)("gitcrew serve killed with SIGKILL on $name", (backend) => {
  it("loses no accepted delivery and finishes the interrupted run after a restart", async () => {
    const spec = await backend.fresh("sigkill");
    const first = await start(spec, "first");
    store = await openStore(spec);
    expect((await postWebhook(first.url, { id: "long", body: commentPayload(1, "@dev sleepfirst:60000"), secret: SECRET })).status).toBe(202);
    await until("the long run to start", async () => (await store!.getRun("long:dev"))?.startedAt !== undefined);
    const accepted: string[] = [];
    for (let i = 0; i < 30; i++) {
      const r = await postWebhook(first.url, { id: `k-${i}`, body: commentPayload(100 + i, "@dev sleep:20"), secret: SECRET });
      if (r.status === 202) accepted.push(`k-${i}`);
    }
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    for (const id of accepted) expect(await store.getDelivery(id), `delivery ${id} answered 202`).toBeDefined();

    await start(spec, "second");
    await until("every run to succeed after the restart", () => allSucceeded(store!, accepted.length + 1));
    const long = await store.getRun("long:dev");
    expect(long?.attempt).toBe(2);
    expect((await store.readLog("long:dev")).map((c) => c.text).join("")).toMatch(/on first \(attempt 1\)[\s\S]*on second \(attempt 2\)/);
  });
});

describe("two gitcrew serve instances sharing PostgreSQL", () => {
  it("finishes the work of the instance that was killed", async () => {
    const spec = await BACKENDS[1]!.fresh("two");
    const a = await start(spec, "a");
    const b = await start(spec, "b");
    store = await openStore(spec);
    const posts = [];
    for (let i = 0; i < 40; i++) {
      const target = i % 2 === 0 ? a : b;
      posts.push(postWebhook(target.url, { id: `w-${i}`, body: commentPayload(200 + i, "@dev sleepfirst:1500"), secret: SECRET }));
    }
    expect((await Promise.all(posts)).every((r) => r.status === 202)).toBe(true);
    const heldByA = await until("a run held by a", async () => (await store!.listRuns({ status: "running", limit: 100 })).find((r) => r.leaseOwner === "a" && r.startedAt));
    a.child.kill("SIGKILL");
    await a.exited;
    await until("every run to succeed on b", () => allSucceeded(store!, 40), 1200);
    const log = (await store.readLog(heldByA.id)).map((c) => c.text).join("");
    expect(log).toMatch(/on a \(attempt 1\)[\s\S]*on b \(attempt 2\)/);
    expect(b.output()).toMatch(/stopped renewing the lease/);
  });
});
