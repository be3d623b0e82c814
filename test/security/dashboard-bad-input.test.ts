/**
 * Attack: odd requests to the dashboard's API: unknown run ids, oversized
 * query strings, parameters no route takes, forged cursors and limits, broken
 * percent-encoding. Each gets its status and one-sentence error, never a
 * stack trace, and nothing is read beyond the bounds.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TOKEN } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";
import { addRun, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";

let s: DashboardServer | undefined;
afterEach(async () => {
  await s?.stop();
  s = undefined;
});

describe("dashboard API bad input", () => {
  it("answers 404, 414 and 400 with one sentence each, for a session and for the API token", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-bad"));
    await addRun(s.store, "run-1");
    const alice = await s.signIn("alice");
    const bearer = { authorization: `Bearer ${TOKEN}` };
    const cases: [string, number, RegExp][] = [
      ["/api/runs/no-such-run", 404, /^no run "no-such-run"$/],
      ["/api/runs/no-such-run/stream", 404, /^no run/],
      ["/api/runs/no-such-run/logs", 404, /^no run/],
      ["/api/runs/%E0%A4%A", 400, /percent-encoding/],
      [`/api/runs?thread=${"x".repeat(3000)}`, 414, /query string above 2048 bytes/],
      [`/api/runs/run-1?${"a=1&".repeat(600)}`, 414, /query string/],
      ["/api/runs?evil=1", 400, /^unknown parameter "evil"/],
      ["/api/runs/run-1?include=plan", 400, /^unknown parameter "include"/],
      ["/api/session?x=1", 400, /unknown parameter/],
      ["/api/health?verbose=1", 400, /unknown parameter/],
      ["/api/runs?before=not-a-cursor", 400, /before must be/],
      ["/api/runs?status=deleted", 400, /unknown status/],
      ["/api/runs?repo=../../etc", 400, /repo must be OWNER\/NAME/],
      ["/api/runs?agent=%0Aevil", 400, /agent must be/],
      ["/api/runs/run-1/stream?after=-5", 400, /after must be/],
      ["/api/approvals?state=mine", 400, /state must be/],
      ["/api/nothing", 404, /no API route/],
      ["/api/runs/run-1/nothing", 404, /no API route/],
    ];
    for (const [path, status, error] of cases) {
      const mine = await alice.get(path);
      expect(mine.status, path).toBe(status);
      expect(mine.body?.error, path).toMatch(error);
      expect(Object.keys(mine.body), path).toEqual(["error"]);
      expect(mine.text, path).not.toMatch(/\bat \S+ \(|\.ts:\d+/);
      const scripted = await fetch(`${s.url}${path}`, { headers: bearer });
      expect(scripted.status, `${path} (token)`).toBe(status);
    }
    // A page's limit is bounded (the token keeps ps's old leniency).
    for (const limit of ["0", "201", "5000", "1e3", "-1"]) expect((await alice.get(`/api/runs?limit=${limit}`)).status, limit).toBe(400);
    // A page of the HTML side with a long query gets 414 too.
    const page = await fetch(`${s.url}/?${"q".repeat(3000)}`);
    expect(page.status).toBe(414);
    expect(await page.text()).not.toContain("q".repeat(100));
    // Wrong methods.
    expect((await alice.post("/api/runs")).status).toBe(405);
    expect((await alice.get("/api/runs/run-1/cancel")).status).toBe(405);
  });
});
