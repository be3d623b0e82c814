/**
 * Through the whole pipeline (runEvent: prepare + executeJob) with a stub
 * runner (the container is not the point here): a run asks for approval and
 * ends awaiting_approval; the merge starts exactly one follow-up that resumes
 * the session the first run left in the thread.
 */
import { afterEach, describe, expect, it } from "vitest";
import { openApprovalRequests, reconcileApprovals } from "../../src/approvals/index.js";
import { runEvent } from "../../src/pipeline/index.js";
import type { RunRequest } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { pushCommit } from "../support/github-double/index.js";
import { askDev, CREW_FILES, makeWorld, resultWith, type World } from "./approvals-fixture.js";

let w: World | undefined;
afterEach(async () => {
  w?.env.double.assertNoViolations();
  await w?.close();
  w = undefined;
});

describe("approval round trip through runEvent", () => {
  it("asks, waits, is approved by a merge, and continues once in the same session", async () => {
    w = await makeWorld();
    w.s.env = { ANTHROPIC_API_KEY: "sk-test" };
    const seen: RunRequest[] = [];
    const script: Partial<RunResult>[] = [
      { answer: "I need ripgrep.", sessionId: "sess-first", approvals: [{ kind: "package", what: "ripgrep", reason: "search" }] },
      { answer: "Done with ripgrep.", sessionId: "sess-first", approvals: [] },
    ];
    w.s.runner = {
      async run(req) {
        seen.push(req);
        const now = new Date().toISOString();
        const next = script.shift() ?? { answer: "unexpected", approvals: [] };
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "", changedFiles: [], approvals: [], startedAt: now, finishedAt: now, ...next };
      },
    };
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Search", user: "bob" });
    const ask = w.env.double.addComment(w.env.fullName, issue.number, "bob", "@dev add code search");
    const first = await runEvent(w.s, { event: "issue_comment", payload: ask.payload, deliveryId: "a1" }, await w.crew());
    expect(first.reports.map((r) => r.error?.message)).toEqual([undefined]);
    expect(first.reports.map((r) => r.status)).toEqual(["awaiting_approval"]);
    const approval = first.reports[0]?.approvals[0];
    expect(approval).toBeDefined();
    const thread = () => w!.env.double.comments(w!.env.fullName, issue.number).map((c) => c.body);
    expect(thread().some((b) => b.includes(`#${approval?.number}`) && b.includes("gitcrew:session agent=dev id=sess-first"))).toBe(true);

    await w.env.double.octokit("alice").pulls.merge({ ...w.rid, pull_number: approval?.number ?? 0 });
    const merged = w.lastProduced("pull_request", "closed");
    const second = await runEvent(w.s, { event: "pull_request", payload: merged, deliveryId: "m1" }, await w.crew());
    expect(second.reports.map((r) => r.status)).toEqual(["succeeded"]);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.planned.prompt.startsWith(`Approved: @alice merged approval request #${approval?.number}`)).toBe(true);
    expect(JSON.stringify(seen[1]?.planned.container)).toContain("sess-first");
    expect(thread().some((b) => b.includes("Done with ripgrep."))).toBe(true);

    // GitHub redelivers the merge: nothing more runs.
    const again = await runEvent(w.s, { event: "pull_request", payload: merged, deliveryId: "m1" }, await w.crew());
    expect(again.reports).toHaveLength(0);
    expect(seen).toHaveLength(2);
  });

  it("an approving review by the person who asked for the work does not count; an approver's does", async () => {
    // bob and alice are both approvers; bob asks for the work, so only alice can approve it.
    w = await makeWorld({ files: { ...CREW_FILES, ".gitcrew/crew.cue": 'approvers: users: ["alice", "bob"]\n' } });
    w.s.env = { ANTHROPIC_API_KEY: "sk-test" };
    const prompts: string[] = [];
    w.s.runner = {
      async run(req) {
        prompts.push(req.planned.prompt);
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "Opened a PR.", changedFiles: [], approvals: [], startedAt: now, finishedAt: now };
      },
    };
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Bug", user: "bob" });
    const ask = w.env.double.addComment(w.env.fullName, issue.number, "bob", "@dev fix the login bug");
    const first = await runEvent(w.s, { event: "issue_comment", payload: ask.payload, deliveryId: "ask-1" }, await w.crew());
    expect(first.reports.map((r) => r.status)).toEqual(["succeeded"]);
    // The agent's work, on the branch named after the thread, closing the issue.
    await pushCommit(w.env.bareDir, `gitcrew/dev/${issue.number}`, { "src/fix.ts": "fixed\n" }, "fix", "main");
    const pr = await w.gh.openOrUpdatePullRequest(w.rid, { head: `gitcrew/dev/${issue.number}`, title: "Fix", body: "by @dev", closes: issue.number });
    const review = async (by: string) => {
      await w!.env.double.octokit(by).pulls.createReview({ ...w!.rid, pull_number: pr.number, event: "APPROVE", body: "ship it" });
      return runEvent(w!.s, { event: "pull_request_review", payload: w!.lastProduced("pull_request_review", "submitted"), deliveryId: `review-${by}` }, await w!.crew());
    };
    expect((await review("bob")).reports).toHaveLength(0);
    expect(prompts).toHaveLength(1);
    const byAlice = await review("alice");
    expect(byAlice.reports.map((r) => r.status)).toEqual(["succeeded"]);
    expect(prompts[1]?.startsWith(`Approved: @alice approved your pull request #${pr.number} in a review`)).toBe(true);
  });
});

describe("a follow-up claimed but never run (Action, no store)", () => {
  it("runs once the claim is older than the grace; its tracking comment then records it", async () => {
    w = await makeWorld();
    w.s.env = { ANTHROPIC_API_KEY: "sk-test" };
    const seen: RunRequest[] = [];
    w.s.runner = {
      async run(req) {
        seen.push(req);
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "Continued.", changedFiles: [], approvals: [], startedAt: now, finishedAt: now };
      },
    };
    const { job } = await askDev(w);
    const [pr] = await openApprovalRequests(w.s, job, resultWith(job, [{ kind: "package", what: "ripgrep", reason: "search" }]));
    await w.env.double.octokit("alice").pulls.merge({ ...w.rid, pull_number: pr?.number ?? 0 });
    const merged = w.lastProduced("pull_request", "closed");
    const crew = await w.crew();
    const event = (deliveryId: string) => runEvent(w!.s, { event: "pull_request", payload: merged, deliveryId }, crew);
    // The workflow claims the approval ("✅ approved" posted), then dies before the run starts.
    const claimed = await w.deliver("pull_request", merged, "m1");
    const runId = claimed.jobs[0]?.followUp?.runId ?? "";
    expect(runId).toMatch(/^approved-/);
    // Another workflow right away stands back: the first may still be starting it.
    expect((await event("m2")).reports).toHaveLength(0);
    // Once the claim is older than the grace, the follow-up owed runs, under the claim's run id.
    w.s.env = { ...w.s.env, GITCREW_FOLLOW_UP_GRACE_SECONDS: "0" };
    expect((await event("m3")).reports.map((r) => r.status)).toEqual(["succeeded"]);
    expect(seen.map((r) => r.runId)).toEqual([runId]);
    expect(seen[0]?.planned.prompt.startsWith(`Approved: @alice merged approval request #${pr?.number}`)).toBe(true);
    expect(w.env.double.pulls(w.env.fullName).find((p) => p.number === pr?.number)?.labels).toContain("gitcrew:resolved");
    // Its tracking comment in the thread records it: neither a redelivery nor reconcile runs it again.
    expect((await event("m4")).reports).toHaveLength(0);
    expect(await reconcileApprovals(w.s, crew, w.rid)).toHaveLength(0);
    expect(seen).toHaveLength(1);
    expect(w.env.double.comments(w.env.fullName, job.trigger.thread?.number ?? 0).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
  });

  /** A runner that records what it ran and answers "<agent> went ahead." */
  function recordingRunner(world: World): RunRequest[] {
    const seen: RunRequest[] = [];
    world.s.env = { ANTHROPIC_API_KEY: "sk-test" };
    world.s.runner = {
      async run(req) {
        seen.push(req);
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: `${req.agent.name} went ahead.`, changedFiles: [], approvals: [], startedAt: now, finishedAt: now };
      },
    };
    return seen;
  }

  /**
   * A workflow claims the approval and dies before the run (prepare only); the same event right away starts
   * nothing (the claim is younger than the grace); after the grace it runs once, under the claim's run id;
   * the same event once more starts nothing and posts nothing.
   */
  async function diedThenRerun(world: World, seen: RunRequest[], thread: number, event: string, payload: unknown, claimText: string): Promise<RunRequest> {
    const crew = await world.crew();
    const workflow = (id: string) => runEvent(world.s, { event, payload, deliveryId: id }, crew);
    const claimed = await world.deliver(event, payload, "w1");
    const runId = claimed.jobs[0]?.followUp?.runId ?? "";
    expect(runId).toMatch(/^approved-[0-9a-f]{20}$/);
    expect((await workflow("w2")).reports).toHaveLength(0);
    world.s.env = { ...world.s.env, GITCREW_FOLLOW_UP_GRACE_SECONDS: "0" };
    expect((await workflow("w3")).reports.map((r) => r.status)).toEqual(["succeeded"]);
    expect(seen.map((r) => r.runId)).toEqual([runId]);
    const comments = () => world.env.double.comments(world.env.fullName, thread).map((c) => c.body);
    expect(comments().some((b) => b.includes(`${seen[0]?.agent.name} went ahead.`))).toBe(true);
    const before = comments().length;
    expect((await workflow("w4")).reports).toHaveLength(0);
    expect(seen).toHaveLength(1);
    expect(comments()).toHaveLength(before);
    expect(comments().filter((b) => b.includes(claimText))).toHaveLength(1);
    return seen[0] as RunRequest;
  }

  it("/approve of a refused run: a workflow that died after the claim is made good by running the event again, once", async () => {
    w = await makeWorld();
    const seen = recordingRunner(w);
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Deploy", user: "dave" });
    const ask = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@ops please restart staging");
    expect((await runEvent(w.s, { event: "issue_comment", payload: ask.payload, deliveryId: "ask-1" }, await w.crew())).reports).toHaveLength(0);
    const approve = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    const run = await diedThenRerun(w, seen, issue.number, "issue_comment", approve.payload, "▶️ @alice approved running @ops once for @dave's request");
    expect(run.agent.name).toBe("ops");
    expect(run.planned.prompt).toContain("please restart staging");
    expect(w.env.double.comments(w.env.fullName, issue.number).some((c) => c.body.includes("nothing in this thread is waiting"))).toBe(false);
  });

  it("an approving review of an agent's gated pull request: a workflow that died after the claim is made good by running the event again, once", async () => {
    w = await makeWorld();
    const seen = recordingRunner(w);
    await pushCommit(w.env.bareDir, "gitcrew/dev/7", { "src/fix.ts": "fixed\n" }, "fix", "main");
    const pr = await w.gh.openOrUpdatePullRequest(w.rid, { head: "gitcrew/dev/7", title: "Fix", body: "by @dev" });
    await w.env.double.octokit("alice").pulls.createReview({ ...w.rid, pull_number: pr.number, event: "APPROVE", body: "ship it" });
    const run = await diedThenRerun(w, seen, pr.number, "pull_request_review", w.lastProduced("pull_request_review", "submitted"), "✅ @alice approved this at");
    expect(run.agent.name).toBe("dev");
    expect(run.planned.prompt.startsWith(`Approved: @alice approved your pull request #${pr.number} in a review`)).toBe(true);
  });
});
