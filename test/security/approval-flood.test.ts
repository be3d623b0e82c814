/**
 * Approval requests are the agent's to ask (a line on its channel each), and
 * each one becomes a branch, a pull request, a label and comments written in
 * gitcrew's name. A prompt-injected agent asking for thousands in one run had
 * gitcrew open thousands of pull requests: the repository flooded, and the
 * App's or token's rate limit (and GitHub's limits on content creation) spent
 * for every repository it serves.
 *
 * A real agent in its container writes 40 requests to its channel; the pull
 * requests are opened against the GitHub double with real git. What the
 * repository's people see: at most five approval pull requests, and one
 * comment in the thread saying how many were not opened. On the code before
 * the fix there were 40 pull requests.
 */
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApprovalRequests } from "../../src/approvals/index.js";
import { MAX_REQUESTS_PER_RUN } from "../../src/approvals/open-requests.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { askDev, makeWorld, resultWith, type World } from "../integration/approvals-fixture.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const ASKED = 40;

describe("an agent asking for many approvals in one run", () => {
  let w: World | undefined;
  let repo: string;
  let home: string;
  let runner: Runner;
  let asked: RunResult["approvals"];

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    const script = `i=0; while [ $i -lt ${ASKED} ]; do i=$((i+1)); echo "{\\"gitcrew\\":\\"approval\\",\\"kind\\":\\"package\\",\\"what\\":\\"pkg-$i\\",\\"reason\\":\\"needed\\"}" >> "$GITCREW_CHANNEL"; done`;
    repo = await makeCrewRepo([shAgent("asker", script, "limits:\n  network: none\n")]);
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
    const { agent } = await loadAgent(repo, "asker");
    const run = await runOnce(runner, repo, agent, "ask");
    expect(run.result.status, `${run.result.reason}\n${run.logs.join("\n")}`).toBe("succeeded");
    asked = run.result.approvals;
  }, 300_000);

  afterAll(async () => {
    w?.env.double.assertNoViolations();
    await w?.close();
    await runner?.close();
    for (const dir of [repo, home]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("opens at most five pull requests and says in the thread how many it did not open", async () => {
    expect(asked.length, "the agent's requests reached the run's result").toBeGreaterThan(MAX_REQUESTS_PER_RUN);
    w = await makeWorld();
    const { issue, job } = await askDev(w);
    const opened = await openApprovalRequests(w.s, job, resultWith(job, asked));
    const prs = w.env.double.pulls(w.env.fullName).filter((p) => p.labels.includes("gitcrew:approval"));
    expect(opened).toHaveLength(5);
    expect(prs).toHaveLength(5);
    const notes = w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("approvals in one run"));
    expect(notes).toHaveLength(1);
    expect(notes[0]!.body).toContain(`@dev asked for ${asked.length} approvals in one run; gitcrew opens at most 5 per run, so the other ${asked.length - 5} were not opened.`);
    // Asked again for the same run (a retried hook): no second note, no more pull requests.
    await openApprovalRequests(w.s, job, resultWith(job, asked));
    expect(w.env.double.pulls(w.env.fullName).filter((p) => p.labels.includes("gitcrew:approval"))).toHaveLength(5);
    expect(w.env.double.comments(w.env.fullName, issue).filter((c) => c.body.includes("approvals in one run"))).toHaveLength(1);
  }, 300_000);
});
