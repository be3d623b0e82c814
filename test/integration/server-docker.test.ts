/**
 * The Docker engine stopped mid-run, for real: the server's runs go to a
 * private dockerd this test starts on its own socket and data root (see
 * test/support/server-dockerd.ts), which it stops with SIGTERM while an agent
 * container runs and starts again later. The shared engine is not touched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { DOCKER_HOST, loadImage, startPrivateEngine, stopPrivateEngine } from "../support/server-dockerd.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";

const REPO = "acme/widgets";
let s: GitHubServer | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
  await startPrivateEngine();
  await loadImage("gitcrew/command:latest");
}, 600_000);

afterAll(async () => {
  if (process.env.GITCREW_TEST_DEBUG) console.log(s?.logs.join("\n"));
  await s?.stop();
  // Its data root (with the image) stays for the next run; the process does not.
  await stopPrivateEngine();
});

describe("the Docker engine stopped mid-run", () => {
  it("fails the attempt with a clear comment, keeps the run queued while the engine is down, and retries it when it returns", async () => {
    s = await startGitHubServer(shAgentFiles("dev", "echo started; sleep 15; echo done > done.txt; echo all done"), {
      env: { DOCKER_HOST },
      server: { retryBaseMs: 100 },
    });
    const { double } = s.gh;
    double.setPermission(REPO, "alice", "write");
    const issue = double.addIssue(REPO, { title: "Long job", user: "alice" });
    const { payload } = double.addComment(REPO, issue.number, "alice", "@dev do the long job");
    expect((await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET)).status).toBe(202);
    const thread = `${REPO}#${issue.number}`;

    const started = await until("the container to start", async () => {
      const [r] = await s!.store.listRuns({ threadKey: thread });
      return r?.status === "running" && r.containerId ? r : undefined;
    }, 1200);
    await stopPrivateEngine();

    // The attempt fails as the machine's failure: back in the queue, attempt 2 waiting.
    let seen = "";
    const queued = await until("the run to be queued again", async () => {
      const r = await s!.store.getRun(started.id);
      seen = `${r?.status} attempt ${r?.attempt}: ${r?.error ?? ""}`;
      return r?.status === "queued" && r.attempt === 2 ? r : undefined;
    }, 1200).catch((err: Error) => {
      throw new Error(`${err.message} (last seen: ${seen})`);
    });
    expect(queued.error).toMatch(/Docker engine stopped during the run/);
    const failed = await until("the failure comment", async () =>
      double.comments(REPO, issue.number).find((c) => c.user === "gitcrew-bot[bot]" && /Docker engine stopped during the run/.test(c.body)),
    );
    expect(failed.body).toMatch(/queues the run again/);
    const ready = await fetch(`${s.server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toMatch(/Docker engine does not answer/);

    // While the engine is down nothing is claimed: the attempt is not burnt.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await s.store.getRun(started.id))?.status).toBe("queued");
    expect((await s.store.getRun(started.id))?.attempt).toBe(2);

    await startPrivateEngine();
    const done = await until("the retried run to succeed", async () => {
      const r = await s!.store.getRun(started.id);
      return r && r.status !== "queued" && r.status !== "running" ? r : undefined;
    }, 1200);
    expect(done.status).toBe("succeeded");
    expect(done.attempt).toBe(2);
    const last = double.comments(REPO, issue.number).filter((c) => c.user === "gitcrew-bot[bot]").at(-1);
    expect(last?.body).toContain("all done");
    expect((await fetch(`${s.server.url}/readyz`)).status).toBe(200);
    expect(s.logs.some((l) => /engine does not answer; runs wait/.test(l))).toBe(true);
  }, 180_000);
});
