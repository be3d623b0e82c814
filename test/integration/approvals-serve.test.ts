/**
 * `gitcrew serve` (real server, real store, real pipeline; a stub runner in
 * place of containers): signed merge webhooks for one approval, delivered
 * again with the same and with a new delivery id, start one follow-up run.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunRequest } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";

const REPO = "acme/widgets";
let running: GitHubServer | undefined;
afterEach(async () => {
  running?.gh.double.assertNoViolations();
  await running?.stop();
  running = undefined;
});

describe("approvals through gitcrew serve", () => {
  it("a merge delivered three times (twice the same id, once a new id) starts one follow-up", async () => {
    const seen: RunRequest[] = [];
    const answers: Partial<RunResult>[] = [
      { answer: "Need jq.", approvals: [{ kind: "package", what: "jq", reason: "parse json" }] },
      { answer: "Used jq.", approvals: [] },
    ];
    const runner = {
      async run(req: RunRequest): Promise<RunResult> {
        seen.push(req);
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "", changedFiles: [], approvals: [], startedAt: now, finishedAt: now, ...(answers.shift() ?? {}) };
      },
    };
    const s = await startGitHubServer(
      { ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n', ...shAgentFiles("dev", "true") },
      { pipeline: { runner: async () => runner, engineUp: async () => true } },
    );
    running = s;
    const { double } = s.gh;
    double.setPermission(REPO, "bob", "write");
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "JSON", user: "bob" });
    const { payload } = double.addComment(REPO, issue.number, "bob", "@dev parse the json");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const pr = await until("the approval PR", async () => double.pulls(REPO).find((p) => p.pull?.head.startsWith("gitcrew/approval/") && p.labels.includes("gitcrew:approval")));
    await until("the first run to finish", async () => {
      const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r && !["queued", "running"].includes(r.status) ? r : undefined;
    });

    await double.octokit("alice").pulls.merge({ owner: "acme", repo: "widgets", pull_number: pr.number });
    const merged = structuredClone([...double.produced].reverse().find((p) => p.event === "pull_request" && p.payload.action === "closed")?.payload ?? {});
    const first = await double.deliver(s.webhookUrl, "pull_request", merged, SECRET);
    expect(first.status).toBe(202);
    expect((await double.deliver(s.webhookUrl, "pull_request", merged, SECRET, first.deliveryId)).status).toBe(202);
    expect((await double.deliver(s.webhookUrl, "pull_request", merged, SECRET)).status).toBe(202);

    await until("the follow-up to finish", async () => (seen.length >= 2 && double.comments(REPO, issue.number).some((c) => c.body.includes("Used jq.")) ? true : undefined));
    // Give the other deliveries every chance to (wrongly) start a second one.
    await until("all deliveries handled", async () => {
      const runs = await s.store.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return runs.every((r) => !["queued", "running"].includes(r.status)) ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen).toHaveLength(2);
    expect(seen[1]?.planned.prompt.startsWith(`Approved: @alice merged approval request #${pr.number}`)).toBe(true);
    expect(double.comments(REPO, issue.number).filter((c) => c.body.includes("✅ @alice approved"))).toHaveLength(1);
  });
});
