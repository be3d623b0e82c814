/**
 * The `command` runtime end to end on the real Docker engine: through the CLI
 * (`gitcrew run … --json`: prompt in on stdin and GITCREW_PROMPT, files
 * changed, the commit on gitcrew/<agent>/<run> by the agent's git identity,
 * the answer out), the channel commands reaching the observer, injected files
 * and skills kept out of the commit, and the errors a user meets first: no
 * engine, no image, bad flags.
 */
import { spawn, spawnSync } from "node:child_process";
import { createServer as createHttpServer } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Runner } from "../../src/runner/runner.js";
import { cli } from "../support/crew-fixture.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { loadAgent, requireDockerAndImage, runOnce, tempHome } from "../support/runner-harness.js";

const BIN = join(import.meta.dirname, "..", "..", "bin", "gitcrew.js");

const NOTES = [
  "STDIN=$(cat)",
  "mkdir -p notes",
  'printf "%s\\n" "$STDIN" > notes/stdin.md',
  'printf "%s\\n" "$GITCREW_PROMPT" > notes/env.md',
  'gitcrew-status "writing notes"',
  'echo "{\\"gitcrew\\":\\"status\\",\\"text\\":\\"via stdout\\"}"',
  'gitcrew-request-approval --reason "publish the notes" --kind action --what deploy',
  'gitcrew-return "noted: $STDIN"',
].join("; ");

// Reads what the runner injected, tries to change it, and writes its own file.
const INJECTED = [
  'echo "claude=$(head -1 CLAUDE.md)"',
  'echo "agents=$(head -1 AGENTS.md)"',
  'echo "skill=$(head -1 .gitcrew-skills/testing/SKILL.md)"',
  "echo tampered >> CLAUDE.md",
  "echo tampered >> AGENTS.md",
  "touch .gitcrew-skills/testing/new 2>/dev/null; echo skillwrite=$?",
  "echo work > work.txt",
].join("; ");

describe("command runtime end to end", () => {
  let repo: string;
  let home: string;
  const env = () => ({ GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" });

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo(
      [
        shAgent("notes", NOTES, 'git:\n  name: "Notes Bot"\n  email: "notes@bots.example"\n'),
        shAgent("injected", INJECTED, "skills: [testing]\n"),
        { name: "ghost", yaml: 'runtime: command\nimage: "gitcrew/does-not-exist:latest"\ncommand: ["true"]\n' },
        shAgent("failing", "echo about to fail; exit 7"),
        shAgent("slow", "echo slow; sleep 60", "limits:\n  timeout: 2s\n"),
      ],
      {
        "AGENTS.md": "# the repo's own AGENTS.md\n",
        ".gitcrew/skills/testing/SKILL.md": "---\nname: testing\ndescription: KIWI-SKILL\n---\nRun the tests.\n",
      },
    );
  });

  afterAll(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("gitcrew run --json: prompt in, files changed, commit on the agent branch by the agent, answer out", async () => {
    const prompt = "Write down: buy 'milk' & \"eggs\" $HOME";
    const r = await cli(["run", "notes", "--repo", repo, "--prompt", prompt, "--json"], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ status: "succeeded", exitCode: 0, answer: `noted: ${prompt}`, branch: `gitcrew/notes/${out.run}` });
    expect(out.changedFiles.sort()).toEqual(["notes/env.md", "notes/stdin.md"]);
    const git = simpleGit(repo);
    expect(await git.show([`${out.branch}:notes/stdin.md`])).toBe(`${prompt}\n`);
    expect(await git.show([`${out.branch}:notes/env.md`])).toBe(`${prompt}\n`);
    const [author, committer, message] = (await git.raw(["log", "-1", "--format=%an <%ae>%n%cn <%ce>%n%B", out.branch])).split("\n");
    expect(author).toBe("Notes Bot <notes@bots.example>");
    expect(committer).toBe("Notes Bot <notes@bots.example>");
    expect(message).toContain("notes: Write down");
    // One commit on top of main; main itself untouched and still checked out.
    expect((await git.raw(["rev-list", "--count", `main..${out.branch}`])).trim()).toBe("1");
    expect((await git.revparse(["--abbrev-ref", "HEAD"])).trim()).toBe("main");
    expect((await git.status()).isClean()).toBe(true);
    // Progress and the approval request reached the terminal.
    expect(r.stderr).toContain("▸ writing notes");
    expect(r.stderr).toContain("▸ via stdout");
    expect(r.stderr).toContain("▸ approval requested (action: deploy): publish the notes");
    // And the run is listed.
    const ps = await cli(["ps", "--json"], { env: env() });
    expect(JSON.parse(ps.stdout).runs).toContainEqual(expect.objectContaining({ id: out.run, agent: "notes", status: "succeeded", exitCode: 0 }));
  }, 90_000);

  it("gitcrew-status, gitcrew-return and gitcrew-request-approval reach the observer, between started and finished", async () => {
    const runner = await Runner.start({ env: { ...process.env, ...env() } });
    const { agent } = await loadAgent(repo, "notes");
    const { result, events } = await runOnce(runner, repo, agent, "observe me");
    expect(result.status, result.reason).toBe("succeeded");
    const channel = events.filter((e) => ["status", "return", "approval"].includes(e.type));
    expect(channel).toContainEqual({ type: "status", text: "writing notes" });
    expect(channel).toContainEqual({ type: "status", text: "via stdout" });
    expect(channel).toContainEqual({ type: "approval", kind: "action", reason: "publish the notes", what: "deploy" });
    expect(channel).toContainEqual({ type: "return", value: "noted: observe me" });
    expect(result.approvals).toEqual([{ kind: "action", reason: "publish the notes", what: "deploy" }]);
    expect(events[0]?.type).toBe("started");
    expect(events.at(-1)?.type).toBe("finished");
  }, 60_000);

  it("runs at the same time on one repository: worktrees added and removed side by side, every run committed", async () => {
    const runner = await Runner.start({ env: { ...process.env, ...env() } });
    const { agent } = await loadAgent(repo, "notes");
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => runOnce(runner, repo, agent, `parallel ${i}`, { runId: `par${i}-${Date.now()}` })));
    for (const { result } of runs) expect(result.status, result.reason).toBe("succeeded");
    const git = simpleGit(repo);
    for (const [i, { result }] of runs.entries()) expect(await git.show([`${result.branch}:notes/stdin.md`])).toBe(`parallel ${i}\n`);
    // No worktree left behind, no stray admin folder.
    expect((await git.raw(["worktree", "list", "--porcelain"])).match(/^worktree /gm)).toHaveLength(1);
  }, 120_000);

  it("keeps injected instructions and mounted skills out of the agent's commit", async () => {
    const runner = await Runner.start({ env: { ...process.env, ...env() } });
    const { agent } = await loadAgent(repo, "injected");
    const { result, logs } = await runOnce(runner, repo, agent, "look around", {
      // The command runtime injects nothing itself; give it what claude and codex get.
      edit: (p) => ({ ...p, container: { ...p.container, injectedFiles: { "CLAUDE.md": "INJECTED-CLAUDE\n", "AGENTS.md": "INJECTED-AGENTS\n" } } }),
    });
    expect(result.status, `${result.reason}\n${logs.join("\n")}`).toBe("succeeded");
    expect(logs).toContain("claude=INJECTED-CLAUDE");
    expect(logs).toContain("agents=INJECTED-AGENTS");
    expect(logs).toContain("skill=---");
    expect(logs).toContain("skillwrite=1");
    expect(result.changedFiles).toEqual(["work.txt"]);
    const git = simpleGit(repo);
    const files = (await git.raw(["ls-tree", "-r", "--name-only", result.branch!])).split("\n").filter(Boolean);
    expect(files).toContain("work.txt");
    expect(files).not.toContain("CLAUDE.md");
    expect(files.some((f) => f.startsWith(".gitcrew-skills"))).toBe(false);
    // The repo's own AGENTS.md is in the commit as it was, not the injected or tampered one.
    expect(await git.show([`${result.branch}:AGENTS.md`])).toBe("# the repo's own AGENTS.md\n");
  }, 60_000);

  it("a failing agent: exit 1 from gitcrew run, the reason and the agent's exit code in --json", async () => {
    const r = await cli(["run", "failing", "--repo", repo, "--prompt", "fail", "--json"], { env: env() });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "failed", exitCode: 7, reason: "the agent exited with code 7", branch: null });
  }, 60_000);

  it("a run that hits its timeout: gitcrew run exits 124 with status timed_out", async () => {
    const r = await cli(["run", "slow", "--repo", repo, "--prompt", "take your time", "--json"], { env: env() });
    expect(r.code, r.stderr).toBe(124);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "timed_out", exitCode: 124, reason: "timed out after 2s; the container was killed" });
  }, 60_000);

  it("a --ref that git would read as an option is refused (exit 3); an unknown ref names the ref", async () => {
    const marker = join(home, "upload-pack-ran");
    const hostile = await cli(["run", "notes", "--repo", repo, "--prompt", "hi", `--ref=--upload-pack=touch ${marker}`], { env: env() });
    expect(hostile.code, hostile.stderr).toBe(3);
    expect(hostile.stderr).toContain("is not a ref");
    expect(existsSync(marker)).toBe(false);
    const unknown = await cli(["run", "notes", "--repo", repo, "--prompt", "hi", "--ref", "no-such-branch"], { env: env() });
    expect(unknown.code, unknown.stderr).toBe(3);
    expect(unknown.stderr).toContain('cannot check out "no-such-branch"');
    // Neither left a container or a worktree behind.
    expect((await simpleGit(repo).raw(["worktree", "list", "--porcelain"])).match(/^worktree /gm)).toHaveLength(1);
  }, 60_000);

  it("a missing image: exit 4 and an error naming gitcrew images build", async () => {
    const r = await cli(["run", "ghost", "--repo", repo, "--prompt", "hi"], { env: env() });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain("the image gitcrew/does-not-exist:latest is not on this Docker engine");
    expect(r.stderr).toContain("gitcrew images build");
    const ps = await cli(["ps", "--json"], { env: env() });
    expect(JSON.parse(ps.stdout).runs[0]).toMatchObject({ agent: "ghost", status: "failed" });
  }, 60_000);

  it("an unreachable engine: exit 4 with a clear error, quickly, from the real binary", () => {
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [BIN, "run", "notes", "--repo", repo, "--prompt", "hi"], {
      env: { ...process.env, ...env(), DOCKER_HOST: "unix:///nonexistent.sock" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(4);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.stderr).toContain("the Docker engine at unix:///nonexistent.sock is not running (no socket at /nonexistent.sock)");
    expect(r.stderr).toMatch(/start it|DOCKER_HOST/);
  }, 40_000);

  it("an ssh:// DOCKER_HOST: exit 4 saying how to forward the socket instead", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "notes", "--repo", repo, "--prompt", "hi"], {
      env: { ...process.env, ...env(), DOCKER_HOST: "ssh://builder@docker.example.invalid" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toContain('cannot use DOCKER_HOST="ssh://builder@docker.example.invalid"');
    expect(r.stderr).toContain("ssh -NL /tmp/docker.sock:/var/run/docker.sock");
  }, 40_000);

  it("an engine that accepts and never answers: exit 4 after the 5 s ping deadline, and the process ends", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const t0 = Date.now();
      const child = spawn(process.execPath, [BIN, "run", "notes", "--repo", repo, "--prompt", "hi"], {
        env: { ...process.env, ...env(), DOCKER_HOST: `tcp://127.0.0.1:${port}` },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.once("exit", r));
      expect(code, stderr).toBe(4);
      expect(stderr).toContain("is not reachable (no answer within 5s)");
      expect(Date.now() - t0).toBeLessThan(15_000);
    } finally {
      silent.close();
    }
  }, 30_000);

  it("an unknown agent with an engine that never answers: exit 2 at once, not after the ping deadline", async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const t0 = Date.now();
      const child = spawn(process.execPath, [BIN, "run", "nobody", "--repo", repo, "--prompt", "hi"], {
        env: { ...process.env, ...env(), DOCKER_HOST: `tcp://127.0.0.1:${port}` },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.once("exit", r));
      expect(code, stderr).toBe(2);
      expect(stderr).toContain('unknown agent "nobody"');
      expect(Date.now() - t0).toBeLessThan(4_000);
    } finally {
      silent.close();
    }
  }, 30_000);

  it("an engine that answers the ping but never creates the container: exit 4 at the start deadline", async () => {
    // A Docker API that pings and lists, and leaves container creation hanging.
    const urls: string[] = [];
    const stuck = createHttpServer((req, res) => {
      urls.push(req.url ?? "");
      if (req.url?.includes("/_ping")) return void res.end("OK");
      if (req.method === "GET" && req.url?.includes("/containers/json")) return void res.setHeader("content-type", "application/json").end("[]");
      // The image is there (its volumes are asked before the create).
      if (req.method === "GET" && /\/images\/.+\/json/.test(req.url ?? "")) return void res.setHeader("content-type", "application/json").end('{"Id":"sha256:0","Config":{}}');
      // Anything else: no answer.
    });
    await new Promise<void>((r) => stuck.listen(0, "127.0.0.1", r));
    const port = (stuck.address() as AddressInfo).port;
    try {
      const t0 = Date.now();
      const child = spawn(process.execPath, [BIN, "run", "notes", "--repo", repo, "--prompt", "hi"], {
        env: { ...process.env, ...env(), DOCKER_HOST: `tcp://127.0.0.1:${port}`, GITCREW_DOCKER_START_DEADLINE_MS: "1500" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.once("exit", r));
      expect(code, stderr).toBe(4);
      expect(stderr).toContain("the Docker engine did not create the container within 1.5s");
      // The create options (environment: secrets, the prompt) never go into the URL.
      const create = urls.find((u) => u.includes("/containers/create"));
      expect(create).toBeDefined();
      expect(create).not.toContain("Env");
      expect(create).not.toContain("GITCREW_PROMPT");
      expect(Date.now() - t0).toBeLessThan(20_000);
    } finally {
      stuck.closeAllConnections();
      stuck.close();
    }
  }, 30_000);

  it("an engine that answers the ping but never the image's inspect: exit 4 at the start deadline, no container made", async () => {
    const urls: string[] = [];
    const stuck = createHttpServer((req, res) => {
      urls.push(req.url ?? "");
      if (req.url?.includes("/_ping")) return void res.end("OK");
      if (req.method === "GET" && req.url?.includes("/containers/json")) return void res.setHeader("content-type", "application/json").end("[]");
    });
    await new Promise<void>((r) => stuck.listen(0, "127.0.0.1", r));
    const port = (stuck.address() as AddressInfo).port;
    try {
      const child = spawn(process.execPath, [BIN, "run", "notes", "--repo", repo, "--prompt", "hi"], {
        env: { ...process.env, ...env(), DOCKER_HOST: `tcp://127.0.0.1:${port}`, GITCREW_DOCKER_START_DEADLINE_MS: "1500" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((r) => child.once("exit", r));
      expect(code, stderr).toBe(4);
      expect(stderr).toContain("the Docker engine did not inspect the image within 1.5s");
      // Without the image's volumes known, no container is made (its VOLUME folders would land on the host's disk).
      expect(urls.some((u) => u.includes("/containers/create"))).toBe(false);
    } finally {
      stuck.closeAllConnections();
      stuck.close();
    }
  }, 30_000);

  it.each([
    [["run"], "missing AGENT"],
    [["run", "notes", "--repo", "REPO"], "missing --prompt"],
    [["run", "notes", "--repo", "REPO", "--prompt", "x", "--bogus"], "--bogus"],
    [["run", "nobody", "--repo", "REPO", "--prompt", "x"], 'unknown agent "nobody"'],
    [["run", "notes", "extra", "--prompt", "x"], 'unexpected argument "extra"'],
    [["ps", "--status", "sleeping"], 'unknown status "sleeping"'],
    [["ps", "--limit", "-3"], "--limit"],
    [["logs"], "missing RUN"],
    [["cancel"], "missing RUN"],
    [["retry", "a", "b"], 'unexpected argument "b"'],
    [["images"], "missing images command"],
    [["images", "build", "cobol"], 'unknown runtime "cobol"'],
    [["images", "build", "--online"], "--online"],
  ])("bad flags exit 2: gitcrew %j", async (argv, message) => {
    const r = await cli(
      argv.map((a) => (a === "REPO" ? repo : a)),
      { env: env() },
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("bad flags exit 2 from the real binary too, without touching Docker", () => {
    const r = spawnSync(process.execPath, [BIN, "run", "notes", "--prompt"], { env: { ...process.env, ...env(), DOCKER_HOST: "unix:///nonexistent.sock" }, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain("--prompt");
  });
});
