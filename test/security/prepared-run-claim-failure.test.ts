/**
 * A Claude Code container started ahead (prepared-runs.ts) whose run fails
 * while taking it, before the prompt: the container must go with the run. It
 * is already running, holds a gateway token that was registered for the run,
 * and mounts the run's folders; left behind, it keeps its memory and runs on
 * with folders deleted under it until the runner restarts.
 *
 * The failure here: the thread's state path is a dangling link, which the run
 * sees as "no state yet" (so it takes the prepared container) but cannot
 * replace with the prepared state folder. Any failure of the claim's first
 * steps (moving the state folder, the variables file) took the same path.
 */
import Docker from "dockerode";
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerSpec } from "../../src/plan/container.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { startFakeAnthropic, type FakeAnthropic } from "../support/fake-anthropic/server.js";

const exec = promisify(execFile);
const docker = new Docker();
const REPO = "local/claim";

describe("a prepared container whose run fails while taking it", () => {
  let dir: string;
  let home: string;
  let repo: string;
  let model: FakeAnthropic;
  let runner: Runner;
  const agent = testAgent({ limits: { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] } } });

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", "gitcrew/claude:latest"]).catch(() => {
      throw new Error("image gitcrew/claude:latest is missing: build it with 'gitcrew images build claude --offline'");
    });
    dir = await mkdtemp(join(tmpdir(), "gitcrew-claim-"));
    home = join(dir, "home");
    repo = join(dir, "repo");
    await mkdir(repo);
    await writeFile(join(repo, "README.md"), "# demo\n");
    await exec("git", ["init", "-q", "-b", "main", repo]);
    await exec("git", ["-C", repo, "add", "-A"]);
    await exec("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init"]);
    model = await startFakeAnthropic({ script: [{ text: "Done." }, { text: "Done." }, { text: "Done." }] });
    runner = await Runner.start({
      env: { ...process.env, GITCREW_HOME: home, ANTHROPIC_API_KEY: "sk-ant-test", GITCREW_ANTHROPIC_UPSTREAM: model.url, GITCREW_PREPARE_AHEAD: "1" },
      prepare: true,
    });
  }, 120_000);

  afterAll(async () => {
    await runner?.close();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function run(thread: string): Promise<RunResult> {
    const prompt = "Say done.";
    const branch = `gitcrew/dev/${thread.split("#")[1]}`;
    return runner.run({
      planned: { agent: agent.name, reason: "test", prompt, threadKey: thread, branch, ref: "main", container: containerSpec({ agent, prompt, repo: REPO, threadKey: thread, branch }), untrusted: [] },
      agent,
      repoDir: repo,
      repo: REPO,
    });
  }

  async function preparedContainer(): Promise<Docker.ContainerInfo> {
    for (let i = 0; i < 600; i++) {
      const labels = [`gitcrew.owner=${runner.identity.id}`, `gitcrew.agent=${agent.name}`, `gitcrew.repo=${REPO}`];
      const list = await docker.listContainers({ filters: JSON.stringify({ label: labels, status: ["running"] }) });
      const found = list.find((c) => c.Labels["gitcrew.run"]?.startsWith("ahead-"));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("no container was started ahead");
  }

  it("removes the prepared container, its folders and its state folder", async () => {
    const first = await run("local/claim#1");
    expect(first.status, first.reason).toBe("succeeded");
    const prepared = await preparedContainer();
    const runDir = dirname(prepared.Labels["gitcrew.workspace"]!);
    const aheadState = join(home, "state", prepared.Labels["gitcrew.run"]!);
    expect(existsSync(runDir)).toBe(true);

    // The thread's state path (runner.ts stateDirPath) is a link to nowhere.
    const thread = "local/claim#2";
    const key = createHash("sha256").update(`${REPO}\0${thread}\0${agent.name}`).digest("hex").slice(0, 24);
    await symlink(join(dir, "nowhere"), join(home, "state", key));

    const failed = await run(thread);
    expect(failed.status).toBe("failed");
    // The prepared container went with the failed run, and nothing of it is left on the host.
    await expect(docker.getContainer(prepared.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(existsSync(runDir)).toBe(false);
    expect(existsSync(aheadState)).toBe(false);
    expect(model.errors).toEqual([]);
  }, 240_000);
});
