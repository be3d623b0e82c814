/**
 * The Action's bundle is split (scripts/build.mjs): dist/index.js and the
 * chunks it imports statically are what Node parses before the step's first
 * line, so they hold what the early 👀 and the fetch of the default branch
 * use; the planning's code loads meanwhile, and the runner, the run gateway
 * and its price database when a run needs them (issue 21: a 3.3 MB bundle
 * took ~250 ms of every Action start). Those load from dist/chunks/ when a run
 * needs them: checked here on a copy of the Action with no node_modules
 * anywhere above it, as a runner checks the action repository out.
 */
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runAction, type ActionEnv } from "../support/action-harness.js";
import { bundledModules, bundleFiles } from "../support/bundle-files.js";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const ENTRY = join(ROOT, "dist/index.js");

/** Modules a `command` agent's 👀 and planning never use, then what the 👀 does not use. */
const LAZY = [
  ["the run gateway", "src/gateway/gateway.ts"],
  ["the price database", "node_modules/@pydantic/genai-prices/"],
  ["the runner", "src/runner/runner.ts"],
  ["the Docker client", "node_modules/dockerode/"],
  ["undici (only @actions/core's OIDC client uses it)", "node_modules/undici/"],
  ["the crew's loader", "src/crew/load.ts"],
  ["the planner", "src/plan/plan.ts"],
  ["the Action past its first signs", "src/action/plan-and-run.ts"],
] as const;

const has = (modules: Set<string>, prefix: string) => [...modules].some((m) => m.startsWith(prefix));

describe("the Action's entry bundle", () => {
  it("imports statically neither the run gateway nor its price database nor the runner, nor the planning", () => {
    const atStart = bundledModules(bundleFiles(ENTRY, { dynamic: false }));
    // What the first 👀 uses is there (so the list above is read against real module names).
    for (const m of ["src/action/early-eyes.ts", "src/events/normalize.ts", "src/github/client.ts", "src/pipeline/default-branch.ts"]) expect(has(atStart, m), m).toBe(true);
    expect(LAZY.filter(([, m]) => has(atStart, m)).map(([what]) => what)).toEqual([]);
  });

  it("loads the run gateway and its price database only for a run on the gateway, not with the runner", () => {
    const runner = bundleFiles(ENTRY, { dynamic: true }).filter((f) => has(bundledModules([f]), "src/runner/runner.ts"));
    expect(runner).toHaveLength(1);
    // A `command` agent's run (network none) loads the runner's chunk and what it imports, nothing more.
    const withRunner = bundledModules(bundleFiles(runner[0]!, { dynamic: false }));
    expect(LAZY.slice(0, 2).filter(([, m]) => has(withRunner, m)).map(([what]) => what)).toEqual([]);
  });

  it("still carries all of them, in chunks it imports when a run needs them", () => {
    const all = bundledModules(bundleFiles(ENTRY, { dynamic: true }));
    expect(LAZY.filter(([what, m]) => !what.startsWith("undici") && !has(all, m)).map(([what]) => what)).toEqual([]);
  });
});

const DEV = `runtime: command
command: ["sh", "-c", "echo 'no network here'"]
triggers:
  mention: true
limits:
  timeout: 1m
  memory: 256m
  network: none
`;

/** On the run gateway: the container gets the gateway's proxy variables, never a route out. */
const FETCHER = `runtime: command
command: ["sh", "-c", "echo \\"proxy \${HTTPS_PROXY:+given}\\""]
triggers:
  mention: true
limits:
  timeout: 1m
  memory: 256m
  network:
    allow: ["example.com"]
`;

describe("the Action copied without node_modules", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;
  let action: string;

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", "gitcrew/command:latest"]).catch(() => {
      throw new Error("image gitcrew/command:latest is missing: run bash scripts/ci/build-images.sh");
    });
    // What a runner checks out of the action repository (no node_modules, nothing above it).
    const copy = mkdtempSync(join(tmpdir(), "gitcrew-action-copy-"));
    for (const f of ["action.yml", "package.json", "schema", "dist/index.js", "dist/cue.wasm"]) cpSync(join(ROOT, f), join(copy, f), { recursive: true });
    mkdirSync(join(copy, "dist/chunks"));
    for (const f of readdirSync(join(ROOT, "dist/chunks")).filter((f) => f.startsWith("action-"))) cpSync(join(ROOT, "dist/chunks", f), join(copy, "dist/chunks", f));
    action = join(copy, "dist/index.js");
    expect(relative(ROOT, copy).startsWith("..")).toBe(true);

    gh = await startDoubleWithRepo("acme/copied", {
      "README.md": "# copied\n",
      ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\n',
      ".gitcrew/agents/dev/agent.yaml": DEV,
      ".gitcrew/agents/dev/instructions.md": "You answer.\n",
      ".gitcrew/agents/fetcher/agent.yaml": FETCHER,
      ".gitcrew/agents/fetcher/instructions.md": "You fetch.\n",
    });
    gh.double.setPermission(gh.fullName, "alice", "write");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  const answers = (issue: number) => gh.double.comments(gh.fullName, issue).map((c) => c.body);

  it("loads the crew (CUE from dist/cue.wasm) and the runner's chunk: a `command` agent answers", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Hello", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@dev say something");
    const run = await runAction(env, "issue_comment", payload, { token, action });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");
    expect(answers(issue.number).join("\n")).toContain("no network here");
  });

  it("loads the run gateway's chunk for an agent on the gateway", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Fetch", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@fetcher look it up");
    const run = await runAction(env, "issue_comment", payload, { token, action });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe("succeeded");
    expect(answers(issue.number).join("\n")).toContain("proxy given");
  });
});
