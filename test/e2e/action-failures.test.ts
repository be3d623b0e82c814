/**
 * Every accepted trigger gets one visible answer, also when the run cannot
 * happen: the Docker engine really stopped (a private dockerd this file
 * starts and stops by its pid file; the shared engine is not touched), an
 * image tag that does not exist, a crew broken on the default branch, the
 * job stopped before the container started. Each time the thread says what
 * failed and what to do, the Action sets its outputs, writes a job summary
 * and fails the step.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { examplePayload, startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import type { JsonObject } from "../support/github-double/spec.js";
import { runAction, startAction, type ActionEnv, type ActionRun } from "../support/action-harness.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { privateEngine } from "../support/server-dockerd.js";

const agent = (extra: string) => `runtime: command
command: ["sh", "-c", "echo hello"]
${extra}triggers:
  mention: true
limits:
  timeout: 1m
  network: none
`;

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": agent(""),
  ".gitcrew/agents/dev/instructions.md": "You fix bugs.\n",
  ".gitcrew/agents/tagless/agent.yaml": agent("image: gitcrew/command:no-such-tag\n"),
  ".gitcrew/agents/tagless/instructions.md": "Your image is not there.\n",
};

const BROKEN = {
  "README.md": "# gadgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": "runtime: klingon\ntriggers:\n  mention: true\n",
  ".gitcrew/agents/dev/instructions.md": "You fix bugs.\n",
};

const engine = privateEngine("action", "gctest1", "10.213.78.1/24");

interface RunsOutput {
  agent: string;
  run: string | null;
  status: string;
  comments: string[];
  error: string | null;
}

function runsOf(run: ActionRun): RunsOutput[] {
  return JSON.parse(run.outputs.runs ?? "null") as RunsOutput[];
}

describe("the Action when the run cannot happen", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => {
    await gh?.close();
    await engine.stop();
  });
  afterEach(() => gh.double.assertNoViolations());

  /** The one tracking comment of `agentName` in the thread, finished. */
  function tracking(issue: number, agentName: string) {
    const mine = gh.double.comments(gh.fullName, issue).filter((c) => c.body.includes(`gitcrew:origin agent=${agentName}`));
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).not.toContain("is working on it");
    return mine[0]!;
  }

  it("with the Docker engine stopped: the tracking comment says the engine is not running and how to start it", async () => {
    await engine.start();
    await engine.stop();
    const issue = gh.double.addIssue(gh.fullName, { title: "No engine", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev please fix it");
    const run = await runAction(env, "issue_comment", payload, { token, extraEnv: { DOCKER_HOST: engine.dockerHost } });

    expect(run.code, run.stdout).toBe(1);
    const comment = tracking(issue.number, "dev");
    expect(comment.body).toContain("❌ **dev** failed");
    expect(comment.body).toContain(`**What went wrong:** the Docker engine at ${engine.dockerHost} is not running`);
    expect(comment.body).toMatch(/\*\*What to do:\*\* start it/);
    expect(run.outputs.status).toBe("failed");
    expect(run.outputs["run-id"]).toMatch(/\S/);
    expect(run.outputs["comment-url"]).toContain(String(comment.id));
    expect(runsOf(run)).toEqual([expect.objectContaining({ agent: "dev", status: "failed", run: run.outputs["run-id"], error: expect.stringContaining("is not running") })]);
    expect(run.summary).toMatch(/<td>dev<\/td><td>failed<\/td><td>—<\/td><td>the Docker engine at [^<]+ is not running/);
    expect(run.stdout).toMatch(/^::error::dev: the Docker engine at \S+ is not running/m);
  });

  it("with an image tag that does not exist: the tracking comment names the image and how to get it", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "No image", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@tagless are you there");
    const run = await runAction(env, "issue_comment", payload, { token });

    expect(run.code, run.stdout).toBe(1);
    const comment = tracking(issue.number, "tagless");
    expect(comment.body).toContain("❌ **tagless** failed");
    expect(comment.body).toContain("**What went wrong:** the image gitcrew/command:no-such-tag is not on this Docker engine");
    expect(comment.body).toContain("**What to do:** pull or build it");
    expect(run.outputs.status).toBe("failed");
    expect(run.outputs["run-id"]).toMatch(/\S/);
    expect(run.outputs["comment-url"]).toContain(String(comment.id));
    expect(runsOf(run)[0]).toMatchObject({ agent: "tagless", status: "failed" });
    expect(run.summary).toContain("<td>tagless</td><td>failed</td>");
    expect(run.summary).toContain("gitcrew/command:no-such-tag is not on this Docker engine");
  });

  it("stopped (SIGTERM) before the container started: the tracking comment ends cancelled, and no container ran", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Stop early", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev take a look");
    // The tracking comment is refused once with Retry-After: the job is stopped while the Action waits.
    gh.double.failNext("issues/create-comment", { kind: "too-many-requests", retryAfterSeconds: 3 }, 1);
    const { child, done } = await startAction(env, "issue_comment", payload, { token });
    const waited = Date.now();
    while (!gh.double.calls("issues/create-comment").some((c) => c.status === 429 && c.path.includes(`/issues/${issue.number}/`))) {
      if (Date.now() - waited > 30_000) throw new Error("the Action never asked for its tracking comment");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGTERM");
    const run = await done;

    expect(run.code, run.stdout).toBe(1);
    const comment = tracking(issue.number, "dev");
    expect(comment.body).toContain("🚫 **dev** was cancelled");
    expect(comment.body).toContain("**What went wrong:** the workflow job was stopped (SIGTERM) before the agent's container started");
    expect(comment.body).toContain("**What to do:** comment again to start a new run");
    expect(run.outputs.status).toBe("cancelled");
    expect(run.outputs["comment-url"]).toContain(String(comment.id));
    expect(run.summary).toContain("<td>dev</td><td>cancelled</td>");
    // No answer: the agent never ran.
    expect(comment.body).not.toContain("hello");
  });

  describe("with the crew broken on the default branch", () => {
    let broken: DoubleRepo;
    let benv: ActionEnv;
    let btoken: string;
    beforeAll(async () => {
      broken = await startDoubleWithRepo("acme/gadgets", BROKEN);
      broken.double.setPermission(broken.fullName, "alice", "write");
      btoken = broken.double.token("github-actions[bot]", "Bot");
      benv = { double: broken.double, fullName: broken.fullName, bareDir: broken.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
    });
    afterAll(async () => broken?.close());

    it("answers a mention of an agent with the errors and what to do, sets the outputs and fails the step", async () => {
      const issue = broken.double.addIssue(broken.fullName, { title: "Broken", user: "alice" });
      const { payload } = broken.double.addComment(broken.fullName, issue.number, "alice", "@dev please help");
      const run = await runAction(benv, "issue_comment", payload, { token: btoken });

      expect(run.code, run.stdout).toBe(1);
      const replies = broken.double.comments(broken.fullName, issue.number).filter((c) => c.user !== "alice");
      expect(replies).toHaveLength(1);
      const body = replies[0]!.body;
      expect(body).toContain("❌ **dev** could not start: the crew on main has 1 error(s)");
      expect(body).toContain("`.gitcrew/agents/dev/agent.yaml:1:");
      expect(body).toContain("**What to do:** run `npx gitcrew validate` on main, fix what it reports, push, then comment again.");
      // The reply mentions nobody: it cannot start an agent itself.
      expect(body).not.toContain("@dev");
      expect(run.outputs.status).toBe("failed");
      expect(run.outputs["comment-url"]).toContain(String(replies[0]!.id));
      expect(runsOf(run)).toEqual([expect.objectContaining({ agent: "dev", status: "failed", error: expect.stringContaining("the crew on main has 1 error(s)") })]);
      expect(run.summary).toContain("<b>failed</b>: the crew on main has 1 error(s)");
      expect(run.summary).toContain(".gitcrew/agents/dev/agent.yaml:1:");
      expect(run.stdout).toMatch(/^::error title=gitcrew crew,file=\.gitcrew\/agents\/dev\/agent\.yaml,line=1,/m);
      broken.double.assertNoViolations();
    });

    it("answers an issue assigned to an agent (issues.assigned) with the errors and what to do", async () => {
      const issue = broken.double.addIssue(broken.fullName, { title: "Assigned", user: "alice" });
      // The issue, repository and sender as the double shows them, in GitHub's issues.assigned example.
      const shown = broken.double.addComment(broken.fullName, issue.number, "alice", "context").payload as JsonObject & { issue: JsonObject; sender: JsonObject };
      const payload = examplePayload("issues", "assigned", { action: "assigned", issue: shown.issue, assignee: { ...shown.sender, login: "dev", id: 4242 }, repository: shown.repository as JsonObject, sender: shown.sender });
      const run = await runAction(benv, "issues", payload, { token: btoken });
      expect(run.code, run.stdout).toBe(1);
      const replies = broken.double.comments(broken.fullName, issue.number).filter((c) => c.user !== "alice");
      expect(replies).toHaveLength(1);
      expect(replies[0]?.body).toContain("❌ **dev** could not start: the crew on main has 1 error(s)");
      expect(run.outputs["comment-url"]).toContain(String(replies[0]?.id));
    });

    it("does not answer a comment that addresses no agent", async () => {
      const issue = broken.double.addIssue(broken.fullName, { title: "Chatter", user: "alice" });
      const { payload } = broken.double.addComment(broken.fullName, issue.number, "alice", "@bob what do you think?");
      const run = await runAction(benv, "issue_comment", payload, { token: btoken });
      expect(run.code, run.stdout).toBe(1);
      expect(broken.double.comments(broken.fullName, issue.number)).toHaveLength(1);
      expect(run.outputs.status).toBe("failed");
      expect(run.outputs.runs).toBe("[]");
      expect(run.summary).toContain("the crew on main has 1 error(s)");
    });
  });
});
