/**
 * A runner killed with SIGKILL mid-run (the real `gitcrew run` process, its
 * container running) leaves no container and no worktree behind once the next
 * runner starts, and its run is recorded failed with the reason.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunRecords } from "../../src/runner/records.js";
import { Runner } from "../../src/runner/runner.js";
import { cli } from "../support/crew-fixture.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { containersWithLabel, requireDockerAndImage, tempHome, waitFor } from "../support/runner-harness.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");

describe("runner killed with SIGKILL mid-run", () => {
  let repo: string;
  let home: string;
  let child: ChildProcess | undefined;
  const env = () => ({ ...process.env, GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" });

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([shAgent("sleeper", "echo started; touch half-done.txt; sleep 120", "limits:\n  timeout: 5m\n")]);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("the next Runner.start removes its container and worktree and records the run failed", async () => {
    let stderr = "";
    child = spawn(process.execPath, [BIN, "run", "sleeper", "--repo", repo, "--prompt", "sleep a while"], { env: env(), stdio: ["ignore", "pipe", "pipe"] });
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    const records = new RunRecords(env());
    const rec = await waitFor(`a running container (stderr so far: ${stderr})`, () => records.list().find((r) => r.containerId && r.status === "running"), 60_000);
    await waitFor("the agent to start", () => stderr.includes("│ started"), 30_000);
    const [containerId] = await containersWithLabel("gitcrew.run", rec.id);
    expect(containerId).toBe(rec.containerId);
    const worktrees = () => simpleGit(repo).raw(["worktree", "list", "--porcelain"]);
    expect((await worktrees()).match(/^worktree /gm)).toHaveLength(2);

    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
    // Nobody stopped the container: it is an orphan now.
    expect(await containersWithLabel("gitcrew.run", rec.id)).toEqual([containerId]);
    expect(records.get(rec.id)?.status).toBe("running");
    const ps = await cli(["ps", "--json"], { env: env() });
    expect(JSON.parse(ps.stdout).runs[0]).toMatchObject({ id: rec.id, status: "running (runner gone)" });

    const runner = await Runner.start({ env: env() });
    const orphan = runner.orphans.find((o) => o.run === rec.id);
    expect(orphan, `orphans: ${JSON.stringify(runner.orphans)}`).toBeDefined();
    expect(orphan!.reason).toContain(`(pid ${child.pid}) is gone`);
    expect(await containersWithLabel("gitcrew.run", rec.id)).toEqual([]);
    const after = records.get(rec.id)!;
    expect(after.status).toBe("failed");
    expect(after.exitCode).toBe(1);
    expect(after.reason).toContain(`(pid ${child.pid}) is gone`);
    expect(after.reason).toContain(`container ${containerId!.slice(0, 12)} removed`);
    // The worktree went with it; the agent's half-done work never reached a branch.
    expect((await worktrees()).match(/^worktree /gm)).toHaveLength(1);
    expect(existsSync(records.logFile(rec.id))).toBe(true);
    expect((await simpleGit(repo).branch()).all).toEqual(["main"]);
  }, 120_000);

  it("a run whose runner died before its container existed is recorded failed too", async () => {
    const records = new RunRecords(env());
    // A process that has exited: its pid is not alive.
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => dead.once("exit", r));
    records.save({
      id: "20260101000000-dead01",
      agent: "sleeper",
      repo: "local",
      status: "running",
      createdAt: new Date().toISOString(),
      owner: { id: `local-${dead.pid}-abcdef`, pid: dead.pid!, host: (await import("node:os")).hostname() },
    });
    const runner = await Runner.start({ env: env() });
    expect(runner.orphans.find((o) => o.run === "20260101000000-dead01")).toBeUndefined();
    const rec = records.get("20260101000000-dead01")!;
    expect(rec.status).toBe("failed");
    expect(rec.reason).toContain(`(pid ${dead.pid}) is gone`);
  }, 60_000);
});
