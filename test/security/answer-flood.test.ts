/**
 * Attack: an agent answers with 10 MB, which gitcrew used to post as 155
 * comments in the thread. Now a bounded number of comments is posted and the
 * last one says where the rest is: the workflow run's log in the Action,
 * `gitcrew logs RUN` on a server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectGitHub, secretMask, TrackingComment, type GitHubClient } from "../../src/github/index.js";
import { COMMENT_LIMIT } from "../../src/github/split.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

let env: DoubleRepo;
let gh: GitHubClient;
const repo = { owner: "acme", repo: "widgets" };
const RUN_URL = "https://github.com/acme/widgets/actions/runs/4242";

/** 10 MB of answer, a fenced block left open at the end so that a cut falls inside it. */
const FLOOD = `Here is everything:\n\n\`\`\`text\n${"all work and no play makes jack a dull boy\n".repeat(240_000)}`;

beforeAll(async () => {
  env = await startDoubleWithRepo();
  gh = await connectGitHub({ auth: { token: env.double.token("github-actions[bot]", "Bot") }, baseUrl: env.double.url, mask: secretMask([]) });
});
afterEach(() => env.double.assertNoViolations());
afterAll(() => env.close());

async function flood(runUrl: string | undefined, runId: string): Promise<string[]> {
  const issue = env.double.addIssue(env.fullName, { title: `flood ${runId}`, user: "alice" }).number;
  const t = await TrackingComment.start({ client: gh, repo, issueNumber: issue, origin: { agent: "dev", runId, depth: 1 }, ...(runUrl ? { runUrl } : {}) });
  expect(FLOOD.length).toBeGreaterThan(10_000_000);
  await t.finish({ agent: "dev", status: "succeeded", answer: FLOOD });
  return env.double.comments(env.fullName, issue).map((c) => c.body);
}

describe("a 10 MB answer", () => {
  it("in the Action: at most five comments, the last links the workflow run's log", async () => {
    const bodies = await flood(RUN_URL, "run-flood-1");
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    expect(bodies.length).toBeLessThanOrEqual(5);
    for (const b of bodies) expect(b.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    const last = bodies.at(-1)!;
    expect(last).toContain("**The answer is cut here:**");
    expect(last).toContain(`[workflow run's log](${RUN_URL})`);
    // The note is outside the agent's code block: the fence is closed before it.
    const beforeNote = last.slice(0, last.indexOf("**The answer is cut here:**"));
    expect((beforeNote.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect(bodies[0]).toContain("✅ **dev** finished");
  });

  it("on a server: the last comment names `gitcrew logs RUN`", async () => {
    const bodies = await flood(undefined, "run-flood-2");
    expect(bodies.length).toBeLessThanOrEqual(5);
    expect(bodies.at(-1)).toContain("`gitcrew logs run-flood-2`");
  });
});
