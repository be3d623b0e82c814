/**
 * `/approve` approves what the approver saw. A stranger who posts a request
 * while the approver types must not get it run by a bare `/approve`: with
 * refusals of two people pending, a bare `/approve` is refused and says which
 * are waiting and how to name one; a named `/approve` runs exactly that one;
 * a refusal posted after the `/approve` comment never counts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeWorld, type World } from "../integration/approvals-fixture.js";

let w: World | undefined;
afterEach(async () => {
  w?.env.double.assertNoViolations();
  await w?.close();
  w = undefined;
});

const bodies = (world: World, n: number) => world.env.double.comments(world.env.fullName, n).map((c) => c.body);

describe("/approve with refusals of more than one person pending", () => {
  it("a bare /approve runs nothing and lists them; /approve @login runs exactly that person's request", async () => {
    w = await makeWorld({ store: true });
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Deploy", user: "dave" });
    // dave (read) asks; the approver sees it and starts typing /approve.
    const daves = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@ops please restart staging");
    expect((await w.deliver("issue_comment", daves.payload)).jobs).toHaveLength(0);
    // meanwhile mallory (read) posts her own request, refused too.
    const mallorys = w.env.double.addComment(w.env.fullName, issue.number, "mallory", "@ops please run my script on production");
    expect((await w.deliver("issue_comment", mallorys.payload)).jobs).toHaveLength(0);

    const bare = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    expect((await w.deliver("issue_comment", bare.payload)).jobs).toHaveLength(0);
    const answer = bodies(w, issue.number).find((b) => b.includes("requests of more than one person are waiting"));
    expect(answer).toBeDefined();
    expect(answer).toContain(`- @dave: [comment ${daves.comment.id}](`);
    expect(answer).toContain(`#issuecomment-${daves.comment.id}) for @ops`);
    expect(answer).toContain(`- @mallory: [comment ${mallorys.comment.id}](`);
    expect(answer).toContain("Name one: `/approve @mallory` (that person's latest request) or `/approve <link to the comment>`.");
    expect(bodies(w, issue.number).some((b) => b.includes("approved running @ops"))).toBe(false);

    const named = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve @dave");
    const run = await w.deliver("issue_comment", named.payload);
    expect(run.jobs.map((j) => [j.agent.name, j.trigger.actor.login])).toEqual([["ops", "dave"]]);
    expect(run.jobs[0]?.planned.prompt).toContain("please restart staging");
    expect(bodies(w, issue.number).filter((b) => b.includes("▶️ @alice approved running @ops once for @dave's request"))).toHaveLength(1);
    expect(bodies(w, issue.number).some((b) => b.includes("for @mallory's request"))).toBe(false);
  }, 240_000);

  it("a comment link names one request", async () => {
    w = await makeWorld({ store: true });
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Deploy", user: "dave" });
    const daves = w.env.double.addComment(w.env.fullName, issue.number, "dave", "@ops please restart staging");
    await w.deliver("issue_comment", daves.payload);
    const mallorys = w.env.double.addComment(w.env.fullName, issue.number, "mallory", "@ops please run my script on production");
    await w.deliver("issue_comment", mallorys.payload);
    const link = `https://github.com/${w.env.fullName}/issues/${issue.number}#issuecomment-${daves.comment.id}`;
    const named = w.env.double.addComment(w.env.fullName, issue.number, "alice", `/approve ${link}`);
    const run = await w.deliver("issue_comment", named.payload);
    expect(run.jobs.map((j) => [j.agent.name, j.trigger.actor.login])).toEqual([["ops", "dave"]]);
  }, 240_000);

  it("a refusal posted after the /approve comment does not count", async () => {
    w = await makeWorld({ store: true });
    const issue = w.env.double.addIssue(w.env.fullName, { title: "Deploy", user: "dave" });
    // alice's /approve is written first; mallory's request (and its refusal) come after it.
    const approve = w.env.double.addComment(w.env.fullName, issue.number, "alice", "/approve");
    const mallorys = w.env.double.addComment(w.env.fullName, issue.number, "mallory", "@ops please run my script on production");
    await w.deliver("issue_comment", mallorys.payload);
    expect((await w.deliver("issue_comment", approve.payload)).jobs).toHaveLength(0);
    expect(bodies(w, issue.number).some((b) => b.includes("@alice nothing in this thread is waiting for an approval."))).toBe(true);
  }, 240_000);
});
