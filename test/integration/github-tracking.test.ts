/** The tracking comment a user watches during a run, against the double. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectGitHub, secretMask, TrackingComment, type GitHubClient } from "../../src/github/index.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

let env: DoubleRepo;
let gh: GitHubClient;
const repo = { owner: "acme", repo: "widgets" };
const origin = { agent: "dev", runId: "run-7", depth: 1 };
const RUN_URL = "http://127.0.0.1/acme/widgets/actions/runs/7";
const SECRET = "ghp_abcdefghijklmnop1234";

beforeAll(async () => {
  env = await startDoubleWithRepo();
  gh = await connectGitHub({ auth: { token: env.double.token("github-actions[bot]", "Bot") }, baseUrl: env.double.url, mask: secretMask([SECRET]) });
});
afterEach(() => env.double.assertNoViolations());
afterAll(() => env.close());

function thread(title: string): number {
  return env.double.addIssue(env.fullName, { title, user: "alice" }).number;
}

function bodies(issue: number): string[] {
  return env.double.comments(env.fullName, issue).map((c) => c.body);
}

describe("tracking comment", () => {
  it("says the agent is working, with a link to the run and the hidden marker", async () => {
    const issue = thread("start");
    const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin, runUrl: RUN_URL });
    const [body] = bodies(issue);
    expect(body).toContain("**dev** is working on it");
    expect(body).toContain(`[workflow run](${RUN_URL})`);
    expect(body).toContain("<!-- gitcrew:origin agent=dev run=run-7 depth=1 -->");
    expect(t.comment.url).toContain(`#issuecomment-${t.comment.id}`);
  });

  it("coalesces a burst of progress into at most one edit per interval", async () => {
    const issue = thread("burst");
    // Edits as TrackingComment makes them, timed on the way to the double.
    const editTimes: number[] = [];
    const timed: GitHubClient = { ...gh, updateComment: (...a) => (editTimes.push(Date.now()), gh.updateComment(...a)) };
    const interval = 400;
    const t = await TrackingComment.start({ client: timed, repo, issueNumber: issue, origin, minIntervalMs: interval });
    const started = Date.now();
    for (let i = 1; i <= 60; i++) {
      t.progress(`step ${i} of 60`);
      await new Promise((r) => setTimeout(r, 25));
    }
    const burst = Date.now() - started;
    // The last coalesced status is written once its interval has passed.
    await new Promise((r) => setTimeout(r, interval + 200));
    await t.flush();
    expect(editTimes.length).toBeGreaterThanOrEqual(2);
    expect(editTimes.length).toBeLessThanOrEqual(Math.ceil(burst / interval) + 1);
    // No edit follows the previous one (or the comment's creation) sooner than the interval.
    const gaps = [editTimes[0]! - started, ...editTimes.slice(1).map((at, i) => at - editTimes[i]!)];
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(interval - 5);
    expect(bodies(issue)).toHaveLength(1);
    expect(bodies(issue)[0]).toContain("> step 60 of 60");
  });

  it("recreates the comment when someone deletes it mid-run", async () => {
    const issue = thread("deleted");
    const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin, minIntervalMs: 0 });
    const firstId = t.comment.id;
    env.double.deleteComment(env.fullName, firstId);
    t.progress("running tests");
    await t.flush();
    expect(t.comment.id).not.toBe(firstId);
    expect(bodies(issue)).toEqual([expect.stringContaining("> running tests")]);
    env.double.deleteComment(env.fullName, t.comment.id);
    await t.finish({ agent: "dev", status: "succeeded", answer: "Done." });
    expect(bodies(issue)).toEqual([expect.stringContaining("Done.")]);
  });

  it("finishes with the answer, files, branch, PR, duration and usage", async () => {
    const issue = thread("finish");
    const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin, runUrl: RUN_URL });
    t.progress("almost there");
    const refs = await t.finish({
      agent: "dev",
      status: "succeeded",
      answer: "I fixed the flaky login test by waiting for the session cookie.",
      changedFiles: ["test/login.test.ts", "src/session.ts"],
      branch: { name: "gitcrew/dev/1", url: "http://127.0.0.1/acme/widgets/tree/gitcrew/dev/1" },
      pullRequest: { number: 12, url: "http://127.0.0.1/acme/widgets/pull/12" },
      durationMs: 133_000,
      usage: { inputTokens: 12_345, outputTokens: 2_345, costUsd: 0.1234 },
    });
    expect(refs).toHaveLength(1);
    const [body = ""] = bodies(issue);
    expect(body).toContain("✅ **dev** finished in 2m 13s");
    expect(body).toContain("I fixed the flaky login test");
    expect(body).toContain("**Changed files (2):** `test/login.test.ts`, `src/session.ts`");
    expect(body).toContain("[#12](http://127.0.0.1/acme/widgets/pull/12)");
    expect(body).toContain("[`gitcrew/dev/1`]");
    expect(body).toContain("tokens: 12,345 in / 2,345 out · cost: $0.12");
    expect(body).not.toContain("almost there");
    expect(body).not.toContain("<details>");
  });

  it("says what went wrong and what to do when the run fails", async () => {
    const issue = thread("fail");
    const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin });
    await t.finish({ agent: "dev", status: "failed", error: { message: "secret ANTHROPIC_API_KEY is not set", hint: "add it to the repository's Actions secrets" } });
    const [body = ""] = bodies(issue);
    expect(body).toContain("❌ **dev** failed");
    expect(body).toContain("**What went wrong:** secret ANTHROPIC_API_KEY is not set");
    expect(body).toContain("**What to do:** add it to the repository's Actions secrets");
  });

  it("folds an answer between 3,000 and 65,536 characters into <details> in one comment, headline and links outside", async () => {
    const issue = thread("fold");
    const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin });
    const lines = Array.from({ length: 400 }, (_, i) => `finding ${i}: ${"detail ".repeat(4)}end`);
    const answer = lines.join("\n");
    expect(answer.length).toBeGreaterThan(10_000);
    const refs = await t.finish({ agent: "dev", status: "succeeded", answer, pullRequest: { number: 4, url: "http://127.0.0.1/acme/widgets/pull/4" } });
    expect(refs).toHaveLength(1);
    const [body = ""] = bodies(issue);
    expect(body.match(/<details>/g)).toHaveLength(1);
    const folded = body.slice(body.indexOf("<details>"), body.indexOf("</details>"));
    expect(folded).toContain("<summary>Answer (400 lines)</summary>");
    expect(folded).toContain(answer);
    const outside = body.replace(folded, "");
    expect(outside).toContain("✅ **dev** finished");
    expect(outside).toContain("[#4](http://127.0.0.1/acme/widgets/pull/4)");
    expect(body.indexOf("✅ **dev** finished")).toBeLessThan(body.indexOf("<details>"));
    // A short answer stays inline.
    const short = thread("short");
    const s2 = await TrackingComment.start({ client: gh, repo, issueNumber: short, origin });
    await s2.finish({ agent: "dev", status: "succeeded", answer: "x".repeat(2_900) });
    expect(bodies(short)[0]).not.toContain("<details>");
  });

  it("ends with a bounded message even when the error itself is longer than a comment", async () => {
    const issue = thread("huge error");
    const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin });
    const message = `container log: ${"E".repeat(100_000)}`;
    const refs = await t.finish({ agent: "dev", status: "failed", answer: "partial answer", error: { message, hint: `retry ${"h".repeat(80_000)}` } });
    expect(refs.length).toBeGreaterThanOrEqual(1);
    const all = bodies(issue);
    for (const b of all) expect(b.length).toBeLessThanOrEqual(65_536);
    const [body = ""] = all;
    expect(body).toContain("❌ **dev** failed");
    expect(body).not.toContain("is working on it");
    expect(body).toContain("**What went wrong:** container log: EEEE");
    expect(body).toMatch(/more characters cut/);
    expect(body).toContain("**What to do:** retry hhh");
    expect(all.join("\n")).toContain("partial answer");
  });

  it("folds a long answer and splits one above 65,536 characters across comments", async () => {
    // 3,000 lines: over two comments, under the answer cap (ANSWER_LIMIT), so all of it is posted.
    const issue = thread("long");
    const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin });
    const code = Array.from({ length: 3000 }, (_, i) => `  const value${i} = compute(${i}); // ${"·".repeat(20)}`).join("\n");
    const answer = `Here is the refactor:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all. The token was ${SECRET}.`;
    expect(answer.length).toBeGreaterThan(65_536 * 2);
    const refs = await t.finish({ agent: "dev", status: "succeeded", answer, pullRequest: { number: 3, url: "http://127.0.0.1/acme/widgets/pull/3" } });
    const all = bodies(issue);
    expect(refs.length).toBe(all.length);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(refs[0]?.id).toBe(t.comment.id);
    for (const b of all) {
      expect(b.length).toBeLessThanOrEqual(65_536);
      expect(b).toContain("<!-- gitcrew:origin agent=dev run=run-7 depth=1 -->");
      expect(b.match(/<details>/g)).toHaveLength(1);
      expect(b.match(/<\/details>/g)).toHaveLength(1);
      // Every part opens and closes its code fences.
      expect((b.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(all[0]).toContain("[#3](http://127.0.0.1/acme/widgets/pull/3)");
    const joined = all.join("\n");
    expect(joined).toContain("value0 = compute(0)");
    expect(joined).toContain("value2999 = compute(2999)");
    expect(joined).not.toContain(SECRET);
    expect(all.at(-1)).toContain("The token was ***.");
  });
});
