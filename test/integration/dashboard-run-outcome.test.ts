/**
 * What a finished run left, kept in the store and shown by the dashboard's
 * API (real serve, real store on both backends, real HTTP): a `command` agent
 * in Docker that writes a file and answers shows its answer (masked, as
 * data), its changed files and its pull request in /api/runs/:id and
 * /api/runs; a run that asked for an approval lists it in /api/approvals
 * with its PR and the crew's approvers, and the decision once merged.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunRequest } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { execOn } from "../support/store-faults.js";
import { BACKENDS } from "../support/stores.js";

const REPO = "acme/widgets";
const MODEL_KEY = "mk-live-9d1f0c7a55e24b1e";
const HOSTILE = `<img src=x onerror=alert(1)></pre><script>alert("x")</script>`;
let running: GitHubServer | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  running?.gh.double.assertNoViolations();
  await running?.stop();
  running = undefined;
});

async function api(s: GitHubServer, path: string): Promise<{ status: number; type: string | null; body: Record<string, unknown> }> {
  const res = await fetch(`${s.server.url}${path}`, { headers: { authorization: "Bearer t" } });
  return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as Record<string, unknown> };
}

async function finishedRun(s: GitHubServer, issue: number) {
  return until("the run to finish", async () => {
    const [r] = await s.store.listRuns({ threadKey: `${REPO}#${issue}` });
    return r && r.status !== "queued" && r.status !== "running" ? r : undefined;
  }, 1200);
}

describe.each(BACKENDS)("a run's outcome in the dashboard API on $name", (backend) => {
  it("a command agent that writes a file and answers: answer (masked, as data), changed files and PR in /api/runs/:id", async () => {
    const script = `printf 'hello\\n' > notes.txt; echo ${JSON.stringify(HOSTILE)}; echo "key is $MODEL_KEY"`;
    const s = await startGitHubServer(shAgentFiles("dev", script, 'secrets: ["MODEL_KEY"]\npermissions: { contents: "write", issues: "write", pull_requests: "write" }\n'), {
      store: await backend.fresh("dash-outcome"),
      env: { MODEL_KEY },
    });
    running = s;
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Notes", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev write the notes");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const run = await finishedRun(s, issue.number);
    expect(run.status).toBe("succeeded");
    const pr = double.pulls(REPO).find((p) => p.pull?.head.startsWith("gitcrew/dev/"));
    expect(pr).toBeDefined();

    const detail = await api(s, `/api/runs/${encodeURIComponent(run.id)}`);
    expect(detail.status).toBe(200);
    expect(detail.type).toMatch(/^application\/json/);
    const answer = String(detail.body.answer);
    // The hostile text is data inside JSON: the page renders it as text.
    expect(answer).toContain("<script>alert(");
    expect(answer).toContain("onerror=alert(1)");
    // The secret the agent echoed is masked in what was kept.
    expect(answer).toContain("key is ");
    expect(answer).not.toContain(MODEL_KEY);
    expect(JSON.stringify(detail.body)).not.toContain(MODEL_KEY);
    expect(detail.body.changedFiles).toEqual(["notes.txt"]);
    const row = detail.body.run as Record<string, unknown>;
    expect(row.pullRequest).toEqual({ number: pr!.number, url: expect.stringContaining(`/pull/${pr!.number}`) });
    expect(row.branch).toBe(pr!.pull?.head);
    expect(detail.body.approvals).toEqual([]);

    // The runs list carries the PR and branch, not the answer.
    const list = await api(s, "/api/runs?limit=5");
    const listed = (list.body.runs as Record<string, unknown>[]).find((r) => r.id === run.id);
    expect(listed?.pullRequest).toEqual(row.pullRequest);
    expect(listed?.branch).toBe(pr!.pull?.head);
    expect(JSON.stringify(list.body)).not.toContain("key is");
  });

  it("a run that asked for an approval: the request in /api/approvals with its PR and approvers, decided once merged", async () => {
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
      { pipeline: { runner: async () => runner, engineUp: async () => true }, store: await backend.fresh("dash-approvals") },
    );
    running = s;
    const { double } = s.gh;
    double.setPermission(REPO, "bob", "write");
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "JSON", user: "bob" });
    const { payload } = double.addComment(REPO, issue.number, "bob", "@dev parse the json");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const pr = await until("the approval PR", async () => double.pulls(REPO).find((p) => p.labels.includes("gitcrew:approval")));
    const run = await finishedRun(s, issue.number);
    expect(run.status).toBe("awaiting_approval");

    const open = await api(s, "/api/approvals");
    expect(open.status).toBe(200);
    const approvals = open.body.approvals as Record<string, unknown>[];
    expect(approvals).toHaveLength(1);
    expect(approvals[0]).toMatchObject({
      repo: REPO,
      agent: "dev",
      runId: run.id,
      kind: "package",
      reason: "parse json",
      pr: { number: pr.number, url: expect.stringContaining(`/pull/${pr.number}`), state: "open" },
      approvers: ["@alice"],
    });
    expect(approvals[0]?.decision).toBeUndefined();
    const detail = await api(s, `/api/runs/${encodeURIComponent(run.id)}`);
    expect(detail.body.answer).toBe("Need jq.");
    expect(detail.body.approvals).toEqual(approvals);

    await double.octokit("alice").pulls.merge({ owner: "acme", repo: "widgets", pull_number: pr.number });
    const merged = structuredClone([...double.produced].reverse().find((p) => p.event === "pull_request" && p.payload.action === "closed")?.payload ?? {});
    expect((await double.deliver(s.webhookUrl, "pull_request", merged, SECRET)).status).toBe(202);
    await until("the follow-up to answer", async () => (double.comments(REPO, issue.number).some((c) => c.body.includes("Used jq.")) ? true : undefined));

    expect((await api(s, "/api/approvals")).body.approvals).toEqual([]);
    const all = (await api(s, "/api/approvals?state=all")).body.approvals as Record<string, unknown>[];
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ runId: run.id, decision: "approved", decidedBy: "alice", followUpRunId: seen[1]?.runId, pr: { number: pr.number, state: "approved" } });
  });
  /** A server whose dev asks for jq; the approval PR and the finished run. */
  async function askedForJq(label: string) {
    const runner = {
      async run(req: RunRequest): Promise<RunResult> {
        const now = new Date().toISOString();
        return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: "Need jq.", changedFiles: [], approvals: [{ kind: "package", what: "jq", reason: "parse json" }], startedAt: now, finishedAt: now };
      },
    };
    const s = await startGitHubServer(
      { ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n', ...shAgentFiles("dev", "true") },
      { pipeline: { runner: async () => runner, engineUp: async () => true }, store: await backend.fresh(label) },
    );
    running = s;
    const { double } = s.gh;
    double.setPermission(REPO, "bob", "write");
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "JSON", user: "bob" });
    const { payload } = double.addComment(REPO, issue.number, "bob", "@dev parse the json");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const pr = await until("the approval PR", async () => double.pulls(REPO).find((p) => p.labels.includes("gitcrew:approval")));
    const run = await finishedRun(s, issue.number);
    expect(run.status).toBe("awaiting_approval");
    expect(((await api(s, "/api/approvals")).body.approvals as unknown[]).length).toBe(1);
    return { s, issue: issue.number, pr: pr.number, run };
  }

  it("a request whose PR was closed without merging is listed as rejected, read from the store: no PR state asked of GitHub", async () => {
    const { s, issue, pr, run } = await askedForJq("dash-rejected");
    const { double } = s.gh;
    await double.octokit("alice").pulls.update({ owner: "acme", repo: "widgets", pull_number: pr, state: "closed" });
    const closed = structuredClone([...double.produced].reverse().find((p) => p.event === "pull_request" && p.payload.action === "closed")?.payload ?? {});
    expect((await double.deliver(s.webhookUrl, "pull_request", closed, SECRET)).status).toBe(202);
    await until("the rejection in the thread", async () => double.comments(REPO, issue).some((c) => c.body.includes("it is **rejected**")));
    await until("the PR labelled resolved", async () => double.pulls(REPO).find((p) => p.number === pr)?.labels.includes("gitcrew:resolved"));

    const asked = double.calls("pulls/get").length;
    expect((await api(s, "/api/approvals")).body.approvals).toEqual([]);
    const all = (await api(s, "/api/approvals?state=all")).body.approvals as Record<string, unknown>[];
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ runId: run.id, decision: "rejected", decidedBy: "alice", pr: { number: pr, state: "closed" } });
    const detail = await api(s, `/api/runs/${encodeURIComponent(run.id)}`);
    expect(detail.body.approvals).toEqual(all);
    // The dashboard asked GitHub for no pull request's state.
    expect(double.calls("pulls/get")).toHaveLength(asked);
  });

  it("a request of a run stored before decisions were recorded, closed while nobody listened: its PR's state is asked of GitHub, and it shows rejected", async () => {
    const { s, pr, run } = await askedForJq("dash-rejected-legacy");
    const { double } = s.gh;
    // The run's outcome as an earlier version stored it: no decisionsRecorded.
    const outcome = JSON.stringify({ ...run.outcome, decisionsRecorded: undefined }).replace(/'/g, "''");
    await execOn(s.storeSpec, [`UPDATE gc_runs SET outcome = '${outcome}' WHERE id = '${run.id.replace(/'/g, "''")}'`]);
    await double.octokit("alice").pulls.update({ owner: "acme", repo: "widgets", pull_number: pr, state: "closed" });
    const asked = double.calls("pulls/get").length;
    const all = (await api(s, "/api/approvals?state=all")).body.approvals as Record<string, unknown>[];
    expect(all[0]).toMatchObject({ runId: run.id, decision: "rejected", pr: { number: pr, state: "closed" } });
    expect(double.calls("pulls/get").length).toBeGreaterThan(asked);
  });
});
