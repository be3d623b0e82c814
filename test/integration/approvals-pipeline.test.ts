/**
 * Through the whole pipeline (runEvent: prepare + executeJob) with a stub
 * runner (the container is not the point here): a run asks for approval and
 * ends awaiting_approval; the merge starts exactly one follow-up that resumes
 * the session the first run left in the thread.
 */
import { afterEach, describe, expect, it } from "vitest";
import { runEvent } from "../../src/pipeline/index.js";
import type { RunRequest } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { makeWorld, type World } from "./approvals-fixture.js";

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
});
