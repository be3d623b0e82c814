/**
 * The dashboard's server side on both store backends, with a real HTTP
 * server, a real store and sign-in through the GitHub double's OAuth flow:
 * the page and its assets with their headers, a session, the runs list page
 * by page with filters, one run in full, the live stream of its log, cancel
 * and retry by a writer, health with this instance's heartbeat; and the API
 * token still works for scripts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CSP } from "../../src/server/dashboard/respond.js";
import { startHarness, TOKEN } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";
import { addRun, finish, REPO, startDashboardServer, type DashboardServer } from "../support/dashboard-harness.js";

let s: DashboardServer | undefined;
afterEach(async () => {
  s?.gh.double.assertNoViolations();
  await s?.stop();
  s = undefined;
});

describe.each(BACKENDS)("dashboard API on $name", (backend) => {
  it("serves the page and its assets with the CSP and caching the contract names, and nothing outside assets/", async () => {
    s = await startDashboardServer(await backend.fresh("dash-static"));
    for (const path of ["/", "/ui/runs/abc"]) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("content-security-policy")).toBe(CSP);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(await res.text()).toContain('<div id="app">');
    }
    const asset = await fetch(`${s.url}/assets/app-1234abcd.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(asset.headers.get("content-security-policy")).toBe(CSP);
    for (const path of ["/assets/secret.txt", "/assets/..%2Fsecret.txt", "/assets/%2e%2e/index.html", "/assets/nope.js"]) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("outside the assets folder");
    }
    // The webhook receiver and health keep their routes.
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it("signs a person in through GitHub; the session cookie is HttpOnly and SameSite, and /api/session gives the CSRF token", async () => {
    s = await startDashboardServer(await backend.fresh("dash-signin"));
    const alice = await s.signIn("alice");
    const cookie = alice.seen.find((l) => l.startsWith("gitcrew_session="))!;
    expect(cookie).toMatch(/^gitcrew_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
    const session = await alice.get("/api/session");
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ login: "alice", webUrl: s.gh.double.url });
    expect(session.body.csrf).toMatch(/^[A-Za-z0-9_-]{32}$/);
    // Signed out: the row is gone, the cookie cleared, and the old value no longer works.
    const value = alice.cookies.get("gitcrew_session")!;
    expect((await alice.post("/auth/logout")).status).toBe(200);
    expect(alice.cookies.has("gitcrew_session")).toBe(false);
    const replay = await fetch(`${s.url}/api/session`, { headers: { cookie: `gitcrew_session=${value}` } });
    expect(replay.status).toBe(401);
  });

  it("lists runs newest first, page by page with a cursor, filtered by agent, status, thread and repo", async () => {
    s = await startDashboardServer(await backend.fresh("dash-runs"));
    const base = Date.now() - 1_000_000;
    for (let i = 0; i < 120; i++) {
      await addRun(s.store, `run-${String(i).padStart(3, "0")}`, { agent: i % 3 === 0 ? "review" : "dev", thread: (i % 5) + 1, createdAt: base + Math.floor(i / 2) * 1000 });
    }
    const alice = await s.signIn("alice");
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await alice.get(`/api/runs?limit=50${next ? `&before=${next}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.runs.map((r: { id: string }) => r.id));
      next = page.body.next;
      pages++;
    } while (next);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    // Newest first; two runs share each createdAt and come by id, descending.
    expect(seen.slice(0, 3)).toEqual(["run-119", "run-118", "run-117"]);
    expect(seen.at(-1)).toBe("run-000");

    const first = (await alice.get("/api/runs?limit=1")).body.runs[0];
    expect(first).toMatchObject({ id: "run-119", repo: REPO, agent: "dev", status: "queued", trigger: { actor: "alice", event: "issue_comment.created" }, branch: "gitcrew/dev/5" });
    expect(first.trigger.url).toBe(`https://github.com/${REPO}/issues/5#issuecomment-7`);
    expect(first).not.toHaveProperty("plan");

    const review = (await alice.get("/api/runs?agent=review&limit=200")).body.runs;
    expect(review).toHaveLength(40);
    expect(review.every((r: { agent: string }) => r.agent === "review")).toBe(true);
    const thread = (await alice.get(`/api/runs?thread=${encodeURIComponent(`${REPO}#2`)}&limit=200`)).body.runs;
    expect(thread).toHaveLength(24);
    await finish(s.store);
    const done = (await alice.get("/api/runs?status=succeeded")).body.runs;
    expect(done.map((r: { id: string }) => r.id)).toEqual(["run-000"]);
    expect(done[0].durationMs).toBeGreaterThanOrEqual(0);
    expect((await alice.get("/api/runs?repo=ACME/Widgets&limit=5")).body.runs).toHaveLength(5);
  });

  it("shows one run in full: the plan entry, prompt, container; streams its log live from the store and ends when it finishes", async () => {
    s = await startDashboardServer(await backend.fresh("dash-run"));
    await addRun(s.store, "run-a", { thread: 3 });
    const alice = await s.signIn("alice");
    // alice reads the public repository but may not act there: the page shows Cancel and Retry disabled.
    const detail = await alice.get("/api/runs/run-a");
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ run: { id: "run-a", status: "queued" }, prompt: "Please fix issue 3", container: { image: "gitcrew/command", secrets: ["MODEL_KEY"] }, canAct: false, approvals: [] });
    expect(detail.body.plan.runs[0]).toMatchObject({ agent: "dev", reason: "mentioned", branch: "gitcrew/dev/3" });
    expect(detail.body.plan.trigger.actor.login).toBe("alice");

    // Claimed by "another instance" (the test), its log written to the store while the stream is open.
    const claimed = await s.store.claimRun({ owner: "elsewhere", now: Date.now(), leaseMs: 60_000, ownerLimit: 1 });
    expect(claimed?.id).toBe("run-a");
    await s.store.appendLog("run-a", "line one\n", Date.now());
    const res = await alice.fetch("/api/runs/run-a/stream");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let text = "";
    const readUntil = async (what: string) => {
      while (!text.includes(what)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${what}:\n${text}`);
        text += Buffer.from(value).toString("utf8");
      }
    };
    await readUntil("line one");
    expect(text).toMatch(/id: \d+\nevent: log\ndata: \{"seq":\d+,"text":"line one\\n"\}/);
    await readUntil('"status":"running"');
    await s.store.appendLog("run-a", "line two\n", Date.now());
    await readUntil("line two");
    await s.store.finishRun("run-a", "elsewhere", { status: "succeeded" }, Date.now());
    await readUntil("event: end");
    expect(text).toContain('"status":"succeeded"');
    expect(text.indexOf("line two")).toBeLessThan(text.indexOf("event: end"));

    // Reconnecting with Last-Event-ID resumes after that line.
    const firstSeq = /id: (\d+)\nevent: log\ndata: \{"seq":\d+,"text":"line one/.exec(text)![1]!;
    const again = await alice.get("/api/runs/run-a/stream", { "last-event-id": firstSeq });
    expect(again.text).toContain("line two");
    expect(again.text).not.toContain("line one");
    expect(again.text).toContain("event: end");
  });

  it("cancels and retries for a writer with the CSRF token, and the API token still drives ps, cancel and retry", async () => {
    s = await startDashboardServer(await backend.fresh("dash-act"));
    await addRun(s.store, "run-c", { thread: 1 });
    await addRun(s.store, "run-d", { thread: 2 });
    s.gh.double.setPermission(REPO, "alice", "write");
    const alice = await s.signIn("alice");
    const cancelled = await alice.post("/api/runs/run-c/cancel");
    expect(cancelled.status).toBe(202);
    expect((await s.store.getRun("run-c"))?.status).toBe("cancelled");
    const retried = await alice.post("/api/runs/run-c/retry");
    expect(retried.status).toBe(202);
    expect(retried.body.retryOf).toBe("run-c");
    expect((await s.store.getRun("run-c~retry1"))?.status).toBe("queued");

    const api = (path: string, method = "GET") => fetch(`${s!.url}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
    const ps = await api("/api/runs?limit=5000");
    expect(ps.status).toBe(200);
    expect(((await ps.json()) as { runs: { id: string }[] }).runs.map((r) => r.id).sort()).toEqual(["run-c", "run-c~retry1", "run-d"]);
    expect((await api("/api/runs/run-d/cancel", "POST")).status).toBe(202);
    expect((await s.store.getRun("run-d"))?.status).toBe("cancelled");
    expect((await api("/api/runs/run-d/logs?after=0")).status).toBe(200);
    expect((await api("/api/runs/run-d/retry", "POST")).status).toBe(202);
  });

  it("reports health: the store, every instance's heartbeat, GitHub", async () => {
    const spec = await backend.fresh("dash-health");
    s = await startDashboardServer(spec);
    const second = await startHarness(spec, { worker: false, instance: "second" });
    // Health is for people who can read a served repository (a run of the public one makes alice one).
    await addRun(s.store, "health-1", { repo: REPO, thread: 1 });
    const alice = await s.signIn("alice");
    const health = await alice.get("/api/health");
    await second.stop();
    expect(health.status).toBe(200);
    expect(health.body.store).toEqual({ ok: true, kind: backend.name });
    expect(health.body.github).toEqual({ ok: true });
    expect(health.body.instances.map((i: { name: string }) => i.name).sort()).toEqual(["second", "test"]);
    expect(health.body.instances[0].lastSeen).toBeGreaterThan(Date.now() - 60_000);
    const queue = await alice.get("/api/queue");
    expect(queue.status).toBe(200);
  });
});
