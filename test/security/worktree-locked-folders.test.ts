/**
 * A runner that is not root (a user in the docker group: the usual
 * self-hosted Action runner) runs the container as its own uid, so every file
 * the agent makes in the worktree is the runner's, with the modes the agent
 * chose. An agent that takes the permissions off its folders (`chmod 000`,
 * the worktree's own root included, and in its git and channel folders,
 * which are in the run's folder too) made the host's commit skip what was in
 * them and the host's clean-up fail: the run's folder stayed in the runner's
 * temp folder after the run (with whatever the agent had written, however
 * large), and `gitcrew run` failed with the file system's EACCES instead of
 * the run's result.
 *
 * Real Docker engine, real git, the real CLI run as uid 65534 in the docker
 * group. What the operator sees: the run succeeds, its commit holds the files
 * in the locked folders, and nothing of the run is left in the temp folder.
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

describe("an agent that locks its folders (chmod 000) on a non-root runner", () => {
  let base: string;
  let repo: string;
  let home: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    if (process.getuid?.() !== 0) throw new Error("this test needs root (it runs the CLI as uid 65534); run it as root");
    base = mkdtempSync("/tmp/gitcrew-locked-");
    chmodSync(base, 0o755);
    const script = [
      "mkdir -p locked/deep",
      "echo inside > locked/deep/f.txt",
      "echo beside > new.txt",
      "chmod 000 locked/deep locked",
      // Its own git folder and the channel folder are in the run's folder on the host too.
      "mkdir -p /gitcrew-git/locked/deep /gitcrew/locked/deep",
      "chmod 000 /gitcrew-git/locked /gitcrew/locked",
      // The worktree's own root too (the container user owns the mount point).
      'chmod 000 "$PWD"',
    ].join(" && ");
    // Made under the folder uid 65534 can enter (the test's own temp folder is root's alone).
    const tmpBefore = process.env.TMPDIR;
    process.env.TMPDIR = base;
    try {
      repo = await makeCrewRepo([shAgent("locker", script, "limits:\n  network: none\n")]);
    } finally {
      if (tmpBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpBefore;
    }
    // The repository belongs to the runner's user, as a checkout on a runner does.
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, repo]);
    home = join(base, "home");
    mkdirSync(join(home, "tmp"), { recursive: true });
    execFileSync("chown", ["-R", `${NOBODY}:${NOBODY}`, base]);
    chownSync(base, 0, 0);
  }, 180_000);

  afterAll(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it("the run succeeds, commits the locked files, and leaves nothing in the temp folder", async () => {
    const args = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, `--groups=${statSync("/var/run/docker.sock").gid}`, "--inh-caps=-all", process.execPath, CLI, "run", "locker", "--repo", repo, "--prompt", "lock", "--json"];
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: join(home, "tmp"), GITCREW_HOME: join(home, "gitcrew") };
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile("setpriv", args, { env, timeout: 170_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      ),
    );
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout.trim().split("\n").pop()!) as { status: string; changedFiles: string[]; branch: string | null };
    expect(result.status).toBe("succeeded");
    expect(result.changedFiles).toEqual(["locked/deep/f.txt", "new.txt"]);
    const committed = execFileSync("git", ["-C", repo, "-c", `safe.directory=${repo}`, "show", `${result.branch}:locked/deep/f.txt`], { encoding: "utf8" });
    expect(committed).toBe("inside\n");
    expect(readdirSync(join(home, "tmp")).filter((n) => n.startsWith("gitcrew-run-")), "run folders left in the temp folder").toEqual([]);
  }, 180_000);
});
