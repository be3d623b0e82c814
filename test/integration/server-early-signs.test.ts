/**
 * 👀 and the tracking comment come when the run is queued, not when it is
 * claimed: an instance that may run nothing (concurrency 0) still reacts and
 * posts the tracking comment ("queued"); a second instance on the same store
 * then claims the run and takes that comment over (edits it, posts no other).
 * One 👀 and one tracking comment per trigger, also with a redelivery. On the
 * old pipeline nothing showed in the thread before a worker claimed the run.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPipelineWith } from "../../src/server/default-pipeline.js";
import { readSettings } from "../../src/server/settings.js";
import { Worker } from "../../src/server/worker.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";

const REPO = "acme/widgets";
const BOT = "gitcrew-bot[bot]";
let running: GitHubServer[] = [];

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  for (const s of running) {
    s.gh.double.assertNoViolations();
    await s.stop();
  }
  running = [];
});

describe.each(BACKENDS)("early signs of life on $name", (backend) => {
  it("👀 and a 'queued' tracking comment before any worker claims the run; the instance that runs it edits that comment", async () => {
    const a = await startGitHubServer(shAgentFiles("dev", 'echo "early bird"'), { store: await backend.fresh("early"), server: { concurrency: 0 } });
    running.push(a);
    const { double } = a.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload, comment } = double.addComment(REPO, issue.number, "alice", "@dev say it");
    const delivery = await double.deliver(a.webhookUrl, "issue_comment", payload, SECRET);
    expect(delivery.status).toBe(202);
    expect((await double.deliver(a.webhookUrl, "issue_comment", payload, SECRET, delivery.deliveryId)).status).toBe(202);

    const runId = `${delivery.deliveryId}:dev`;
    const tracking = await until("the queued tracking comment", async () => double.comments(REPO, issue.number).find((c) => c.user === BOT && c.body.includes("gitcrew:origin agent=dev")));
    expect(tracking.body).toContain("queued");
    expect(double.reactions(REPO, { kind: "comment", id: comment.id }).map((r) => `${r.user}:${r.content}`)).toEqual([`${BOT}:eyes`]);
    // Nobody may claim it here: the signs came from planning alone.
    expect((await until("the run in the queue", () => a.store.getRun(runId))).status).toBe("queued");

    // A second instance on the same store and clone runs it.
    const settings = readSettings({ repo: a.clone, "webhook-secret": SECRET, "github-token": double.token(BOT, "Bot"), "github-api-url": double.url, instance: "second" }, {}, "");
    const b = await createPipelineWith()({ repo: a.clone, store: a.store, env: { ...process.env, GITCREW_HOME: a.home }, cwd: a.clone, log: () => undefined, settings });
    const worker = new Worker(a.store, b.handler, b.executor, { owner: "second", concurrency: 1, leaseMs: 5000, pollMs: 100, retryBaseMs: 200 });
    worker.start();
    try {
      const run = await until("the run to finish", async () => {
        const r = await a.store.getRun(runId);
        return r && !["queued", "running"].includes(r.status) ? r : undefined;
      }, 1200);
      expect(run.error).toBeUndefined();
      expect(run.status).toBe("succeeded");
    } finally {
      await worker.stop(1000);
      await b.close?.();
    }
    const ours = double.comments(REPO, issue.number).filter((c) => c.user === BOT);
    expect(ours.map((c) => c.id)).toEqual([tracking.id]);
    expect(ours[0]?.body).toContain("early bird");
    expect(ours[0]?.body).not.toContain("queued");
    expect(double.reactions(REPO, { kind: "comment", id: comment.id }).map((r) => `${r.user}:${r.content}`)).toEqual([`${BOT}:eyes`]);
  });

  it("a tracking comment GitHub refused when the run was queued is posted when the run starts, as before", async () => {
    const s = await startGitHubServer(shAgentFiles("dev", 'echo "late but there"'), { store: await backend.fresh("early-fail") });
    running.push(s);
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev say it");
    // As many 503s as the client tries (4): the early post gives up; the run's own post gets through.
    double.failNext("issues/create-comment", { kind: "server-error", status: 503 }, 4);
    const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect(delivery.status).toBe(202);
    const run = await until("the run to finish", async () => {
      const r = await s.store.getRun(`${delivery.deliveryId}:dev`);
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    }, 1200);
    expect(run.status).toBe("succeeded");
    expect(s.logs.join("\n")).toContain("tracking comment not posted when queued");
    const ours = double.comments(REPO, issue.number).filter((c) => c.user === BOT);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain("late but there");
  });
});
