/**
 * The queue people can see, with real parts: `gitcrew serve` (the real
 * pipeline) against the GitHub double, a `command` agent in the
 * gitcrew/command image whose runs block (`sleep`) until cancelled through the
 * API, agent concurrency 1. While runs wait, their tracking comments say
 * where they are and why, and move as the runs ahead go; edits are throttled
 * (counted from the PATCH requests the double saw) and absent when nothing
 * changed; once a run starts its "working" edit stays the last word.
 * GET /api/queue and `gitcrew ps --queue` show the same queue; bad input to
 * /api/queue gets the right status.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/crew-fixture.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";

const REPO = "acme/widgets";
const BOT = "gitcrew-bot[bot]";
const THROTTLE_MS = 2000;
let running: GitHubServer | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  if (!running) return;
  running.gh.double.assertNoViolations();
  await running.stop();
  running = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const queueLine = (body: string) => /^> (queued: .*)$/m.exec(body)?.[1];

describe.each(BACKENDS)("the queue in the thread and the API on $name", (backend) => {
  it("tracking comments say each waiting run's place and why, move as runs ahead go, throttled, and stop when the run starts", async () => {
    const s = await startGitHubServer(shAgentFiles("dev", "sleep 300"), {
      store: await backend.fresh("queue-thread"),
      server: { concurrency: 2, queueComments: { everyMs: 100, throttleMs: THROTTLE_MS } },
    });
    running = s;
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const api = (path: string, init: RequestInit = {}, token = "t") =>
      fetch(`${s.server.url}${path}`, { ...init, headers: token ? { authorization: `Bearer ${token}` } : {} });
    const cancel = async (id: string) => expect((await api(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: "POST" })).status).toBe(202);

    // Five threads, one @dev each, queued in this order; dev runs one at a time.
    const runs: { id: string; issue: number }[] = [];
    for (let i = 1; i <= 5; i++) {
      const issue = double.addIssue(REPO, { title: `Task ${i}`, user: "alice" });
      const { payload } = double.addComment(REPO, issue.number, "alice", "@dev please");
      const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
      expect(delivery.status).toBe(202);
      const id = `${delivery.deliveryId}:dev`;
      await until(`run ${i} stored`, () => s.store.getRun(id));
      runs.push({ id, issue: issue.number });
    }
    const [r1, r2, r3, r4, r5] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
    await until("run 1 running", async () => (await s.store.getRun(r1.id))?.status === "running", 3600);
    const tracking = (issue: number) => double.comments(REPO, issue).find((c) => c.user === BOT && c.body.includes("gitcrew:origin agent=dev"));
    const bodyOf = (issue: number) => tracking(issue)?.body ?? "";
    const waitFor = (what: string, issue: number, line: string) =>
      until(what, async () => queueLine(bodyOf(issue)) === line, 1200).catch((err: unknown) => {
        throw new Error(`${(err as Error).message}; the comment says:\n${bodyOf(issue)}`);
      });

    await waitFor("run 2's place", r2.issue, "queued: 1st in line, behind 1 run of `@dev` (1 at a time)");
    await waitFor("run 3's place", r3.issue, "queued: 2nd in line, behind 2 runs of `@dev` (1 at a time)");
    await waitFor("run 5's place", r5.issue, "queued: 4th in line, behind 4 runs of `@dev` (1 at a time)");
    // The running run's comment says it works, not where it waited.
    expect(bodyOf(r1.issue)).toContain("is working on it");
    expect(bodyOf(r1.issue)).not.toContain("queued");

    // The API and ps show the same queue.
    const answer = (await (await api("/api/queue")).json()) as { queued: number; running: number; queue: { id: string; position: number; reason: { kind: string }; waiting: string }[] };
    expect(answer.queued).toBe(4);
    expect(answer.running).toBe(1);
    expect(answer.queue.map((e) => [e.id, e.position, e.reason.kind, e.waiting])).toEqual([
      [r2.id, 1, "agent", "behind 1 run of @dev (1 at a time)"],
      [r3.id, 2, "agent", "behind 2 runs of @dev (1 at a time)"],
      [r4.id, 3, "agent", "behind 3 runs of @dev (1 at a time)"],
      [r5.id, 4, "agent", "behind 4 runs of @dev (1 at a time)"],
    ]);
    const env = { GITCREW_SERVER_URL: s.server.url, GITCREW_API_TOKEN: "t", GITCREW_HOME: s.home };
    const ps = await cli(["ps", "--queue"], { env });
    expect(ps.code).toBe(0);
    const psLines = ps.stdout.split("\n");
    expect(psLines[0]).toMatch(/^POS\s+RUN\s+AGENT\s+AGE\s+THREAD\s+WAITING$/);
    expect(psLines.find((l) => l.includes(r5.id))).toMatch(new RegExp(`^4\\s+${r5.id}\\s+dev\\s+\\S+\\s+acme/widgets#${r5.issue}\\s+behind 4 runs of @dev \\(1 at a time\\)$`));
    expect(ps.stdout).toContain("4 queued, 1 running");
    const psJson = JSON.parse((await cli(["ps", "--queue", "--json", "--limit", "2"], { env })).stdout) as { queued: number; queue: { id: string }[] };
    expect([psJson.queued, psJson.queue.map((e) => e.id)]).toEqual([4, [r2.id, r3.id]]);
    const mixed = await cli(["ps", "--queue", "--status", "queued"], { env });
    expect([mixed.code, mixed.stderr]).toEqual([2, expect.stringContaining("--status does not apply")]);
    // No server: the queue is the server's, said so.
    const alone = await cli(["ps", "--queue"], { env: { GITCREW_SERVER_URL: "", GITCREW_HOME: `${s.root}/no-such-home` } });
    expect([alone.code, alone.stderr]).toEqual([4, expect.stringContaining("no gitcrew serve found")]);

    // Bad input to /api/queue.
    expect((await api("/api/queue", {}, "")).status).toBe(401);
    expect((await api("/api/queue", {}, "wrong")).status).toBe(401);
    for (const q of ["limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=1e3", `limit=${"9".repeat(400)}`, "status=queued"]) {
      const res = await api(`/api/queue?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(((await res.json()) as { error: string }).error).toMatch(/limit|parameter/);
    }
    expect((await api("/api/queue", { method: "POST" })).status).toBe(405);

    // Runs 2, 3 and 4 cancelled while queued, one after another: run 5 goes from 4th to 1st.
    const patchesOf = (issue: number) => {
      const id = tracking(issue)?.id;
      return double.calls("issues/update-comment").filter((c) => Number(c.params.comment_id) === id && c.status === 200).map((c) => String((c.body as { body?: string }).body ?? ""));
    };
    const before = patchesOf(r5.issue).length;
    const t0 = Date.now();
    for (const r of [r2, r3, r4]) {
      await cancel(r.id);
      // Longer than a look at the queue: without the throttle each step would be an edit.
      await sleep(400);
    }
    await waitFor("run 5 first in line", r5.issue, "queued: 1st in line, behind 1 run of `@dev` (1 at a time)");
    const elapsed = Date.now() - t0;
    const moved = patchesOf(r5.issue).slice(before);
    expect(moved.length).toBeGreaterThanOrEqual(1);
    expect(moved.length).toBeLessThanOrEqual(1 + Math.floor(elapsed / THROTTLE_MS));
    // Nothing changes while run 1 goes on: no edit at all.
    const settled = patchesOf(r5.issue).length;
    await sleep(THROTTLE_MS + 500);
    expect(patchesOf(r5.issue).length).toBe(settled);

    // Run 1 ends: run 5 starts, its "working" edit is the last word; no queue edit comes after it.
    await cancel(r1.id);
    await until("run 5 running", async () => (await s.store.getRun(r5.id))?.status === "running", 3600);
    await until("run 5's comment working", async () => bodyOf(r5.issue).includes("is working on it") && !bodyOf(r5.issue).includes("queued"), 3600);
    await sleep(THROTTLE_MS + 500);
    const all = patchesOf(r5.issue);
    const firstWorking = all.findIndex((b) => !queueLine(b));
    expect(firstWorking).toBeGreaterThan(0);
    expect(all.slice(firstWorking).filter((b) => queueLine(b))).toEqual([]);
    // Consecutive queue edits always said something new.
    const queueEdits = all.slice(0, firstWorking).map((b) => queueLine(b));
    expect(queueEdits.filter((q, i) => i > 0 && q === queueEdits[i - 1])).toEqual([]);
    expect(queueEdits[0]).toBe("queued: 4th in line, behind 4 runs of `@dev` (1 at a time)");

    await cancel(r5.id);
    await until("run 5 finished", async () => (await s.store.getRun(r5.id))?.status === "cancelled", 1200);
    expect(bodyOf(r5.issue)).not.toContain("queued");
    // The runs cancelled while they waited: their comments say so, not a place in a queue they left.
    for (const r of [r2, r3, r4]) {
      await until(`run ${r.id}'s comment finished`, async () => bodyOf(r.issue).includes("was cancelled"), 1200);
      expect(bodyOf(r.issue)).toContain("cancelled before it started");
      expect(bodyOf(r.issue)).not.toContain("queued");
    }
    expect((await (await api("/api/queue")).json()) as unknown).toEqual({ queued: 0, running: 0, queue: [] });
  }, 500_000);
});
