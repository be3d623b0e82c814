/**
 * Shutdown of a real `gitcrew serve` process: idle, it exits at once on
 * SIGTERM; busy, it requeues what the grace period did not finish; a second
 * signal requeues and exits without waiting for the grace period.
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

async function start(spec: string, grace: string): Promise<ServeChild> {
  const c = await startServeChild({
    GITCREW_HOME: mkdtempSync(join(tmpdir(), "gitcrew-home-")),
    GITCREW_REPO: "octo/repo",
    GITCREW_WEBHOOK_SECRET: SECRET,
    GITCREW_STORE: spec,
    GITCREW_SHUTDOWN_GRACE: grace,
  });
  children.push(c);
  return c;
}

/** The exit code, or "hung" when the process is still there at the deadline (a hang detector, not a timing). */
function exitedBefore(c: ServeChild, deadlineMs: number): Promise<string> {
  return Promise.race([c.exited, new Promise<string>((resolve) => setTimeout(() => resolve("hung"), deadlineMs).unref())]);
}

async function startLongRun(c: ServeChild, spec: string): Promise<Store> {
  const s = await openStore(spec);
  expect((await postWebhook(c.url, { id: "long", body: commentPayload(1, "@dev sleep:600000"), secret: SECRET })).status).toBe(202);
  await until("the long run to start", async () => (await s.getRun("long:dev"))?.startedAt !== undefined);
  return s;
}

describe("gitcrew serve on SIGTERM", () => {
  it("idle, exits cleanly (it waited out the 30 s grace timer before)", async () => {
    const c = await start(await BACKENDS[0]!.fresh("idle"), "30");
    c.child.kill("SIGTERM");
    expect(await exitedBefore(c, 10_000)).toBe("0");
    expect(c.output()).toContain("stopped");
  });

  it("busy past the grace period, requeues the run and exits", async () => {
    const spec = await BACKENDS[0]!.fresh("grace");
    const c = await start(spec, "1");
    store = await startLongRun(c, spec);
    c.child.kill("SIGTERM");
    expect(await exitedBefore(c, 20_000)).toBe("0");
    expect(c.output()).toContain("run long:dev: stopped by shutdown, back in the queue");
    expect(await store.getRun("long:dev")).toMatchObject({ status: "queued", attempt: 1 });
  });

  it.each(["SIGTERM", "SIGINT"] as const)("a second signal (%s) requeues the run and exits without waiting out a long grace period", async (second) => {
    const spec = await BACKENDS[0]!.fresh("twice");
    const c = await start(spec, "3600");
    store = await startLongRun(c, spec);
    c.child.kill("SIGTERM");
    await until("shutdown to begin", async () => c.output().includes("shutting down"));
    c.child.kill(second);
    expect(await exitedBefore(c, 20_000)).toBe("0");
    expect(c.output()).toContain("second signal: requeueing running runs now");
    expect(await store.getRun("long:dev")).toMatchObject({ status: "queued" });
  });
});
