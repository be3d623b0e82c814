/**
 * The Action's step failing before any run could comment: planning asks
 * GitHub what it needs (the actor's permission, the thread) and GitHub keeps
 * failing past the client's retries. The thread is still told, when the
 * request named an agent: what failed, and to comment again or re-run the
 * workflow run; the step fails with the same words. So are gitcrew's own
 * commands and an approving review of an agent's gated pull request, which
 * name no agent. A comment naming no agent is not answered.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { pushCommit, startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { runAction, type ActionEnv } from "../support/action-harness.js";

const PERMISSION = "repos/get-collaborator-permission-level";
const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": 'runtime: command\ncommand: ["sh", "-c", "echo hello"]\ntriggers:\n  mention: true\nlimits:\n  timeout: 1m\n  network: none\ngated: [merge]\n',
  ".gitcrew/agents/dev/instructions.md": "You fix bugs.\n",
};

describe("the Action when planning fails before any run", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => gh?.close());
  afterEach(() => {
    gh.double.clearFaults();
    gh.double.assertNoViolations();
  });

  it("GitHub refuses the permission lookup past the retries: the thread says what failed and what to do, the step fails", { timeout: 120_000 }, async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Lookups fail", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev please look");
    gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 100);
    const run = await runAction(env, "issue_comment", payload, { token });

    expect(run.code, run.stdout).toBe(1);
    const mine = gh.double.comments(gh.fullName, issue.number).filter((c) => c.user === "github-actions[bot]");
    expect(mine).toHaveLength(1);
    const body = mine[0]?.body ?? "";
    expect(body).toContain("❌ **dev** could not start: gitcrew could not read what it needs from GitHub to start the run (GitHub answered 429)");
    expect(body).toContain("**What to do:** comment again in a few minutes, once GitHub answers, or re-run the jobs of [the workflow run](https://github.com/acme/widgets/actions/runs/4242)");
    expect(body).not.toMatch(/\n\s+at /);
    expect(body).not.toContain(token);
    expect(run.outputs.status).toBe("failed");
    expect(run.outputs["comment-url"]).toContain(String(mine[0]?.id));
    expect(run.stdout).toMatch(/^::error::.*429/m);
  });

  it("an approving review of an agent's gated pull request is answered in its thread: not carried out, why, approve again", { timeout: 120_000 }, async () => {
    gh.double.setPermission(gh.fullName, "bob", "write");
    await pushCommit(gh.bareDir, "gitcrew/dev/7", { "src/fix.ts": "fixed\n" }, "fix", "main");
    const { data: pr } = await gh.double.octokit("bob").pulls.create({ owner: "acme", repo: "widgets", head: "gitcrew/dev/7", base: "main", title: "Fix", body: "by @dev" });
    await gh.double.octokit("alice").pulls.createReview({ owner: "acme", repo: "widgets", pull_number: pr.number, event: "APPROVE", body: "ship it" });
    const review = structuredClone([...gh.double.produced].reverse().find((p) => p.event === "pull_request_review")?.payload ?? {});
    gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 100);
    const run = await runAction(env, "pull_request_review", review, { token });

    expect(run.code, run.stdout).toBe(1);
    const mine = gh.double.comments(gh.fullName, pr.number).filter((c) => c.user === "github-actions[bot]");
    expect(mine).toHaveLength(1);
    const body = mine[0]?.body ?? "";
    expect(body).toContain("❌ The approving review by @alice was not carried out: gitcrew could not read what it needs from GitHub to start the run (GitHub answered 429)");
    expect(body).toContain("**What to do:** approve the pull request again in a new review in a few minutes, once GitHub answers, or re-run the jobs of [the workflow run](https://github.com/acme/widgets/actions/runs/4242)");
    expect(run.outputs["comment-url"]).toContain(String(mine[0]?.id));
  });

  it("/approve is answered: not carried out, why, what to do", { timeout: 120_000 }, async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Approve", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "/approve");
    gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 100);
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(1);
    const mine = gh.double.comments(gh.fullName, issue.number).filter((c) => c.user === "github-actions[bot]");
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toContain("❌ `/approve` was not carried out: gitcrew could not read what it needs from GitHub");
  });

  it("a comment naming no agent is not answered, even when planning fails", { timeout: 120_000 }, async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Just talk", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "thanks @bob, /label is fine");
    gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 100);
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(gh.double.comments(gh.fullName, issue.number).filter((c) => c.user === "github-actions[bot]")).toHaveLength(0);
    expect(run.outputs["comment-url"] ?? "").toBe("");
  });
});
