/**
 * What runs leave on the runner's disk after them grew without end: every
 * thread's state folder (`<GITCREW_HOME>/state/<key>`, the CLI's session
 * transcripts) was kept forever; a prepared run's state folder (`state/ahead-…`)
 * and its run folder (`<tmp>/gitcrew-run-…`) stayed when the runner died
 * before its container existed (the orphan sweep finds folders only through
 * containers); a run folder with its own filesystem stayed mounted.
 *
 * Real Docker, real folders, a real loop-mounted filesystem. What the
 * operator sees after a runner's start: the stale folders are gone (the
 * mounted one unmounted), while a thread folder a container still mounts, a
 * recent one, a young prepared one, one a container names, a live runner's
 * run folder, a young one without an owner file and anything not shaped like
 * gitcrew's are all still there. Finished runs' local records (each log up
 * to 32 MiB) go after GITCREW_STATE_DAYS too; unfinished ones stay.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { COMMAND_IMAGE, requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const exec = promisify(execFile);
const DAY = 24 * 3600 * 1000;
const hex = (n: number) => [...Array(n)].map(() => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");

function folder(path: string, ageMs: number): string {
  mkdirSync(path, { recursive: true });
  writeFileSync(join(path, "session.jsonl"), "{}\n");
  const when = new Date(Date.now() - ageMs);
  utimesSync(path, when, when);
  return path;
}

/** A pid that no longer runs. */
async function deadPid(): Promise<number> {
  const child = spawn("true");
  await new Promise((r) => child.on("exit", r));
  return child.pid!;
}

const mounted = (dir: string) => readFileSync("/proc/self/mounts", "utf8").split("\n").some((l) => l.split(" ")[1] === dir);

describe("state and run folders nobody uses any more", () => {
  let home: string;
  let state: string;
  const containers: string[] = [];
  const runDirs: string[] = [];
  let sleeper: ReturnType<typeof spawn> | undefined;
  const f: Record<string, string> = {};

  const sharedTmp = tmpdir();
  let ownTmp: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    // This file's own temp folder: the sweep looks there, and other runs on the machine make theirs in the shared one.
    ownTmp = mkdtempSync(join(sharedTmp, "gitcrew-state-growth-"));
    process.env.TMPDIR = ownTmp;
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it loop-mounts a run folder as a root runner does)");
    home = tempHome();
    state = join(home, "state");
    f.oldThread = folder(join(state, hex(24)), 40 * DAY);
    f.tenDays = folder(join(state, hex(24)), 10 * DAY);
    f.recent = folder(join(state, hex(24)), 60_000);
    f.oldMounted = folder(join(state, hex(24)), 40 * DAY);
    f.staleAhead = folder(join(state, `ahead-${hex(16)}`), 20 * 60_000);
    f.youngAhead = folder(join(state, `ahead-${hex(16)}`), 10_000);
    const namedAhead = `ahead-${hex(16)}`;
    f.namedAhead = folder(join(state, namedAhead), 20 * 60_000);
    f.leftover = folder(join(state, `.pruned-${hex(8)}`), 0);
    f.otherName = folder(join(state, "notes"), 400 * DAY);
    // Local run records with their logs: finished 40 days ago, finished a minute ago, still running 40 days ago.
    const record = (status: string, ageMs: number) => {
      const id = `2026${hex(8)}-${hex(6)}`;
      const dir = join(home, "runs", id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "log"), "x".repeat(1 << 20));
      const file = join(dir, "run.json");
      writeFileSync(file, JSON.stringify({ id, agent: "dev", repo: "o/r", status, createdAt: new Date(Date.now() - ageMs).toISOString(), owner: { id: "gone", pid: 1, host: "elsewhere" } }));
      utimesSync(file, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
      return dir;
    };
    f.oldRecord = record("succeeded", 40 * DAY);
    f.recentRecord = record("disk_exceeded", 60_000);
    f.unfinishedRecord = record("running", 40 * DAY);
    // A run's container (any runner's) still mounting an old thread folder, and one naming a prepared run.
    const label = ["--label", `gitcrew.run=test-${hex(6)}`];
    containers.push((await exec("docker", ["run", "-d", ...label, "-v", `${f.oldMounted}:/state`, COMMAND_IMAGE, "sleep", "600"])).stdout.trim());
    containers.push((await exec("docker", ["create", "--label", `gitcrew.run=${namedAhead}`, COMMAND_IMAGE, "true"])).stdout.trim());
    // Run folders: a dead runner's with its filesystem still mounted, a live runner's, one without an owner file.
    const dead = await deadPid();
    sleeper = spawn("sleep", ["600"]);
    const runDir = (owner: number | undefined, mount: boolean) => {
      const dir = mkdtempSync(join(tmpdir(), "gitcrew-run-"));
      runDirs.push(dir);
      return { dir, owner, mount };
    };
    const made = [runDir(dead, true), runDir(sleeper.pid, false), runDir(undefined, false), runDir(dead, false), runDir(undefined, false)];
    for (const m of made) {
      if (m.mount) {
        await exec("truncate", ["-s", "64M", join(m.dir, ".disk")]);
        await exec("mkfs.ext4", ["-q", "-F", "-O", "^has_journal", join(m.dir, ".disk")]);
        await exec("mount", ["-o", "loop", join(m.dir, ".disk"), m.dir]);
        writeFileSync(join(m.dir, "agent-file"), "x".repeat(1 << 20));
      }
      mkdirSync(join(m.dir, "worktree"), { recursive: true });
      if (m.owner !== undefined) writeFileSync(join(m.dir, ".owner"), `${m.owner} runner-gone\n`);
    }
    f.deadMountedRun = made[0]!.dir;
    f.liveRun = made[1]!.dir;
    f.ownerlessRun = made[2]!.dir;
    f.deadRun = made[3]!.dir;
    // A run folder of a runner from before owner files, two days old.
    f.oldOwnerlessRun = made[4]!.dir;
    utimesSync(f.oldOwnerlessRun, new Date(Date.now() - 2 * DAY), new Date(Date.now() - 2 * DAY));
  }, 180_000);

  afterAll(async () => {
    sleeper?.kill();
    for (const id of containers) await exec("docker", ["rm", "-f", id]).catch(() => undefined);
    for (const dir of runDirs) {
      if (mounted(dir)) await exec("umount", ["-l", dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    }
    if (home) await rm(home, { recursive: true, force: true });
    process.env.TMPDIR = sharedTmp;
    if (ownTmp) await rm(ownTmp, { recursive: true, force: true });
  });

  it("a runner's start removes the stale ones (unmounting a run's filesystem) and keeps every one in use", async () => {
    const runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
    try {
      const swept = await runner.swept;
      expect(existsSync(f.oldThread!)).toBe(false);
      expect(existsSync(f.staleAhead!)).toBe(false);
      expect(existsSync(f.leftover!)).toBe(false);
      expect(existsSync(f.deadRun!)).toBe(false);
      expect(existsSync(f.deadMountedRun!)).toBe(false);
      expect(existsSync(f.oldOwnerlessRun!)).toBe(false);
      expect(mounted(f.deadMountedRun!)).toBe(false);
      expect(existsSync(f.oldRecord!)).toBe(false);
      for (const kept of [f.tenDays, f.recent, f.oldMounted, f.youngAhead, f.namedAhead, f.otherName, f.liveRun, f.ownerlessRun, f.recentRecord, f.unfinishedRecord]) expect(existsSync(kept!), kept).toBe(true);
      expect(existsSync(join(f.oldMounted!, "session.jsonl"))).toBe(true);
      expect(swept.removed.sort()).toEqual([f.oldThread, f.staleAhead, f.deadRun, f.deadMountedRun, f.oldOwnerlessRun, f.oldRecord].sort());
    } finally {
      await runner.close();
    }
  }, 120_000);

  it("GITCREW_STATE_DAYS sets how long an untouched thread folder is kept", async () => {
    const runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home, GITCREW_STATE_DAYS: "5" } });
    try {
      await runner.swept;
      expect(existsSync(f.tenDays!)).toBe(false);
      expect(existsSync(f.recent!)).toBe(true);
      expect(existsSync(f.oldMounted!)).toBe(true);
    } finally {
      await runner.close();
    }
  }, 120_000);

  it("a process that exits with a run folder it made (a run failed before its clean-up) unmounts and removes it", async () => {
    const script = `
      import { RunDisks } from ${JSON.stringify(join(__dirname, "..", "..", "src", "runner", "disk-guard.ts"))};
      const disk = await new RunDisks(process.env, "exiting").take(64 * 1024 * 1024);
      console.log(JSON.stringify(disk));
      process.exit(3);
    `;
    const tsx = join(__dirname, "..", "..", "node_modules", ".bin", "tsx");
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(tsx, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      let stdout = "";
      child.stdout.on("data", (c: Buffer) => (stdout += String(c)));
      child.on("exit", (code) => resolve({ code, stdout }));
    });
    expect(out.code).toBe(3);
    const disk = JSON.parse(out.stdout.trim()) as { dir: string; sized: boolean };
    expect(disk.sized).toBe(true);
    expect(mounted(disk.dir)).toBe(false);
    expect(existsSync(disk.dir)).toBe(false);
  }, 120_000);
});
