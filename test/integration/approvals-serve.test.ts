/**
 * `gitcrew serve` (real server, real store, real pipeline; a stub runner in
 * place of containers): signed merge webhooks for one approval, delivered
 * again with the same and with a new delivery id, start one follow-up run; a
 * follow-up whose queueing failed after its claim, and an approval merged
 * while the server was down, are followed up once by reconcile. `/approve`
 * and approving reviews (no reconcile finds them): a queue step that fails
 * after the claim is recovered by planning the delivery again, once, on
 * SQLite and PostgreSQL.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunRequest } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import type { RunInput } from "../../src/store/types.js";
import { pushCommit } from "../support/github-double/index.js";
import type { JsonObject } from "../support/github-double/spec.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";

const REPO = "acme/widgets";
let running: GitHubServer | undefined;
afterEach(async () => {
  running?.gh.double.assertNoViolations();
  await running?.stop();
  running = undefined;
});

describe("approvals through gitcrew serve", () => {
  it("a merge delivered three times (twice the same id, once a new id) starts one follow-up", async () => {
    const seen: RunRequest[] = [];
    const answers: Partial<RunResult>[] = [
      { answer: "Need jq.", approvals: [{ kind: "package", what: "jq", reason: "parse json" }] },
      { answer: "Used jq.", approvals: [] },
    ];
    const runner = {
      async run(req: RunRequest): Promise<RunResult> {
        seen.push(req);
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "", changedFiles: [], approvals: [], startedAt: now, finishedAt: now, ...(answers.shift() ?? {}) };
      },
    };
    const s = await startGitHubServer(
      { ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n', ...shAgentFiles("dev", "true") },
      { pipeline: { runner: async () => runner, engineUp: async () => true } },
    );
    running = s;
    const { double } = s.gh;
    double.setPermission(REPO, "bob", "write");
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "JSON", user: "bob" });
    const { payload } = double.addComment(REPO, issue.number, "bob", "@dev parse the json");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const pr = await until("the approval PR", async () => double.pulls(REPO).find((p) => p.pull?.head.startsWith("gitcrew/approval/") && p.labels.includes("gitcrew:approval")));
    await until("the first run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    });

    await double.octokit("alice").pulls.merge({ owner: "acme", repo: "widgets", pull_number: pr.number });
    const merged = structuredClone([...double.produced].reverse().find((p) => p.event === "pull_request" && p.payload.action === "closed")?.payload ?? {});
    const first = await double.deliver(s.webhookUrl, "pull_request", merged, SECRET);
    expect(first.status).toBe(202);
    expect((await double.deliver(s.webhookUrl, "pull_request", merged, SECRET, first.deliveryId)).status).toBe(202);
    expect((await double.deliver(s.webhookUrl, "pull_request", merged, SECRET)).status).toBe(202);

    await until("the follow-up to finish", async () => (seen.length >= 2 && double.comments(REPO, issue.number).some((c) => c.body.includes("Used jq.")) ? true : undefined));
    // Give the other deliveries every chance to (wrongly) start a second one.
    await until("all deliveries handled", async () => {
      const runs = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return runs.every((r) => !["queued", "running"].includes(r.status)) ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen).toHaveLength(2);
    expect(seen[1]?.planned.prompt.startsWith(`Approved: @alice merged approval request #${pr.number}`)).toBe(true);
    expect(double.comments(REPO, issue.number).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
  });

  /** A server whose dev asks for jq once, then answers "Used jq."; the approval PR it opened. */
  async function askedForJq(o: { store?: string } = {}) {
    const seen: RunRequest[] = [];
    const answers: Partial<RunResult>[] = [
      { answer: "Need jq.", approvals: [{ kind: "package", what: "jq", reason: "parse json" }] },
      { answer: "Used jq.", approvals: [] },
    ];
    const runner = {
      async run(req: RunRequest): Promise<RunResult> {
        seen.push(req);
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "", changedFiles: [], approvals: [], startedAt: now, finishedAt: now, ...(answers.shift() ?? {}) };
      },
    };
    const pipeline = { runner: async () => runner, engineUp: async () => true };
    const s = await startGitHubServer({ ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n', ...shAgentFiles("dev", "true") }, { pipeline, crewRefresh: 5, ...o });
    running = s;
    const { double } = s.gh;
    double.setPermission(REPO, "bob", "write");
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "JSON", user: "bob" });
    const { payload } = double.addComment(REPO, issue.number, "bob", "@dev parse the json");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const pr = await until("the approval PR", async () => double.pulls(REPO).find((p) => p.pull?.head.startsWith("gitcrew/approval/") && p.labels.includes("gitcrew:approval")));
    await until("the first run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    });
    return { s, seen, issue: issue.number, pr: pr.number, pipeline };
  }

  /** Until the follow-up has answered, then long enough for more periodic reconciles (every 5 s here) to (wrongly) add one. */
  async function settled(s: GitHubServer, issue: number, seen: RunRequest[]): Promise<void> {
    await until("the follow-up to finish", async () => (seen.length >= 2 && s.gh.double.comments(REPO, issue).some((c) => c.body.includes("Used jq.")) ? true : undefined));
    await new Promise((r) => setTimeout(r, 7000));
    await until("all runs finished", async () => ((await s.store.listRuns({ threadKey: `${REPO}#${issue}` })).every((r) => !["queued", "running"].includes(r.status)) ? true : undefined));
  }

  it("a follow-up whose queueing failed after the approval was claimed, on every try of its delivery, is queued by the periodic reconcile, once", async () => {
    const { s, seen, issue, pr } = await askedForJq();
    const { double } = s.gh;
    // The store fails every insert of the follow-up from the merge's delivery: the "✅ approved" comment is posted, no run is queued.
    const enqueue = s.store.enqueue.bind(s.store);
    let failures = 0;
    s.store.enqueue = async (id: string, deliveryId: string, run: RunInput, now: number) => {
      if (id.startsWith("approved-") && !deliveryId.startsWith("reconcile-")) {
        failures++;
        throw new Error("disk I/O error");
      }
      return enqueue(id, deliveryId, run, now);
    };
    await double.octokit("alice").pulls.merge({ owner: "acme", repo: "widgets", pull_number: pr });
    const merged = structuredClone([...double.produced].reverse().find((p) => p.event === "pull_request" && p.payload.action === "closed")?.payload ?? {});
    const delivery = await double.deliver(s.webhookUrl, "pull_request", merged, SECRET);
    expect(delivery.status).toBe(202);
    // Planned again (a failed insert is the machine's failure), failing each time; the periodic reconcile queues it.
    await until("a retry", async () => s.logs.some((l) => l.startsWith(`delivery ${delivery.deliveryId}: planning failed, will retry: approval follow-up approved-`)));
    expect(double.comments(REPO, issue).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);

    await settled(s, issue, seen);
    // The delivery's last try (given up, or planned once the run had started) adds nothing.
    await until("the delivery to be done", async () => (["failed", "planned"].includes((await s.store.getDelivery(delivery.deliveryId))?.state ?? "") ? true : undefined));
    await new Promise((r) => setTimeout(r, 500));
    expect(failures).toBeGreaterThanOrEqual(1);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.runId).toMatch(/^approved-[0-9a-f]{20}$/);
    expect(seen[1]?.planned.prompt.startsWith(`Approved: @alice merged approval request #${pr}`)).toBe(true);
    expect(s.logs.some((l) => l.startsWith(`approvals: follow-up ${seen[1]?.runId} queued (reconcile, `))).toBe(true);
    expect(double.comments(REPO, issue).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
    expect(double.pulls(REPO).find((p) => p.number === pr)?.labels).toContain("gitcrew:resolved");
  });

  it("an approval merged while gitcrew serve was down (no webhook ever delivered) is followed up once after the restart", async () => {
    const { s, seen, issue, pr, pipeline } = await askedForJq();
    const { double } = s.gh;
    await s.halt();
    await double.octokit("alice").pulls.merge({ owner: "acme", repo: "widgets", pull_number: pr });
    // Back up on the same clone and store; the merge's webhook is never delivered.
    const back = await startGitHubServer({}, { again: s, pipeline, crewRefresh: 5 });
    running = back;
    await settled(back, issue, seen);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.planned.prompt.startsWith(`Approved: @alice merged approval request #${pr}`)).toBe(true);
    expect(back.logs.some((l) => l.startsWith(`approvals: follow-up ${seen[1]?.runId} queued (reconcile, start)`))).toBe(true);
    expect(double.comments(REPO, issue).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
  });
});

describe.each(BACKENDS)("/approve and approving reviews through gitcrew serve on $name", (backend) => {
  /**
   * A server with ops (needs write) and dev (`gated: [merge]`) whose runs answer "<agent> done."; the store
   * fails the first insert of an approval's follow-up, after the approval was claimed in the thread.
   */
  async function serverFailingOnce(label: string) {
    const seen: RunRequest[] = [];
    const runner = {
      async run(req: RunRequest): Promise<RunResult> {
        seen.push(req);
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: `${req.agent.name} done.`, changedFiles: [], approvals: [], startedAt: now, finishedAt: now };
      },
    };
    const files = { ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n', ...shAgentFiles("ops", "true"), ...shAgentFiles("dev", "true", "gated: [merge]\n") };
    const s = await startGitHubServer(files, { pipeline: { runner: async () => runner, engineUp: async () => true }, store: await backend.fresh(label) });
    running = s;
    const enqueue = s.store.enqueue.bind(s.store);
    let failures = 0;
    s.store.enqueue = async (id: string, deliveryId: string, run: RunInput, now: number) => {
      if (id.startsWith("approved-") && failures === 0) {
        failures++;
        throw new Error("disk I/O error");
      }
      return enqueue(id, deliveryId, run, now);
    };
    s.gh.double.setPermission(REPO, "alice", "write");
    s.gh.double.setPermission(REPO, "bob", "write");
    s.gh.double.setPermission(REPO, "dave", "read");
    return { s, seen, failures: () => failures };
  }

  /**
   * The approving webhook delivered: its follow-up claimed, the insert failing once, the delivery planned again
   * by the server queues it; the same webhook again (GitHub's redelivery keeps the delivery id) and once more
   * under a new id (a duplicate at intake) start nothing more.
   */
  async function approvedOnce(s: GitHubServer, seen: RunRequest[], thread: number, event: string, payload: JsonObject, claimText: string) {
    const { double } = s.gh;
    const first = await double.deliver(s.webhookUrl, event, payload, SECRET);
    expect(first.status).toBe(202);
    await until("the follow-up to answer", async () => (seen.length >= 1 && double.comments(REPO, thread).some((c) => c.body.includes(`${seen[0]?.agent.name} done.`)) ? true : undefined));
    expect(s.logs.some((l) => l.startsWith(`delivery ${first.deliveryId}: planning failed, will retry: approval follow-up ${seen[0]?.runId} is claimed but could not be queued: disk I/O error`))).toBe(true);
    expect((await s.store.getDelivery(first.deliveryId))?.state).toBe("planned");

    const same = await double.deliver(s.webhookUrl, event, payload, SECRET, first.deliveryId);
    expect(same.status).toBe(202);
    // The same body under a new id is a duplicate at intake (the store keys deliveries on the body too): never stored.
    const fresh = await double.deliver(s.webhookUrl, event, payload, SECRET);
    expect(JSON.parse(fresh.responseBody)).toMatchObject({ duplicate: true });
    expect(await s.store.getDelivery(fresh.deliveryId)).toBeUndefined();
    await until("all runs finished", async () => ((await s.store.listRuns({ threadKey: `${REPO}#${thread}` })).every((r) => !["queued", "running"].includes(r.status)) ? true : undefined));
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.runId).toMatch(/^approved-[0-9a-f]{20}$/);
    expect((await s.store.listRuns({ threadKey: `${REPO}#${thread}` })).map((r) => r.id)).toEqual([seen[0]?.runId]);
    expect(double.comments(REPO, thread).filter((c) => c.body.includes(claimText))).toHaveLength(1);
    return seen[0] as RunRequest;
  }

  it("/approve of a run refused for permission: a failed queue step after the claim is recovered once", async () => {
    const { s, seen, failures } = await serverFailingOnce("serve-approve");
    const { double } = s.gh;
    const issue = double.addIssue(REPO, { title: "Deploy", user: "dave" });
    const ask = double.addComment(REPO, issue.number, "dave", "@ops please restart staging");
    await double.deliver(s.webhookUrl, "issue_comment", ask.payload, SECRET);
    await until("the refusal", async () => double.comments(REPO, issue.number).some((c) => c.body.includes("did not start")));
    const approve = double.addComment(REPO, issue.number, "alice", "/approve");
    const run = await approvedOnce(s, seen, issue.number, "issue_comment", approve.payload, "▶️ @alice approved running @ops once for @dave's request");
    expect(failures()).toBe(1);
    expect(run.agent.name).toBe("ops");
    expect(run.planned.prompt).toContain("please restart staging");
    expect(double.comments(REPO, issue.number).some((c) => c.body.includes("nothing in this thread is waiting"))).toBe(false);
  });

  it("an approving review of an agent's gated pull request: a failed queue step after the claim is recovered once", async () => {
    const { s, seen, failures } = await serverFailingOnce("serve-review");
    const { double } = s.gh;
    await pushCommit(s.gh.bareDir, "gitcrew/dev/7", { "src/fix.ts": "fixed\n" }, "fix", "main");
    const { data: pr } = await double.octokit("bob").pulls.create({ owner: "acme", repo: "widgets", head: "gitcrew/dev/7", base: "main", title: "Fix", body: "by @dev" });
    await double.octokit("alice").pulls.createReview({ owner: "acme", repo: "widgets", pull_number: pr.number, event: "APPROVE", body: "ship it" });
    const review = structuredClone([...double.produced].reverse().find((p) => p.event === "pull_request_review")?.payload ?? {});
    const run = await approvedOnce(s, seen, pr.number, "pull_request_review", review, "✅ @alice approved this at");
    expect(failures()).toBe(1);
    expect(run.agent.name).toBe("dev");
    expect(run.planned.prompt.startsWith(`Approved: @alice approved your pull request #${pr.number} in a review`)).toBe(true);
  });
});
