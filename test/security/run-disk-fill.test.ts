/**
 * An agent talked into filling the disk: its worktree (and its git folder,
 * and the thread's state folder) are host folders bind-mounted into its
 * container, so everything it writes there lands on the runner's disk. Before
 * limits.disk it could write until the host's disk was full (the run then
 * "succeeded" and its gigabyte was committed to the host's repository), and
 * the engine's copy of its output (json-file log) grew without bound.
 *
 * Real Docker, real git, the command image. What the operator sees: the run
 * ends `disk_exceeded` with the limit, what was written and how to raise it;
 * nothing is committed; the run's folders are gone; the host's free space
 * never dropped by more than the limit plus the watch's overshoot. Both
 * mechanisms: a filesystem of the limit's size (root runner) and the watch
 * alone (GITCREW_DISK_MOUNT=0, as a runner that is not root).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statfsSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { runAction, type ActionEnv } from "../support/action-harness.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { COMMAND_IMAGE, loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const exec = promisify(execFile);
const MiB = 1024 * 1024;
/** The host may lose at most this much during a run capped at 64 MiB (the limit, the watch's overshoot, other processes on the machine). */
const MOST_LOST = 512 * MiB;

/** Writes 1 GiB in 16 MiB files; a file that cannot be written does not stop it. */
const FILL_WORKTREE = "i=0; while [ $i -lt 64 ]; do dd if=/dev/zero of=fill-$i bs=1M count=16 2>/dev/null; i=$((i+1)); sleep 0.05; done; echo done";
/** The same into the thread's state folder (mounted at /gitcrew-state by the test). */
const FILL_STATE = "i=0; while [ $i -lt 64 ]; do dd if=/dev/zero of=/gitcrew-state/fill-$i bs=1M count=16 2>/dev/null; i=$((i+1)); sleep 0.05; done; echo done";

const freeBytes = () => {
  const s = statfsSync(tmpdir());
  return s.bavail * s.bsize;
};

/** The lowest free space on the temp folder's disk while `during` runs. */
async function lowestFree<T>(during: () => Promise<T>): Promise<{ value: T; lost: number }> {
  const before = freeBytes();
  let lowest = before;
  const poll = setInterval(() => (lowest = Math.min(lowest, freeBytes())), 20);
  try {
    const value = await during();
    return { value, lost: before - lowest };
  } finally {
    clearInterval(poll);
  }
}

const runFolders = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith("gitcrew-run-")));

// Run folders are made in a temp folder of this file's own: other runs on the machine make theirs meanwhile.
const sharedTmp = tmpdir();
const ownTmp = mkdtempSync(join(sharedTmp, "gitcrew-disk-fill-"));
beforeAll(() => {
  process.env.TMPDIR = ownTmp;
});
afterAll(async () => {
  process.env.TMPDIR = sharedTmp;
  await rm(ownTmp, { recursive: true, force: true });
});

/** Mount points of run folders now (a run's own filesystem). */
const mountedRunFolders = () =>
  readFileSync("/proc/self/mounts", "utf8")
    .split("\n")
    .map((l) => l.split(" ")[1] ?? "")
    .filter((m) => m.startsWith(join(tmpdir(), "gitcrew-run-")));

describe.each([
  { mode: "a filesystem of the limit's size (root runner)", env: {}, sized: true },
  { mode: "the watch alone (no filesystem of its own)", env: { GITCREW_DISK_MOUNT: "0", GITCREW_DISK_CHECK_MS: "200" }, sized: false },
])("an agent that writes 1 GiB with limits.disk 64m: $mode", ({ env, sized }) => {
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    repo = await makeCrewRepo([
      shAgent("filler", FILL_WORKTREE, "limits:\n  network: none\n  disk: 64m\n"),
      shAgent("stater", FILL_STATE, "limits:\n  network: none\n  disk: 64m\n"),
    ]);
    home = tempHome();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home, ...env } });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    for (const dir of [repo, home]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is stopped at the limit: disk_exceeded, nothing committed, its folder gone, the host's disk spared", async () => {
    const { agent } = await loadAgent(repo, "filler");
    const before = runFolders();
    let mountedWhileRunning: string[] = [];
    const { value: run, lost } = await lowestFree(() => runOnce(runner, repo, agent, "fill the disk", { onStarted: () => (mountedWhileRunning = mountedRunFolders()) }));
    const { result, logs } = run;
    expect(result.status, `${result.reason}\n${logs.slice(-10).join("\n")}`).toBe("disk_exceeded");
    expect(result.reason).toMatch(/^the run wrote [\d.]+ MiB on the runner's disk, past its limit of 64 MiB \(limits\.disk\); it was stopped and nothing it wrote was kept$/);
    expect(result.changedFiles).toEqual([]);
    expect(result.branch).toBeUndefined();
    expect(result.commit).toBeUndefined();
    // No branch with the agent's files in the host's repository.
    const { stdout: branches } = await exec("git", ["-C", repo, "branch", "--list"]);
    expect(branches.trim()).toBe("* main");
    expect(lost).toBeLessThan(MOST_LOST);
    expect([...runFolders()].filter((n) => !before.has(n))).toEqual([]);
    // The mechanism this case is about was the one at work.
    expect(mountedWhileRunning.length > 0).toBe(sized);
    expect(mountedRunFolders()).toEqual([]);
  }, 180_000);

  it("counts the thread's state folder too, and removes it when the run is stopped", async () => {
    const { agent } = await loadAgent(repo, "stater");
    const { value: run, lost } = await lowestFree(() =>
      runOnce(runner, repo, agent, "fill the session folder", { edit: (p) => ({ ...p, container: { ...p.container, stateDir: "/gitcrew-state" } }) }),
    );
    expect(run.result.status, `${run.result.reason}\n${run.logs.slice(-10).join("\n")}`).toBe("disk_exceeded");
    expect(run.result.reason).toContain("past its limit of 64 MiB (limits.disk)");
    expect(lost).toBeLessThan(MOST_LOST);
    const stateRoot = join(home, "state");
    const left = existsSync(stateRoot) ? readdirSync(stateRoot) : [];
    expect(left).toEqual([]);
  }, 180_000);
});

describe("the engine's copy of a run's output", () => {
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    // 64 MiB on stdout, then a pause while the test looks at the engine's log file.
    repo = await makeCrewRepo([shAgent("talker", "head -c 67108864 /dev/zero | tr '\\0' 'x' | fold -w 1000; sleep 3", "limits:\n  network: none\n")]);
    home = tempHome();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    for (const dir of [repo, home]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("stays bounded on the host while the run goes (the daemon's json-file log keeps everything by default)", async () => {
    const { agent } = await loadAgent(repo, "talker");
    let largest = 0;
    let logPath = "";
    let poll: NodeJS.Timeout | undefined;
    const { result } = await runOnce(runner, repo, agent, "talk", {
      onStarted: (id) => {
        poll = setInterval(() => {
          void exec("docker", ["inspect", "--format", "{{.LogPath}}", id]).then(
            ({ stdout }) => {
              logPath = stdout.trim();
              const size = statSync(logPath, { throwIfNoEntry: false })?.size ?? 0;
              largest = Math.max(largest, size);
            },
            () => undefined,
          );
        }, 100);
      },
    });
    clearInterval(poll);
    expect(result.status, result.reason).toBe("succeeded");
    expect(logPath).not.toBe("");
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(16 * MiB);
  }, 300_000);
});

describe("the thread of a run stopped at its disk limit (the Action, the GitHub double)", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;

  beforeAll(async () => {
    await requireDockerAndImage();
    gh = await startDoubleWithRepo("acme/disks", {
      "README.md": "# disks\n",
      ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
      ".gitcrew/agents/filler/agent.yaml": `runtime: command\ncommand: ["sh", "-c", ${JSON.stringify(FILL_WORKTREE)}]\ntriggers:\n  mention: true\nlimits:\n  timeout: 2m\n  network: none\n  disk: 64m\n`,
      ".gitcrew/agents/filler/instructions.md": "You fill disks.\n",
    });
    gh.double.setPermission(gh.fullName, "alice", "write");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: tempHome() };
  }, 180_000);

  afterAll(async () => {
    await gh?.close();
    if (env?.home) await rm(env.home, { recursive: true, force: true });
  });

  it("says which limit stopped it, what was written and how to raise it; nothing is pushed and no pull request opened", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Fill it", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@filler fill the disk");
    const token = gh.double.token("github-actions[bot]", "Bot");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(1);
    const mine = gh.double.comments(gh.fullName, issue.number).filter((c) => c.body.includes("gitcrew:origin agent=filler"));
    expect(mine).toHaveLength(1);
    const body = mine[0]!.body;
    expect(body).toContain("💾 **filler** stopped at its disk limit");
    expect(body).toMatch(/\*\*What went wrong:\*\* the run wrote [\d.]+ MiB on the runner's disk, past its limit of 64 MiB \(limits\.disk\); it was stopped and nothing it wrote was kept/);
    expect(body).toContain("**What to do:** raise `limits.disk` for this agent (within crew.cue's `ceilings.disk`)");
    expect(body).not.toContain("Changed files");
    expect(run.outputs.status).toBe("disk_exceeded");
    expect(gh.double.pulls(gh.fullName)).toHaveLength(0);
    const { stdout: branches } = await exec("git", ["-C", gh.bareDir, "branch", "--list"]);
    expect(branches.trim()).toBe("* main");
    gh.double.assertNoViolations();
  }, 300_000);
});

describe("an image that declares a VOLUME the container user may write", () => {
  let repo: string;
  let home: string;
  let runner: Runner;
  let work: string;
  const image = `gitcrew-test/volume:${process.pid}`;

  beforeAll(async () => {
    await requireDockerAndImage();
    work = mkdtempSync(join(tmpdir(), "gitcrew-volume-image-"));
    writeFileSync(join(work, "Dockerfile"), `FROM ${COMMAND_IMAGE}\nUSER root\nRUN mkdir /data && chown 1000:1000 /data\nVOLUME /data\n`);
    await exec("docker", ["build", "-q", "-t", image, work], { timeout: 300_000 });
    const fill = FILL_WORKTREE.replace("of=fill-$i", "of=/data/fill-$i").replace("echo done", "grep ' /data ' /proc/mounts; echo done");
    repo = await makeCrewRepo([shAgent("volumer", fill, `image: ${image}\nlimits:\n  network: none\n  disk: 64m\n`)]);
    home = tempHome();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  }, 600_000);

  afterAll(async () => {
    await runner?.close();
    await exec("docker", ["rmi", "-f", image]).catch(() => undefined);
    for (const dir of [repo, home, work]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gets memory there (a tmpfs), not a volume on the host's disk that outlives the run", async () => {
    const { agent } = await loadAgent(repo, "volumer");
    let mounts: { Type: string; Destination: string }[] | undefined;
    const { value: run, lost } = await lowestFree(() =>
      runOnce(runner, repo, agent, "fill the volume", {
        onStarted: (id) =>
          void exec("docker", ["inspect", "--format", "{{json .Mounts}}", id]).then(({ stdout }) => (mounts = JSON.parse(stdout) as typeof mounts), () => undefined),
      }),
    );
    expect(lost).toBeLessThan(MOST_LOST);
    expect(mounts, run.logs.slice(-5).join("\n")).toBeDefined();
    expect(mounts!.filter((m) => m.Type === "volume")).toEqual([]);
    // Seen from inside, when the agent got that far (the memory limit may stop it first).
    const line = run.logs.find((l) => l.includes(" /data "));
    if (line) expect(line).toMatch(/^tmpfs \/data tmpfs /);
  }, 300_000);
});
