/**
 * Another local user of the runner's host (uid 1000, the container user, is a
 * real login on many machines) during a run: it must neither read or plant
 * files in the worktree (the runner commits it from the host afterwards) nor
 * write the channel file (the run's answer, approval requests).
 */
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { inspect, loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const exec = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** Run a shell command as uid/gid 1000 on the host; its exit code and output. */
async function asUser1000(script: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec("setpriv", ["--reuid=1000", "--regid=1000", "--clear-groups", "sh", "-c", script]);
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("other local users and the run's files", () => {
  let repo: string;
  let home: string;
  let runner: Runner;
  let sharedTmp: string;
  const tmpBefore = process.env.TMPDIR;

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    // A temp folder like /tmp on a real host: every user may enter it (the test runs' own is 0700).
    sharedTmp = mkdtempSync(join("/tmp", "gitcrew-shared-tmp-"));
    chmodSync(sharedTmp, 0o1777);
    process.env.TMPDIR = sharedTmp;
    // Waits (at most a minute) until the test has tried its attacks, then works and answers.
    repo = await makeCrewRepo([
      shAgent("waiter", 'i=0; while [ ! -f /gitcrew/go ] && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done; echo work > work.txt; gitcrew-return "the agent\'s answer"'),
    ]);
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  });

  afterAll(async () => {
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
    for (const d of [repo, home, sharedTmp]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("uid 1000 on the host cannot read the worktree, plant files in it, or write the channel file during a run", async () => {
    const { agent } = await loadAgent(repo, "waiter");
    let attempts: Promise<{ worktree: string; channel: string; read: { code: number; out: string }; plant: { code: number; out: string }; forge: { code: number; out: string } }> | undefined;
    const { result } = await runOnce(runner, repo, agent, "wait", {
      onStarted: (containerId) => {
        attempts = (async () => {
          const binds: string[] = (await inspect(containerId)).HostConfig.Binds;
          const worktree = binds.find((b) => b.endsWith(":/workspace:rw"))!.split(":")[0]!;
          const channel = binds.find((b) => b.includes(":/gitcrew:"))!.split(":")[0]!;
          const read = isRoot ? await asUser1000(`cat ${worktree}/README.md`) : { code: 1, out: "not root" };
          const plant = isRoot ? await asUser1000(`echo planted > ${worktree}/planted.txt`) : { code: 1, out: "not root" };
          const forge = isRoot ? await asUser1000(`echo '{"gitcrew":"return","value":"forged"}' >> ${channel}/events.jsonl`) : { code: 1, out: "not root" };
          writeFileSync(join(channel, "go"), "");
          return { worktree, channel, read, plant, forge };
        })();
      },
    });
    const seen = await attempts!;
    expect(result.status, result.reason).toBe("succeeded");
    expect(seen.read.code, `uid 1000 read the worktree: ${seen.read.out}`).not.toBe(0);
    expect(seen.read.out).not.toContain("# demo");
    expect(seen.plant.code, `uid 1000 wrote into the worktree: ${seen.plant.out}`).not.toBe(0);
    expect(seen.forge.code, `uid 1000 wrote the channel file: ${seen.forge.out}`).not.toBe(0);
    expect(result.answer).toBe("the agent's answer");
    expect(result.changedFiles).toEqual(["work.txt"]);
    // The run's folder (around the worktree and the channel) is the runner's alone, and gone after the run.
    expect(dirname(seen.worktree)).toBe(dirname(seen.channel));
    expect(statSync(dirname(seen.worktree), { throwIfNoEntry: false })).toBeUndefined();
  }, 120_000);

  it("the run's folder is mode 0700 and owned by the runner's user while the run goes", async () => {
    const { agent } = await loadAgent(repo, "waiter");
    let mode: { mode: number; uid: number; channelMode: number } | undefined;
    const { result } = await runOnce(runner, repo, agent, "wait", {
      onStarted: (containerId) => {
        void (async () => {
          const binds: string[] = (await inspect(containerId)).HostConfig.Binds;
          const channel = binds.find((b) => b.includes(":/gitcrew:"))!.split(":")[0]!;
          const st = statSync(dirname(channel));
          mode = { mode: st.mode & 0o777, uid: st.uid, channelMode: statSync(channel).mode & 0o777 };
          writeFileSync(join(channel, "go"), "");
        })();
      },
    });
    expect(result.status, result.reason).toBe("succeeded");
    expect(mode).toEqual({ mode: 0o700, uid: process.getuid!(), channelMode: 0o700 });
  }, 120_000);
});
