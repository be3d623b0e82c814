/**
 * Attack: the Action needs a persistent self-hosted runner with Docker. On a
 * public repository anyone can open a fork pull request whose own workflow
 * runs on that runner. `gitcrew init` and `gitcrew validate` must say so when
 * the repository is public, asking GitHub (here the double, which checks each
 * request against GitHub's OpenAPI description), and must never fail because
 * of it: no network or no answer gives one neutral line, the exit code stays.
 */
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { slugFromRemoteUrl } from "../../src/github/visibility.js";
import { agentFiles, agentYaml, git, makeRepo, writeFiles } from "../support/crew-fixture.js";
import { GitHubDouble } from "../support/github-double/index.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/gitcrew.js");

async function gitcrew(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The user's environment without any GitHub credentials of the machine running the tests. */
function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY"]) delete env[k];
  return { ...env, ...extra };
}

/** A fresh repository whose origin is `url`, with `gitcrew init` run in it. */
async function initialised(url: string, env: NodeJS.ProcessEnv) {
  const dir = makeRepo();
  git(dir, "remote", "add", "origin", url);
  const init = await gitcrew(["init", "--repo", dir], env);
  return { dir, init };
}

const PUBLIC_WARNING = /is public: a fork pull request's own workflow can run on this self-hosted runner/;
const NEUTRAL = /note: could not tell whether .* is public \(.*\); if it is, read docs\/action\.md/;

describe("public repository with a self-hosted runner", () => {
  let gh: GitHubDouble;
  let closedUrl: string;
  beforeAll(async () => {
    gh = await GitHubDouble.start();
    const bare = mkdtempSync(join(tmpdir(), "gitcrew-bare-"));
    gh.addRepo("octo/open-house", bare);
    gh.addRepo("octo/back-office", bare, { private: true });
    // The double compiles GitHub's schemas for an operation on first use: done here, not in the CLI's short wait.
    await gh.octokit("warm-up").rest.repos.get({ owner: "octo", repo: "open-house" });
    // A port nothing listens on: the API is unreachable.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    closedUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => gh.stop());

  it("init and validate warn about a public repository (with a token), --json carries it, exit codes unchanged", async () => {
    const env = userEnv({ GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token("maintainer") });
    const { dir, init } = await initialised("https://github.com/octo/open-house.git", env);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("Security: this workflow runs on a persistent self-hosted runner with Docker.");
    expect(init.stdout).toMatch(new RegExp(`warning: octo/open-house ${PUBLIC_WARNING.source}`));

    const text = await gitcrew(["validate", "--repo", dir], env);
    expect(text.code).toBe(0);
    // Placed at the workflow's runs-on line, like every other warning.
    expect(text.stdout).toMatch(new RegExp(`^\\.github/workflows/gitcrew\\.yml:\\d+:\\d+: warning: octo/open-house ${PUBLIC_WARNING.source}`, "m"));
    expect(text.stdout).toContain("crew ok:");

    const json = await gitcrew(["validate", "--repo", dir, "--json"], env);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { ok: boolean; warnings: { file: string; line: number; message: string }[] };
    expect(out.ok).toBe(true);
    expect(out.warnings).toContainEqual(expect.objectContaining({ file: ".github/workflows/gitcrew.yml", message: expect.stringMatching(PUBLIC_WARNING) }));

    const asked = gh.requests.filter((r) => r.method === "GET" && r.path === "/repos/octo/open-house" && r.actor === "maintainer");
    expect(asked.map((r) => [r.operationId, r.actor, r.status])).toEqual(Array(3).fill(["repos/get", "maintainer", 200]));
    expect(gh.violations).toEqual([]);
  });

  it("a crew with errors in a public repository still exits 1, with the warning beside the errors", async () => {
    const env = userEnv({ GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token("maintainer") });
    const { dir } = await initialised("git@github.com:octo/open-house.git", env);
    writeFiles(dir, agentFiles("broken", agentYaml("runtime: claude\nlimits:\n  memory: lots\n")));
    const json = await gitcrew(["validate", "--repo", dir, "--json"], env);
    expect(json.code).toBe(1);
    const out = JSON.parse(json.stdout) as { ok: boolean; errors: unknown[]; warnings: { message: string }[] };
    expect(out.ok).toBe(false);
    expect(out.errors.length).toBeGreaterThan(0);
    expect(out.warnings.some((w) => PUBLIC_WARNING.test(w.message))).toBe(true);
  });

  it("asks anonymously without a token: a public repository still gets the warning", async () => {
    const env = userEnv({ GITHUB_API_URL: gh.url });
    const { dir, init } = await initialised("ssh://git@github.com/octo/open-house.git", env);
    expect(init.stdout).toMatch(PUBLIC_WARNING);
    const text = await gitcrew(["validate", "--repo", dir], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(PUBLIC_WARNING);
  });

  it("a private repository gets no warning and no note", async () => {
    const env = userEnv({ GITHUB_API_URL: gh.url, GITHUB_TOKEN: gh.token("octo") });
    const { dir, init } = await initialised("https://github.com/octo/back-office", env);
    expect(init.code).toBe(0);
    expect(init.stdout).not.toMatch(PUBLIC_WARNING);
    expect(init.stdout).not.toMatch(NEUTRAL);
    const text = await gitcrew(["validate", "--repo", dir], env);
    expect(text.code).toBe(0);
    expect(`${text.stdout}${text.stderr}`).not.toMatch(/public/);
    const json = await gitcrew(["validate", "--repo", dir, "--json"], env);
    const out = JSON.parse(json.stdout) as { ok: boolean; warnings: { message: string }[] };
    expect(out.ok).toBe(true);
    expect(out.warnings.filter((w) => /public/.test(w.message))).toEqual([]);
  });

  it("a private repository asked anonymously (GitHub answers 404) gets the neutral line, not the warning", async () => {
    const env = userEnv({ GITHUB_API_URL: gh.url });
    const { dir, init } = await initialised("https://github.com/octo/back-office.git", env);
    expect(init.stdout).toMatch(NEUTRAL);
    expect(init.stdout).not.toMatch(PUBLIC_WARNING);
    const text = await gitcrew(["validate", "--repo", dir], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(NEUTRAL);
    expect(text.stdout).not.toMatch(PUBLIC_WARNING);
  });

  it("API unreachable: one neutral line, exit codes unchanged, --json stays clean JSON", async () => {
    const env = userEnv({ GITHUB_API_URL: closedUrl, GITHUB_TOKEN: "gho_not_used_here" });
    const { dir, init } = await initialised("https://github.com/octo/open-house.git", env);
    expect(init.code).toBe(0);
    expect(init.stdout.match(new RegExp(NEUTRAL.source, "g"))?.length).toBe(1);
    expect(init.stdout).toContain(`${closedUrl} could not be reached`);
    expect(init.stdout).not.toMatch(PUBLIC_WARNING);
    const text = await gitcrew(["validate", "--repo", dir], env);
    expect(text.code).toBe(0);
    expect(text.stdout.match(new RegExp(NEUTRAL.source, "g"))?.length).toBe(1);
    expect(text.stdout).not.toMatch(PUBLIC_WARNING);
    const json = await gitcrew(["validate", "--repo", dir, "--json"], env);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout) as { ok: boolean; warnings: { message: string }[] };
    expect(out.ok).toBe(true);
    expect(out.warnings.filter((w) => /public/.test(w.message))).toEqual([]);
    expect(json.stderr).toMatch(NEUTRAL);
  });

  it("validate asks nothing when no workflow runs on a self-hosted runner (the webhook server's set-up)", async () => {
    const env = userEnv({ GITHUB_API_URL: gh.url });
    const dir = makeRepo(agentFiles("dev", agentYaml("runtime: claude\n")));
    git(dir, "remote", "add", "origin", "https://github.com/octo/open-house.git");
    const before = gh.requests.length;
    const text = await gitcrew(["validate", "--repo", dir], env);
    expect(text.code).toBe(0);
    expect(text.stdout).not.toMatch(/public/);
    expect(gh.requests.length).toBe(before);
  });
});

describe("slugFromRemoteUrl", () => {
  it.each([
    ["https://github.com/octo/open-house.git", "octo/open-house"],
    ["https://github.com/octo/open-house", "octo/open-house"],
    ["https://x-access-token:abc@github.com/octo/open-house.git", "octo/open-house"],
    ["git@github.com:octo/open-house.git", "octo/open-house"],
    ["ssh://git@github.com/octo/open-house.git", "octo/open-house"],
    ["ssh://git@github.com:22/octo/repo.name", "octo/repo.name"],
    ["https://gitlab.com/octo/open-house.git", undefined],
    ["/srv/git/open-house.git", undefined],
    ["file:///srv/git/octo/open-house.git", undefined],
    ["https://github.com/octo/open-house/tree/main", undefined],
    ["https://github.com.evil.example/octo/open-house", undefined],
  ])("%s → %s", (url, slug) => {
    const s = slugFromRemoteUrl(url);
    expect(s ? `${s.owner}/${s.repo}` : undefined).toBe(slug);
  });

  it("accepts the host of GITHUB_SERVER_URL (GitHub Enterprise Server)", () => {
    expect(slugFromRemoteUrl("git@ghe.example.com:team/app.git", { GITHUB_SERVER_URL: "https://ghe.example.com" })).toEqual({ owner: "team", repo: "app" });
  });
});
