/**
 * Every request `gitcrew serve` accepts ends with an answer in its thread,
 * also when gitcrew itself fails: what failed, in plain words, and what to do
 * or that gitcrew tries again. Planning that fails for good (GitHub's answers,
 * a broken crew, the store refusing the runs), a run stopped before its
 * container (the engine unreachable), a run lost by its instance until no
 * attempt is left, a run cancelled before any claim, and a final comment
 * GitHub did not take (written again once GitHub answers).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunRequest } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import type { DefaultPipelineOptions } from "../../src/server/default-pipeline.js";
import type { StartOptions } from "../../src/server/index.js";
import { refusalMarker } from "../../src/github/marker.js";
import { examplePayload, pushCommit } from "../support/github-double/index.js";
import type { JsonObject } from "../support/github-double/spec.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { acceptRuns, refuseRuns } from "../support/store-faults.js";
import { BACKENDS } from "../support/stores.js";

const REPO = "acme/widgets";
const BOT = "gitcrew-bot[bot]";
const PERMISSION = "repos/get-collaborator-permission-level";

let running: GitHubServer[] = [];
afterEach(async () => {
  for (const s of running) {
    s.gh.double.clearFaults();
    s.gh.double.assertNoViolations();
    await s.stop();
  }
  running = [];
});

const says = (req: RunRequest): RunResult => {
  const now = new Date().toISOString();
  return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: `${req.agent.name} says hi`, changedFiles: [], approvals: [], startedAt: now, finishedAt: now };
};

async function server(
  files: Record<string, string>,
  o: { store?: string; pipeline?: DefaultPipelineOptions; server?: Partial<StartOptions>; env?: NodeJS.ProcessEnv; run?: (req: RunRequest) => Promise<RunResult>; realRunner?: boolean } = {},
): Promise<GitHubServer> {
  const runner = { run: o.run ?? (async (req: RunRequest) => says(req)) };
  const s = await startGitHubServer(files, {
    ...(o.store ? { store: o.store } : {}),
    pipeline: { ...(o.realRunner ? {} : { runner: async () => runner }), engineUp: async () => true, ...o.pipeline },
    ...(o.server ? { server: o.server } : {}),
    ...(o.env ? { env: o.env } : {}),
  });
  running.push(s);
  return s;
}

const ours = (s: GitHubServer, issue: number) => s.gh.double.comments(REPO, issue).filter((c) => c.user === BOT);

/** A thread with alice (write) asking `text`; returns the issue and the delivery. */
async function ask(s: GitHubServer, text: string): Promise<{ issue: number; deliveryId: string }> {
  const { double } = s.gh;
  double.setPermission(REPO, "alice", "write");
  const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
  const { payload } = double.addComment(REPO, issue.number, "alice", text);
  const d = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
  expect(d.status).toBe(202);
  return { issue: issue.number, deliveryId: d.deliveryId };
}

async function deliveryFailed(s: GitHubServer, id: string): Promise<void> {
  await until(`delivery ${id} to fail for good`, async () => s.logs.some((l) => l.startsWith(`delivery ${id}: planning failed:`)));
}

/** The one comment of gitcrew's in the thread once it reads `what`. */
async function answer(s: GitHubServer, issue: number, what: string): Promise<string> {
  const found = await until(`a comment saying "${what}"`, async () => ours(s, issue).find((c) => c.body.includes(what)));
  return found.body;
}

describe.each(BACKENDS)("planning that fails for good is answered in the thread on $name", (backend) => {
  it("GitHub refuses the permission lookup on every try: the early comment says GitHub failed and to comment again", { timeout: 120_000 }, async () => {
    const s = await server(shAgentFiles("dev", "true"), { store: await backend.fresh("fail-github") });
    // Every try of every planning attempt is throttled (retry-after 0: no waiting between the client's tries).
    s.gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 1000);
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    await deliveryFailed(s, deliveryId);
    const body = await answer(s, issue, "could not read what it needs from GitHub");
    expect(body).toContain("❌ **dev** failed");
    expect(body).toContain("GitHub answered 429");
    expect(body).toContain("**What to do:** comment again in a few minutes");
    expect(body).not.toContain("queued");
    expect(body).not.toMatch(/\n\s+at /);
    expect(ours(s, issue)).toHaveLength(1);
    expect(await s.store.getRun(`${deliveryId}:dev`)).toBeUndefined();
    // Counted for the operator too (a schedule's failure has no thread: this and the log are where it shows).
    expect(await (await fetch(`${s.server.url}/metrics`)).text()).toContain('gitcrew_deliveries_failed_total{event="issue_comment"} 1');
  });

  it("the store refuses the planned runs on every try: the tracking comment says the run could not be queued, not 'queued'", { timeout: 120_000 }, async () => {
    const s = await server(shAgentFiles("dev", "true"), { store: await backend.fresh("fail-store") });
    await refuseRuns(s.storeSpec, "database or disk is full");
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    await deliveryFailed(s, deliveryId);
    const body = await answer(s, issue, "could not queue the run");
    expect(body).toContain("❌ **dev** failed");
    expect(body).toContain("its database failed (");
    expect(body).toContain("disk is full");
    expect(body).toContain("**What to do:** comment again");
    expect(body).not.toContain("queued:");
    expect(ours(s, issue)).toHaveLength(1);
    expect(s.logs.filter((l) => l.includes(`delivery ${deliveryId}: planning failed, will retry`)).length).toBeGreaterThan(0);
  });

  it("the store refuses the runs once: the delivery is planned again and the run answers, in one comment", { timeout: 120_000 }, async () => {
    const s = await server(shAgentFiles("dev", "true"), { store: await backend.fresh("fail-store-once"), server: { retryBaseMs: 1500 } });
    await refuseRuns(s.storeSpec, "could not extend file");
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    await until("the first refusal", async () => s.logs.some((l) => l.startsWith(`delivery ${deliveryId}: planning failed, will retry`)));
    await acceptRuns(s.storeSpec);
    await until("the run to succeed", async () => (await s.store.getRun(`${deliveryId}:dev`))?.status === "succeeded");
    await answer(s, issue, "dev says hi");
    expect(ours(s, issue)).toHaveLength(1);
  });
});

describe.each(BACKENDS)("an approval whose run the store never takes, on $name", (backend) => {
  it("/approve of a refused run: the claim is posted, every insert fails, and the thread is told what failed and to approve again; approving again runs it once", { timeout: 180_000 }, async () => {
    const s = await server({ ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n', ...shAgentFiles("ops", "true") }, { store: await backend.fresh("approve-not-queued") });
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    double.setPermission(REPO, "dave", "read");
    const issue = double.addIssue(REPO, { title: "Deploy", user: "dave" }).number;
    const asked = double.addComment(REPO, issue, "dave", "@ops please restart staging");
    expect((await double.deliver(s.webhookUrl, "issue_comment", asked.payload, SECRET)).status).toBe(202);
    await answer(s, issue, "did not start");
    await refuseRuns(s.storeSpec, "database or disk is full");
    const approve = double.addComment(REPO, issue, "alice", "/approve");
    const d = await double.deliver(s.webhookUrl, "issue_comment", approve.payload, SECRET);
    expect(d.status).toBe(202);
    await deliveryFailed(s, d.deliveryId);
    const body = await answer(s, issue, "could not queue the approved run");
    expect(body).toContain("❌ **ops** could not start: the approval is recorded, but gitcrew could not queue the approved run: its database failed (");
    expect(body).toContain("disk is full");
    expect(body).toContain("**What to do:** comment `/approve` again once the server's store works");
    expect(body).not.toMatch(/\n\s+at /);
    expect(body).not.toContain("<!--");
    expect(ours(s, issue).filter((c) => c.body.includes("could not queue the approved run"))).toHaveLength(1);

    // What the answer says to do works: the same run, once.
    await acceptRuns(s.storeSpec);
    const again = double.addComment(REPO, issue, "alice", "/approve");
    expect((await double.deliver(s.webhookUrl, "issue_comment", again.payload, SECRET)).status).toBe(202);
    await answer(s, issue, "ops says hi");
    const runs = await s.store.listRuns({ threadKey: `${REPO}#${issue}` });
    expect(runs.map((r) => r.id)).toHaveLength(1);
    expect(runs[0]?.id).toMatch(/^approved-[0-9a-f]{20}$/);
  });
});

describe("a command of gitcrew's that names no agent", () => {
  it("/approve whose planning fails for good (GitHub refuses every lookup) is answered: not carried out, why, what to do", { timeout: 120_000 }, async () => {
    const s = await server(shAgentFiles("dev", "true"));
    s.gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 1000);
    const { issue, deliveryId } = await ask(s, "/approve");
    await deliveryFailed(s, deliveryId);
    const body = await answer(s, issue, "was not carried out");
    expect(body).toContain("❌ `/approve` was not carried out: gitcrew could not read what it needs from GitHub");
    expect(body).toContain("GitHub answered 429");
    expect(body).toContain("**What to do:** comment again in a few minutes");
    expect(body).not.toMatch(/\n\s+at /);
    expect(ours(s, issue)).toHaveLength(1);
  });
});

/** alice's approving review of pull request `pr`, as GitHub delivers it (`fork`: as from mallory's fork). */
async function approveInReview(s: GitHubServer, pr: number, o: { fork?: boolean } = {}): Promise<string> {
  const { double } = s.gh;
  await double.octokit("alice").pulls.createReview({ owner: "acme", repo: "widgets", pull_number: pr, event: "APPROVE", body: "ship it" });
  const review = structuredClone([...double.produced].reverse().find((p) => p.event === "pull_request_review")?.payload ?? {}) as JsonObject & { pull_request: { head: { repo: Record<string, unknown> } } };
  if (o.fork) review.pull_request.head.repo = { ...review.pull_request.head.repo, full_name: "mallory/widgets", fork: true };
  const d = await double.deliver(s.webhookUrl, "pull_request_review", review, SECRET);
  expect(d.status).toBe(202);
  return d.deliveryId;
}

/** A pull request from branch `head` (opened by bob). */
async function pullFrom(s: GitHubServer, head: string): Promise<number> {
  await pushCommit(s.gh.bareDir, head, { "src/fix.ts": "fixed\n" }, "fix", "main");
  const { data } = await s.gh.double.octokit("bob").pulls.create({ owner: "acme", repo: "widgets", head, base: "main", title: "Fix", body: "by @dev" });
  return data.number;
}

describe.each(BACKENDS)("accepted requests that name no agent by text, planning failing for good, on $name", (backend) => {
  const files = { ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n', ...shAgentFiles("dev", "true", "gated: [merge]\ntriggers:\n  assigned: true\n") };

  it("an approving review of an agent's gated pull request is answered in its thread: not carried out, why, approve again in a new review", { timeout: 120_000 }, async () => {
    const s = await server(files, { store: await backend.fresh("review-fails") });
    s.gh.double.setPermission(REPO, "alice", "write");
    s.gh.double.setPermission(REPO, "bob", "write");
    const pr = await pullFrom(s, "gitcrew/dev/7");
    s.gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 1000);
    const deliveryId = await approveInReview(s, pr);
    await deliveryFailed(s, deliveryId);
    const body = await answer(s, pr, "was not carried out");
    expect(body).toContain("❌ The approving review by @alice was not carried out: gitcrew could not read what it needs from GitHub to start the run (GitHub answered 429)");
    expect(body).toContain("**What to do:** approve the pull request again in a new review in a few minutes, once GitHub answers.");
    expect(body).not.toMatch(/\n\s+at /);
    expect(ours(s, pr)).toHaveLength(1);
  });

  it("an approving review of a fork's pull request where gitcrew refused runs is answered; one where it refused none, and one of a person's branch, are not", { timeout: 120_000 }, async () => {
    const s = await server(files, { store: await backend.fresh("review-fork-fails") });
    s.gh.double.setPermission(REPO, "alice", "write");
    s.gh.double.setPermission(REPO, "bob", "write");
    const refused = await pullFrom(s, "mallory-fix");
    // gitcrew's earlier refusal in the fork's pull request (as replyToRefusals writes it).
    s.gh.double.addComment(REPO, refused, BOT, `@mallory thanks! @dev did not start:\n${refusalMarker({ key: "pull_request.opened@abc", agent: "dev", sha: "abc", actor: "mallory", event: "pull_request.opened", code: "untrusted" })}`);
    const quiet = await pullFrom(s, "mallory-docs");
    const mine = await pullFrom(s, "bob-feature");
    s.gh.double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 1000);
    const ids = [await approveInReview(s, refused, { fork: true }), await approveInReview(s, quiet, { fork: true }), await approveInReview(s, mine)];
    for (const id of ids) await deliveryFailed(s, id);
    const body = await answer(s, refused, "was not carried out");
    expect(body).toContain("❌ The approving review by @alice was not carried out: gitcrew could not read what it needs from GitHub");
    expect(ours(s, refused)).toHaveLength(2);
    expect(ours(s, quiet)).toHaveLength(0);
    expect(ours(s, mine)).toHaveLength(0);
  });

  it("an issue assigned to an agent (triggers.assigned) is answered: the agent could not start, why, what to do", { timeout: 120_000 }, async () => {
    const s = await server(files, { store: await backend.fresh("assigned-fails") });
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Fix the build", user: "alice" });
    // The issue, repository and sender as the double shows them, in GitHub's issues.assigned example.
    const shown = double.addComment(REPO, issue.number, "alice", "context").payload as JsonObject & { issue: JsonObject; sender: JsonObject };
    const payload = examplePayload("issues", "assigned", { action: "assigned", issue: shown.issue, assignee: { ...shown.sender, login: "dev", id: 4242 }, repository: shown.repository as JsonObject, sender: shown.sender });
    double.failNext(PERMISSION, { kind: "too-many-requests", retryAfterSeconds: 0 }, 1000);
    const d = await double.deliver(s.webhookUrl, "issues", payload, SECRET);
    expect(d.status).toBe(202);
    await deliveryFailed(s, d.deliveryId);
    const body = await answer(s, issue.number, "could not");
    expect(body).toMatch(/❌ \*\*dev\*\* (could not start|failed)/);
    expect(body).toContain("GitHub answered 429");
    expect(ours(s, issue.number)).toHaveLength(1);
  });
});

describe("a crew broken on the default branch", () => {
  it("a mention of an agent is answered with what is wrong and what to do; a comment naming no agent is not", { timeout: 120_000 }, async () => {
    const s = await server({ ".gitcrew/agents/dev/agent.yaml": "runtime: [not, a, runtime\n", ".gitcrew/agents/dev/instructions.md": "x\n" });
    const named = await ask(s, "@dev please look");
    const other = await ask(s, "a remark for @bob");
    await deliveryFailed(s, named.deliveryId);
    await deliveryFailed(s, other.deliveryId);
    const body = await answer(s, named.issue, "could not start");
    expect(body).toContain("❌ **dev** could not start: the crew on main does not load (");
    expect(body).toContain("agent.yaml");
    expect(body).toContain("**What to do:** run `npx gitcrew validate` on main, fix what it reports, push, then comment again.");
    expect(ours(s, named.issue)).toHaveLength(1);
    expect(ours(s, other.issue)).toHaveLength(0);
  });
});

describe("a run that cannot go on", () => {
  it("the Docker engine cannot be reached when the run starts: its one comment says so at each attempt, and at the last what to do", { timeout: 120_000 }, async () => {
    const s = await server(shAgentFiles("dev", "true"), { realRunner: true, env: { DOCKER_HOST: "unix:///nonexistent/gitcrew-test/docker.sock" }, server: { retryBaseMs: 100 } });
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    const run = await until("the run to fail", async () => {
      const r = await s.store.getRun(`${deliveryId}:dev`);
      return r?.status === "failed" ? r : undefined;
    });
    expect(run.attempt).toBe(3);
    const body = await answer(s, issue, "❌ **dev** failed");
    expect(ours(s, issue)).toHaveLength(1);
    expect(body).toMatch(/docker|engine/i);
    expect(body).toContain("**What to do:**");
    expect(body).not.toContain("tries again");
    expect(body).not.toContain("queued");
    expect(body).not.toMatch(/\n\s+at /);
    // On the way, the same comment said another attempt follows.
    const edits = s.gh.double.calls("issues/update-comment").map((c) => String((c.body as { body?: string } | undefined)?.body ?? ""));
    expect(edits.some((b) => b.includes("nothing to do: gitcrew tries again shortly (attempt 2 of 3)"))).toBe(true);
  });
});

describe.each(BACKENDS)("runs no executor finishes, on $name", (backend) => {
  it("a run whose instance stops renewing its lease, attempt after attempt: its comment says it is tried again, then that no attempt is left", { timeout: 120_000 }, async () => {
    // This server claims nothing (its engine is down); a "ghost" instance claims the run and vanishes each time.
    const s = await server(shAgentFiles("dev", "true"), { store: await backend.fresh("lost-lease"), pipeline: { engineUp: async () => false }, server: { leaseMs: 600 } });
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    const id = `${deliveryId}:dev`;
    await until("the run to be queued", async () => (await s.store.getRun(id))?.status === "queued");
    for (let attempt = 1; attempt <= 3; attempt++) {
      const claimed = await until(`the ghost's claim of attempt ${attempt}`, async () => s.store.claimRun({ owner: "ghost", now: Date.now(), leaseMs: 1, ownerLimit: 1 }));
      expect([claimed.id, claimed.attempt]).toEqual([id, attempt]);
      await s.store.markStarted(id, "ghost", Date.now(), { containerId: "c0ffee" });
      if (attempt < 3) await answer(s, issue, `tries again shortly (attempt ${attempt + 1} of 3)`);
    }
    expect((await until("the run to fail", async () => ((await s.store.getRun(id))?.status === "failed" ? true : undefined))) ?? false).toBe(true);
    const body = await answer(s, issue, "no attempt is left");
    expect(body).toContain("❌ **dev** failed");
    expect(body).toContain("the server running this run (attempt 3) stopped answering");
    expect(body).toContain("**What to do:** comment again to start a new run");
    expect(ours(s, issue)).toHaveLength(1);
  });

  it("a queued run cancelled before any runner took it: its comment says it was cancelled", { timeout: 120_000 }, async () => {
    // No instance edits queue positions here (as when the instance that planned it is gone).
    const s = await server(shAgentFiles("dev", "true"), { store: await backend.fresh("cancel-queued"), pipeline: { engineUp: async () => false }, server: { queueComments: false } });
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    await until("the run to be queued", async () => (await s.store.getRun(`${deliveryId}:dev`))?.status === "queued");
    const cancel = s.gh.double.addComment(REPO, issue, "alice", "/cancel");
    expect((await s.gh.double.deliver(s.webhookUrl, "issue_comment", cancel.payload, SECRET)).status).toBe(202);
    await until("the run to be cancelled", async () => (await s.store.getRun(`${deliveryId}:dev`))?.status === "cancelled");
    const body = await answer(s, issue, "was cancelled");
    expect(body).toContain("🚫 **dev** was cancelled");
    expect(body).toContain("cancelled before it started");
    expect(body).toContain("**What to do:** comment again to start a new run");
    expect(ours(s, issue).filter((c) => c.body.includes("queued"))).toHaveLength(0);
  });
});

describe("a queued run cancelled through the API (gitcrew cancel, the dashboard)", () => {
  it("its comment says it was cancelled, not queued", { timeout: 120_000 }, async () => {
    const s = await server(shAgentFiles("dev", "true"), { pipeline: { engineUp: async () => false }, server: { queueComments: false } });
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    const id = `${deliveryId}:dev`;
    await until("the run to be queued", async () => (await s.store.getRun(id))?.status === "queued");
    const res = await fetch(`${s.server.url}/api/runs/${encodeURIComponent(id)}/cancel`, { method: "POST", headers: { authorization: "Bearer t" } });
    expect(res.status).toBe(202);
    const body = await answer(s, issue, "was cancelled");
    expect(body).toContain("🚫 **dev** was cancelled");
    expect(body).toContain("cancelled before it started");
    expect(ours(s, issue)).toHaveLength(1);
  });
});

describe("GitHub does not take the final comment", () => {
  it("it is written again once GitHub answers, and the log says so once", { timeout: 120_000 }, async () => {
    let s: GitHubServer | undefined;
    const run = async (req: RunRequest): Promise<RunResult> => {
      const gh = s as GitHubServer;
      // Once the run's "working" edit landed (the queued comment says "working" too, with its queue line), GitHub
      // breaks down for two full rounds of the client's tries. The runner is asked while that edit is on its way.
      await until("the working comment", async () => ours(gh, 1).some((c) => c.body.includes("is working on it") && !c.body.includes("queued")));
      gh.gh.double.failNext("issues/update-comment", { kind: "server-error", status: 503 }, 8);
      return says(req);
    };
    s = await server(shAgentFiles("dev", "true"), { run, pipeline: { answerRetryMs: 200 } });
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    expect(issue).toBe(1);
    await until("the run to succeed", async () => (await s.store.getRun(`${deliveryId}:dev`))?.status === "succeeded");
    const body = await answer(s, issue, "dev says hi");
    expect(body).toContain("✅ **dev** finished");
    expect(ours(s, issue)).toHaveLength(1);
    const put = s.logs.filter((l) => l.includes("not written, GitHub does not answer"));
    expect(put).toHaveLength(1);
    expect(put[0]).toContain(`the final comment of run ${deliveryId.replace(/[^A-Za-z0-9._-]+/g, "_")}`);
    // The comment is in the thread before GitHub's answer reaches the server: its log line follows.
    await until("the log to say it was written", async () => s.logs.some((l) => l.includes("written after GitHub answered again")));
    expect(s.logs.filter((l) => l.includes("written after GitHub answered again"))).toHaveLength(1);
  });
});

describe.each(BACKENDS)("an answer GitHub does not take, across a restart of serve, on $name", (backend) => {
  it("is kept in the store and written by the restarted server once GitHub answers again", { timeout: 120_000 }, async () => {
    let s: GitHubServer | undefined;
    const run = async (req: RunRequest): Promise<RunResult> => {
      const gh = s as GitHubServer;
      // Once the run's "working" edit landed, GitHub stops taking edits until the test says so.
      await until("the working comment", async () => ours(gh, 1).some((c) => c.body.includes("is working on it") && !c.body.includes("queued")));
      gh.gh.double.failNext("issues/update-comment", { kind: "server-error", status: 503 }, 100_000);
      return says(req);
    };
    s = await server(shAgentFiles("dev", "true"), { store: await backend.fresh("outbox-restart"), run, pipeline: { answerRetryMs: 200 } });
    const { issue, deliveryId } = await ask(s, "@dev say hi");
    expect(issue).toBe(1);
    await until("the run to succeed", async () => (await s.store.getRun(`${deliveryId}:dev`))?.status === "succeeded");
    await until("the answer put off", async () => s.logs.some((l) => l.includes("not written, GitHub does not answer")));
    await s.halt();
    expect(ours(s, issue).some((c) => c.body.includes("dev says hi"))).toBe(false);

    // GitHub answers again; serve starts again on the same store.
    s.gh.double.clearFaults();
    const back = await startGitHubServer({}, { again: s, pipeline: { runner: async () => ({ run: async (req: RunRequest) => says(req) }), engineUp: async () => true, answerRetryMs: 200 } });
    running = [back];
    const body = await answer(back, issue, "dev says hi");
    expect(body).toContain("✅ **dev** finished");
    expect(ours(back, issue)).toHaveLength(1);
    await until("the answer to leave the store", async () => (await back.store.answers.count()) === 0);
    expect(back.logs.filter((l) => l.includes("written after GitHub answered again"))).toHaveLength(1);
  });
});
