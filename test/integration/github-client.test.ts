/** gitcrew's GitHub client against the double: real Octokit, real HTTP on loopback. */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectGitHub, createGitHubClient, createOctokit, installationToken, originMarker, secretMask, type GitHubClient } from "../../src/github/index.js";
import { pushCommit, startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

let env: DoubleRepo;
let gh: GitHubClient;
const SECRET = "sk-live-9f8e7d6c5b4a";
const repo = { owner: "acme", repo: "widgets" };

beforeAll(async () => {
  env = await startDoubleWithRepo("acme/widgets", { "README.md": "# widgets\n" });
  gh = await connectGitHub({ auth: { token: env.double.token("gitcrew-bot", "Bot") }, baseUrl: env.double.url, mask: secretMask([SECRET]) });
  env.double.setPermission(env.fullName, "alice", "write");
  env.double.setPermission(env.fullName, "tom", "triage");
  env.double.setPermission(env.fullName, "rita", "read");
});

afterEach(() => env.double.assertNoViolations());
afterAll(() => env.close());

describe("permissions", () => {
  it("maps the collaborator permission endpoint to gitcrew's levels", async () => {
    env.double.addUser("stranger");
    const levels = await Promise.all(["acme", "alice", "tom", "rita", "stranger", "no-such-user"].map((u) => gh.permissionOf(repo, u)));
    // A public repo gives anyone read; a login GitHub does not know has none.
    expect(levels).toEqual(["admin", "write", "triage", "read", "read", "none"]);
  });
});

describe("comments and reactions", () => {
  it("reacts, comments, edits and deletes as the user sees it", async () => {
    const issue = env.double.addIssue(env.fullName, { title: "Flaky", user: "alice" });
    const { comment } = env.double.addComment(env.fullName, issue.number, "alice", "@dev please fix");
    await gh.react(repo, { commentId: comment.id }, "eyes");
    await gh.react(repo, { issueNumber: issue.number }, "rocket");
    const posted = await gh.createComment(repo, issue.number, `hello ${originMarker({ agent: "dev", runId: "r1", depth: 1 })}`);
    expect(posted.url).toContain(`/issues/${issue.number}#issuecomment-${posted.id}`);
    await gh.updateComment(repo, posted.id, "edited");
    expect(env.double.comments(env.fullName, issue.number).map((c) => c.body)).toEqual(["@dev please fix", "edited"]);
    expect(env.double.repo(env.fullName).reactions.map((r) => `${r.user}:${r.content}`)).toEqual(["gitcrew-bot:eyes", "gitcrew-bot:rocket"]);
    await gh.deleteComment(repo, posted.id);
    expect(env.double.comments(env.fullName, issue.number)).toHaveLength(1);
  });

  it("reacts to a review comment on a line of a pull request's diff", async () => {
    await pushCommit(env.bareDir, "review-me", { "r.txt": "r\n" }, "to review", "main");
    const { data: pr } = await env.double.octokit("alice").pulls.create({ owner: "acme", repo: "widgets", head: "review-me", base: "main", title: "Review me" });
    const note = env.double.addReviewComment(env.fullName, pr.number, "alice", "@dev rename this", { path: "r.txt", line: 1 });
    await gh.react(repo, { reviewCommentId: note.id }, "eyes");
    const calls = env.double.calls("reactions/create-for-pull-request-review-comment");
    expect(calls.map((c) => [c.method, c.path, c.status])).toEqual([["POST", `/repos/acme/widgets/pulls/comments/${note.id}/reactions`, 201]]);
    expect(env.double.reactions(env.fullName, { kind: "review_comment", id: note.id }).map((r) => `${r.user}:${r.content}`)).toEqual(["gitcrew-bot:eyes"]);
    await expect(gh.react(repo, { reviewCommentId: 99_999_999 }, "eyes")).rejects.toMatchObject({ status: 404 });
  });

  it("writes the origin marker that src/events parses", () => {
    expect(originMarker({ agent: "dev", runId: "run-42", depth: 2 })).toBe("<!-- gitcrew:origin agent=dev run=run-42 depth=2 -->");
    // Nothing in a name can close the HTML comment early.
    expect(originMarker({ agent: "x --> y", runId: "a b", depth: -1 })).toBe("<!-- gitcrew:origin agent=x_--__y run=a_b depth=0 -->");
  });

  it("lists only the most recent comments of a long thread, oldest first", async () => {
    const issue = env.double.addIssue(env.fullName, { title: "Long", user: "alice" });
    for (let i = 1; i <= 230; i++) env.double.addComment(env.fullName, issue.number, i % 2 ? "alice" : "rita", `comment ${i}`);
    const thread = await gh.listComments(repo, issue.number, { max: 120 });
    expect(thread.omitted).toBe(110);
    expect(thread.comments.map((c) => c.body).slice(0, 2)).toEqual(["comment 111", "comment 112"]);
    expect(thread.comments.at(-1)).toMatchObject({ body: "comment 230", author: "rita", authorType: "User" });
  });

  it("splits a body above 65,536 characters into comments GitHub accepts", async () => {
    const issue = env.double.addIssue(env.fullName, { title: "Big", user: "alice" });
    const marker = originMarker({ agent: "dev", runId: "r2", depth: 1 });
    const body = `${Array.from({ length: 3000 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n")}\n${marker}`;
    expect(body.length).toBeGreaterThan(65_536 * 2);
    await expect(gh.createComment(repo, issue.number, body)).rejects.toThrow(/65536/);
    const refs = await gh.postComments(repo, issue.number, body);
    const stored = env.double.comments(env.fullName, issue.number);
    expect(refs).toHaveLength(stored.length);
    expect(stored.length).toBeGreaterThanOrEqual(3);
    for (const c of stored) {
      expect(c.body.length).toBeLessThanOrEqual(65_536);
      expect(c.body).toContain(marker);
    }
    const text = stored.map((c) => c.body).join("\n");
    expect(text).toContain("line 0 ");
    expect(text).toContain("line 2999 ");
  });
});

describe("masking", () => {
  it("masks secrets in comments, pull requests and check runs before they are sent", async () => {
    const issue = env.double.addIssue(env.fullName, { title: "Mask", user: "alice" });
    await gh.createComment(repo, issue.number, `the key is ${SECRET}, keep it`);
    const sha = await pushCommit(env.bareDir, "gitcrew/dev/mask", { "m.txt": "m\n" }, "m", "main");
    const pr = await gh.openOrUpdatePullRequest(repo, { head: "gitcrew/dev/mask", title: `use ${SECRET}`, body: `token ${SECRET}` });
    await gh.createCheckRun(repo, { name: "gitcrew", headSha: sha, status: "completed", conclusion: "success", output: { title: "ok", summary: `s ${SECRET}` } });
    const sent = JSON.stringify(env.double.requests.map((r) => r.body));
    expect(sent).not.toContain(SECRET);
    expect(env.double.comments(env.fullName, issue.number)[0]?.body).toBe("the key is ***, keep it");
    expect(env.double.repo(env.fullName).issues.get(pr.number)?.title).toBe("use ***");
  });
});

describe("pull requests", () => {
  it("opens a PR from the agent's branch that closes the issue, then updates it", async () => {
    const issue = env.double.addIssue(env.fullName, { title: "Fix login", user: "alice" });
    await pushCommit(env.bareDir, `gitcrew/dev/${issue.number}`, { "login.ts": "fixed\n" }, "fix login", "main");
    const first = await gh.openOrUpdatePullRequest(repo, { head: `gitcrew/dev/${issue.number}`, title: "Fix login", body: "Fixes the flaky test.", closes: issue.number });
    expect(first.created).toBe(true);
    const again = await gh.openOrUpdatePullRequest(repo, { head: `gitcrew/dev/${issue.number}`, title: "Fix login (v2)", body: "Now also logout.", closes: issue.number });
    expect(again).toMatchObject({ number: first.number, created: false });
    const pr = env.double.repo(env.fullName).issues.get(first.number);
    expect(pr).toMatchObject({ title: "Fix login (v2)", body: `Now also logout.\n\nCloses #${issue.number}` });
    expect(pr?.pull).toMatchObject({ head: `gitcrew/dev/${issue.number}`, base: "main" });
    const files = await gh.listPullFiles(repo, first.number);
    expect(files).toEqual({ files: [{ filename: "login.ts", status: "added", additions: 1, deletions: 0 }], omitted: 0 });
  });

  it("never opens a PR from the default branch", async () => {
    const before = env.double.calls("pulls/create").length;
    await expect(gh.openOrUpdatePullRequest(repo, { head: "main", title: "x", body: "y" })).rejects.toThrow(/default branch "main"/);
    expect(env.double.calls("pulls/create")).toHaveLength(before);
  });

  it("creates and completes a check run for the PR head", async () => {
    const sha = execFileSync("git", ["--git-dir", env.bareDir, "rev-parse", "main"], { encoding: "utf8" }).trim();
    const check = await gh.createCheckRun(repo, { name: "gitcrew / dev", headSha: sha, status: "in_progress", detailsUrl: "http://127.0.0.1/run/1" });
    await gh.updateCheckRun(repo, check.id, { conclusion: "failure", output: { title: "dev failed", summary: "timeout after 30m" } });
    const stored = env.double.repo(env.fullName).checkRuns.get(check.id);
    expect(stored).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "dev failed", summary: "timeout after 30m" } });
  });
});

describe("GitHub App credentials", () => {
  it("gets an installation token narrowed to the agent's permissions", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    env.double.addInstallation({ id: 9, appId: 555, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "gitcrew-app", owner: "acme" });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const token = await installationToken({ appId: 555, privateKey: pem, installationId: 9, baseUrl: env.double.url, permissions: { issues: "write", contents: "read", actions: "none" } });
    expect(env.double.installationTokens(9).map((t) => t.permissions)).toEqual([{ issues: "write", contents: "read" }]);
    const client = createGitHubClient(createOctokit({ token: token.token, baseUrl: env.double.url }));
    const issue = env.double.addIssue(env.fullName, { title: "App", user: "alice" });
    await client.createComment(repo, issue.number, "as the app");
    expect(env.double.comments(env.fullName, issue.number)[0]?.user).toBe("gitcrew-app[bot]");

    // Without an installation id, the installation is looked up from the repository.
    const viaRepo = await connectGitHub({ auth: { app: { appId: 555, privateKey: pem, repository: repo, permissions: { checks: "write" } } }, baseUrl: env.double.url });
    expect(env.double.installationTokens(9).at(-1)?.permissions).toEqual({ checks: "write" });
    // GitHub holds a narrowed token to what it asked for: no reaction on an issue with checks alone.
    await expect(viaRepo.react(repo, { issueNumber: issue.number }, "+1")).rejects.toThrow(/Resource not accessible by integration/);
    const refused = env.double.calls("reactions/create-for-issue").at(-1);
    expect([refused?.status, refused?.refused]).toEqual([403, "reactions/create-for-issue needs issues: write or pull_requests: write"]);
    expect(env.double.calls("apps/get-repo-installation").map((c) => c.status)).toEqual([200]);
    // The App's comments are by "<slug>[bot]": gitcrew knows that login as its own (its markers count there), without GITCREW_SELF_LOGIN.
    await expect(viaRepo.selfLogin?.()).resolves.toBe("gitcrew-app[bot]");
  });
});
