/**
 * The tracking comment does not wait for planning's GitHub lookups: it is
 * posted with 👀, before the actor's permission is asked. To show the order
 * without timing anything, the double holds the permission lookup until a
 * comment of gitcrew's is in the thread (at most HOLD_MS): on the old
 * pipeline, which posted the tracking comment only after planning, the
 * permission answer comes first. Then what planning decides settles the
 * early comment, and the thread reads as it did without early comments:
 * - a planned run takes it over (edits it; planning's own read of the
 *   thread, the prompt's history, does not see it);
 * - a refusal is written into it (one comment, the refusal), and `/approve`
 *   of that refusal still runs the agent;
 * - of two agents addressed, the one that runs keeps its comment and the
 *   refused one's becomes the refusal;
 * - when planning fails and is tried again, it is withdrawn and posted again
 *   (one comment in the end).
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RunRequest } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { BACKENDS } from "../support/stores.js";

const REPO = "acme/widgets";
const BOT = "gitcrew-bot[bot]";
const PERMISSION = "repos/get-collaborator-permission-level";
/** How long the permission lookup is held at most (the old pipeline waits it out; generous for a loaded machine). */
const HOLD_MS = 15_000;

let running: GitHubServer[] = [];
afterEach(async () => {
  for (const s of running) {
    s.gh.double.assertNoViolations();
    await s.stop();
  }
  running = [];
});

/** A server whose runner is a stub: it records each request and answers "<agent> says hi". */
async function server(files: Record<string, string>, store?: string): Promise<{ s: GitHubServer; seen: RunRequest[] }> {
  const seen: RunRequest[] = [];
  const runner = {
    async run(req: RunRequest): Promise<RunResult> {
      seen.push(req);
      const now = new Date().toISOString();
      return { run: req.runId ?? "r", agent: req.agent.name, status: "succeeded", exitCode: 0, answer: `${req.agent.name} says hi`, changedFiles: [], approvals: [], startedAt: now, finishedAt: now };
    },
  };
  const s = await startGitHubServer(files, { ...(store ? { store } : {}), pipeline: { runner: async () => runner, engineUp: async () => true } });
  running.push(s);
  return { s, seen };
}

/** Holds every permission lookup until gitcrew has `count` comments in the thread (or HOLD_MS passed). */
function holdPermissionUntilTracking(s: GitHubServer, issue: number, count = 1): void {
  const { double } = s.gh;
  double.setLatency((op) => {
    if (op !== PERMISSION) return undefined;
    return (async () => {
      for (let waited = 0; waited < HOLD_MS && double.comments(REPO, issue).filter((c) => c.user === BOT).length < count; waited += 10) await new Promise((r) => setTimeout(r, 10));
    })();
  });
}

const ours = (s: GitHubServer, issue: number) => s.gh.double.comments(REPO, issue).filter((c) => c.user === BOT);
const ops = (s: GitHubServer) => s.gh.double.requests.map((r) => r.operationId);

async function finished(s: GitHubServer, runId: string) {
  return until(`run ${runId} to finish`, async () => {
    const r = await s.store.getRun(runId);
    return r && !["queued", "running"].includes(r.status) ? r : undefined;
  });
}

describe.each(BACKENDS)("the tracking comment before planning's lookups on $name", (backend) => {
  it("is posted before the permission lookup is answered, then taken over by the run; the prompt's history does not show it", async () => {
    const { s, seen } = await server(shAgentFiles("dev", "true"), await backend.fresh("early-tracking"));
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    double.addComment(REPO, issue.number, "bob", "an earlier remark");
    const { payload, comment } = double.addComment(REPO, issue.number, "alice", "@dev say hi");
    holdPermissionUntilTracking(s, issue.number);
    const d = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect(d.status).toBe(202);
    expect((await finished(s, `${d.deliveryId}:dev`)).status).toBe("succeeded");

    const order = ops(s);
    expect(order.indexOf("issues/create-comment")).toBeGreaterThanOrEqual(0);
    expect(order.indexOf("issues/create-comment")).toBeLessThan(order.indexOf(PERMISSION));
    expect(order.filter((o) => o === "issues/create-comment")).toHaveLength(1);
    const mine = ours(s, issue.number);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toContain("dev says hi");
    expect(mine[0]?.body).not.toContain("queued");
    expect(double.reactions(REPO, { kind: "comment", id: comment.id }).map((r) => `${r.user}:${r.content}`)).toEqual([`${BOT}:eyes`]);
    // Planning read the thread after the early comment was posted: its history is the thread without it.
    expect(seen).toHaveLength(1);
    expect(seen[0]?.planned.prompt).toContain("an earlier remark");
    expect(seen[0]?.planned.prompt).not.toContain("queued");
    expect(seen[0]?.planned.prompt).not.toContain("gitcrew:origin");
  });
});

describe("what planning decides settles the early comment", () => {
  it("a refusal (no permission) is written into the early comment: one comment, the refusal; /approve then runs the agent once", async () => {
    const { s, seen } = await server(shAgentFiles("dev", "true"));
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "read");
    double.setPermission(REPO, "maya", "admin");
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev please tidy the README");
    holdPermissionUntilTracking(s, issue.number);
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const refusal = await until("the refusal", async () => ours(s, issue.number).find((c) => c.body.includes("did not start")));

    const order = ops(s);
    expect(order.indexOf("issues/create-comment")).toBeLessThan(order.indexOf(PERMISSION));
    expect(ours(s, issue.number).map((c) => c.id)).toEqual([refusal.id]);
    expect(refusal.body).toContain("@alice thanks! @dev did not start");
    expect(refusal.body).not.toContain("queued");
    expect(refusal.body).not.toContain("gitcrew:origin");
    expect(double.calls("issues/update-comment").map((c) => c.params.comment_id)).toContain(String(refusal.id));
    expect(double.calls("issues/delete-comment")).toHaveLength(0);
    expect(seen).toHaveLength(0);

    // The refusal in the edited comment is what /approve finds.
    double.setLatency(undefined);
    const approve = double.addComment(REPO, issue.number, "maya", "/approve");
    expect((await double.deliver(s.webhookUrl, "issue_comment", approve.payload, SECRET)).status).toBe(202);
    await until("the approved run", async () => (seen.length && ours(s, issue.number).some((c) => c.body.includes("dev says hi")) ? true : undefined));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.planned.prompt).toContain("please tidy the README");
  });

  it("two agents addressed, one refused: the one that runs keeps its early comment, the refused one's becomes the refusal", async () => {
    const { s, seen } = await server({ ...shAgentFiles("dev", "true"), ...shAgentFiles("ops", "true", "allow:\n  permission: admin\n") });
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev @ops have a look");
    holdPermissionUntilTracking(s, issue.number, 2);
    const d = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect((await finished(s, `${d.deliveryId}:dev`)).status).toBe("succeeded");
    expect(await s.store.getRun(`${d.deliveryId}:ops`)).toBeUndefined();

    const mine = ours(s, issue.number);
    expect(mine).toHaveLength(2);
    const [answer, refusal] = [mine.find((c) => c.body.includes("dev says hi")), mine.find((c) => c.body.includes("did not start"))];
    expect(answer).toBeDefined();
    expect(refusal?.body).toContain("@ops did not start");
    expect(refusal?.body).not.toContain("@dev");
    expect(mine.some((c) => c.body.includes("queued"))).toBe(false);
    // Both were posted before the permission was known, and none was posted or deleted after.
    const order = ops(s);
    expect(order.filter((o) => o === "issues/create-comment")).toHaveLength(2);
    expect(order.lastIndexOf("issues/create-comment")).toBeLessThan(order.indexOf(PERMISSION));
    expect(double.calls("issues/delete-comment")).toHaveLength(0);
    expect(seen.map((r) => r.agent.name)).toEqual(["dev"]);
  });

  it("planning that fails (GitHub 503 on the permission) withdraws the early comment; tried again, the run ends with one comment", async () => {
    const { s, seen } = await server(shAgentFiles("dev", "true"));
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev say hi");
    holdPermissionUntilTracking(s, issue.number);
    // As many 503s as the client tries (4): planning fails as temporary and the delivery is tried again.
    double.failNext(PERMISSION, { kind: "server-error", status: 503 }, 4);
    const d = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect((await finished(s, `${d.deliveryId}:dev`)).status).toBe("succeeded");
    expect(s.logs.join("\n")).toContain("planning failed, will retry");

    const mine = ours(s, issue.number);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.body).toContain("dev says hi");
    expect(double.calls("issues/delete-comment")).toHaveLength(1);
    expect(seen).toHaveLength(1);
  });
});
