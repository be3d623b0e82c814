/**
 * gitRun (src/pipeline/git-run.ts) answers as simple-git's `raw` did for the
 * pipeline's fetch, ls-remote and push: stdout; an error carrying git's own
 * words when git failed and said why; an empty answer, not an error, when git
 * exits non-zero without a word (`rev-parse --verify --quiet` of a ref that is
 * not there), as the callers' `.catch(() => "")` and `.trim()` expect.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { simpleGit } from "simple-git";
import { gitRun } from "../../src/pipeline/git-run.js";

const exec = promisify(execFile);

async function repo(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "gitcrew-git-run-"));
  await exec("git", ["init", "-q", "--initial-branch=main", dir]);
  await exec("git", ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "first"]);
  return dir;
}

describe("gitRun", () => {
  it("answers what simple-git's raw answers: output, silence, and git's error text", async () => {
    const dir = await repo();
    const cases: string[][] = [
      ["rev-parse", "--verify", "--quiet", "refs/heads/main"],
      ["rev-parse", "--verify", "--quiet", "refs/heads/nope"],
      ["ls-remote", "--heads", ".", "refs/heads/nope"],
      ["fetch", "--quiet", "--no-tags", "nowhere-at-all", "+refs/heads/main:refs/remotes/x/main"],
    ];
    for (const args of cases) {
      const ours = await gitRun(dir, args).then((out) => ({ out }), (e: Error) => ({ error: e.message }));
      const theirs = await simpleGit(dir).raw(args).then((out) => ({ out }), (e: Error) => ({ error: e.message }));
      expect(ours, args.join(" ")).toEqual(theirs);
    }
    expect(await gitRun(dir, ["rev-parse", "--verify", "--quiet", "refs/heads/main"])).toMatch(/^[0-9a-f]{40}\n$/);
    await expect(gitRun(dir, ["fetch", "--quiet", "nowhere-at-all", "main"])).rejects.toThrow(/nowhere-at-all/);
  });
});
