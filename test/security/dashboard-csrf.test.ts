/**
 * Attack: another site makes a signed-in browser cancel or retry a run, or
 * sign out (cross-site request forgery). A change with a session cookie needs
 * the session's token in x-gitcrew-csrf (only our page can read it) and our
 * own Origin; otherwise 403 and nothing changes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { addRun, finish, REPO, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";
import { BACKENDS } from "../support/stores.js";

let s: DashboardServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe("dashboard CSRF", () => {
  it("refuses changes without the token, with a wrong one, or from a foreign or missing Origin (403, run unchanged)", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-csrf"));
    await addRun(s.store, "run-q", { thread: 1 });
    await addRun(s.store, "run-f", { thread: 2 });
    await finish(s.store);
    s.gh.double.setPermission(REPO, "alice", "admin");
    const alice = await s.signIn("alice");
    const attempts: Record<string, Record<string, string>> = {
      "no token, our Origin": { origin: s.url },
      "a wrong token": { "x-gitcrew-csrf": "A".repeat(alice.csrf.length), origin: s.url },
      "another session's token": { "x-gitcrew-csrf": (await s.signIn("alice")).csrf, origin: s.url },
      "the token, a foreign Origin": { "x-gitcrew-csrf": alice.csrf, origin: "https://evil.example" },
      "the token, a look-alike Origin": { "x-gitcrew-csrf": alice.csrf, origin: `${s.url}.evil.example` },
      "the token, no Origin": { "x-gitcrew-csrf": alice.csrf },
      "a form post": { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
    };
    const finished = (await s.store.getRun("run-q"))!.status === "succeeded" ? "run-q" : "run-f";
    const queued = finished === "run-q" ? "run-f" : "run-q";
    for (const [what, headers] of Object.entries(attempts)) {
      const cancel = await alice.post(`/api/runs/${queued}/cancel`, headers);
      expect(cancel.status, what).toBe(403);
      expect(cancel.body.error, what).toMatch(/x-gitcrew-csrf|Origin/);
      expect((await alice.post(`/api/runs/${finished}/retry`, headers)).status, what).toBe(403);
      expect((await alice.post("/auth/logout", headers)).status, what).toBe(403);
    }
    expect((await s.store.getRun(queued))?.status).toBe("queued");
    expect((await s.store.runsPage({ limit: 10 })).runs).toHaveLength(2);
    expect((await alice.get("/api/session")).status).toBe(200);

    // The page's own request goes through.
    expect((await alice.post(`/api/runs/${queued}/cancel`)).status).toBe(202);
    expect((await s.store.getRun(queued))?.status).toBe("cancelled");
  });
});
