/**
 * The GitHub token an agent's `permissions` grant is held by the run
 * gateway, never by the container, and the gateway's GitHub route does not
 * let a prompt-injected agent do gitcrew's job with it. On the real Docker
 * engine a command agent with the default permissions (contents, issues and
 * pull requests: write) searches its environment, files and processes for
 * the token, then tries to push to its repository through the route and to
 * write a file through the API: the token is nowhere inside, the push is
 * refused before it reaches the git host (the branch is unchanged), the
 * write never reaches GitHub, and both refusals are in the run's result.
 * An agent whose permissions grant nothing gets no route at all.
 *
 * Before the route existed the container had no GitHub at all; this test
 * then fails at the clone (nothing serves github inside) and at the
 * refusals it expects in the result.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/crew/types.js";
import { planLocalRun } from "../../src/runner/local-plan.js";
import { newRunId } from "../../src/runner/owner.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { type GitHubFixture, githubProbe, startGitHubFixture } from "../support/github-probe.js";
import { makeCrewRepo } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, tempHome } from "../support/runner-harness.js";

const exec = promisify(execFile);
const sha = (s: string) => createHash("sha256").update(s).digest("hex");
type Step = { step: string } & Record<string, unknown>;
const agentYaml = (permissions: string) =>
  ["runtime: command", 'command: ["node", "/workspace/probe.mjs"]', ...(permissions ? [`permissions: ${permissions}`] : []), "limits:", "  timeout: 2m", "  network:", "    allow: []", ""].join("\n");

describe("the agent's GitHub token stays in the gateway, and the route does not push (real Docker engine)", () => {
  let fx: GitHubFixture;
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    fx = await startGitHubFixture();
    repo = await makeCrewRepo(
      [
        { name: "writer", yaml: agentYaml("") },
        { name: "nobody", yaml: agentYaml("{contents: none, issues: none, pull_requests: none}") },
      ],
      { "probe.mjs": githubProbe(fx.git.url, sha(fx.realToken)) },
    );
    home = tempHome();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: home } });
  }, 180_000);

  afterAll(async () => {
    await runner?.close();
    await fx?.close();
    if (repo) rmSync(repo, { recursive: true, force: true });
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function run(agent: Agent): Promise<{ result: RunResult; steps: Record<string, Step>; logs: string[] }> {
    const runId = newRunId();
    const logs: string[] = [];
    const result = await runner.run({
      planned: planLocalRun({ agent, prompt: "push your work yourself", runId, repo: "acme/widgets" }),
      agent,
      repoDir: repo,
      repo: "acme/widgets",
      runId,
      github: { token: fx.realToken, apiUrl: fx.gh.url, gitUrl: fx.git.url },
      observer: { onEvent: (ev) => (ev.type === "log" ? logs.push(ev.line) : undefined) },
    });
    const steps = Object.fromEntries(logs.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Step).map((o) => [o.step, o]));
    return { result, steps, logs };
  }

  it("with write permissions: the token is nowhere inside, a push and an API write are refused and recorded", async () => {
    const { agent } = await loadAgent(repo, "writer");
    expect(agent.permissions).toMatchObject({ contents: "write" });
    const before = (await exec("git", ["-C", fx.bare, "rev-parse", "main"])).stdout.trim();
    const { result, steps, logs } = await run(agent);
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");

    const search = steps.search as unknown as { found: { real: string[]; run: string[] } };
    expect(search.found.real).toEqual([]);
    expect(search.found.run).toContain("env:GITCREW_RUN_TOKEN");

    // The clone worked (so the push had a way to go), the push did not.
    expect(steps.clone).toMatchObject({ ok: true });
    expect(steps.push).toMatchObject({ ok: false });
    expect(String(steps.push?.out)).toMatch(/returned error: 403/);
    expect((await exec("git", ["-C", fx.bare, "rev-parse", "main"])).stdout.trim()).toBe(before);
    expect(fx.git.requests.filter((q) => q.url.includes("receive-pack"))).toEqual([]);

    // Writing a file through the API (a commit with gitcrew's identity): refused, never sent.
    expect(steps["api-contents-write"]).toMatchObject({ status: 403 });
    expect(fx.gh.requests.filter((q) => q.method !== "GET")).toEqual([]);
    expect((await exec("git", ["-C", fx.bare, "ls-tree", "--name-only", "main"])).stdout.split("\n")).not.toContain("PWNED.md");

    expect(result.gateway?.refusals).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "github", reason: expect.stringMatching(/^git push \(git-receive-pack\)/) }),
        expect.objectContaining({ kind: "github", reason: expect.stringMatching(/^PUT through the API/) }),
      ]),
    );
  }, 180_000);

  it("with no permissions: no GITHUB_API_URL, and the route refuses the run's token for the API and git", async () => {
    const { agent } = await loadAgent(repo, "nobody");
    const { result, steps, logs } = await run(agent);
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    expect((steps.search as unknown as { apiUrl: string | null }).apiUrl).toBeNull();
    expect(steps["direct-api"]).toMatchObject({ status: 403 });
    expect(String(steps["direct-api"]?.message)).toContain("this run has no GitHub access");
    expect(steps["direct-git"]).toMatchObject({ ok: false });
    expect(String(steps["direct-git"]?.out)).toMatch(/403/);
    expect(result.gateway?.refusals.filter((f) => f.kind === "github" && /no GitHub access/.test(f.reason)).length).toBeGreaterThanOrEqual(2);
  }, 180_000);
});
