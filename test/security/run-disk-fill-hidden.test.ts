/**
 * A runner that is not root (the usual self-hosted Action runner: a user in
 * the docker group) has no filesystem of the limit's size: a watch measures
 * the run's folder while it runs. The container then runs as the runner's own
 * uid, so the agent can hide what it writes from a walk done with the
 * runner's rights: in a folder it locks (chmod 000) between its writes, or
 * below a path longer than PATH_MAX (a walk by full paths cannot open it).
 *
 * Real Docker, real git, the real CLI run as uid 65534 in the docker group.
 * What the operator sees: `gitcrew run` exits 1 with status disk_exceeded and
 * the limit; nothing is left in its temp folder. On the code before limits.disk
 * the run succeeded with its gigabyte.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";

const NOBODY = 65534;
const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "gitcrew.js");

/** 960 MiB in 60 MiB files, each written through a descriptor opened before its folder is locked (chmod 000) again. */
const LOCKED = [
  "mkdir locked",
  "for i in $(seq 1 16); do chmod 700 locked; exec 3>locked/fill-$i; chmod 000 locked; dd if=/dev/zero bs=1M count=60 >&3 2>/dev/null; exec 3>&-; sleep 0.2; done",
  "echo done",
].join("\n");

/**
 * 960 MiB in 32 MiB files, 30 folders of 200 characters below the worktree:
 * past PATH_MAX from the host's side (entered one level at a time). A pause
 * after each file: the watch looks while it writes (what it writes between
 * two looks passes the limit, by design).
 */
const DEEP = `node -e '
const fs = require("fs");
const d = "d".repeat(200);
fs.mkdirSync("deepest");
process.chdir("deepest");
for (let k = 0; k < 30; k++) { fs.mkdirSync(d); process.chdir(d); }
const mib = Buffer.alloc(1 << 20);
const nap = new Int32Array(new SharedArrayBuffer(4));
for (let i = 0; i < 30; i++) { const fd = fs.openSync("fill-" + i, "w"); for (let j = 0; j < 32; j++) fs.writeSync(fd, mib); fs.closeSync(fd); Atomics.wait(nap, 0, 0, 100); }
' && echo done`;

describe("an agent hiding its writes from the watch on a runner that is not root", () => {
  let base: string;
  let repo: string;
  let home: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it runs the CLI as uid 65534); run it as root");
    base = mkdtempSync("/tmp/gitcrew-hidden-");
    chmodSync(base, 0o755);
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = base;
    try {
      const limits = "limits:\n  network: none\n  disk: 64m\n  timeout: 2m\n";
      repo = await makeCrewRepo([shAgent("locker", LOCKED, limits), shAgent("digger", DEEP, limits)]);
    } finally {
      if (tmpBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpBefore;
    }
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, repo]);
    home = join(base, "home");
    mkdirSync(join(home, "tmp"), { recursive: true });
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, base]);
    chownSync(base, 0, 0);
  }, 180_000);

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it.each(["locker", "digger"])("%s is stopped at its limit all the same: disk_exceeded, nothing left in the temp folder", async (agent) => {
    const args = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, `--groups=${statSync("/var/run/docker.sock").gid}`, "--inh-caps=-all", process.execPath, CLI, "run", agent, "--repo", repo, "--prompt", "hide", "--json"];
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: join(home, "tmp"), GITCREW_HOME: join(home, "gitcrew"), GITCREW_DISK_CHECK_MS: "200" };
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile("setpriv", args, { env, timeout: 170_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      ),
    );
    const result = JSON.parse(out.stdout.trim().split("\n").pop() ?? "{}") as { status: string; reason: string | null; changedFiles: string[]; branch: string | null };
    expect(result.status, out.stderr.slice(-2000)).toBe("disk_exceeded");
    expect(out.code).toBe(1);
    expect(result.reason).toContain("past its limit of 64 MiB (limits.disk)");
    expect(result.changedFiles).toEqual([]);
    expect(result.branch).toBeNull();
    // Whether the watch stopped it while it wrote or looked once more at its exit depends on the machine's load:
    // either way its hidden writes were counted.
    expect(readdirSync(join(home, "tmp")).filter((n) => n.startsWith("gitcrew-run-")), "run folders left in the temp folder").toEqual([]);
  }, 180_000);
});
