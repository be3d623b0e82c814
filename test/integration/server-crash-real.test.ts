/**
 * SIGKILL of `gitcrew serve` with the real pipeline while an agent container
 * runs: the container outlives its server, the restarted server removes it
 * (no orphan), retries the run (the delivery is not lost) and finishes it in
 * the thread on the GitHub double.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/types.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { startServeChild, type ServeChild } from "../support/serve-process.js";
import { CREW_CUE, SECRET, shAgentFiles } from "../support/server-github.js";
import { until } from "../support/server-harness.js";

const REPO = "acme/widgets";
const children: ServeChild[] = [];
let gh: DoubleRepo | undefined;
let store: Store | undefined;

beforeAll(async () => {
  await requireDockerAndImage();
}, 600_000);

afterEach(async () => {
  for (const c of children.splice(0)) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill("SIGKILL");
  await store?.close();
  gh?.double.assertNoViolations();
  await gh?.close();
});

function containersOf(clone: string): string[] {
  return execFileSync("docker", ["ps", "-aq", "--filter", `label=gitcrew.repo-dir=${clone}`], { encoding: "utf8" }).split("\n").filter(Boolean);
}

describe("gitcrew serve (real pipeline) killed with SIGKILL mid-run", () => {
  it("leaves no orphan container after a restart and finishes the run it was running", async () => {
    gh = await startDoubleWithRepo(REPO, { "README.md": "# w\n", ".gitcrew/crew.cue": CREW_CUE, ...shAgentFiles("dev", "echo started; sleep 8; echo done > done.txt; echo all done") });
    const root = mkdtempSync(join(tmpdir(), "gitcrew-crash-real-"));
    const clone = join(root, "clone");
    execFileSync("git", ["clone", "--quiet", gh.bareDir, clone]);
    const storeFile = join(root, "gitcrew.db");
    const env = { GITCREW_HOME: join(root, "home"), GITHUB_TOKEN: gh.double.token("gitcrew-bot[bot]", "Bot") };
    const args = ["--repo", clone, "--webhook-secret", SECRET, "--github-api-url", gh.double.url, "--store", storeFile, "--lease", "2"];
    const start = async () => {
      const c = await startServeChild(env, "real", args, root);
      children.push(c);
      return c;
    };

    const first = await start();
    store = await openStore(storeFile);
    gh.double.setPermission(REPO, "alice", "write");
    const issue = gh.double.addIssue(REPO, { title: "Long", user: "alice" });
    const { payload } = gh.double.addComment(REPO, issue.number, "alice", "@dev take your time");
    expect((await gh.double.deliver(`${first.url}/webhooks`, "issue_comment", payload, SECRET)).status).toBe(202);

    const running = await until("the container to run", async () => {
      const [r] = await store!.listRuns({ threadKey: `${REPO}#${issue.number}` });
      return r?.status === "running" && r.containerId ? r : undefined;
    }, 1200);
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    // The container outlived its server.
    const orphan = containersOf(clone);
    expect(orphan).toHaveLength(1);

    const second = await start();
    await until("the orphan container to be removed", async () => !containersOf(clone).includes(orphan[0] ?? ""), 600);
    await until("the removal in the log", async () => /docker: .*is gone; container [0-9a-f]{12} removed/.test(second.output()), 600).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${second.output()}`);
    });
    const done = await until("the retried run to finish", async () => {
      const r = await store!.getRun(running.id);
      return r && r.status !== "queued" && r.status !== "running" ? r : undefined;
    }, 1200);
    expect(done.status).toBe("succeeded");
    expect(done.attempt).toBe(2);
    expect(await store.listRuns({ threadKey: `${REPO}#${issue.number}` })).toHaveLength(1);
    const finals = gh.double.comments(REPO, issue.number).filter((c) => c.user === "gitcrew-bot[bot]" && c.body.includes("all done"));
    expect(finals).toHaveLength(1);
    await until("no container of this clone left", async () => containersOf(clone).length === 0, 200);

    second.child.kill("SIGTERM");
    expect(await second.exited).toBe("0");
  }, 180_000);
});
