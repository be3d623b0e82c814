/**
 * git inside the container (container-git.ts), on the real Docker engine:
 * an agent's status, log, diff, blame, add, commit, branch and stash work in
 * /workspace, its history is the repository's up to the run's start commit
 * (a shallow clone's too), and what is pushed is still what the commit step
 * reads from the files, not what the agent committed inside.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args]).toString().trim();

// Each step prints `name=<exit code>` and its output between markers, so a failure names the step.
const step = (name: string, cmd: string) => `echo "<<${name}"; ${cmd}; echo ">>${name}=$?"`;
const WORK = [
  step("status", "git status --porcelain"),
  step("head", "git log -1 --format=%H"),
  step("history", "git log --format=%s"),
  step("branch", "git branch --show-current"),
  step("blame", "git blame --porcelain README.md | head -1 | cut -c1-40"),
  "echo more >> README.md",
  step("diff", "git diff"),
  step("commit", "git add -A && git commit -qm x && git log -1 --format='%an <%ae> %s'"),
  step("clean", "git status --porcelain"),
  "echo wip > wip.txt",
  step("stash", "git stash -u -q && git stash pop -q >/dev/null && git status --porcelain"),
  step("newbranch", "git switch -q -c side && git branch --list --format='%(refname:short)'"),
].join("; ");

const FOLLOW = [
  step("head", "git log -1 --format=%H"),
  step("ahead", "git log --format=%s main..HEAD"),
  step("vsmain", "git diff --name-only main"),
  "echo again > again.txt",
].join("; ");

/** The output of `<<name` … `>>name=code` from the run's log lines. */
function section(logs: string[], name: string): { code: string; out: string } {
  const from = logs.indexOf(`<<${name}`);
  const end = logs.findIndex((l, i) => i > from && l.startsWith(`>>${name}=`));
  if (from < 0 || end < 0) throw new Error(`no ${name} step in the log:\n${logs.join("\n")}`);
  return { code: logs[end]!.slice(name.length + 3), out: logs.slice(from + 1, end).join("\n") };
}

describe("git inside the container", () => {
  let repo: string;
  let home: string;
  let runner: Runner;
  const cleanup: string[] = [];

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([shAgent("gitter", WORK, 'git:\n  name: "Git Bot"\n  email: "git@bots.example"\n'), shAgent("follow", FOLLOW)]);
    for (const n of [2, 3]) {
      execFileSync("sh", ["-c", `echo line${n} >> README.md`], { cwd: repo });
      git(repo, "commit", "-qam", `second ${n}`);
    }
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  });

  afterAll(async () => {
    await runner?.close();
    for (const d of [repo, home, ...cleanup]) if (d) await rm(d, { recursive: true, force: true });
  });

  it("status, log, diff, blame, add, commit, stash and branch work; the pushed commit is the files'", async () => {
    const { agent } = await loadAgent(repo, "gitter");
    const base = git(repo, "rev-parse", "main");
    const { result, logs } = await runOnce(runner, repo, agent, "use git");
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    expect(section(logs, "status")).toEqual({ code: "0", out: "" });
    expect(section(logs, "head")).toEqual({ code: "0", out: base });
    expect(section(logs, "history")).toEqual({ code: "0", out: "second 3\nsecond 2\ninitial crew" });
    expect(section(logs, "branch")).toEqual({ code: "0", out: result.branch });
    expect(section(logs, "blame")).toEqual({ code: "0", out: git(repo, "rev-list", "--max-parents=0", "main") });
    const diff = section(logs, "diff");
    expect(diff.code).toBe("0");
    expect(diff.out).toContain("--- a/README.md");
    expect(diff.out).toMatch(/^ line3\n\+more$/m);
    expect(section(logs, "commit")).toEqual({ code: "0", out: "Git Bot <git@bots.example> x" });
    expect(section(logs, "clean")).toEqual({ code: "0", out: "" });
    expect(section(logs, "stash")).toEqual({ code: "0", out: "?? wip.txt" });
    expect(section(logs, "newbranch")).toEqual({ code: "0", out: `${result.branch}\nside` });
    // The host's commit: the files, on the start commit, by the runner (the agent's own commit was a hint).
    expect(result.changedFiles).toEqual(["README.md", "wip.txt"]);
    expect(git(repo, "rev-parse", `${result.branch}^`)).toBe(base);
    expect(git(repo, "log", "-1", "--format=%s", result.branch!)).toMatch(/^gitter: use git/);
    expect(git(repo, "branch", "--list", "side")).toBe("");
  }, 120_000);

  it("injected instructions, new or in place of the repository's, do not show as changes", async () => {
    const { agent } = await loadAgent(repo, "gitter");
    const { result, logs } = await runOnce(runner, repo, agent, "use git", {
      edit: (p) => ({ ...p, container: { ...p.container, injectedFiles: { "README.md": "INJECTED\n", "docs/CLAUDE.md": "INJECTED\n" } } }),
    });
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    expect(section(logs, "status")).toEqual({ code: "0", out: "" });
    // The agent's edit of an injected file is neither shown nor committed (the host restores the file).
    expect(section(logs, "diff")).toEqual({ code: "0", out: "" });
    expect(result.changedFiles).toEqual(["wip.txt"]);
  }, 120_000);

  it("a follow-up run on the branch: HEAD is its last commit, the run's ref (main) is a branch to diff against", async () => {
    const { agent } = await loadAgent(repo, "follow");
    const first = await runOnce(runner, repo, agent, "first", { edit: (p) => ({ ...p, ref: "main", branch: "gitcrew/follow/thread-1" }) });
    expect(first.result.status, first.result.reason).toBe("succeeded");
    const second = await runOnce(runner, repo, agent, "second", { edit: (p) => ({ ...p, ref: "main", branch: "gitcrew/follow/thread-1" }) });
    expect(second.result.status, `${second.result.reason}\n${second.logs.join("\n")}`).toBe("succeeded");
    expect(section(second.logs, "head")).toEqual({ code: "0", out: first.result.commit });
    expect(section(second.logs, "ahead")).toEqual({ code: "0", out: "follow: first" });
    expect(section(second.logs, "vsmain")).toEqual({ code: "0", out: "again.txt" });
  }, 120_000);

  it("a shallow clone (the Action's checkout): its history ends where the clone's does", async () => {
    const shallow = mkdtempSync(join(tmpdir(), "gitcrew-shallow-"));
    cleanup.push(shallow);
    execFileSync("git", ["clone", "-q", "--depth", "1", "-b", "main", `file://${repo}`, shallow]);
    const { agent } = await loadAgent(shallow, "gitter");
    const { result, logs } = await runOnce(runner, shallow, agent, "use git");
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    expect(section(logs, "head")).toEqual({ code: "0", out: git(repo, "rev-parse", "main") });
    expect(section(logs, "history")).toEqual({ code: "0", out: "second 3" });
    expect(section(logs, "commit").code).toBe("0");
  }, 120_000);
});
