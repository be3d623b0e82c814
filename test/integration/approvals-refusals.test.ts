/**
 * Refused runs (permission, fork PRs) and approving reviews, against the
 * GitHub double: the polite reply, `/approve` running it once, the fork's
 * head sha pinned, and reviews delivered to agents whose steps are gated.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../src/github/index.js";
import { executeJob } from "../../src/pipeline/execute.js";
import type { Prepared, RunJob, RunReport } from "../../src/pipeline/types.js";
import { createWorkspace, removeWorkspace } from "../../src/runner/workspace.js";
import type { RunInput } from "../../src/store/types.js";
import { pushCommit } from "../support/github-double/index.js";
import { BACKENDS } from "../support/stores.js";
import { git, makeWorld, type World } from "./approvals-fixture.js";

let w: World | undefined;
afterEach(async () => {
  w?.env.double.assertNoViolations();
  await w?.close();
  w = undefined;
});

/** The double has no forks: present these PRs as coming from mallory/widgets, as GitHub would. */
const FORK = "mallory/widgets";
function asFork(pull: unknown): unknown {
  const p = structuredClone(pull) as { head: { repo: Record<string, unknown> } };
  p.head.repo = { ...p.head.repo, full_name: FORK, name: "widgets", owner: { ...(p.head.repo.owner as object), login: "mallory" } };
  return p;
}
function forkClient(forks: Set<number>) {
  return (gh: GitHubClient): GitHubClient => ({
    ...gh,
    async getPullRequest(repo, n) {
      const pr = await gh.getPullRequest(repo, n);
      return forks.has(n) ? asFork(pr) : pr;
    },
  });
}

const comments = (world: World, n: number) => world.env.double.comments(world.env.fullName, n).map((c) => c.body);

/** A push to a PR's head moves `refs/pull/N/head` on GitHub at once. */
async function sync(world: World, pull: number, sha: string): Promise<void> {
  git(world.env.bareDir, "update-ref", `refs/pull/${pull}/head`, sha);
}

/** executeJob with a runner that checks out the run's workspace as the real one does, and records its commit. */
async function execute(world: World, job: RunJob): Promise<{ report: RunReport; checkedOut: string[] }> {
  const checkedOut: string[] = [];
  world.s.env = { ANTHROPIC_API_KEY: "sk-test" };
  world.s.runner = {
    async run(req) {
      // The start ref once origin answered (the executor asks it while the runner starts), as the real runner waits for it.
      const ref = req.startRef ? await req.startRef : req.planned.ref;
      const ws = await createWorkspace({ repoDir: req.repoDir, ref, branch: req.planned.branch, injectedFiles: {}, mountPoints: [] });
      try {
        checkedOut.push(git(ws.dir, "rev-parse", "HEAD"));
      } finally {
        await removeWorkspace(ws);
      }
      const now = new Date().toISOString();
      return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "ok at the approved head", changedFiles: [], approvals: [], startedAt: now, finishedAt: now };
    },
  };
  return { report: await executeJob(world.s, job), checkedOut };
}

/** mallory's pull request, presented as from her fork once its number is in the client's fork set. */
async function forkPr(world: World) {
  const head1 = await pushCommit(world.env.bareDir, "feature", { "src/a.ts": "export const a = 1;\n" }, "feature", "main");
  const { data } = await world.env.double.octokit("mallory").pulls.create({ ...world.rid, head: "feature", base: "main", title: "Feature", body: "A feature" });
  return { number: data.number, head1 };
}

/** dev's pull request (gated: [merge]) for an issue bob opened, where dev's session lives. */
async function agentPr(world: World) {
  // The conversation happened on an issue; the agent's PR closes it.
  const issue = world.env.double.addIssue(world.env.fullName, { title: "Bug", user: "bob" });
  await world.gh.createComment(world.rid, issue.number, "Opened a PR.\n<!-- gitcrew:origin agent=dev run=r1 depth=0 -->\n<!-- gitcrew:session agent=dev id=sess-issue -->");
  await pushCommit(world.env.bareDir, "gitcrew/dev/7", { "src/fix.ts": "fixed\n" }, "fix", "main");
  return world.gh.openOrUpdatePullRequest(world.rid, { head: "gitcrew/dev/7", title: "Fix", body: "by @dev", closes: issue.number });
}

/** A review submitted on the double, and its webhook prepared. */
async function review(world: World, number: number, by: string, event: "APPROVE" | "COMMENT" = "APPROVE") {
  await world.env.double.octokit(by).pulls.createReview({ ...world.rid, pull_number: number, event, body: "ship it" });
  return world.deliver("pull_request_review", world.lastProduced("pull_request_review", "submitted"));
}

describe("a run refused for permission", () => {
  it("gets one polite reply naming who can approve; /approve by an approver runs it once", async () => {
    w = await makeWorld({ store: true });
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Deploy", user: "dave" });
    // dave has read permission; ops needs write.
    const ask = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@ops please restart staging");
    const refused = await w.deliver("issue_comment", ask.payload, "ask-1");
    expect(refused.jobs).toHaveLength(0);
    expect((await w.deliver("issue_comment", ask.payload, "ask-1-again")).jobs).toHaveLength(0);
    const replies = comments(w, issue.number).filter((b) => b.includes("did not start"));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain("@dave thanks!");
    expect(replies[0]).toContain("@alice can approve it by commenting `/approve`");
    expect(replies[0]).toMatch(new RegExp(`<!-- gitcrew:refused key=issue-${ask.comment.id} agent=ops sha=- actor=dave event=issue_comment.created code=unauthorized text=[0-9a-f]{16} -->`));

    // bob (write, not an approver) cannot approve; dave cannot approve himself.
    for (const who of ["bob", "dave"]) {
      const { payload } = w.env.double.addComment(w.env.fullName, issue.number, who, "/approve");
      expect((await w.deliver("issue_comment", payload)).jobs).toHaveLength(0);
    }
    expect(comments(w, issue.number).filter((b) => b.includes("`/approve` was not applied"))).toHaveLength(2);

    const approve = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    const run = await w.deliver("issue_comment", approve.payload);
    expect(run.jobs).toHaveLength(1);
    expect(run.jobs[0]?.agent.name).toBe("ops");
    expect(run.jobs[0]?.trigger.actor.login).toBe("dave");
    expect(run.jobs[0]?.planned.prompt).toContain("please restart staging");
    expect(run.jobs[0]?.note).toBe("approved by @alice");
    const runId = run.jobs[0]?.followUp?.runId;
    expect(runId).toMatch(/^approved-[0-9a-f]{20}$/);
    expect((await w.queue(run.jobs)).queued.map((r) => r.id)).toEqual([runId]);
    // Redelivered /approve, and a second /approve: the same run, queued already; nothing more runs.
    const again = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    for (const payload of [approve.payload, again.payload]) {
      const d = await w.deliver("issue_comment", payload);
      expect(d.jobs.map((j) => j.followUp?.runId)).toEqual([runId]);
      expect((await w.queue(d.jobs)).queued).toHaveLength(0);
    }
    expect((await w.store!.listRuns()).map((r) => r.id)).toEqual([runId]);
    expect(comments(w, issue.number).filter((b) => b.includes("▶️ @alice approved running @ops once"))).toHaveLength(1);
    // Once the run has started (its tracking comment names its run id), another /approve finds nothing waiting.
    await w.gh.createComment(w.rid, issue.number, `Working on it.\n<!-- gitcrew:origin agent=ops run=${runId} depth=0 by=dave -->`);
    const third = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    expect((await w.deliver("issue_comment", third.payload)).jobs).toHaveLength(0);
    expect(comments(w, issue.number).some((b) => b.includes("nothing in this thread is waiting for an approval"))).toBe(true);
  });
});

describe("a fork pull request", () => {
  it("is refused; /approve runs it pinned to the head sha, and a new push needs a new approval", async () => {
    const forks = new Set<number>();
    w = await makeWorld({ client: forkClient(forks) });
    const { number, head1 } = await forkPr(w);
    forks.add(number);
    const ask = w.env.double.addComment(w.env.fullName, number, "mallory", "@dev please review");
    expect((await w.deliver("issue_comment", ask.payload)).jobs).toHaveLength(0);
    const reply = comments(w, number).find((b) => b.includes("did not start")) ?? "";
    expect(reply).toContain(`head \`${head1.slice(0, 7)}\` only`);
    expect(reply).toContain(`sha=${head1}`);

    // mallory pushes again before anyone looked: alice's /approve was for head1.
    const head2 = await pushCommit(w.env.bareDir, "feature", { "src/a.ts": "export const a = 2; // sneaky\n" }, "more");
    const approve = w.env.double.addComment(w.env.fullName, number, "alice", "/approve");
    expect((await w.deliver("issue_comment", approve.payload)).jobs).toHaveLength(0);
    // Redelivered, the same /approve says it once.
    expect((await w.deliver("issue_comment", approve.payload)).jobs).toHaveLength(0);
    expect(comments(w, number).filter((b) => b.includes("has moved to"))).toHaveLength(1);
    const moved = comments(w, number).find((b) => b.includes("has moved to")) ?? "";
    expect(moved).toContain(`\`${head1.slice(0, 7)}\``);
    expect(moved).toContain(`\`${head2.slice(0, 7)}\``);

    // A new approval, now for head2.
    const approve2 = w.env.double.addComment(w.env.fullName, number, "alice", "/approve");
    const run = await w.deliver("issue_comment", approve2.payload);
    expect(run.jobs).toHaveLength(1);
    expect(run.jobs[0]?.trigger.thread?.pr?.headSha).toBe(head2);
    expect(run.jobs[0]?.trigger.actor.login).toBe("mallory");
    expect(run.jobs[0]?.note).toContain(head2.slice(0, 7));
    expect(run.jobs[0]?.planned.untrusted).toEqual([]);
    // The approved run works on exactly the approved commit of the fork, on a branch of its own.
    const job = run.jobs[0]!;
    expect(job.planned.ref).toBe(head2);
    expect(job.planned.pinnedHead).toEqual({ pull: number, sha: head2 });
    expect(job.planned.branch).toBe(`gitcrew/dev/${number}-${head2.slice(0, 7)}`);
    const done = await execute(w, job);
    expect(done.report.error?.message).toBeUndefined();
    expect(done.checkedOut).toEqual([head2]);
    expect(comments(w, number).some((b) => b.includes("ok at the approved head"))).toBe(true);

    // mallory pushes after the approval, before the run starts: the run refuses, nothing is checked out.
    const head3 = await pushCommit(w.env.bareDir, "feature", { "src/a.ts": "export const a = 3; // sneakier\n" }, "even more");
    await sync(w, number, head3);
    const late = await execute(w, job);
    expect(late.checkedOut).toEqual([]);
    expect(late.report.status).toBe("failed");
    expect(late.report.error?.message).toContain(`moved from the approved head ${head2.slice(0, 7)} to ${head3.slice(0, 7)}: a new push needs a new approval`);
  });

  it("an approving review by an approver runs it at the reviewed commit only", async () => {
    const forks = new Set<number>();
    w = await makeWorld({ client: forkClient(forks) });
    const { number, head1 } = await forkPr(w);
    forks.add(number);
    const ask = w.env.double.addComment(w.env.fullName, number, "mallory", "@dev please review");
    await w.deliver("issue_comment", ask.payload);
    const review = async (by: string, commit: string) => {
      await w!.env.double.octokit(by).pulls.createReview({ ...w!.rid, pull_number: number, event: "APPROVE", commit_id: commit, body: "lgtm" });
      const p = w!.lastProduced("pull_request_review", "submitted") as { pull_request: unknown };
      p.pull_request = asFork(p.pull_request);
      return w!.deliver("pull_request_review", p);
    };
    // bob is not an approver: nothing.
    expect((await review("bob", head1)).jobs).toHaveLength(0);
    const ok = await review("alice", head1);
    expect(ok.jobs).toHaveLength(1);
    expect(ok.jobs[0]?.trigger.thread?.pr?.headSha).toBe(head1);
    expect(ok.jobs[0]?.planned.ref).toBe(head1);
    expect(comments(w, number).some((b) => b.includes("approved (approving review) running @dev once"))).toBe(true);
    // After a push, an approving review of the old commit does not run the new code.
    const head2 = await pushCommit(w.env.bareDir, "feature", { "src/b.ts": "x\n" }, "more");
    const ask2 = w.env.double.addComment(w.env.fullName, number, "mallory", "@dev again please");
    await w.deliver("issue_comment", ask2.payload);
    expect((await review("alice", head1)).jobs).toHaveLength(0);
    const fresh = await review("alice", head2);
    expect(fresh.jobs).toHaveLength(1);
    expect(fresh.jobs[0]?.trigger.thread?.pr?.headSha).toBe(head2);
    expect(fresh.jobs[0]?.planned.ref).toBe(head2);
    expect((await execute(w, fresh.jobs[0]!)).checkedOut).toEqual([head2]);
  });
});

describe("an approving review of an agent's own pull request", () => {
  it("is delivered to the agent when its definition gates a step on approval, once", async () => {
    w = await makeWorld({ store: true });
    const pr = await agentPr(w);
    const r = await review(w, pr.number, "alice");
    expect(r.jobs).toHaveLength(1);
    const prompt = r.jobs[0]?.planned.prompt ?? "";
    expect(prompt.startsWith(`Approved: @alice approved your pull request #${pr.number} in a review`)).toBe(true);
    expect(prompt).toContain("gates these steps on that approval: merge");
    expect(prompt).toContain("ship it");
    // The session of the issue the PR closes is resumed.
    expect(JSON.stringify(r.jobs[0]?.planned.container)).toContain("sess-issue");
    expect((await w.queue(r.jobs)).queued).toHaveLength(1);
    // The same webhook redelivered: the same run, queued already.
    const again = await w.deliver("pull_request_review", w.lastProduced("pull_request_review", "submitted"));
    expect(again.jobs.map((j) => j.followUp?.runId)).toEqual([r.jobs[0]?.followUp?.runId]);
    expect((await w.queue(again.jobs)).queued).toHaveLength(0);
    expect(await w.store!.listRuns()).toHaveLength(1);
  });

  it("does not count from a non-approver, and a comment review is not an approval", async () => {
    w = await makeWorld();
    const pr = await agentPr(w);
    expect((await review(w, pr.number, "bob")).jobs).toHaveLength(0);
    expect((await review(w, pr.number, "alice", "COMMENT")).jobs).toHaveLength(0);
    expect(comments(w, pr.number).some((b) => b.includes("approved this"))).toBe(false);
  });
});

describe("/approve with a choice", () => {
  it("picks the refused agent by name when several wait, and each runs once", async () => {
    w = await makeWorld();
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Two", user: "dave" });
    const first = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@ops restart staging");
    await w.deliver("issue_comment", first.payload);
    const second = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@dev look at the logs");
    await w.deliver("issue_comment", second.payload);
    const approve = async (text: string) => w!.deliver("issue_comment", w!.env.double.addComment(w!.env.fullName, issue.number, "alice", text).payload);
    const ops = await approve("/approve @ops");
    expect(ops.jobs.map((j) => [j.agent.name, j.trigger.text])).toEqual([["ops", "@ops restart staging"]]);
    // Right away (the Action: the workflow that claimed it may be starting it), another /approve @ops starts nothing.
    expect((await approve("/approve @ops")).jobs).toHaveLength(0);
    // Once ops has started, there is nothing left to approve for it.
    await execute(w, ops.jobs[0]!);
    expect((await approve("/approve @ops")).jobs).toHaveLength(0);
    expect(comments(w, issue.number).some((b) => b.includes("nothing in this thread matching `@ops` is waiting"))).toBe(true);
    const dev = await approve("/approve");
    expect(dev.jobs.map((j) => j.agent.name)).toEqual(["dev"]);
  });
});

describe("a refused request edited afterwards", () => {
  it("is not run by an approval of the original", async () => {
    w = await makeWorld();
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Ops", user: "dave" });
    const ask = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@ops restart staging");
    await w.deliver("issue_comment", ask.payload);
    await w.env.double.octokit("dave").issues.updateComment({ ...w.rid, comment_id: ask.comment.id, body: "@ops drop the production database" });
    const approve = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    expect((await w.deliver("issue_comment", approve.payload)).jobs).toHaveLength(0);
    expect(comments(w, issue.number).some((b) => b.includes("edited (or deleted) after it was refused"))).toBe(true);
  });
});

describe.each(BACKENDS)("an approval claimed but never queued (the server's store on $name)", (backend) => {
  /** The store fails the next insert of an approval's follow-up, once: the claim is in the thread, no run is queued. */
  function failNextFollowUpInsert(world: World): { failures: () => number } {
    const store = world.store!;
    const enqueue = store.enqueue.bind(store);
    let failures = 0;
    store.enqueue = async (id: string, deliveryId: string, run: RunInput, now: number) => {
      if (id.startsWith("approved-") && failures === 0) {
        failures++;
        throw new Error("disk I/O error");
      }
      return enqueue(id, deliveryId, run, now);
    };
    return { failures: () => failures };
  }

  /**
   * The approving event delivered; its queue step fails after the claim; the same webhook delivered again queues
   * the run once; delivered again after that (queued, then started) it adds nothing and posts nothing.
   */
  async function crashThenRedeliver(world: World, thread: number, deliver: () => Promise<Prepared>, claimText: string): Promise<string> {
    const { failures } = failNextFollowUpInsert(world);
    const first = await deliver();
    const runId = first.jobs[0]?.followUp?.runId ?? "";
    expect(runId).toMatch(/^approved-[0-9a-f]{20}$/);
    await expect(world.queue(first.jobs)).rejects.toThrow(`approval follow-up ${runId} is claimed but could not be queued: disk I/O error`);
    expect(failures()).toBe(1);
    expect(await world.store!.listRuns()).toHaveLength(0);
    expect(comments(world, thread).filter((b) => b.includes(claimText))).toHaveLength(1);

    const again = await deliver();
    expect(again.jobs.map((j) => j.followUp?.runId)).toEqual([runId]);
    expect(again.replies).toEqual([]);
    expect((await world.queue(again.jobs)).queued.map((r) => r.id)).toEqual([runId]);
    // Queued: delivered again, the store already has it.
    expect((await world.queue((await deliver()).jobs)).queued).toHaveLength(0);
    // Started (its tracking comment names the run): delivered again, nothing at all.
    await world.gh.createComment(world.rid, thread, `Working on it.\n<!-- gitcrew:origin agent=${first.jobs[0]?.agent.name} run=${runId} depth=0 by=alice -->`);
    const before = comments(world, thread).length;
    const late = await deliver();
    expect(late.jobs).toHaveLength(0);
    expect(comments(world, thread)).toHaveLength(before);
    expect((await world.store!.listRuns()).map((r) => r.id)).toEqual([runId]);
    expect(comments(world, thread).filter((b) => b.includes(claimText))).toHaveLength(1);
    return runId;
  }

  it("/approve of a run refused for permission", async () => {
    w = await makeWorld({ storeSpec: await backend.fresh("approve-crash") });
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Deploy", user: "dave" });
    const ask = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@ops please restart staging");
    expect((await w.deliver("issue_comment", ask.payload)).jobs).toHaveLength(0);
    const approve = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    await crashThenRedeliver(w, issue.number, () => w!.deliver("issue_comment", approve.payload, "approve-1"), "▶️ @alice approved running @ops once for @dave's request");
    expect(comments(w, issue.number).some((b) => b.includes("nothing in this thread is waiting"))).toBe(false);
  });

  it("an approving review of an agent's gated pull request", async () => {
    w = await makeWorld({ storeSpec: await backend.fresh("review-crash") });
    const pr = await agentPr(w);
    await w.env.double.octokit("alice").pulls.createReview({ ...w.rid, pull_number: pr.number, event: "APPROVE", body: "ship it" });
    const payload = w.lastProduced("pull_request_review", "submitted");
    const runId = await crashThenRedeliver(w, pr.number, () => w!.deliver("pull_request_review", payload, "review-1"), "✅ @alice approved this at");
    expect((await w.store!.getRun(runId))?.agent).toBe("dev");
  });

  it("an approving review of a fork pull request, pinned to the reviewed head", async () => {
    const forks = new Set<number>();
    w = await makeWorld({ storeSpec: await backend.fresh("fork-crash"), client: forkClient(forks) });
    const { number, head1 } = await forkPr(w);
    forks.add(number);
    const ask = w.env.double.addComment(w.env.fullName, number, "mallory", "@dev please review");
    expect((await w.deliver("issue_comment", ask.payload)).jobs).toHaveLength(0);
    await w.env.double.octokit("alice").pulls.createReview({ ...w.rid, pull_number: number, event: "APPROVE", commit_id: head1, body: "lgtm" });
    const payload = w.lastProduced("pull_request_review", "submitted") as { pull_request: unknown };
    payload.pull_request = asFork(payload.pull_request);
    const runId = await crashThenRedeliver(w, number, () => w!.deliver("pull_request_review", payload, "review-1"), "▶️ @alice approved (approving review) running @dev once");
    const queued = (await w.store!.getRun(runId))?.plan as RunJob | undefined;
    expect(queued?.planned.pinnedHead).toEqual({ pull: number, sha: head1 });
  });
});
