/**
 * What the Action asks before its crew is in (issue 21), with real git
 * repositories and the GitHub double: the crew evaluated at the commit the
 * default branch's remote ref pointed at before the fetch is kept only when
 * the crew's files did not change (crew-source.ts loadCrewAhead), and
 * planning's lookups asked at the start are each handed to planning once,
 * failures included (plan-lookahead.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectGitHub } from "../../src/github/index.js";
import type { GitHubClient } from "../../src/github/types.js";
import { loadCrewAhead } from "../../src/pipeline/crew-source.js";
import { fetchDefaultBranch } from "../../src/pipeline/default-branch.js";
import { fetchBranchAhead, fetchForRun } from "../../src/pipeline/git-remote.js";
import { lookAhead } from "../../src/pipeline/plan-lookahead.js";
import { normalize } from "../../src/events/normalize.js";
import type { Trigger } from "../../src/events/trigger.js";
import { planTrigger } from "../../src/pipeline/plan-trigger.js";
import type { Services } from "../../src/pipeline/types.js";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { makeRepo } from "../support/crew-fixture.js";
import { pushCommit, startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

const CREW = {
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": "runtime: command\ncommand: [\"true\"]\ntriggers:\n  mention: true\n",
  ".gitcrew/agents/dev/instructions.md": "Fix things.\n",
};

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8" }).trim();

describe("the crew evaluated while the default branch is fetched", () => {
  let gh: DoubleRepo;
  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/widgets", { "README.md": "# w\n", ...CREW });
  });
  afterAll(async () => gh?.close());

  /** A checkout made now, then origin's main moved by `files`: the crew as the Action reads it. */
  async function afterPush(files: Record<string, string>) {
    const checkout = mkdtempSync(join(tmpdir(), "gitcrew-ahead-"));
    execFileSync("git", ["clone", "-q", gh.bareDir, checkout]);
    const known = git(checkout, "rev-parse", "refs/remotes/origin/main");
    const pushed = await pushCommit(gh.bareDir, "main", files, "change");
    const loaded = await loadCrewAhead(checkout, known, fetchDefaultBranch(checkout, "main"), {});
    return { loaded, known, pushed, checkout };
  }

  it("uses the fetched default branch's crew when the push changed it: its new agent and its tightened rule", async () => {
    const { loaded, checkout, pushed } = await afterPush({ ".gitcrew/agents/ops/agent.yaml": "runtime: command\ncommand: [\"true\"]\n", ".gitcrew/agents/ops/instructions.md": "Ops.\n", ".gitcrew/crew.cue": 'defaults: allow: permission: "admin"\n' });
    expect(loaded.ref).toBe("refs/remotes/origin/main");
    expect(git(checkout, "rev-parse", loaded.ref)).toBe(pushed);
    expect(loaded.crew?.agents.map((a) => a.name).sort()).toEqual(["dev", "ops"]);
    expect(loaded.crew?.agents.find((a) => a.name === "dev")?.allow.permission).toBe("admin");
  });

  it("keeps what it evaluated ahead when the push left the crew's files alone, named by the fetched ref", async () => {
    const before = await afterPush({ "README.md": "# changed\n" });
    expect(before.loaded.ref).toBe("refs/remotes/origin/main");
    expect(before.loaded.crew?.agents.find((a) => a.name === "dev")?.allow.permission).toBe("admin");
    expect(before.loaded.errors).toEqual([]);
  });

  it("reads a CODEOWNERS change as a crew change", async () => {
    const before = await afterPush({});
    expect(before.loaded.warnings.map((w) => w.message).join("\n")).toMatch(/no CODEOWNERS file/);
    const { loaded } = await afterPush({ ".github/CODEOWNERS": "/.gitcrew/ @acme/leads\n" });
    expect(loaded.warnings.map((w) => w.message).join("\n")).not.toMatch(/CODEOWNERS/);
  });

  it("evaluates at the fetched ref when nothing was fetched before (no remote ref yet)", async () => {
    const repo = makeRepo(CREW);
    const loaded = await loadCrewAhead(repo, undefined, Promise.resolve("main"), {});
    expect(loaded.ref).toBe("main");
    expect(loaded.crew?.agents.map((a) => a.name)).toEqual(["dev"]);
  });
});

describe("the agent's branch asked of origin ahead", () => {
  it("is what the run starts from, taken once: the next run asks origin again", async () => {
    const gh = await startDoubleWithRepo("acme/branch-ahead", { "README.md": "# w\n" });
    try {
      const checkout = mkdtempSync(join(tmpdir(), "gitcrew-ahead-"));
      execFileSync("git", ["clone", "-q", gh.bareDir, checkout]);
      const branch = "gitcrew/dev/7";
      const first = await pushCommit(gh.bareDir, branch, { "work.txt": "one\n" }, "dev's work", "main");
      fetchBranchAhead(checkout, branch);
      const planned = { branch, ref: "main" };
      expect(await fetchForRun(checkout, planned, undefined)).toBe("main");
      expect(git(checkout, "rev-parse", `refs/heads/${branch}`)).toBe(first);
      const second = await pushCommit(gh.bareDir, branch, { "work.txt": "two\n" }, "more work");
      await fetchForRun(checkout, planned, undefined);
      expect(git(checkout, "rev-parse", `refs/heads/${branch}`)).toBe(second);
      // A branch origin does not have, asked ahead, leaves nothing behind.
      fetchBranchAhead(checkout, "gitcrew/dev/8");
      await fetchForRun(checkout, { branch: "gitcrew/dev/8", ref: "main" }, undefined);
      expect(() => git(checkout, "rev-parse", "--verify", "--quiet", "refs/heads/gitcrew/dev/8")).toThrow();
    } finally {
      await gh.close();
    }
  });
});

describe("planning's lookups asked ahead", () => {
  let gh: DoubleRepo;
  let github: GitHubClient;
  let crewDir: string;
  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/lookahead", { "README.md": "# w\n" });
    gh.double.setPermission(gh.fullName, "alice", "write");
    github = await connectGitHub({ auth: { token: gh.double.token("github-actions[bot]", "Bot") }, baseUrl: gh.double.url });
    crewDir = makeRepo(CREW);
  });
  afterAll(async () => gh?.close());
  afterEach(() => {
    gh.double.clearFaults();
    gh.double.assertNoViolations();
  });

  function comment(text: string): Trigger {
    const issue = gh.double.addIssue(gh.fullName, { title: "flaky", user: "alice" });
    gh.double.addComment(gh.fullName, issue.number, "alice", "first words");
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", text);
    const n = normalize("issue_comment", payload);
    if (!n.ok) throw new Error(n.ignored);
    return n.trigger;
  }
  const services = (client: GitHubClient): Services => ({ github: client, runner: { run: () => Promise.reject(new Error("not here")) }, repoDir: crewDir, env: {}, log: () => {} });
  const count = (op: string) => gh.double.calls(op).length;

  it("asks the permission and the thread at once, and planning uses each answer once: the same plan, no second request", async () => {
    const crew = (await loadCrewFromDir(crewDir)).crew!;
    const t = comment("@dev please fix it");
    const [perm0, list0] = [count("repos/get-collaborator-permission-level"), count("issues/list-comments")];
    const ahead = lookAhead(github, t);
    // Asked before planning: both requests are on their way (answered soon after).
    await expect.poll(() => count("repos/get-collaborator-permission-level") - perm0).toBe(1);
    await expect.poll(() => count("issues/list-comments") - list0).toBe(1);
    const plan = await planTrigger(services(ahead), t, crew);
    expect(count("repos/get-collaborator-permission-level") - perm0).toBe(1);
    expect(count("issues/list-comments") - list0).toBe(1);
    const plain = await planTrigger(services(github), t, crew);
    expect(plan.runs.map((r) => [r.agent, r.prompt])).toEqual(plain.runs.map((r) => [r.agent, r.prompt]));
    expect(plan.runs[0]?.prompt).toContain("first words");
    // A second planning with the same client asks GitHub again (an answer is handed over once).
    await planTrigger(services(ahead), t, crew);
    expect(count("repos/get-collaborator-permission-level") - perm0).toBe(3);
  });

  it("hands a lookup's failure to planning, as if planning had asked", async () => {
    const crew = (await loadCrewFromDir(crewDir)).crew!;
    const t = comment("@dev please fix it");
    gh.double.failNext("repos/get-collaborator-permission-level", { kind: "forbidden" }, 1);
    const ahead = lookAhead(github, t);
    const direct = await planTrigger(services(ahead), t, crew).then(
      (p) => ({ ok: true as const, p }),
      (e: unknown) => ({ ok: false as const, e: String(e) }),
    );
    gh.double.failNext("repos/get-collaborator-permission-level", { kind: "forbidden" }, 1);
    const plain = await planTrigger(services(github), t, crew).then(
      (p) => ({ ok: true as const, p }),
      (e: unknown) => ({ ok: false as const, e: String(e) }),
    );
    expect(direct.ok).toBe(plain.ok);
    if (direct.ok && plain.ok) expect(direct.p.runs.length).toBe(plain.p.runs.length);
    else if (!direct.ok && !plain.ok) expect(direct.e).toBe(plain.e);
  });
});
