/**
 * GitHub inside a run, end to end through the Action as a GitHub App: the
 * agent's installation token (narrowed to its `permissions`) is what the
 * run gateway adds on its GitHub route, so a command agent reads its issue
 * from $GITHUB_API_URL with nothing but the run token, and the double saw
 * the App's narrowed token. Real Docker engine, gitcrew/command.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { runAction, type ActionEnv } from "../support/action-harness.js";

const exec = promisify(execFile);

const READ_ISSUE = `fetch(process.env.GITHUB_API_URL + "/repos/acme/widgets/issues/1", { headers: { authorization: "Bearer " + process.env.GITCREW_RUN_TOKEN } })
  .then(async (r) => console.log(r.ok ? "Title seen from inside: " + (await r.json()).title : "GitHub said " + r.status))
  .catch((e) => console.log("no GitHub: " + e.message));`;

const READER = `runtime: command
command: ["node", "-e", ${JSON.stringify(READ_ISSUE)}]
permissions:
  contents: read
  issues: write
triggers:
  mention: true
limits:
  timeout: 1m
  network:
    allow: []
`;

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
  ".gitcrew/agents/reader/agent.yaml": READER,
  ".gitcrew/agents/reader/instructions.md": "You read and answer.\n",
};

describe("GitHub inside a run through the Action as a GitHub App", () => {
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

  it("the agent reads its issue through the gateway with the App's token narrowed to its permissions", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    gh.double.addInstallation({ id: 42, appId: 889, publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(), appSlug: "crew-app", owner: "acme" });
    const issue = gh.double.addIssue(gh.fullName, { title: "Why is it flaky?", user: "alice" });
    expect(issue.number).toBe(1);
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@reader what is this issue about?");
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const run = await runAction(env, "issue_comment", payload, { token: "", inputs: { "app-id": "889", "app-private-key": pem } });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");

    const tracking = gh.double.comments(gh.fullName, issue.number).find((c) => c.body.includes("gitcrew:origin agent=reader"));
    expect(tracking?.body).toContain("Title seen from inside: Why is it flaky?");
    // The only token the App minted for these permissions is the agent's: the one the gateway added.
    expect(gh.double.installationTokens(42).filter((t) => t.permissions.issues === "write" && t.permissions.contents === "read")).toHaveLength(1);
    expect(run.stdout).not.toContain("no GitHub inside the run");
    gh.double.assertNoViolations();
  }, 240_000);
});
