/**
 * A queue-position edit of a tracking comment that is still on its way to
 * GitHub when another instance claims the run must not land after the run's
 * "working" edit. Instance A (no runner slots) planned the run and edits its
 * comment ("waiting for a free runner"); the double holds that PATCH; while
 * it is held, instance B (same store, real pipeline and container) claims the
 * run. B's start waits for A's edit, so the comment ends saying the run
 * works. Without the wait, B's edit went first and the held one overwrote it
 * with "queued".
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPipelineWith } from "../../src/server/default-pipeline.js";
import { startServer, type RunningServer } from "../../src/server/index.js";
import type { Pipeline } from "../../src/server/pipeline.js";
import { readSettings } from "../../src/server/settings.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";

const REPO = "acme/widgets";
const BOT = "gitcrew-bot[bot]";
let a: GitHubServer | undefined;
let b: { server: RunningServer; pipeline: Pipeline } | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  a?.gh.double.setLatency(undefined);
  if (b) (await b.server.stop(2000), await b.pipeline.close?.());
  b = undefined;
  if (a) (a.gh.double.assertNoViolations(), await a.stop());
  a = undefined;
});

describe.each(BACKENDS)("a queue edit in flight at the claim, on $name", (backend) => {
  it("lands before the run's own 'working' edit, never after it", async () => {
    a = await startGitHubServer(shAgentFiles("dev", "sleep 300"), {
      store: await backend.fresh("queue-race"),
      server: { concurrency: 0, queueComments: { everyMs: 100, throttleMs: 300 } },
    });
    const s = a;
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");

    // The first comment edit is held until released; the ones after it pass.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = false;
    double.setLatency((op) => {
      if (op !== "issues/update-comment" || holding) return undefined;
      holding = true;
      return held;
    });

    // Instance B: same store and clone, the real pipeline, claims nothing until told.
    let open = false;
    const settings = readSettings({ repo: s.clone, "webhook-secret": SECRET, "github-token": double.token(BOT, "Bot"), "github-api-url": double.url, instance: "second" }, {}, "");
    const bLogs: string[] = [];
    const pipeline = await createPipelineWith()({ repo: s.clone, store: s.store, env: { ...process.env, GITCREW_HOME: s.home }, cwd: s.clone, log: (l) => bLogs.push(l), settings });
    const gated: Pipeline = { ...pipeline, executor: { execute: (run, rc) => pipeline.executor.execute(run, rc), available: async () => open } };
    b = { pipeline, server: await startServer({ store: s.store, pipeline: gated, webhookSecret: SECRET, apiToken: "t", host: "127.0.0.1", port: 0, concurrency: 1, instance: "second", leaseMs: 5000, pollMs: 100, queueComments: false, log: (l) => bLogs.push(l) }) };

    const issue = double.addIssue(REPO, { title: "Race", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev go");
    const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    const runId = `${delivery.deliveryId}:dev`;
    const tracking = await until("the tracking comment", async () => double.comments(REPO, issue.number).find((c) => c.user === BOT && c.body.includes("gitcrew:origin agent=dev")));

    // A's queue edit is on its way (held by the double): now B may claim.
    await until("A's queue edit held", async () => holding);
    open = true;
    await until("B claims the run", async () => (await s.store.getRun(runId))?.status === "running", 3600);
    // Room for B's edit to go out if its start did not wait (it would pass: only the first edit is held).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    release();

    const edits = () => double.calls("issues/update-comment").filter((c) => Number(c.params.comment_id) === tracking.id && c.status === 200).map((c) => String((c.body as { body?: string }).body ?? ""));
    await until("both edits answered", async () => edits().length >= 2, 3600).catch(async (err: unknown) => {
      const run = await s.store.getRun(runId);
      throw new Error(`${(err as Error).message}: edits ${JSON.stringify(edits())}; run ${run?.status} attempt ${run?.attempt} ${run?.error ?? ""}\nA: ${s.logs.join("\n")}\nB: ${bLogs.join("\n")}`);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(edits()[0]).toContain("queued: 1st in line, waiting for a free runner");
    expect(edits().at(-1)).toContain("is working on it");
    expect(edits().at(-1)).not.toContain("queued");
    expect(double.comments(REPO, issue.number).find((c) => c.id === tracking.id)?.body).not.toContain("queued");

    expect((await fetch(`${b.server.url}/api/runs/${encodeURIComponent(runId)}/cancel`, { method: "POST", headers: { authorization: "Bearer t" } })).status).toBe(202);
    await until("the run cancelled", async () => (await s.store.getRun(runId))?.status === "cancelled", 1200);
  }, 400_000);

  it("two instances looking at the queue edit each change of a comment once", async () => {
    a = await startGitHubServer(shAgentFiles("dev", "sleep 300"), {
      store: await backend.fresh("queue-two"),
      server: { concurrency: 1, queueComments: { everyMs: 50, throttleMs: 300 } },
    });
    const s = a;
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    // Instance B on the same store also looks at the queue (in this one process it can edit the same comments A can).
    const settings = readSettings({ repo: s.clone, "webhook-secret": SECRET, "github-token": double.token(BOT, "Bot"), "github-api-url": double.url, instance: "second" }, {}, "");
    const pipeline = await createPipelineWith()({ repo: s.clone, store: s.store, env: { ...process.env, GITCREW_HOME: s.home }, cwd: s.clone, log: () => undefined, settings });
    b = { pipeline, server: await startServer({ store: s.store, pipeline, webhookSecret: SECRET, apiToken: "t", host: "127.0.0.1", port: 0, concurrency: 1, instance: "second", leaseMs: 5000, pollMs: 100, queueComments: { everyMs: 50, throttleMs: 300 } }) };

    const runs: { id: string; issue: number }[] = [];
    for (let i = 1; i <= 4; i++) {
      const issue = double.addIssue(REPO, { title: `Task ${i}`, user: "alice" });
      const { payload } = double.addComment(REPO, issue.number, "alice", "@dev please");
      const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
      runs.push({ id: `${delivery.deliveryId}:dev`, issue: issue.number });
      await until(`run ${i} stored`, () => s.store.getRun(runs[i - 1]!.id), 3600);
    }
    const bodyOf = (issue: number) => double.comments(REPO, issue).find((c) => c.user === BOT && c.body.includes("gitcrew:origin agent=dev"))?.body ?? "";
    const last = runs[3]!;
    await until("the last run's place", async () => bodyOf(last.issue).includes("queued: 3rd in line"), 3600);
    const cancel = (id: string) => fetch(`${s.server.url}/api/runs/${encodeURIComponent(id)}/cancel`, { method: "POST", headers: { authorization: "Bearer t" } });
    // The waiting runs ahead of the last one leave the line one by one.
    for (const r of runs.slice(1, 3)) {
      expect((await cancel(r.id)).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 600));
    }
    await until("the last run first in line", async () => bodyOf(last.issue).includes("queued: 1st in line"), 3600);
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const id = double.comments(REPO, last.issue).find((c) => c.user === BOT)?.id;
    const queueEdits = double
      .calls("issues/update-comment")
      .filter((c) => Number(c.params.comment_id) === id && c.status === 200)
      .map((c) => /^> (queued: .*)$/m.exec(String((c.body as { body?: string }).body ?? ""))?.[1]);
    expect(queueEdits.length).toBeGreaterThanOrEqual(2);
    expect(queueEdits.filter((q, i) => i > 0 && q === queueEdits[i - 1])).toEqual([]);
    expect(queueEdits.at(-1)).toBe("queued: 1st in line, behind 1 run of `@dev` (1 at a time)");

    for (const r of [runs[0]!, last]) await cancel(r.id);
    await until("all ended", async () => (await s.store.queue({ now: Date.now() })).queued === 0 && (await s.store.listRuns({ status: "running" })).length === 0, 3600);
  }, 400_000);
});
