/**
 * @github/local-action, the usual way to try an Action on one's own machine,
 * runs gitcrew's Action from this repository's sources (src/action/main.ts
 * exports run()) against an event file and an .env file, as docs/action.md
 * says: here against the GitHub double with a real `command` agent in Docker.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkout } from "../support/action-harness.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

const DEV = `runtime: command
command: ["sh", "-c", "echo 'Tried it locally.'"]
triggers:
  mention: true
limits:
  timeout: 1m
  memory: 256m
  network: none
`;

describe("@github/local-action", () => {
  let gh: DoubleRepo;

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", "gitcrew/command:latest"]).catch(() => {
      throw new Error("image gitcrew/command:latest is missing: run bash scripts/ci/build-images.sh");
    });
    gh = await startDoubleWithRepo("acme/local", {
      "README.md": "# local\n",
      ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
      ".gitcrew/agents/dev/agent.yaml": DEV,
      ".gitcrew/agents/dev/instructions.md": "You answer.\n",
    });
    gh.double.setPermission(gh.fullName, "alice", "write");
  });
  afterAll(async () => gh?.close());

  // local-action compiles the sources with tsx on every start: slow on a busy machine.
  it("runs the Action from src/action/main.ts against an event file and sets its outputs", { timeout: 240_000 }, async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Try me", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev say hello");
    const work = mkdtempSync(join(tmpdir(), "gitcrew-local-action-"));
    const eventPath = join(work, "event.json");
    writeFileSync(eventPath, JSON.stringify(payload));
    const summary = join(work, "summary.md");
    writeFileSync(summary, "");
    const token = gh.double.token("github-actions[bot]", "Bot");
    const dotenv = {
      GITHUB_EVENT_NAME: "issue_comment",
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: await checkout(gh.bareDir),
      GITHUB_REPOSITORY: gh.fullName,
      GITHUB_RUN_ID: "7",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_API_URL: gh.double.url,
      GITHUB_STEP_SUMMARY: summary,
      "INPUT_GITHUB-TOKEN": token,
      INPUT_PATH: ".",
      "INPUT_DRY-RUN": "false",
      "INPUT_LOG-LEVEL": "info",
      GITCREW_HOME: join(work, "home"),
    };
    const envFile = join(work, ".env");
    writeFileSync(envFile, Object.entries(dotenv).map(([k, v]) => `${k}="${v}"\n`).join(""));
    // The Node running this test runs local-action too (it is Node 24 under scripts/ci/node24.sh).
    const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ""}`;
    const { stdout } = await exec(process.execPath, [join(ROOT, "node_modules/@github/local-action/bin/local-action.js"), ".", "src/action/main.ts", envFile], {
      cwd: ROOT,
      env: { ...process.env, PATH, NO_COLOR: "1", FORCE_COLOR: "0" },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toContain(`(Node ${process.versions.node})`);
    // local-action's own table of the outputs the Action set.
    const outputs = stdout.slice(stdout.indexOf("Action Outputs"));
    expect(outputs).toMatch(/'status'\s*│\s*'succeeded'/);
    expect(outputs).toMatch(new RegExp(`'comment-url'\\s*│\\s*'\\S+/acme/local/issues/${issue.number}#issuecomment-\\d+'`));
    const replies = gh.double.comments(gh.fullName, issue.number).filter((c) => c.user !== "alice");
    expect(replies.map((c) => c.body).join("\n")).toContain("Tried it locally.");
    gh.double.assertNoViolations();
  });
});
