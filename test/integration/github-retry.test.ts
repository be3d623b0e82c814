/** Rate limits and server errors from the double: retried, bounded, and explained when they persist. */
import { execFileSync } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectGitHub, GitHubError, type GitHubClient, type RetryOptions } from "../../src/github/index.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

let env: DoubleRepo;
const repo = { owner: "acme", repo: "widgets" };
let retries: { status: number; attempt: number; delayMs: number }[] = [];

beforeAll(async () => {
  env = await startDoubleWithRepo();
});
afterEach(() => {
  env.double.clearFaults();
  env.double.assertNoViolations();
  retries = [];
});
afterAll(() => env.close());

async function client(retry: RetryOptions = {}): Promise<GitHubClient> {
  return connectGitHub({
    auth: { token: env.double.token("gitcrew-bot", "Bot") },
    baseUrl: env.double.url,
    retry: { baseDelayMs: 20, onRetry: (r) => retries.push(r), ...retry },
  });
}

function thread(): number {
  return env.double.addIssue(env.fullName, { title: "t", user: "alice" }).number;
}

describe("retries", () => {
  it("waits for retry-after on a 429 and then posts the comment once", async () => {
    const issue = thread();
    env.double.failNext("issues/create-comment", { kind: "too-many-requests", retryAfterSeconds: 1 });
    await (await client()).createComment(repo, issue, "hello");
    expect(retries).toEqual([{ route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", status: 429, attempt: 1, delayMs: 1000 }]);
    expect(env.double.calls("issues/create-comment").slice(-2).map((c) => c.status)).toEqual([429, 201]);
    expect(env.double.comments(env.fullName, issue).map((c) => c.body)).toEqual(["hello"]);
  });

  it("waits for x-ratelimit-reset on a rate-limited 403", async () => {
    const issue = thread();
    env.double.failNext("issues/update-comment", { kind: "rate-limit", resetInSeconds: 1 });
    const gh = await client();
    const c = await gh.createComment(repo, issue, "v1");
    await gh.updateComment(repo, c.id, "v2");
    expect(retries).toHaveLength(1);
    expect(retries[0]?.status).toBe(403);
    expect(retries[0]?.delayMs).toBeGreaterThan(0);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(2500);
    expect(env.double.comments(env.fullName, issue).map((x) => x.body)).toEqual(["v2"]);
  });

  it("honours retry-after on a secondary rate limit", async () => {
    const issue = thread();
    env.double.failNext("reactions/create-for-issue", { kind: "secondary-rate-limit", retryAfterSeconds: 1 });
    await (await client()).react(repo, { issueNumber: issue }, "eyes");
    expect(retries.map((r) => [r.status, r.delayMs])).toEqual([[403, 1000]]);
  });

  it("backs off on 5xx and gives up after the bounded number of attempts", async () => {
    const issue = thread();
    env.double.failNext("issues/create-comment", { kind: "server-error", status: 502 }, 10);
    const err = await (await client({ maxAttempts: 3 })).createComment(repo, issue, "x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect(err).toMatchObject({ status: 502 });
    expect((err as GitHubError).message).toContain("after 3 attempts");
    expect((err as GitHubError).hint).toContain("server error");
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(env.double.comments(env.fullName, issue)).toEqual([]);
  });

  it("posts a comment once when GitHub wrote it and then answered 5xx: the thread is read before posting again", async () => {
    const issue = thread();
    env.double.addComment(env.fullName, issue, "alice", "an earlier comment");
    env.double.failNext("issues/create-comment", { kind: "server-error", status: 502, afterProcessing: true });
    const ref = await (await client()).createComment(repo, issue, "exactly once <!-- gitcrew:origin agent=dev run=r1 depth=0 -->");
    const bodies = env.double.comments(env.fullName, issue).map((c) => c.body);
    expect(bodies).toEqual(["an earlier comment", "exactly once <!-- gitcrew:origin agent=dev run=r1 depth=0 -->"]);
    expect(ref.id).toBe(env.double.comments(env.fullName, issue)[1]?.id);
    expect(env.double.calls("issues/create-comment").slice(-1).map((c) => c.status)).toEqual([502]);
    expect(retries).toEqual([]);
  });

  it("posts a comment again after a 5xx when the thread shows the first attempt wrote nothing", async () => {
    const issue = thread();
    env.double.failNext("issues/create-comment", { kind: "server-error", status: 503 });
    await (await client()).createComment(repo, issue, "hello again");
    expect(env.double.comments(env.fullName, issue).map((c) => c.body)).toEqual(["hello again"]);
    expect(env.double.calls("issues/create-comment").slice(-2).map((c) => c.status)).toEqual([503, 201]);
    expect(env.double.calls("issues/list-comments").length).toBeGreaterThan(0);
  });

  it("does not repeat a check run's creation after a 5xx (a second POST would make a second check run)", async () => {
    const headSha = execFileSync("git", ["--git-dir", env.bareDir, "rev-parse", "main"], { encoding: "utf8" }).trim();
    env.double.failNext("checks/create", { kind: "server-error", status: 502, afterProcessing: true });
    const err = await (await client()).createCheckRun(repo, { name: "gitcrew / dev", headSha, status: "in_progress" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502 });
    expect(env.double.calls("checks/create").slice(-1).map((c) => c.status)).toEqual([502]);
    expect(env.double.repo(env.fullName).checkRuns.size).toBe(1);
    expect(retries).toEqual([]);
  });

  it("does not retry a permission 403, and says what to grant", async () => {
    const issue = thread();
    env.double.failNext("issues/create-comment", { kind: "forbidden" });
    const err = await (await client()).createComment(repo, issue, "x").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403 });
    expect((err as GitHubError).hint).toContain("permissions");
    expect(retries).toEqual([]);
  });

  it("fails at once with a hint when the rate limit resets too far ahead", async () => {
    const issue = thread();
    env.double.failNext("issues/create-comment", { kind: "rate-limit", resetInSeconds: 3600 });
    const err = await (await client()).createComment(repo, issue, "x").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403 });
    expect((err as GitHubError).hint).toMatch(/rate limiting this token until \d{4}-/);
    expect(retries).toEqual([]);
  });
});
