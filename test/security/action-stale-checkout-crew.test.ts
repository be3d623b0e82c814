/**
 * The Action evaluates its crew while it fetches the default branch, at the
 * commit the checkout last fetched (issue 21). A checkout older than the
 * default branch must not decide anything: when the push after it changed
 * the crew (an agent's permission tightened), the Action answers as the
 * fetched crew says, and a commenter the new rule refuses gets no run. A push
 * that left the crew's files alone runs as before. Real Action process, real
 * git, real container, the GitHub double.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAction, type ActionEnv } from "../support/action-harness.js";
import { pushCommit, startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { requireDockerAndImage } from "../support/runner-harness.js";

const AGENT = 'runtime: command\ncommand: ["sh", "-c", "echo fixed-by-dev"]\ntriggers:\n  mention: true\nlimits:\n  network: none\n';

describe("the Action's crew when the checkout is older than the default branch", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    await requireDockerAndImage();
    gh = await startDoubleWithRepo("acme/stale", {
      "README.md": "# widgets\n",
      ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
      ".gitcrew/agents/dev/agent.yaml": AGENT,
      ".gitcrew/agents/dev/instructions.md": "You fix bugs.\n",
    });
    gh.double.setPermission(gh.fullName, "alice", "write");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  }, 600_000);
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  /** A checkout made now; then `files` pushed to main; then alice's comment handled by the Action in that checkout. */
  async function staleRun(files: Record<string, string>) {
    const workspace = mkdtempSync(join(tmpdir(), "gitcrew-ws-"));
    execFileSync("git", ["clone", "-q", gh.bareDir, workspace]);
    await pushCommit(gh.bareDir, "main", files, "after the checkout");
    const issue = gh.double.addIssue(gh.fullName, { title: "flaky", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev please fix it");
    const run = await runAction(env, "issue_comment", payload, { token, workspace });
    const comments = gh.double.comments(gh.fullName, issue.number).map((c) => c.body);
    return { run, comments };
  }

  it("refuses alice once the default branch raised dev's permission to admin, though her checkout allowed writers", async () => {
    const { run, comments } = await staleRun({ ".gitcrew/crew.cue": 'defaults: allow: permission: "admin"\n' });
    expect(run.stdout + run.stderr).not.toContain("fixed-by-dev");
    expect(comments.join("\n")).not.toContain("fixed-by-dev");
    // The refusal is answered in the thread, naming who asked.
    expect(comments.some((c) => c.includes("@alice") && /admin|permission/i.test(c)), comments.join("\n---\n")).toBe(true);
    expect(run.outputs.status).not.toBe("succeeded");
  });

  it("runs as before when the push after the checkout left the crew alone", async () => {
    await pushCommit(gh.bareDir, "main", { ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n' }, "writers again");
    const { run, comments } = await staleRun({ "README.md": "# widgets, changed\n" });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");
    expect(comments.join("\n")).toContain("fixed-by-dev");
  });
});
