/**
 * GitHub from inside a real run (real Docker engine, gitcrew/command, the
 * runner and its gateway): an agent with `permissions` reads the API at
 * $GITHUB_API_URL and clones its repository with plain `git clone` of the
 * git host's URL, authenticated as gitcrew's token, while its environment,
 * its files and its processes hold only the run token.
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

describe("GitHub inside a run, through the gateway (real Docker engine)", () => {
  let fx: GitHubFixture;
  let repo: string;
  let home: string;
  let runner: Runner;

  beforeAll(async () => {
    await requireDockerAndImage();
    fx = await startGitHubFixture();
    repo = await makeCrewRepo(
      [
        {
          name: "reader",
          yaml: ["runtime: command", 'command: ["node", "/workspace/probe.mjs"]', "permissions: {contents: read, issues: read}", "limits:", "  timeout: 2m", "  network:", "    allow: []", ""].join("\n"),
        },
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
      planned: planLocalRun({ agent, prompt: "use GitHub", runId, repo: "acme/widgets" }),
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

  it("reads the API and clones with gitcrew's token, which is nowhere inside", async () => {
    const { agent } = await loadAgent(repo, "reader");
    const { result, steps, logs } = await run(agent);
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");

    // The route, and no GitHub token: not in the environment, in a file, or in any process's arguments or environment.
    const search = steps.search as unknown as { searched: number; found: { real: string[]; run: string[] }; names: string[]; apiUrl: string };
    expect(search.apiUrl).toMatch(/^http:\/\/[\d.]+:\d+\/github\/api$/);
    expect(search.names).not.toContain("GITHUB_TOKEN");
    expect(search.names).not.toContain("GH_TOKEN");
    expect(search.found.real).toEqual([]);
    // The search does find a token that is there: the run token, in the environment and the system gitconfig.
    expect(search.found.run).toEqual(expect.arrayContaining(["env:GITCREW_RUN_TOKEN", "/etc/gitconfig"]));
    expect(search.searched).toBeGreaterThan(100);

    // The API answered as gitcrew's token (the double knows it as crew-bot).
    expect(steps["api-user"]).toMatchObject({ status: 200, login: "crew-bot" });
    // (Twice: $GITHUB_API_URL, and the route asked by its address.)
    expect(fx.gh.calls("users/get-authenticated").map((q) => q.actor)).toEqual(["crew-bot", "crew-bot"]);

    // git ls-remote and clone of the git host's own URL came through the gateway with the real token added.
    const head = (await exec("git", ["-C", fx.bare, "rev-parse", "main"])).stdout.trim();
    expect(steps["ls-remote"]).toMatchObject({ ok: true });
    expect(String(steps["ls-remote"]?.out)).toContain(`${head}\trefs/heads/main`);
    expect(steps.clone).toMatchObject({ ok: true, readme: "# widgets\n" });
    // git keeps the rewritten URL as the clone's origin: the gateway's route, with no credential in it.
    expect(steps.clone?.origin).toBe(`${search.apiUrl.replace(/\/api$/, "")}/git/acme/widgets.git`);
    const served = fx.git.requests.filter((q) => q.status === 200);
    expect(served.length).toBeGreaterThan(0);
    for (const q of served) expect(q.authorization).toBe(`Basic ${Buffer.from(`x-access-token:${fx.realToken}`).toString("base64")}`);
    fx.gh.assertNoViolations();
  }, 180_000);
});
