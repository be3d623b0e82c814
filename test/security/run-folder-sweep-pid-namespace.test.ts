/**
 * Attack (a job of another runner sharing this machine's temp folder): every
 * runner's start sweeps run folders (`<tmp>/gitcrew-run-…`) whose runner "is
 * gone": the pid in the folder's `.owner` no longer runs. Runners in
 * containers of their own that share the host's /tmp (and its engine) each
 * have their own pid namespace: the pid of one means nothing in the other.
 * Any `gitcrew run`, Action job or `serve` start in one namespace removed
 * (and unmounted) the run folders of live runners of another: a run's
 * worktree before its container exists, a server's spare filesystem.
 *
 * The owner file names the runner's pid namespace; a runner judges by pid
 * only folders of its own namespace.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeRunDir, RunDisks, type RunDisk } from "../../src/runner/disk-guard.js";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const CLI = resolve(import.meta.dirname, "../../dist/cli.js");
// `unshare --pid` needs root: the suite runs as root (.ci/run); elsewhere the test fails, it is never skipped.
if (process.getuid?.() !== 0) throw new Error("this test needs root (unshare --pid): run it as root, as .ci/run does");
const MiB = 1024 * 1024;

const mounted = (dir: string) => readFileSync("/proc/self/mounts", "utf8").split("\n").some((l) => l.split(" ")[1] === dir);

/** A pid that no longer runs here. */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await new Promise((r) => child.on("exit", r));
  return child.pid!;
}

describe("the run-folder sweep and a runner in another pid namespace", () => {
  const sharedTmp = tmpdir();
  let ownTmp: string;
  let repo: string;
  let home: string;
  let disks: RunDisks;
  let live: RunDisk | undefined;

  beforeAll(async () => {
    await requireDockerAndImage();
    // This file's own temp folder, shared by both runners (as /tmp is by runners in containers with the host's /tmp).
    ownTmp = mkdtempSync(join(sharedTmp, "gitcrew-sweep-ns-"));
    process.env.TMPDIR = ownTmp;
    home = tempHome();
    repo = await makeCrewRepo([shAgent("quick", 'echo hi > out.txt; gitcrew-return "done"', "limits:\n  network: none\n")]);
    disks = new RunDisks(process.env, "runner-here", undefined, true);
  }, 120_000);

  afterAll(async () => {
    await disks?.close();
    if (live) await removeRunDir(live.dir, (dir) => rm(dir, { recursive: true, force: true }));
    process.env.TMPDIR = sharedTmp;
    for (const d of [repo, home, ownTmp]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("a runner in another namespace leaves this live runner's run folder (and its filesystem) alone; a dead runner's here is still swept", async () => {
    // A live runner's folder here, as gitcrew makes it (a server's spare: a filesystem of the run's size, named by no container).
    live = await disks.take(64 * MiB);
    expect(existsSync(join(live.dir, ".owner"))).toBe(true);
    const wasMounted = mounted(live.dir);
    // The premise: this process's pid runs no process in a fresh pid namespace (its pids start at 1).
    expect(process.pid).toBeGreaterThan(100);

    // The other runner (`gitcrew run`, as in a container of its own): same temp folder, same engine, its own pid namespace.
    const other = await new Promise<{ code: number; out: string }>((done) => {
      const child = spawn("unshare", ["--pid", "--fork", process.execPath, CLI, "run", "quick", "--json", "--repo", repo, "--prompt", "go"], {
        env: { ...process.env, TMPDIR: ownTmp, GITCREW_HOME: home },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (b: Buffer) => (out += b.toString()));
      child.stderr.on("data", (b: Buffer) => (out += b.toString()));
      child.on("close", (code) => done({ code: code ?? 1, out }));
    });
    expect(other.code, other.out).toBe(0);
    expect(other.out).toContain('"status":"succeeded"');

    // What the operator of this runner sees: its folder, its owner file and its filesystem are still there.
    expect(existsSync(join(live.dir, ".owner"))).toBe(true);
    expect(mounted(live.dir)).toBe(wasMounted);

    // The rule still holds within a namespace: a dead runner's folder of this namespace goes at the next start here.
    const dead = mkdtempSync(join(ownTmp, "gitcrew-run-"));
    mkdirSync(join(dead, "worktree"));
    writeFileSync(join(dead, ".owner"), `${await deadPid()} runner-gone ${readlinkSync("/proc/self/ns/pid")}\n`);
    const runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
    try {
      await runner.swept;
    } finally {
      await runner.close();
    }
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(join(live.dir, ".owner"))).toBe(true);
  }, 240_000);
});
