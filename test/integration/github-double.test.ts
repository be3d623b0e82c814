/** The GitHub double itself: state, git-backed pulls, validation, faults, webhooks, app tokens. */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "@octokit/app";
import { Octokit } from "@octokit/rest";
import { Webhooks } from "@octokit/webhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBareRepo, GitHubDouble, pushCommit } from "../support/github-double/index.js";

let dir: string;
let bare: string;
let double: GitHubDouble;
const REPO = "acme/widgets";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gitcrew-double-"));
  bare = join(dir, "origin.git");
  await createBareRepo(bare, { "README.md": "# widgets\n", "src/a.txt": "one\n" });
  double = await GitHubDouble.start();
  double.addRepo(REPO, bare);
  double.setPermission(REPO, "alice", "write");
  double.setPermission(REPO, "rita", "read");
  double.setPermission(REPO, "mia", "maintain");
});

afterEach(() => {
  double.clearFaults();
  double.assertNoViolations();
});

afterAll(async () => {
  await double.stop();
  await rm(dir, { recursive: true, force: true });
});

function git(args: string[]): string {
  return execFileSync("git", ["--git-dir", bare, ...args], { encoding: "utf8" }).trim();
}

describe("issues and comments", () => {
  it("creates, lists, edits, reacts to and deletes comments", async () => {
    const issue = double.addIssue(REPO, { title: "Flaky login test", body: "it fails", user: "alice" });
    const gh = double.octokit("alice");
    const created = await gh.issues.createComment({ owner: "acme", repo: "widgets", issue_number: issue.number, body: "@dev look" });
    expect(created.status).toBe(201);
    expect(created.data.user?.login).toBe("alice");
    expect(created.data.html_url).toContain(`/acme/widgets/issues/${issue.number}#issuecomment-`);

    await gh.reactions.createForIssueComment({ owner: "acme", repo: "widgets", comment_id: created.data.id, content: "eyes" });
    await gh.issues.updateComment({ owner: "acme", repo: "widgets", comment_id: created.data.id, body: "@dev look again" });
    const list = await gh.issues.listComments({ owner: "acme", repo: "widgets", issue_number: issue.number });
    expect(list.data.map((c) => c.body)).toEqual(["@dev look again"]);
    expect(list.data[0]?.reactions?.eyes).toBe(1);

    await gh.issues.deleteComment({ owner: "acme", repo: "widgets", comment_id: created.data.id });
    expect(double.comments(REPO, issue.number)).toEqual([]);
    const gone = gh.issues.updateComment({ owner: "acme", repo: "widgets", comment_id: created.data.id, body: "x" });
    await expect(gone).rejects.toMatchObject({ status: 404 });
    expect(double.calls("issues/create-comment")).toHaveLength(1);
    expect(double.produced.map((e) => `${e.event}.${String(e.payload.action)}`)).toContain("issue_comment.deleted");
  });

  it("paginates long threads with Link headers", async () => {
    const issue = double.addIssue(REPO, { title: "Long", user: "alice" });
    for (let i = 0; i < 7; i++) double.addComment(REPO, issue.number, "rita", `c${i}`);
    const gh = double.octokit("alice");
    const all = await gh.paginate(gh.issues.listComments, { owner: "acme", repo: "widgets", issue_number: issue.number, per_page: 3 });
    expect(all.map((c) => c.body)).toEqual(["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
  });

  it("answers collaborator permissions with role names", async () => {
    const gh = double.octokit("alice");
    const roles: Record<string, string> = {};
    for (const u of ["alice", "rita", "mia", "acme"]) {
      const res = await gh.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "widgets", username: u });
      roles[u] = `${res.data.role_name}/${res.data.permission}`;
    }
    expect(roles).toEqual({ alice: "write/write", rita: "read/read", mia: "maintain/write", acme: "admin/admin" });
    await expect(gh.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "widgets", username: "ghost" })).rejects.toMatchObject({ status: 404 });
  });
});

describe("pull requests on the bare repository", () => {
  it("opens a PR from a pushed branch, lists its files, reviews and really merges it", async () => {
    const issue = double.addIssue(REPO, { title: "Add b", user: "alice" });
    const head = await pushCommit(bare, "gitcrew/dev/1", { "src/b.txt": "two\n", "src/a.txt": "one\nmore\n" }, "add b", "main");
    const gh = double.octokit("alice");
    const pr = await gh.pulls.create({ owner: "acme", repo: "widgets", head: "gitcrew/dev/1", base: "main", title: "Add b", body: `Closes #${issue.number}` });
    expect(pr.data.head.sha).toBe(head);
    expect(pr.data.number).toBeGreaterThan(issue.number); // one sequence with issues
    const files = await gh.pulls.listFiles({ owner: "acme", repo: "widgets", pull_number: pr.data.number });
    expect(files.data.map((f) => `${f.status} ${f.filename} +${f.additions}`).sort()).toEqual(["added src/b.txt +1", "modified src/a.txt +1"]);
    const listed = await gh.pulls.list({ owner: "acme", repo: "widgets", head: "acme:gitcrew/dev/1" });
    expect(listed.data.map((p) => p.number)).toEqual([pr.data.number]);

    await double.octokit("mia").pulls.createReview({ owner: "acme", repo: "widgets", pull_number: pr.data.number, event: "APPROVE", body: "ok" });
    const merged = await double.octokit("mia").pulls.merge({ owner: "acme", repo: "widgets", pull_number: pr.data.number });
    expect(merged.data.merged).toBe(true);
    expect(git(["rev-parse", "refs/heads/main"])).toBe(merged.data.sha);
    expect(git(["rev-list", "--parents", "-n", "1", "main"]).split(" ")).toContain(head);
    expect(git(["show", "main:src/b.txt"])).toBe("two");
    expect(double.repo(REPO).issues.get(issue.number)?.state).toBe("closed");

    const closed = double.produced.find((e) => e.event === "pull_request" && e.payload.action === "closed");
    expect(closed?.payload.pull_request).toMatchObject({ merged: true, number: pr.data.number });
    const review = double.produced.find((e) => e.event === "pull_request_review");
    expect(review?.payload.review).toMatchObject({ state: "APPROVED" });
  });

  it("refuses a second PR for the same head and a PR without commits", async () => {
    await pushCommit(bare, "twice", { "t.txt": "t\n" }, "t", "main");
    const gh = double.octokit("alice");
    await gh.pulls.create({ owner: "acme", repo: "widgets", head: "twice", base: "main", title: "first" });
    const again = gh.pulls.create({ owner: "acme", repo: "widgets", head: "twice", base: "main", title: "second" });
    await expect(again).rejects.toMatchObject({ status: 422, message: expect.stringContaining("already exists") });
    const empty = gh.pulls.create({ owner: "acme", repo: "widgets", head: "main", base: "main", title: "x" });
    await expect(empty).rejects.toMatchObject({ status: 422, message: expect.stringContaining("No commits") });
  });

  it("creates and completes a check run on a real commit", async () => {
    const sha = git(["rev-parse", "main"]);
    const gh = double.octokit("alice");
    const run = await gh.checks.create({ owner: "acme", repo: "widgets", name: "gitcrew/dev", head_sha: sha, status: "in_progress" });
    const done = await gh.checks.update({ owner: "acme", repo: "widgets", check_run_id: run.data.id, conclusion: "success", output: { title: "done", summary: "ok" } });
    expect(done.data).toMatchObject({ status: "completed", conclusion: "success", head_sha: sha });
  });
});

describe("validation against GitHub's OpenAPI description", () => {
  it("catches a request with a missing required body field", async () => {
    const issue = double.addIssue(REPO, { title: "v", user: "alice" });
    const gh = double.octokit("alice");
    // A plain string route: Octokit's types would (rightly) refuse the typo.
    const route: string = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments";
    const bad = gh.request(route, { owner: "acme", repo: "widgets", issue_number: issue.number, bodyy: "typo" });
    await expect(bad).rejects.toMatchObject({ status: 500 });
    const seen = double.takeViolations();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: "request", operationId: "issues/create-comment" });
    expect(seen[0]?.message).toContain("must have required property 'body'");
    expect(seen[0]?.message).toContain('body field "bodyy" is not in the operation\'s schema');
  });

  it("catches a wrong query parameter and an unknown route", async () => {
    const gh = double.octokit("alice");
    const pulls: string = "GET /repos/{owner}/{repo}/pulls";
    await expect(gh.request(pulls, { owner: "acme", repo: "widgets", state: "merged" })).rejects.toMatchObject({ status: 500 });
    await expect(gh.request("GET /repos/{owner}/{repo}/no-such-thing", { owner: "acme", repo: "widgets" })).rejects.toMatchObject({ status: 500 });
    expect(double.takeViolations().map((v) => v.kind)).toEqual(["request", "unknown-route"]);
  });

  it("catches a response that does not match the schema", async () => {
    const issue = double.addIssue(REPO, { title: "r", user: "alice" });
    double.corruptNext("issues/create-comment", (body) => {
      delete body.html_url;
      return { ...body, id: "not-a-number" };
    });
    const gh = double.octokit("alice");
    await expect(gh.issues.createComment({ owner: "acme", repo: "widgets", issue_number: issue.number, body: "hi" })).rejects.toMatchObject({ status: 500 });
    const [v] = double.takeViolations();
    expect(v?.kind).toBe("response");
    expect(v?.message).toContain("html_url");
    expect(v?.message).toContain("/id must be integer");
  });
});

describe("failure injection", () => {
  it("answers 429 with retry-after and a rate-limited 403, then recovers", async () => {
    const issue = double.addIssue(REPO, { title: "f", user: "alice" });
    const gh = double.octokit("alice");
    const args = { owner: "acme", repo: "widgets", issue_number: issue.number, body: "hi" };
    double.failNext("issues/create-comment", { kind: "too-many-requests", retryAfterSeconds: 7 });
    double.failNext("issues/create-comment", { kind: "rate-limit", resetInSeconds: 30 });
    await expect(gh.issues.createComment(args)).rejects.toMatchObject({ status: 429, response: { headers: { "retry-after": "7" } } });
    await expect(gh.issues.createComment(args)).rejects.toMatchObject({ status: 403, response: { headers: { "x-ratelimit-remaining": "0" } } });
    expect((await gh.issues.createComment(args)).status).toBe(201);
    expect(double.calls("issues/create-comment").slice(-3).map((c) => c.status)).toEqual([429, 403, 201]);
  });
});

describe("webhooks", () => {
  it("delivers signed payloads built from GitHub's examples", async () => {
    const secret = "s3cret";
    const got: { headers: IncomingHttpHeaders; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        got.push({ headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks`;
    const hooked = await GitHubDouble.start({ webhooks: { url, secret } });
    try {
      hooked.addRepo(REPO, bare);
      const issue = hooked.addIssue(REPO, { title: "hook", user: "alice" });
      await hooked.octokit("alice").issues.createComment({ owner: "acme", repo: "widgets", issue_number: issue.number, body: "@dev hi" });
      await hooked.settle();
      expect(got).toHaveLength(1);
      const first = got[0];
      expect(first?.headers["x-github-event"]).toBe("issue_comment");
      expect(first?.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
      const signature = String(first?.headers["x-hub-signature-256"]);
      expect(await new Webhooks({ secret }).verify(first?.body ?? "", signature)).toBe(true);
      const payload = JSON.parse(first?.body ?? "{}") as { action: string; comment: { body: string }; issue: { number: number }; sender: { login: string } };
      expect(payload).toMatchObject({ action: "created", comment: { body: "@dev hi" }, issue: { number: issue.number }, sender: { login: "alice" } });
      expect(hooked.deliveries[0]?.status).toBe(202);
    } finally {
      await hooked.stop();
      receiver.close();
    }
  });
});

describe("webhook payload checks", () => {
  it("checks produced payloads against the description's webhook schemas", () => {
    const issue = double.addIssue(REPO, { title: "payload", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev hi");
    expect(double.webhookProblems("issue_comment", payload)).toEqual([]);
    const broken = { ...payload, comment: { ...(payload.comment as object), id: "one" } };
    expect(double.webhookProblems("issue_comment", broken).join("\n")).toContain("/comment/id must be integer");
  });
});

describe("GitHub App installation tokens", () => {
  it("issues a token for a valid app JWT with the permissions asked for", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    double.addInstallation({ id: 77, appId: 1234, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "gitcrew", owner: "acme" });
    const app = new App({ appId: 1234, privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), Octokit: Octokit.defaults({ baseUrl: double.url }) });
    const issue = double.addIssue(REPO, { title: "app", user: "alice" });
    const auth = (await app.octokit.auth({ type: "installation", installationId: 77, permissions: { issues: "write" } })) as { token: string };
    const gh = new Octokit({ auth: auth.token, baseUrl: double.url });
    const c = await gh.issues.createComment({ owner: "acme", repo: "widgets", issue_number: issue.number, body: "from the app" });
    expect(c.data.user?.login).toBe("gitcrew[bot]");
    expect(double.installationTokens(77).map((t) => t.permissions)).toEqual([{ issues: "write" }]);

    const { privateKey: other } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = new App({ appId: 1234, privateKey: other.export({ type: "pkcs8", format: "pem" }).toString(), Octokit: Octokit.defaults({ baseUrl: double.url }) });
    await expect(forged.octokit.auth({ type: "installation", installationId: 77 })).rejects.toMatchObject({ status: 401 });
  });
});

describe("less travelled routes", () => {
  it("serves users, labels, issue lists and git refs in GitHub's shapes", async () => {
    const gh = double.octokit("alice");
    const o = { owner: "acme", repo: "widgets" };
    expect((await gh.users.getAuthenticated()).data.login).toBe("alice");
    expect((await gh.users.getByUsername({ username: "rita" })).data.type).toBe("User");
    expect((await gh.repos.get(o)).data).toMatchObject({ full_name: "acme/widgets", default_branch: "main" });

    const created = await gh.issues.create({ ...o, title: "Approval: add jq", labels: ["gitcrew:approval"] });
    await gh.issues.addLabels({ ...o, issue_number: created.data.number, labels: ["pending"] });
    const labelled = await gh.issues.listForRepo({ ...o, labels: "gitcrew:approval,pending", state: "all" });
    expect(labelled.data.map((i) => i.number)).toEqual([created.data.number]);
    await gh.issues.removeLabel({ ...o, issue_number: created.data.number, name: "pending" });
    await gh.issues.update({ ...o, issue_number: created.data.number, state: "closed" });
    expect(double.repo(REPO).issues.get(created.data.number)).toMatchObject({ state: "closed", labels: ["gitcrew:approval"] });

    const main = await gh.git.getRef({ ...o, ref: "heads/main" });
    await gh.git.createRef({ ...o, ref: "refs/heads/from-api", sha: main.data.object.sha });
    expect(git(["rev-parse", "refs/heads/from-api"])).toBe(main.data.object.sha);
    const matching = await gh.git.listMatchingRefs({ ...o, ref: "heads/from" });
    expect(matching.data.map((r) => r.ref)).toEqual(["refs/heads/from-api"]);
    await gh.git.deleteRef({ ...o, ref: "heads/from-api" });
    await expect(gh.git.getRef({ ...o, ref: "heads/from-api" })).rejects.toMatchObject({ status: 404 });
  });
});
