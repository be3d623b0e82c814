/**
 * Attack: the Action's own git calls in the checkout (fetching the default
 * branch and the agent's branch, pushing the agent's work, approval
 * branches) run with the step's whole environment: the GitHub token input,
 * the App's private key, the model keys. The checkout's config may name a
 * relative hooks folder (`core.hooksPath = .husky`: husky writes it when a
 * job runs `npm install`, and on a self-hosted runner it stays for every
 * later job), which git looks up in the checkout's files: those of whatever
 * the workflow checked out, a fork pull request's head when it checks out
 * the head of the pull request a comment is on. Its `reference-transaction`
 * (every fetch and push updates a ref) and `pre-push` then ran with those
 * secrets on the runner's host.
 *
 * gitcrew's git in the checkout runs no hook; fetch, commit and push still work.
 */
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { checkout, runAction, type ActionEnv } from "../support/action-harness.js";

const MARK = join(tmpdir(), `gitcrew-checkout-hook-${randomBytes(4).toString("hex")}`);
const HOOKS = ["reference-transaction", "pre-push", "post-checkout", "post-index-change", "post-merge", "pre-auto-gc"];

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/dev/agent.yaml": `runtime: command\ncommand: ["sh", "-c", "echo fixed >> README.md; gitcrew-return done"]\ntriggers:\n  mention: true\nlimits:\n  timeout: 2m\n  network: none\n`,
  ".gitcrew/agents/dev/instructions.md": "Fix things.\n",
};

describe("hooks in the checkout the Action works in", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => {
    for (const h of HOOKS) rmSync(`${MARK}-${h}`, { force: true });
    await gh?.close();
  });
  afterEach(() => gh.double.assertNoViolations());

  it("none runs with the step's secrets; the agent's work is fetched, committed and pushed", async () => {
    const workspace = await checkout(gh.bareDir);
    // The files of what the workflow checked out (a fork's head), and husky's line in the checkout's config.
    mkdirSync(join(workspace, ".husky"));
    for (const h of HOOKS) {
      writeFileSync(join(workspace, ".husky", h), `#!/bin/sh\nenv > ${MARK}-${h}\n`);
      chmodSync(join(workspace, ".husky", h), 0o755);
    }
    execFileSync("git", ["-C", workspace, "config", "core.hooksPath", ".husky"]);

    const issue = gh.double.addIssue(gh.fullName, { title: "Fix the README", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev fix the readme");
    const run = await runAction(env, "issue_comment", payload, { token, workspace, extraEnv: { ANTHROPIC_API_KEY: "sk-ant-never-in-a-hook" } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");
    const pushed = execFileSync("git", ["--git-dir", gh.bareDir, "show", `gitcrew/dev/${issue.number}:README.md`], { encoding: "utf8" });
    expect(pushed).toBe("# widgets\nfixed\n");

    expect(HOOKS.filter((h) => existsSync(`${MARK}-${h}`))).toEqual([]);
  });
});
