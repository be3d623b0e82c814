import { afterEach, describe, expect, it } from "vitest";
import { connect } from "node:net";
import { ServerClient } from "../../src/server/client.js";
import { openStore } from "../../src/store/index.js";
import { BACKENDS } from "../support/stores.js";
import { SECRET, TOKEN, startHarness, until, type Harness } from "../support/server-harness.js";
import { commentPayload, example, postWebhook, sign } from "../support/webhooks.js";

const sqlite = BACKENDS[0]!;

describe("POST /webhooks", () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it("answers each kind of bad request with its own status and a reason", async () => {
    h = await startHarness(await sqlite.fresh("codes"));
    const url = h.server.url;
    const body = commentPayload(1);
    expect((await postWebhook(url, { id: "ok", body, secret: SECRET })).status).toBe(202);
    const missing = await postWebhook(url, { id: "a", body, signature: null });
    expect(missing).toMatchObject({ status: 401, body: { error: expect.stringMatching(/missing X-Hub-Signature-256/) } });
    const forged = await postWebhook(url, { id: "b", body, secret: "not the secret" });
    expect(forged).toMatchObject({ status: 401, body: { error: expect.stringMatching(/signature does not match/) } });
    const stale = await postWebhook(url, { id: "c", body, signature: await sign(SECRET, commentPayload(2)) });
    expect(stale.status).toBe(401);
    expect((await postWebhook(url, { id: "d", body: "{not json", secret: SECRET })).status).toBe(400);
    expect((await postWebhook(url, { id: "", body, secret: SECRET })).body.error).toMatch(/missing header x-github-delivery/);
    expect((await postWebhook(url, { id: "e", body, secret: SECRET, contentType: "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await fetch(`${url}/webhooks`)).status).toBe(405);
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect(await h.store.getDelivery("b")).toBeUndefined();
    expect((await h.store.getDelivery("ok"))?.event).toBe("issue_comment");
  });

  it("refuses a body above the limit without reading it", async () => {
    h = await startHarness(await sqlite.fresh("big"));
    const { port } = h.server;
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(
          `POST /webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: big\r\nX-Hub-Signature-256: sha256=00\r\nContent-Length: ${26 * 1024 * 1024}\r\n\r\n{"a":`,
        );
      });
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("close", () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1.1 413/);
    expect(await h.store.getDelivery("big")).toBeUndefined();
  });

  it("refuses a streamed body that grows past the limit", async () => {
    h = await startHarness(await sqlite.fresh("stream"), { maxBodyBytes: 64 * 1024 });
    const big = JSON.stringify({ pad: "x".repeat(100 * 1024) });
    const res = await postWebhook(h.server.url, { id: "s", body: big, secret: SECRET });
    expect(res.status).toBe(413);
  });

  it("stores nothing from a truncated body and keeps serving", async () => {
    h = await startHarness(await sqlite.fresh("truncated"));
    const body = commentPayload(3);
    const signature = await sign(SECRET, body);
    await new Promise<void>((resolve) => {
      const socket = connect(h.server.port, "127.0.0.1", () => {
        const head = `POST /webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: issue_comment\r\nX-GitHub-Delivery: cut\r\nX-Hub-Signature-256: ${signature}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
        // The client goes away half-way through the body.
        socket.write(head + body.slice(0, body.length / 2), () => setTimeout(() => socket.destroy(), 50));
      });
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    expect(await h.store.getDelivery("cut")).toBeUndefined();
    expect((await postWebhook(h.server.url, { id: "after", body, secret: SECRET })).status).toBe(202);
  });

  it("stores a body that arrives in pieces byte for byte, a character split between them included", async () => {
    h = await startHarness(await sqlite.fresh("pieces"));
    const body = JSON.stringify({ comment: { body: "naïve 🚀 café" }, pad: "x".repeat(20_000) });
    const bytes = Buffer.from(body);
    const split = bytes.indexOf(Buffer.from("🚀")) + 2;
    const signature = await sign(SECRET, body);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(h.server.port, "127.0.0.1", () => {
        socket.write(`POST /webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-GitHub-Event: issue_comment\r\nX-GitHub-Delivery: pieces\r\nX-Hub-Signature-256: ${signature}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`);
        socket.write(bytes.subarray(0, split));
        setTimeout(() => socket.write(bytes.subarray(split, split + 5)), 30);
        setTimeout(() => socket.write(bytes.subarray(split + 5)), 60);
      });
      let text = "";
      socket.on("data", (d) => (text += d.toString()));
      socket.on("close", () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1.1 202/);
    expect((await h.store.getDelivery("pieces"))?.payload).toBe(body);
  });

  it("answers a webhook while the worker works through a backlog", async () => {
    const spec = await sqlite.fresh("backlog");
    const seed = await openStore(spec);
    await Promise.all(Array.from({ length: 3000 }, (_, i) => seed.recordDelivery({ id: `old-${i}`, event: "ping", payload: "{}", receivedAt: 1 })));
    await seed.close();
    // The worker plans every stored delivery into nothing, as fast as the store lets it.
    h = await startHarness(spec, { pipeline: { handler: { plan: async () => ({ runs: [] }) }, executor: { execute: async () => ({ status: "succeeded" }) } } });
    const reply = await postWebhook(h.server.url, { id: "new", body: commentPayload(4), secret: SECRET });
    expect(reply.status).toBe(202);
    // Answered between the worker's steps, not after all of them.
    expect(await h.store.pendingDeliveries()).toBeGreaterThan(1000);
    await until("the backlog planned", async () => (await h.store.pendingDeliveries()) === 0);
  }, 60_000);

  it("cuts off a slow-loris client that never finishes its headers", async () => {
    h = await startHarness(await sqlite.fresh("loris"), { headersTimeoutMs: 1000, requestTimeoutMs: 1500 });
    const closed = await new Promise<string>((resolve) => {
      const socket = connect(h.server.port, "127.0.0.1", () => socket.write("POST /webhooks HTTP/1.1\r\nHost: x\r\n"));
      let received = "";
      // One header line every 200 ms, forever: only the server's timeout ends this.
      const drip = setInterval(() => socket.writable && socket.write(`X-Drip-${Date.now()}: 1\r\n`), 200);
      socket.on("data", (d) => (received += d.toString()));
      socket.on("close", () => (clearInterval(drip), resolve(received)));
      socket.on("error", () => undefined);
    });
    expect(closed === "" || /^HTTP\/1.1 408/.test(closed)).toBe(true);
    expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200);
  });
});

describe.each(BACKENDS)("gitcrew serve on $name", (backend) => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it("turns the same delivery sent 100 times into one run", async () => {
    h = await startHarness(await backend.fresh("storm"));
    const body = commentPayload(7);
    const replies = await Promise.all(Array.from({ length: 100 }, () => postWebhook(h.server.url, { id: "same-delivery", body, secret: SECRET })));
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(replies.filter((r) => !r.body.duplicate)).toHaveLength(1);
    await until("the run to finish", async () => (await h.store.getRun("same-delivery:dev"))?.status === "succeeded");
    expect(await h.store.listRuns()).toHaveLength(1);
    expect(h.recorder.started).toEqual(["same-delivery:dev"]);
  });

  it("accepts 2,000 deliveries in a burst and loses none", async () => {
    h = await startHarness(await backend.fresh("burst"), { concurrency: 8 });
    const ids = Array.from({ length: 2000 }, (_, i) => `burst-${i}`);
    const bodies = ids.map((_, i) => commentPayload(1000 + i));
    for (let i = 0; i < ids.length; i += 200) {
      const batch = ids.slice(i, i + 200).map((id, j) => postWebhook(h.server.url, { id, body: bodies[i + j]!, secret: SECRET }));
      expect((await Promise.all(batch)).map((r) => r.status)).toEqual(Array(batch.length).fill(202));
    }
    const counts = await until("all runs to finish", async () => {
      const c = await h.store.countByStatus();
      return c.succeeded === 2000 ? c : undefined;
    }, 4000);
    expect(counts.queued + counts.running + counts.failed).toBe(0);
    expect(h.recorder.maxParallel).toBeLessThanOrEqual(8);
    // 2,000 runs on PostgreSQL take well over a minute when the suite loads both cores.
  }, 240_000);

  it("queues a comment behind the running run of its thread, and /cancel stops it", async () => {
    h = await startHarness(await backend.fresh("thread"));
    const url = h.server.url;
    await postWebhook(url, { id: "t-1", body: commentPayload(5, "@dev sleep:60000"), secret: SECRET });
    await until("the first run to start", async () => h.recorder.started.includes("t-1:dev"));
    await postWebhook(url, { id: "t-2", body: commentPayload(5, "@dev and then this"), secret: SECRET });
    await postWebhook(url, { id: "other", body: commentPayload(6, "@dev elsewhere"), secret: SECRET });
    await until("the other thread's run", async () => (await h.store.getRun("other:dev"))?.status === "succeeded");
    expect((await h.store.getRun("t-2:dev"))?.status).toBe("queued");
    await postWebhook(url, { id: "t-3", body: commentPayload(5, "/cancel"), secret: SECRET });
    const first = await until("the cancel", async () => {
      const r = await h.store.getRun("t-1:dev");
      return r?.status === "cancelled" ? r : undefined;
    });
    expect(first.error).toBe("cancelled");
    expect((await h.store.getRun("t-2:dev"))?.status).toBe("cancelled");
  });

  it("retries an infrastructure failure, never an agent's own failure", async () => {
    h = await startHarness(await backend.fresh("retry"));
    await postWebhook(h.server.url, { id: "flaky", body: commentPayload(8, "@dev flaky"), secret: SECRET });
    await postWebhook(h.server.url, { id: "broken", body: commentPayload(9, "@dev broken"), secret: SECRET });
    const flaky = await until("the retried run", async () => {
      const r = await h.store.getRun("flaky:dev");
      return r?.status === "succeeded" ? r : undefined;
    });
    expect(flaky.attempt).toBe(2);
    const log = (await h.store.readLog("flaky:dev")).map((c) => c.text).join("");
    expect(log).toMatch(/attempt 1 failed \(infrastructure\): docker engine is not answering; retrying/);
    const broken = await until("the failed run", async () => {
      const r = await h.store.getRun("broken:dev");
      return r?.status === "failed" ? r : undefined;
    });
    expect(broken).toMatchObject({ attempt: 1, error: "the agent exited 1" });
  });
});

describe("health, metrics and the local API", () => {
  let h: Harness;
  afterEach(async () => h?.stop());

  it("reports readiness with the reason, and Prometheus metrics", async () => {
    h = await startHarness(await sqlite.fresh("health"));
    await postWebhook(h.server.url, { id: "m-1", body: commentPayload(1), secret: SECRET });
    await until("the run", async () => (await h.store.getRun("m-1:dev"))?.status === "succeeded");
    expect(await (await fetch(`${h.server.url}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${h.server.url}/readyz`)).status).toBe(200);
    h.recorder.ready = { ready: false, reason: ".gitcrew/agents/dev/agent.cue:3: unknown field; still running the crew of abc123" };
    const notReady = await fetch(`${h.server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ ready: false, reason: expect.stringMatching(/agent.cue:3/) });
    const text = await (await fetch(`${h.server.url}/metrics`)).text();
    expect(text).toMatch(/^gitcrew_queue_depth 0$/m);
    expect(text).toMatch(/^gitcrew_runs\{status="succeeded"\} 1$/m);
    expect(text).toMatch(/^gitcrew_webhooks_total\{status="202"\} 1$/m);
    expect(text).toMatch(/^gitcrew_webhook_duration_seconds_count 1$/m);
    expect(text).toMatch(/^gitcrew_run_duration_seconds_bucket\{status="succeeded",le="\+Inf"\} 1$/m);
  });

  it("lists, shows logs of, cancels and retries runs for a client with the token", async () => {
    h = await startHarness(await sqlite.fresh("api"));
    const client = new ServerClient({ url: h.server.url, token: TOKEN });
    await postWebhook(h.server.url, { id: "a-1", body: commentPayload(1, "@dev sleep:60000"), secret: SECRET });
    await until("the run to start", async () => h.recorder.started.includes("a-1:dev"));
    expect((await client.ps({ status: "running" })).map((r) => r.id)).toEqual(["a-1:dev"]);
    expect((await client.logs("a-1:dev")).chunks.map((c) => c.text)).toEqual(["hello from a-1:dev\n"]);
    expect((await client.cancel("a-1:dev")).cancelRequested).toBe(true);
    await until("the cancel", async () => (await client.run("a-1:dev")).status === "cancelled");
    const again = await client.retry("a-1:dev");
    expect(again).toMatchObject({ id: "a-1:dev~retry1", status: "queued" });
    await expect(new ServerClient({ url: h.server.url, token: "wrong" }).ps()).rejects.toThrow(/wrong API token/);
    await expect(client.run("nope")).rejects.toThrow(/no run "nope"/);
    await client.cancel("a-1:dev~retry1");
  });

  it("on shutdown gives a run that outlives the grace period back to the queue", async () => {
    h = await startHarness(await sqlite.fresh("grace"));
    await postWebhook(h.server.url, { id: "g-1", body: commentPayload(1, "@dev sleep:60000"), secret: SECRET });
    await postWebhook(h.server.url, { id: "g-2", body: commentPayload(2, "@dev sleep:100"), secret: SECRET });
    await until("both runs to start", async () => h.recorder.started.length === 2);
    await h.server.stop(1000);
    expect((await h.store.getRun("g-2:dev"))?.status).toBe("succeeded");
    expect(await h.store.getRun("g-1:dev")).toMatchObject({ status: "queued", attempt: 1 });
    await h.store.close();
    h = undefined as unknown as Harness;
  });
});

void example;
