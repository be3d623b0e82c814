/**
 * `gitcrew serve` with the real Docker engine: a run whose container cannot
 * be created (its image is not there, its limits are more than the machine
 * has) ends with its comment saying what failed and what to do, never
 * "queued" or "working".
 */
import { createServer, type Server } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { CREW_CUE, SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";

const REPO = "acme/widgets";
const BOT = "gitcrew-bot[bot]";

let running: GitHubServer[] = [];
beforeAll(() => requireDockerAndImage(), 600_000);
afterEach(async () => {
  for (const s of running) {
    if (process.env.GITCREW_TEST_DEBUG) console.log(s.logs.join("\n"));
    s.gh.double.assertNoViolations();
    await s.stop();
  }
  running = [];
});

/** Asks the agent in a new thread; returns the run once it is over and gitcrew's comments in the thread. */
async function askAndWait(s: GitHubServer, text: string, agent: string) {
  const { double } = s.gh;
  double.setPermission(REPO, "alice", "write");
  const issue = double.addIssue(REPO, { title: "Hello", user: "alice" });
  const { payload } = double.addComment(REPO, issue.number, "alice", text);
  const d = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
  expect(d.status).toBe(202);
  const run = await until("the run to end", async () => {
    const r = await s.store.getRun(`${d.deliveryId}:${agent}`);
    return r && !["queued", "running"].includes(r.status) ? r : undefined;
  }, 2400);
  // The last comment edit lands right after the run record (or right before): wait for no "working"/"queued" left.
  const comments = await until("the comments to settle", async () => {
    const mine = double.comments(REPO, issue.number).filter((c) => c.user === BOT);
    return mine.length && mine.every((c) => !c.body.includes("is working on it")) ? mine : undefined;
  });
  return { run, comments };
}

describe("a run whose container cannot be created, on the real engine", () => {
  it("its image is not on the engine: the comment names the image and how to get it", { timeout: 300_000 }, async () => {
    const s = await startGitHubServer(shAgentFiles("tagless", "true", "image: gitcrew/command:no-such-tag\n"), { server: { retryBaseMs: 100 } });
    running.push(s);
    const { run, comments } = await askAndWait(s, "@tagless are you there", "tagless");
    expect(run.status).toBe("failed");
    const last = comments[comments.length - 1]?.body ?? "";
    expect(last).toContain("❌ **tagless** failed");
    expect(last).toContain("gitcrew/command:no-such-tag");
    expect(last).toContain("**What to do:**");
    expect(last).not.toContain("tries again");
    for (const c of comments) expect(c.body).not.toMatch(/queued|is working on it|\n\s+at /);
  });

  it("its limits are more than the machine has: the comment says what the engine refused", { timeout: 300_000 }, async () => {
    const crew = CREW_CUE.replace("cpus: 4 }", "cpus: 64 }");
    const s = await startGitHubServer({ ".gitcrew/crew.cue": crew, ...shAgentFiles("big", "true", "limits:\n  cpus: 48\n") }, { server: { retryBaseMs: 100 } });
    running.push(s);
    const { run, comments } = await askAndWait(s, "@big go", "big");
    expect(run.status).toBe("failed");
    const last = comments[comments.length - 1]?.body ?? "";
    expect(last).toContain("❌ **big** failed");
    expect(last).toMatch(/cpu/i);
    expect(last).toContain("**What to do:**");
    for (const c of comments) expect(c.body).not.toMatch(/queued|is working on it|\n\s+at /);
  });

  it("the run gateway cannot start (its port is taken): each attempt's comment says so, the last what to do", { timeout: 300_000 }, async () => {
    // Something else holds the gateway's port on every address of the host.
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, "0.0.0.0", resolve));
    const port = (squatter.address() as { port: number }).port;
    try {
      const s = await startGitHubServer(shAgentFiles("net", "true", "limits:\n  network:\n    allow: []\n"), { env: { GITCREW_GATEWAY_PORT: String(port) }, server: { retryBaseMs: 100 } });
      running.push(s);
      const { run, comments } = await askAndWait(s, "@net go", "net");
      expect([run.status, run.attempt]).toEqual(["failed", 3]);
      const last = comments[comments.length - 1]?.body ?? "";
      expect(last).toContain("❌ **net** failed");
      expect(last).toContain("the run gateway cannot listen");
      expect(last).toContain("**What to do:**");
      expect(last).not.toContain("tries again");
      // The attempts before it said another attempt follows.
      expect(comments.slice(0, -1).every((c) => c.body.includes("gitcrew tries again shortly"))).toBe(true);
      for (const c of comments) expect(c.body).not.toMatch(/queued|is working on it|\n\s+at /);
    } finally {
      squatter.close();
    }
  });
});
