/**
 * Attack: keeping a run's live log after signing out (a shared computer, a
 * stolen cookie that was revoked) or after losing access to the repository.
 * An open stream checks its session and access again and ends with a
 * `denied` event; it does not go on streaming.
 */
import { afterEach, describe, expect, it } from "vitest";
import { BACKENDS } from "../support/stores.js";
import { addRun, SECRET_REPO, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";

let s: DashboardServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

async function reader(res: Response) {
  const r = res.body!.getReader();
  let text = "";
  return {
    get text() {
      return text;
    },
    async until(what: string): Promise<void> {
      while (!text.includes(what)) {
        const { value, done } = await r.read();
        if (done) throw new Error(`stream closed before ${what}:\n${text}`);
        text += Buffer.from(value).toString("utf8");
      }
    },
    async closed(): Promise<void> {
      for (;;) {
        const { value, done } = await r.read();
        if (done) return;
        text += Buffer.from(value).toString("utf8");
      }
    },
  };
}

describe("dashboard stream after sign-out or lost access", () => {
  it("ends an open stream once its session is signed out, and once the person loses read access", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-revoked"));
    await addRun(s.store, "run-open", { thread: 1 });
    await addRun(s.store, "run-private", { repo: SECRET_REPO, thread: 1 });
    const alice = await s.signIn("alice");
    const stream = await reader(await alice.fetch("/api/runs/run-open/stream"));
    await stream.until("event: status");
    expect((await alice.post("/auth/logout")).status).toBe(200);
    await stream.until("event: denied");
    await stream.closed();
    await s.store.appendLog("run-open", "after sign-out\n", Date.now());
    expect(stream.text).not.toContain("after sign-out");

    s.gh.double.setPermission(SECRET_REPO, "bob", "read");
    const bob = await s.signIn("bob");
    const secret = await reader(await bob.fetch("/api/runs/run-private/stream"));
    await secret.until("event: status");
    s.gh.double.setPermission(SECRET_REPO, "bob", "none");
    // The permission cache (60 s) is the bound on how long a removed collaborator keeps reading; this test's server forgets sooner.
    await secret.until("event: denied");
    await secret.closed();
  });
});
