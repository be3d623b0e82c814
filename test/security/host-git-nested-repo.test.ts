/**
 * An agent plants git configuration in nested repositories of its worktree
 * (a submodule's folder, a repository of its own, a `.git` file pointing at a
 * git folder it wrote): fsmonitor, clean/smudge/process filters through
 * .gitattributes, hooks, core.* and diff commands. The runner commits the work
 * on the host afterwards; none of these commands may run there, and no
 * repository or gitlink the agent made may land in the commit. Two runs of one
 * thread: the second starts from the branch the first committed.
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PlannedRun } from "../../src/plan/types.js";
import { hostGitEnv } from "../../src/runner/host-git.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const TAG = randomBytes(4).toString("hex");
const MARKER = join(tmpdir(), `gitcrew-pwned-${TAG}`);

/** Every way we know for a git folder to make git run a command, planted in the git folder $1. */
const PLANT = `
plant() {
  c="git --git-dir=$1 config"
  $c core.fsmonitor "touch ${MARKER}-fsmonitor; false"
  $c filter.evil.clean "touch ${MARKER}-clean; cat"
  $c filter.evil.smudge "touch ${MARKER}-smudge; cat"
  $c filter.evil.process "touch ${MARKER}-process"
  $c filter.evil.required true
  $c core.sshCommand "touch ${MARKER}-ssh"
  $c core.pager "touch ${MARKER}-pager; cat"
  $c core.editor "touch ${MARKER}-editor"
  $c core.askPass "touch ${MARKER}-askpass"
  $c diff.external "touch ${MARKER}-diffext"
  $c diff.evil.textconv "touch ${MARKER}-textconv; cat"
  $c core.untrackedCache true
  $c status.submoduleSummary true
  $c gc.auto 1
  mkdir -p $1/hooks
  for h in pre-commit prepare-commit-msg commit-msg post-commit post-index-change reference-transaction fsmonitor-watchman post-checkout pre-auto-gc; do
    printf '#!/bin/sh\\ntouch ${MARKER}-hook-%s\\n' "$h" > $1/hooks/$h; chmod +x $1/hooks/$h
  done
}
`;

/** A repository of the agent's own at $1 (with a commit, so that `git add` would take it as a gitlink), dirty and planted. */
const NESTED = `
nested() {
  mkdir -p $1 && (cd $1 && git init -q . && echo one > f.txt && printf '* filter=evil diff=evil\\n' > .gitattributes &&
    git add -A && git -c user.name=a -c user.email=a@example.invalid commit -qm nested)
  plant $1/.git
  echo "dirty $(date +%s%N)" > $1/f.txt
}
`;

const SCRIPT = [
  "set -e",
  PLANT,
  NESTED,
  // Start again from what the previous run may have left (its files are committed as plain files).
  "rm -rf nested pointer evilgit outlink passwd-link sub/.git sub/y.txt",
  "nested nested",
  // A .git file that points at a git folder the agent wrote.
  "nested evilgit-src && mv evilgit-src/.git evilgit && rm -rf evilgit-src",
  "mkdir -p pointer && echo p > pointer/p.txt && printf '* filter=evil\\n' > pointer/.gitattributes && printf 'gitdir: ../evilgit\\n' > pointer/.git",
  // The submodule's folder (empty in the worktree) made a planted repository.
  'if [ -d sub ]; then nested sub; fi',
  // Attributes at the top naming the filter, links out of the worktree.
  "printf '* filter=evil diff=evil\\n' > .gitattributes",
  "ln -s /etc outlink && ln -s /etc/passwd passwd-link",
  'echo "work $(date +%s%N)" > work.txt',
  "echo planted",
].join("\n");

function markers(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(basename(MARKER)));
}

function tree(repo: string, ref: string): { mode: string; id: string; path: string }[] {
  return execFileSync("git", ["-C", repo, "ls-tree", "-r", "-z", "--full-tree", ref])
    .toString("utf8")
    .split("\0")
    .filter(Boolean)
    .map((rec) => {
      const [meta, path] = rec.split("\t");
      const [mode, , id] = meta!.split(" ");
      return { mode: mode!, id: id!, path: path! };
    });
}

describe("nested repositories and git configuration planted by the agent", () => {
  let home: string;
  let runner: Runner;
  const dirs: string[] = [];

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  });

  afterAll(async () => {
    for (const m of markers()) await rm(join(tmpdir(), m), { force: true });
    for (const d of [...dirs, home]) if (d) await rm(d, { recursive: true, force: true });
  });

  async function twoRuns(repo: string): Promise<[RunResult, RunResult]> {
    for (const m of markers()) await rm(join(tmpdir(), m), { force: true });
    const { agent } = await loadAgent(repo, "planter");
    const branch = `gitcrew/planter/thread-${TAG}`;
    const edit = (p: PlannedRun) => ({ ...p, branch });
    const first = await runOnce(runner, repo, agent, "plant", { edit });
    expect(markers(), "a command planted by the agent ran on the host").toEqual([]);
    expect(first.result.status, `${first.result.reason}\n${first.logs.join("\n")}`).toBe("succeeded");
    expect(first.logs).toContain("planted");
    const second = await runOnce(runner, repo, agent, "plant again", { edit });
    expect(markers(), "a command planted by the agent ran on the host").toEqual([]);
    expect(second.result.status, `${second.result.reason}\n${second.logs.join("\n")}`).toBe("succeeded");
    // The second run started from the first one's commit.
    expect(execFileSync("git", ["-C", repo, "rev-parse", `${second.result.commit}^`]).toString().trim()).toBe(first.result.commit);
    return [first.result, second.result];
  }

  function expectClean(repo: string, results: RunResult[], gitlinks: { path: string; id: string }[]): void {
    expect(markers(), "a command planted by the agent ran on the host").toEqual([]);
    for (const r of results) {
      const entries = tree(repo, r.commit!);
      expect(entries.filter((e) => e.mode === "160000").map(({ path, id }) => ({ path, id }))).toEqual(gitlinks);
      expect(entries.filter((e) => e.path.split("/").some((part) => /^\.git$/i.test(part))).map((e) => e.path)).toEqual([]);
      const paths = entries.map((e) => e.path);
      expect(paths).toContain("work.txt");
      expect(paths).toContain("nested/f.txt");
      expect(paths.filter((p) => p.startsWith("outlink/"))).toEqual([]);
      // Links are committed as links, never followed.
      const link = entries.find((e) => e.path === "outlink")!;
      expect(link.mode).toBe("120000");
      expect(execFileSync("git", ["-C", repo, "cat-file", "-p", link.id]).toString()).toBe("/etc");
      expect(entries.find((e) => e.path === "passwd-link")?.mode).toBe("120000");
      // The run log says what was removed.
      const log = readFileSync(runner.records.logFile(r.run), "utf8");
      expect(log).toMatch(/removed from the worktree before the commit \(never committed\): .*nested\/\.git/);
      expect(log).toContain("pointer/.git");
    }
  }

  it("a repository without submodules: nothing runs on the host, no gitlink is committed, across two runs", async () => {
    const repo = await makeCrewRepo([shAgent("planter", SCRIPT)]);
    dirs.push(repo);
    const results = await twoRuns(repo);
    expectClean(repo, results, []);
  }, 240_000);

  it("a repository with a real submodule: its gitlink stays as it was, nothing runs on the host, across two runs", async () => {
    const lib = mkdtempSync(join(tmpdir(), "gitcrew-lib-"));
    dirs.push(lib);
    const git = (cwd: string, ...args: string[]) =>
      execFileSync("git", ["-C", cwd, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "protocol.file.allow=always", ...args]).toString().trim();
    execFileSync("git", ["init", "-q", "-b", "main", lib]);
    writeFileSync(join(lib, "y.txt"), "lib\n");
    git(lib, "add", "y.txt");
    git(lib, "commit", "-qm", "lib");
    const repo = await makeCrewRepo([shAgent("planter", SCRIPT)]);
    dirs.push(repo);
    git(repo, "submodule", "add", "-q", lib, "sub");
    git(repo, "commit", "-qm", "a submodule");
    const subId = git(repo, "rev-parse", "HEAD:sub");
    const results = await twoRuns(repo);
    expectClean(repo, results, [{ path: "sub", id: subId }]);
    // Nothing the agent wrote in the submodule's folder is in the commit.
    for (const r of results) expect(tree(repo, r.commit!).filter((e) => e.path.startsWith("sub/"))).toEqual([]);
  }, 240_000);

  it("a .GIT folder, a FIFO and a linked .gitmodules are removed and reported, the rest committed", async () => {
    const repo = await makeCrewRepo([
      shAgent("odd", "mkdir -p .GIT d/.Git && echo x > .GIT/config && echo y > d/.Git/HEAD && mkfifo pipe && ln -s /etc/passwd .gitmodules && echo w > work.txt"),
    ]);
    dirs.push(repo);
    const { agent } = await loadAgent(repo, "odd");
    const { result } = await runOnce(runner, repo, agent, "odd");
    expect(result.status, result.reason).toBe("succeeded");
    expect(result.changedFiles).toEqual(["work.txt"]);
    expect(tree(repo, result.commit!).map((e) => e.path)).not.toContain(".gitmodules");
    const log = readFileSync(runner.records.logFile(result.run), "utf8");
    for (const what of [".GIT", "d/.Git", "pipe (not a file)", ".gitmodules (a link)"]) expect(log).toContain(what);
  }, 120_000);

  it("host-side git gets a minimal environment: no secret, no GIT_* of the runner, an empty HOME", () => {
    process.env.GITCREW_TEST_SECRET_FOR_GIT = "s3cret";
    process.env.GIT_DIR = "/nonexistent";
    try {
      const env = hostGitEnv();
      expect(Object.keys(env).sort()).toEqual(["GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_TERMINAL_PROMPT", "HOME", "LC_ALL", "PATH"]);
      expect(env.GIT_CONFIG_GLOBAL).toBe("/dev/null");
      expect(readdirSync(env.HOME!)).toEqual([]);
    } finally {
      delete process.env.GITCREW_TEST_SECRET_FOR_GIT;
      delete process.env.GIT_DIR;
    }
  });
});
