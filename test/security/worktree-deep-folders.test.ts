/**
 * An agent nests folders past PATH_MAX (4,096 bytes) in its worktree, each
 * step made relative to the last (`mkdir x; cd x`, as often as it likes).
 * Node addresses every entry by its whole path, so after the run the host's
 * walk could not look inside (a `.git` down there went unseen by the check
 * that removes every nested repository before git runs) and the clean-up
 * failed with ENAMETOOLONG: `gitcrew run` ended with that error instead of
 * the run's result, and the run's folder stayed in the temp folder, for
 * root and non-root runners alike.
 *
 * Real Docker engine, real git, the real CLI. What the operator sees: the
 * run succeeds with its other work committed, the run log names the folder
 * removed as a path too long, and nothing of the run is left in the temp folder.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireDockerAndImage } from "../support/runner-harness.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "bin", "gitcrew.js");

describe("an agent that nests folders past PATH_MAX", () => {
  let base: string;
  let repo: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    base = mkdtempSync(join(process.env.TMPDIR ?? "/tmp", "gitcrew-deep-"));
    mkdirSync(join(base, "tmp"));
    // Each step relative to the last (a shell's cd composes the whole path and gives up past PATH_MAX).
    const nest = [
      'const fs = require("fs"); const n = "d".repeat(200);',
      'fs.mkdirSync("deep"); process.chdir("deep");',
      "for (let i = 0; i < 30; i++) { fs.mkdirSync(n); process.chdir(n); }",
      'fs.writeFileSync("hidden.txt", "hidden\\n");',
      // A repository down there, with a command in its config: never seen by git on the host.
      'fs.mkdirSync("inner/.git", { recursive: true }); fs.writeFileSync("inner/.git/config", "[core]\\n\\tfsmonitor = touch /tmp/pwned\\n");',
    ].join(" ");
    const script = `echo kept > kept.txt && node -e '${nest}'`;
    repo = await makeCrewRepo([shAgent("nester", script, "limits:\n  network: none\n")]);
  }, 180_000);

  afterAll(() => {
    if (base) execFileSync("rm", ["-rf", "--", base]);
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  it("the run succeeds, commits its other work, and leaves nothing in the temp folder", async () => {
    const home = join(base, "gitcrew");
    const env = { ...process.env, TMPDIR: join(base, "tmp"), GITCREW_HOME: home };
    const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [CLI, "run", "nester", "--repo", repo, "--prompt", "nest", "--json"], { env, timeout: 170_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }),
      ),
    );
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout.trim().split("\n").pop()!) as { run: string; status: string; changedFiles: string[]; branch: string | null };
    expect(result.status).toBe("succeeded");
    expect(result.changedFiles).toEqual(["kept.txt"]);
    expect(execFileSync("git", ["-C", repo, "show", `${result.branch}:kept.txt`], { encoding: "utf8" })).toBe("kept\n");
    expect(readFileSync(join(home, "runs", result.run, "log"), "utf8")).toMatch(/removed from the worktree before the commit.*\(a path too long\)/);
    expect(readdirSync(join(base, "tmp")).filter((n) => n.startsWith("gitcrew-run-")), "run folders left in the temp folder").toEqual([]);
  }, 180_000);
});
