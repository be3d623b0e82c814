/**
 * A claimed run's container does not wait for GitHub (issue 21): the
 * tracking comment's "working" edit goes out while the container starts, and
 * still lands, before the answer. A "working" edit GitHub refuses past the
 * client's retries still fails the attempt as a machine failure, and the run
 * is tried again. On the code before, the container started only after the
 * edit was answered: the first test never saw it started while the edit was held.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { HOLDER_LABEL } from "../../src/runner/network-holders.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";

const REPO = "acme/widgets";
const exec = promisify(execFile);

/** Network holders (network-holders.ts) of one runner identity. */
async function holdersOf(owner: string): Promise<string[]> {
  const { stdout } = await exec("docker", ["ps", "-aq", "--filter", `label=${HOLDER_LABEL}`, "--filter", `label=gitcrew.owner=${owner}`]);
  return stdout.split("\n").filter(Boolean);
}
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

describe("a claimed run's start", () => {
  it("the container starts while GitHub still holds the 'working' edit; the edit lands, then the answer", async () => {
    const s = await startGitHubServer(shAgentFiles("dev", 'echo "started anyway"'));
    running.push(s);
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    double.setLatency((op) => (op === "issues/update-comment" ? held : undefined));
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev say it");
    const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect(delivery.status).toBe(202);
    const runId = `${delivery.deliveryId}:dev`;
    // The container starts (the executor records it) while the edit to "working" waits for GitHub.
    const started = await until("the run's container to start while the edit is held", async () => {
      const r = await s.store.getRun(runId);
      return r?.containerId ? r : undefined;
    }, 600);
    expect(started.containerId).toBeTruthy();
    const ours = double.comments(REPO, issue.number).filter((c) => c.user === BOT);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toContain("queued");
    release();
    const run = await until("the run to finish", async () => {
      const r = await s.store.getRun(runId);
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    }, 1200);
    expect(run.status).toBe("succeeded");
    const edits = double.calls("issues/update-comment").map((c) => JSON.stringify(c.body ?? ""));
    expect(edits.length).toBeGreaterThanOrEqual(2);
    expect(edits[0]).toContain("working on it");
    expect(edits.at(-1)).toContain("started anyway");
    const after = double.comments(REPO, issue.number).filter((c) => c.user === BOT);
    expect(after.map((c) => c.id)).toEqual([ours[0]?.id]);
    expect(after[0]?.body).toContain("started anyway");
  }, 300_000);

  it("serve makes the next run's network namespace ahead, and leaves none behind when it stops", async () => {
    const owner = `run-start-${process.pid}-${Date.now()}`;
    // On the run gateway's network (a `network: none` run gets no holder).
    const s = await startGitHubServer(shAgentFiles("dev", 'echo "holding"', "limits:\n  network:\n    allow: []\n"), { env: { GITCREW_RUNNER_ID: owner } });
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev say it");
    const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    const run = await until("the run to finish", async () => {
      const r = await s.store.getRun(`${delivery.deliveryId}:dev`);
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    }, 1200);
    expect(run.status).toBe("succeeded");
    const prepared = await until("a holder prepared for the next run of dev", async () => {
      const ids = await holdersOf(owner);
      return ids.length === 1 ? ids : undefined;
    }, 600);
    expect(prepared).toHaveLength(1);
    await s.stop();
    expect(await holdersOf(owner)).toEqual([]);
  }, 300_000);

  it("a 'working' edit GitHub keeps refusing fails the attempt as the machine's failure; the next attempt answers", async () => {
    const s = await startGitHubServer(shAgentFiles("dev", 'echo "second time lucky"'));
    running.push(s);
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    // As many 503s as the client tries (4): the first attempt's edit to "working" gives up.
    double.failNext("issues/update-comment", { kind: "server-error", status: 503 }, 4);
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev say it");
    const delivery = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect(delivery.status).toBe(202);
    const run = await until("the run to finish", async () => {
      const r = await s.store.getRun(`${delivery.deliveryId}:dev`);
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    }, 1500);
    expect(run.status).toBe("succeeded");
    expect(run.attempt).toBe(2);
    const answers = double.comments(REPO, issue.number).filter((c) => c.user === BOT && c.body.includes("second time lucky"));
    expect(answers).toHaveLength(1);
    // Nothing of the first attempt was pushed: no pull request, one branch push at most from the second.
    expect(double.pulls(REPO).length).toBeLessThanOrEqual(1);
  }, 300_000);
});
