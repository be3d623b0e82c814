/**
 * Attack: a signed-in person reads runs of a repository they cannot read on
 * GitHub, or a reader cancels or retries. Access comes from GitHub's
 * collaborator permission, asked with the server's token: no access → 403 on
 * that repository's runs and they are absent from every list; read → 403 on
 * cancel and retry, and the run is unchanged.
 */
import { afterEach, describe, expect, it } from "vitest";
import { TOKEN } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";
import { addRun, finish, REPO, SECRET_REPO, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";

let s: DashboardServer | undefined;
afterEach(async () => {
  s?.gh.double.assertNoViolations();
  await s?.stop();
  s = undefined;
});

describe("dashboard access per repository", () => {
  it("hides a private repository's runs from who cannot read it, in lists, queue, detail, logs and stream", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-access"));
    await addRun(s.store, "open-1", { repo: REPO, thread: 1 });
    await addRun(s.store, "hidden-1", { repo: SECRET_REPO, thread: 1 });
    await addRun(s.store, "hidden-2", { repo: SECRET_REPO, thread: 2, agent: "review" });
    s.gh.double.setPermission(SECRET_REPO, "carol", "read");
    const bob = await s.signIn("bob");
    const carol = await s.signIn("carol");

    const ids = (body: { runs: { id: string }[] }) => body.runs.map((r) => r.id).sort();
    expect(ids((await bob.get("/api/runs")).body)).toEqual(["open-1"]);
    expect(ids((await bob.get("/api/runs?agent=review")).body)).toEqual([]);
    expect(ids((await carol.get("/api/runs")).body)).toEqual(["hidden-1", "hidden-2", "open-1"]);
    for (const path of ["/api/runs/hidden-1", "/api/runs/hidden-1/logs", "/api/runs/hidden-1/stream", `/api/runs?repo=${SECRET_REPO}`, `/api/crew?repo=${SECRET_REPO}`]) {
      const res = await bob.get(path);
      expect(res.status, path).toBe(403);
      expect(res.text, path).not.toContain("Please fix issue");
    }
    const bobQueue = (await bob.get("/api/queue")).body;
    expect(bobQueue.queue.map((e: { id: string }) => e.id)).toEqual(["open-1"]);
    // The totals do not count what bob cannot see either.
    expect(bobQueue.queued).toBe(1);
    expect(bobQueue.running).toBeUndefined();
    const approvalsCarol = await carol.get("/api/queue");
    expect(approvalsCarol.body.queue.map((e: { id: string }) => e.id).sort()).toEqual(["hidden-1", "hidden-2", "open-1"]);
    // The API token sees everything, as before.
    const all = await fetch(`${s.url}/api/runs`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ids((await all.json()) as { runs: { id: string }[] })).toEqual(["hidden-1", "hidden-2", "open-1"]);
  });

  it("shows health (instances, engine, GitHub) only to people who can read a served repository", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-health"));
    await addRun(s.store, "hidden-1", { repo: SECRET_REPO, thread: 1 });
    s.gh.double.setPermission(SECRET_REPO, "carol", "read");
    const stranger = await (await s.signIn("mallory")).get("/api/health");
    expect(stranger.status).toBe(403);
    expect(stranger.body).toEqual({ error: "you need read access to a repository this server serves" });
    const carol = await (await s.signIn("carol")).get("/api/health");
    expect(carol.status).toBe(200);
    expect(carol.body.store.ok).toBe(true);
  });

  it("refuses cancel and retry to a reader (403, run unchanged) and allows them to a writer", async () => {
    s = await startDashboardServer(await BACKENDS[0]!.fresh("dash-reader"));
    await addRun(s.store, "run-1", { thread: 1 });
    await addRun(s.store, "run-2", { thread: 2 });
    const done = await finish(s.store);
    const queued = done === "run-1" ? "run-2" : "run-1";
    s.gh.double.setPermission(REPO, "dave", "triage");
    s.gh.double.setPermission(REPO, "erin", "write");
    const dave = await s.signIn("dave");
    const cancel = await dave.post(`/api/runs/${queued}/cancel`);
    expect(cancel.status).toBe(403);
    expect(cancel.body.error).toBe(`only people with write access to ${REPO} may cancel its runs`);
    expect((await dave.post(`/api/runs/${done}/retry`)).status).toBe(403);
    expect((await s.store.getRun(queued))?.status).toBe("queued");
    expect((await s.store.runsPage({ limit: 10 })).runs).toHaveLength(2);
    expect((await dave.get(`/api/runs/${queued}`)).body.canAct).toBe(false);

    const erin = await s.signIn("erin");
    expect((await erin.get(`/api/runs/${queued}`)).body.canAct).toBe(true);
    expect((await erin.post(`/api/runs/${queued}/cancel`)).status).toBe(202);
    expect((await s.store.getRun(queued))?.status).toBe("cancelled");
  });
});
