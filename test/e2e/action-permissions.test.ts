/**
 * The agent's `permissions` through the Action as a GitHub App: each run's
 * installation token is narrowed to them (the double refuses what a token
 * was not granted, as GitHub does), and gitcrew holds itself to them too:
 * an agent without `contents: write` gets its answer posted, not its
 * commits pushed.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { runAction, type ActionEnv } from "../support/action-harness.js";

const exec = promisify(execFile);

/** reader: may comment, may not push; it writes a file anyway. */
const READER = `runtime: command
command: ["sh", "-c", "mkdir -p notes; echo seen > notes/seen.txt; echo 'Looked at it: the test races the clock.'"]
permissions:
  contents: read
  issues: write
triggers:
  mention: true
limits:
  timeout: 1m
  network: none
`;

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/reader/agent.yaml": READER,
  ".gitcrew/agents/reader/instructions.md": "You read and answer.\n",
};

describe("an agent's permissions through the Action as a GitHub App", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", "gitcrew/command:latest"]).catch(() => {
      throw new Error("image gitcrew/command:latest is missing: run bash scripts/ci/build-images.sh");
    });
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  it("answers with a token narrowed to contents: read, and leaves its commits unpushed, saying why", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    gh.double.addInstallation({ id: 41, appId: 888, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "crew-app", owner: "acme" });
    const issue = gh.double.addIssue(gh.fullName, { title: "Why is it flaky?", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@reader why does the login test fail?");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const run = await runAction(env, "issue_comment", payload, { token: "", inputs: { "app-id": "888", "app-private-key": pem } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");

    expect(gh.double.installationTokens(41).map((t) => t.permissions)).toContainEqual({ contents: "read", issues: "write" });
    const tracking = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=reader"));
    expect(tracking?.user).toBe("crew-app[bot]");
    expect(tracking?.body).toContain("✅ **reader** finished");
    expect(tracking?.body).toContain("Looked at it: the test races the clock.");
    expect(tracking?.body).toContain("reader's commits were not pushed and no pull request was opened: its permissions give `contents: read`");
    expect(tracking?.body).toContain("permissions: contents: write");

    const branches = (await exec("git", ["--git-dir", gh.bareDir, "branch", "--list", "gitcrew/*"])).stdout.trim();
    expect(branches).toBe("");
    expect(gh.double.pulls(gh.fullName)).toHaveLength(0);
    // gitcrew never tried what the token was not granted.
    expect(gh.double.requests.filter((r) => r.refused)).toEqual([]);
  });
});
