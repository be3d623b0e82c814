/**
 * The GitHub Action end to end: dist/index.js with an event file and the
 * environment GitHub sets, against the GitHub double (every request and
 * response checked against GitHub's OpenAPI description), a real clone, a
 * real `command` agent in its hardened container on the real Docker engine.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { examplePayload, pushCommit, startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { runAction, startAction, type ActionEnv } from "../support/action-harness.js";
import type { JsonObject } from "../support/github-double/spec.js";

const exec = promisify(execFile);

/** dev: reports progress twice, writes what it was asked into the repo, answers. */
const DEV = `runtime: command
command: ["sh", "-c", "gitcrew-status 'reading the thread'; sleep 1; gitcrew-status 'writing the fix'; sleep 1; mkdir -p fixes; printf '%s\\\\n' \\"$GITCREW_PROMPT\\" > fixes/prompt.txt; date +%s%N >> fixes/log.txt; echo 'Fixed the flaky login test.'"]
triggers:
  mention: true
limits:
  timeout: 2m
  memory: 256m
  cpus: 1
  network: none
`;

/** big: answers with more than GitHub's 65,536 characters. */
const BIG = `runtime: command
command: ["sh", "-c", "i=0; while [ $i -lt 1800 ]; do echo \\"line $i of a very long answer that goes on and on and on\\"; i=$((i+1)); done"]
triggers:
  mention: true
limits:
  timeout: 2m
  memory: 256m
  network: none
`;

/** leaky: needs a secret and echoes it. */
const LEAKY = `runtime: command
command: ["sh", "-c", "echo \\"the key is $DEPLOY_KEY\\""]
secrets: ["DEPLOY_KEY"]
triggers:
  mention: true
limits:
  timeout: 1m
  network: none
`;

/** slow: works for a minute unless cancelled. */
const SLOW = `runtime: command
command: ["sh", "-c", "gitcrew-status 'on it'; sleep 60; echo 'done after all'"]
triggers:
  mention: true
limits:
  timeout: 2m
  network: none
`;

/** sleepy: outlives its 3-second timeout. */
const SLEEPY = `runtime: command
command: ["sh", "-c", "gitcrew-status 'dozing off'; sleep 60"]
triggers:
  mention: true
limits:
  timeout: 3s
  network: none
`;

/** ghost: names an image this engine does not have. */
const GHOST = `runtime: command
image: gitcrew/nope
command: ["sh", "-c", "echo never"]
triggers:
  mention: true
limits:
  timeout: 1m
  network: none
`;

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/agents/sleepy/agent.yaml": SLEEPY,
  ".gitcrew/agents/sleepy/instructions.md": "You nap.\n",
  ".gitcrew/agents/ghost/agent.yaml": GHOST,
  ".gitcrew/agents/ghost/instructions.md": "You are not there.\n",
  ".gitcrew/agents/slow/agent.yaml": SLOW,
  ".gitcrew/agents/slow/instructions.md": "You take your time.\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": DEV,
  ".gitcrew/agents/dev/instructions.md": "You fix bugs.\n",
  ".gitcrew/agents/big/agent.yaml": BIG,
  ".gitcrew/agents/big/instructions.md": "You talk a lot.\n",
  ".gitcrew/agents/leaky/agent.yaml": LEAKY,
  ".gitcrew/agents/leaky/instructions.md": "You leak.\n",
};

async function showFile(bareDir: string, ref: string, path: string): Promise<string> {
  return (await exec("git", ["--git-dir", bareDir, "show", `${ref}:${path}`])).stdout;
}

describe("the Action on an issue comment", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", "gitcrew/command:latest"]).catch(() => {
      throw new Error("image gitcrew/command:latest is missing: run bash scripts/ci/build-images.sh");
    });
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    gh.double.setPermission(gh.fullName, "rita", "read");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  it("reacts, tracks progress in one comment, pushes the agent's branch and opens a PR; a follow-up continues it", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Login test is flaky", body: "It fails one run in ten.", user: "alice" });
    const { comment, payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev the login test is flaky, please fix it");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);

    // 👀 on the triggering comment.
    const reactions = gh.double.calls("reactions/create-for-issue-comment");
    expect(reactions.map((r) => [r.path, (r.body as { content: string }).content])).toContainEqual([expect.stringContaining(`/comments/${comment.id}/reactions`), "eyes"]);

    // One tracking comment, created once and edited in place (progress, then the result).
    const created = gh.double.calls("issues/create-comment");
    expect(created).toHaveLength(1);
    expect((created[0]?.body as { body: string }).body).toContain("**dev** is working on it");
    expect((created[0]?.body as { body: string }).body).toContain("https://github.com/acme/widgets/actions/runs/4242");
    const edits = gh.double.calls("issues/update-comment").map((c) => (c.body as { body: string }).body);
    expect(edits.some((b) => b.includes("> writing the fix") || b.includes("> reading the thread"))).toBe(true);
    const thread = gh.double.comments(gh.fullName, issue.number);
    const tracking = thread.find((c) => c.body.includes("gitcrew:origin agent=dev"));
    expect(tracking?.body).toContain("✅ **dev** finished");
    expect(tracking?.body).toContain("Fixed the flaky login test.");
    expect(tracking?.body).toContain("`fixes/prompt.txt`");

    // The agent's commit is on gitcrew/dev/<issue> in the repository, never on main, and a PR closes the issue.
    const branch = `gitcrew/dev/${issue.number}`;
    expect(tracking?.body).toContain(branch);
    const prompt = await showFile(gh.bareDir, branch, "fixes/prompt.txt");
    expect(prompt).toContain("the login test is flaky, please fix it");
    expect(prompt).toContain("Login test is flaky");
    await expect(showFile(gh.bareDir, "main", "fixes/prompt.txt")).rejects.toThrow();
    const pulls = gh.double.pulls(gh.fullName);
    expect(pulls).toHaveLength(1);
    const pr = pulls[0]!;
    expect(pr.body).toContain(`Closes #${issue.number}`);
    expect(tracking?.body).toContain(`#${pr.number}`);
    expect(run.outputs.status).toBe("succeeded");
    expect(run.outputs["pr-number"]).toBe(String(pr.number));
    expect(run.outputs["comment-url"]).toContain(String(tracking?.id));
    // The job summary: the plan (who runs and why), then the run with its PR.
    expect(run.summary).toContain("<h3>gitcrew</h3>");
    expect(run.summary).toContain(`issue_comment.created by @alice on acme/widgets#${issue.number}`);
    expect(run.summary).toContain("<tr><th>agent</th><th>decision</th><th>why</th></tr><tr><td>dev</td><td>runs</td><td>mentioned as @dev by @alice</td></tr>");
    expect(run.summary).toMatch(new RegExp(`<tr><td>dev</td><td>succeeded</td><td><a href="[^"]+/pull/${pr.number}">#${pr.number}</a></td><td>\\d+ file\\(s\\) changed</td><td>—</td></tr>`));
    // The step log: the token masked, the run inside a group.
    expect(run.stdout.split("\n")).toContain(`::add-mask::${token}`);
    expect(run.stdout).toMatch(/^::group::gitcrew: dev\n[\s\S]*^::endgroup::$/m);
    // The injected instructions never land in the commit.
    await expect(showFile(gh.bareDir, branch, "CLAUDE.md")).rejects.toThrow();

    // A follow-up in the same thread: the history is in the prompt, the work continues on the same branch and PR.
    const followUp = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev also cover the logout path");
    const again = await runAction(env, "issue_comment", followUp.payload, { token });
    expect(again.code, again.stdout).toBe(0);
    const prompt2 = await showFile(gh.bareDir, branch, "fixes/prompt.txt");
    expect(prompt2).toContain("also cover the logout path");
    expect(prompt2).toContain("the login test is flaky, please fix it");
    expect((await showFile(gh.bareDir, branch, "fixes/log.txt")).trim().split("\n")).toHaveLength(2);
    expect(gh.double.pulls(gh.fullName)).toHaveLength(1);
    expect(again.outputs["pr-number"]).toBe(String(pr.number));
  });

  it("continues on the agent's own PR when a review comment addresses it, with a check run", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Logout path", user: "alice" });
    const first = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev cover the logout path");
    expect((await runAction(env, "issue_comment", first.payload, { token })).code).toBe(0);
    const branch = `gitcrew/dev/${issue.number}`;
    const pr = gh.double.pulls(gh.fullName).find((p) => p.pull?.head === branch);
    expect(pr).toBeDefined();

    const { data: pull } = await gh.double.octokit("alice").pulls.get({ owner: gh.owner, repo: gh.repo, pull_number: pr!.number });
    const sender = first.payload.sender as JsonObject;
    const note = gh.double.addReviewComment(gh.fullName, pr!.number, "alice", "@dev please also rename the helper", { path: "fixes/prompt.txt", line: 1 });
    const payload = examplePayload("pull_request_review_comment", "created", {
      comment: {
        id: note.id,
        body: note.body,
        user: sender,
        path: "fixes/prompt.txt",
        pull_request_url: pull.url,
        // Fields GitHub's current schema requires that the (older) example lacks.
        line: 1,
        original_line: 1,
        start_line: null,
        original_start_line: null,
        side: "RIGHT",
        start_side: null,
        reactions: { url: `${pull.url}/reactions`, total_count: 0, "+1": 0, "-1": 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
      },
      pull_request: pull as unknown as JsonObject,
      repository: first.payload.repository as JsonObject,
      sender,
    });
    expect(gh.double.webhookProblems("pull_request_review_comment", payload)).toEqual([]);
    const checksBefore = gh.double.calls("checks/create").length;
    const run = await runAction(env, "pull_request_review_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    // 👀 on the review comment itself (GitHub's pulls/comments reactions endpoint).
    expect(gh.double.reactions(gh.fullName, { kind: "review_comment", id: note.id }).map((r) => `${r.user}:${r.content}`)).toEqual(["github-actions[bot]:eyes"]);
    expect(run.stdout).not.toContain("no 👀 reaction");

    // Same branch, one more commit, no second PR; the answer is on the PR's conversation.
    expect((await showFile(gh.bareDir, branch, "fixes/log.txt")).trim().split("\n")).toHaveLength(2);
    expect(await showFile(gh.bareDir, branch, "fixes/prompt.txt")).toContain("please also rename the helper");
    expect(gh.double.pulls(gh.fullName).filter((p) => p.pull?.head === branch)).toHaveLength(1);
    expect(gh.double.comments(gh.fullName, pr!.number).some((c) => c.body.includes("✅ **dev** finished"))).toBe(true);
    // A PR-triggered run has a check run with its outcome, on the PR's head.
    const created = gh.double.calls("checks/create").slice(checksBefore);
    expect(created).toHaveLength(1);
    expect((created[0]?.body as { head_sha: string }).head_sha).toBe(pull.head.sha);
    const updates = gh.double.calls("checks/update").map((c) => c.body as { conclusion?: string });
    expect(updates.at(-1)?.conclusion).toBe("success");
  });

  it("refuses a reader politely and runs nothing", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Please", user: "rita" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "rita", "@dev please refactor everything");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).not.toBe("succeeded");
    const replies = gh.double.comments(gh.fullName, issue.number).filter((c) => c.user !== "rita");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain("@rita");
    expect(replies[0]?.body).toMatch(/write/);
    expect(gh.double.pulls(gh.fullName).filter((p) => p.title.includes("Please"))).toHaveLength(0);
  });

  it("ignores a bot's comment", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Bot noise", user: "alice" });
    const { comment, payload } = gh.double.addComment(gh.fullName, issue.number, "renovate[bot]", "@dev bump everything");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    expect(gh.double.comments(gh.fullName, issue.number)).toHaveLength(1);
    expect(run.stdout).toMatch(/^nothing to run: .*dev: mentioned as @dev by @renovate\[bot\], but @renovate\[bot\] is a bot; bots are ignored unless listed in crew\.cue trusted_bots(;|$)/m);
    expect(run.outputs.status).toBe("ignored");
    expect(gh.double.reactions(gh.fullName, { kind: "comment", id: comment.id })).toEqual([]);
  });

  it("splits an answer above 65,536 characters over several comments, all marked", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Explain", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@big explain the codebase");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    const mine = gh.double.comments(gh.fullName, issue.number).filter((c) => c.body.includes("gitcrew:origin agent=big"));
    expect(mine.length).toBeGreaterThan(1);
    for (const c of mine) expect(c.body.length).toBeLessThanOrEqual(65_536);
    const all = mine.map((c) => c.body).join("\n");
    expect(all).toContain("line 0 of a very long answer");
    expect(all).toContain("line 1799 of a very long answer");
  });

  it("masks a secret the agent echoes, and fails clearly when a declared secret is missing", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Deploy", user: "alice" });
    const first = gh.double.addComment(gh.fullName, issue.number, "alice", "@leaky show me");
    const ok = await runAction(env, "issue_comment", first.payload, { token, extraEnv: { DEPLOY_KEY: "hunter2-very-secret" } });
    expect(ok.code, ok.stdout).toBe(0);
    // Only the ::add-mask:: command (which tells the runner to mask it) may carry the value.
    expect(ok.stdout.split("\n")).toContain("::add-mask::hunter2-very-secret");
    expect(ok.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::")).join("\n")).not.toContain("hunter2-very-secret");
    for (const c of gh.double.comments(gh.fullName, issue.number)) expect(c.body).not.toContain("hunter2-very-secret");
    expect(gh.double.comments(gh.fullName, issue.number).some((c) => c.body.includes("the key is ***"))).toBe(true);

    const second = gh.double.addComment(gh.fullName, issue.number, "alice", "@leaky again");
    const failed = await runAction(env, "issue_comment", second.payload, { token });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("::error::");
    expect(failed.stdout).toContain("DEPLOY_KEY");
    const last = gh.double.comments(gh.fullName, issue.number).at(-1);
    expect(last?.body).toContain("❌ **leaky** failed");
    expect(last?.body).toContain("DEPLOY_KEY");
    expect(last?.body).toContain("What to do");
    expect(failed.outputs.status).toBe("failed");
  });

  it("rides out a 429 and a 5xx from GitHub, and fails visibly on a 403", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Retry", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev fix the retry path");
    gh.double.failNext("issues/create-comment", { kind: "too-many-requests", retryAfterSeconds: 1 }, 1);
    gh.double.failNext("pulls/create", { kind: "server-error", status: 502 }, 1);
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    expect(gh.double.calls("issues/create-comment").filter((c) => c.status === 429).length).toBe(1);
    expect(gh.double.pulls(gh.fullName).some((p) => p.pull?.head === `gitcrew/dev/${issue.number}`)).toBe(true);

    const issue2 = gh.double.addIssue(gh.fullName, { title: "Forbidden", user: "alice" });
    const second = gh.double.addComment(gh.fullName, issue2.number, "alice", "@dev fix the forbidden path");
    gh.double.failNext("pulls/create", { kind: "forbidden" }, 1);
    const denied = await runAction(env, "issue_comment", second.payload, { token });
    expect(denied.code).toBe(1);
    const last = gh.double.comments(gh.fullName, issue2.number).at(-1);
    expect(last?.body).toContain("❌ **dev** failed");
    expect(last?.body).toMatch(/permission|403/i);
    expect(denied.stdout).toMatch(/::error::.*(permission|403)/i);
  });

  it("acts as a GitHub App, with each run's token narrowed to the agent's permissions", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    gh.double.addInstallation({ id: 31, appId: 777, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "crew-app", owner: "acme" });
    const issue = gh.double.addIssue(gh.fullName, { title: "As an app", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev fix it as the app");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const run = await runAction(env, "issue_comment", payload, { token: "", inputs: { "app-id": "777", "app-private-key": pem } });
    expect(run.code, run.stdout).toBe(0);
    const tokens = gh.double.installationTokens(31);
    // One token for the crew (all the installation grants), one narrowed to dev's permissions.
    expect(tokens.map((t) => t.permissions)).toContainEqual({ contents: "write", issues: "write", pull_requests: "write" });
    const tracking = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=dev"));
    expect(tracking?.user).toBe("crew-app[bot]");
    expect(tracking?.body).toContain("✅ **dev** finished");
    expect(run.stdout).not.toContain("BEGIN PRIVATE KEY-----\nMII");
    // Every installation token minted during the job is masked in the log.
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    for (const t of tokens) expect(run.stdout.split("\n")).toContain(`::add-mask::${t.token}`);
  });

  it("runs an agent from workflow_dispatch on a branch named after the run", async () => {
    const seed = gh.double.addIssue(gh.fullName, { title: "seed", user: "alice" });
    const { payload: shape } = gh.double.addComment(gh.fullName, seed.number, "alice", "hello");
    const payload = examplePayload("workflow_dispatch", undefined, {
      inputs: { agent: "dev", prompt: "tidy the changelog" },
      ref: "refs/heads/main",
      repository: shape.repository as JsonObject,
      sender: shape.sender as JsonObject,
    });
    const run = await runAction(env, "workflow_dispatch", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");
    const runId = run.outputs["run-id"];
    const branch = `gitcrew/dev/${runId}`;
    expect(await showFile(gh.bareDir, branch, "fixes/prompt.txt")).toContain("tidy the changelog");
    expect(await showFile(gh.bareDir, branch, "fixes/prompt.txt")).toContain(branch);
    expect(gh.double.pulls(gh.fullName).some((p) => p.pull?.head === branch)).toBe(true);
  });

  it("/cancel from a writer stops the thread's run on this runner; it ends cancelled", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Slow", user: "alice" });
    const start = gh.double.addComment(gh.fullName, issue.number, "alice", "@slow take your time");
    const running = runAction(env, "issue_comment", start.payload, { token });
    const started = Date.now();
    while (!gh.double.comments(gh.fullName, issue.number).some((c) => c.body.includes("> on it"))) {
      if (Date.now() - started > 60_000) throw new Error("the slow run never reported progress");
      await new Promise((r) => setTimeout(r, 200));
    }
    const stop = gh.double.addComment(gh.fullName, issue.number, "alice", "/cancel");
    const cancel = await runAction(env, "issue_comment", stop.payload, { token });
    expect(cancel.code, cancel.stdout).toBe(0);
    expect(cancel.stdout).toContain("cancelled run(s)");
    const first = await running;
    expect(first.outputs.status).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(55_000);
    const tracking = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=slow"));
    expect(tracking?.body).toContain("🚫 **slow** was cancelled");
  });

  it("says in the thread and the step when a run times out", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Nap", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@sleepy have a look");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.status).toBe("timed_out");
    const tracking = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=sleepy"));
    expect(tracking?.body).toContain("⏱️ **sleepy** timed out");
    expect(tracking?.body).toContain("**What went wrong:** timed out after 3s; the container was killed");
    expect(tracking?.body).toContain("**What to do:** raise `limits.timeout` for this agent");
    expect(run.stdout.split("\n")).toContain("::error::sleepy: timed out after 3s; the container was killed — raise `limits.timeout` for this agent (within the crew's ceiling), or ask for a smaller step");
  });

  it("says in the thread and the step when the agent's image is missing", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Ghost", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@ghost are you there");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.status).toBe("failed");
    const tracking = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=ghost"));
    expect(tracking?.body).toContain("❌ **ghost** failed");
    expect(tracking?.body).toContain("**What went wrong:** the image gitcrew/nope is not on this Docker engine");
    expect(tracking?.body).toContain("**What to do:** pull or build it (docker pull gitcrew/nope)");
    expect(run.stdout).toMatch(/^::error::ghost: the image gitcrew\/nope is not on this Docker engine — pull or build it/m);
  });

  it("a job stopped with SIGTERM (cancelled on GitHub, or past timeout-minutes) ends its comment and check run and leaves no container", async () => {
    // slow's own PR (its branch is what the run checks out), so that the run has a check run.
    const next = gh.double.repo(gh.fullName).nextNumber;
    await pushCommit(gh.bareDir, `gitcrew/slow/${next}`, { "stop.txt": "stop\n" }, "a change to look at", "main");
    const { data: pr } = await gh.double.octokit("alice").pulls.create({ owner: gh.owner, repo: gh.repo, head: `gitcrew/slow/${next}`, base: "main", title: "Stop me" });
    expect(pr.number).toBe(next);
    const { payload } = gh.double.addComment(gh.fullName, pr.number, "alice", "@slow take your time with this PR");
    const checksBefore = gh.double.calls("checks/create").length;
    const { child, done } = await startAction(env, "issue_comment", payload, { token });
    const debug: string[] = [];
    child.stdout?.on("data", (b: Buffer) => debug.push(b.toString()));
    const waited = Date.now();
    while (!gh.double.comments(gh.fullName, pr.number).some((c) => c.body.includes("> on it"))) {
      if (Date.now() - waited > 40_000) throw new Error(`the slow run never reported progress:\n${debug.join("")}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const signalled = Date.now();
    child.kill("SIGTERM");
    const run = await done;
    expect(Date.now() - signalled).toBeLessThan(15_000);
    expect(run.code, run.stdout).toBe(1);
    expect(run.outputs.status).toBe("cancelled");
    expect(run.stdout).toContain("::warning::received SIGTERM: stopping the run and cleaning up");
    expect(run.stdout).toMatch(/^::error::the workflow job was stopped \(SIGTERM\) while the agent worked/m);

    const tracking = gh.double.comments(gh.fullName, pr.number).find((c) => c.body.includes("gitcrew:origin agent=slow"));
    expect(tracking?.body).toContain("🚫 **slow** was cancelled");
    expect(tracking?.body).not.toContain("is working on it");
    expect(tracking?.body).toContain("**What went wrong:** the workflow job was stopped (SIGTERM) while the agent worked");
    expect(tracking?.body).toContain("**What to do:** comment again to start a new run; if the job ran out of time, raise `timeout-minutes`");

    const created = gh.double.calls("checks/create").slice(checksBefore);
    expect(created).toHaveLength(1);
    const checkId = (created[0]?.response as { id: number }).id;
    const check = gh.double.repo(gh.fullName).checkRuns.get(checkId);
    expect([check?.status, check?.conclusion]).toEqual(["completed", "cancelled"]);

    const runId = run.outputs["run-id"] ?? "";
    expect(runId).not.toBe("");
    const left = (await exec("docker", ["ps", "-aq", "--filter", `label=gitcrew.run=${runId}`])).stdout.trim();
    expect(left).toBe("");
  });

  it("works on someone's pull request from its head branch and proposes the change to that branch", async () => {
    await pushCommit(gh.bareDir, "feature-login", { "login.txt": "remember me\n" }, "login: remember me", "main");
    const { data: pr } = await gh.double.octokit("alice").pulls.create({ owner: gh.owner, repo: gh.repo, head: "feature-login", base: "main", title: "Remember me on login" });
    const { payload } = gh.double.addComment(gh.fullName, pr.number, "alice", "@dev please add a test to this PR");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");
    // The agent started from the PR's head: its branch has alice's commit under its own.
    const branch = `gitcrew/dev/${pr.number}`;
    expect(await showFile(gh.bareDir, branch, "login.txt")).toBe("remember me\n");
    expect(await showFile(gh.bareDir, branch, "fixes/prompt.txt")).toContain("please add a test to this PR");
    expect(await showFile(gh.bareDir, "feature-login", "login.txt")).toBe("remember me\n");
    await expect(showFile(gh.bareDir, "feature-login", "fixes/prompt.txt")).rejects.toThrow();
    const proposed = gh.double.pulls(gh.fullName).find((p) => p.pull?.head === branch);
    expect(proposed?.pull?.base).toBe("feature-login");
    const tracking = gh.double.comments(gh.fullName, pr.number).find((c) => c.body.includes("gitcrew:origin agent=dev"));
    expect(tracking?.body).toContain("✅ **dev** finished");
    expect(tracking?.body).toContain(`#${proposed?.number}`);
  });

  it("prints the plan and writes nothing with dry-run", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Dry", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev have a look");
    const before = gh.double.calls("issues/create-comment").length;
    const run = await runAction(env, "issue_comment", payload, { token, inputs: { "dry-run": "true" } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("dry-run");
    expect(JSON.parse(run.outputs.plan ?? "{}").runs[0].agent).toBe("dev");
    expect(run.stdout).toContain("read-only root: yes");
    expect(gh.double.calls("issues/create-comment").length).toBe(before);
  });

  it("fails with a clear message on bad inputs", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Inputs", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev hi");
    const bad = await runAction(env, "issue_comment", payload, { token, inputs: { "timeout-minutes": "forever" } });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("::error::input timeout-minutes must be a whole number");
    const notJson = await runAction(env, "issue_comment", "{not json", { token });
    expect(notJson.code).toBe(1);
    expect(notJson.stdout).toContain("is not JSON");
    const star = examplePayload("star", "created", {});
    const wrongEvent = await runAction(env, "issue_comment", star, { token });
    expect(wrongEvent.code).toBe(1);
    expect(wrongEvent.stdout).toContain('::error::payload is not an "issue_comment" event');
    const noCredentials = await runAction(env, "issue_comment", payload, { token: "" });
    expect(noCredentials.code).toBe(1);
    expect(noCredentials.stdout).toContain("no GitHub credentials");
    const badKey = await runAction(env, "issue_comment", payload, { token: "", inputs: { "app-id": "12", "app-private-key": "not a key" } });
    expect(badKey.stdout).toContain("app-private-key must be the app's PEM private key");
    // None of these wrote anything to the thread.
    expect(gh.double.comments(gh.fullName, issue.number)).toHaveLength(1);
  });
});
