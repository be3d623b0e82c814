/**
 * Claude Code containers started ahead of their run (prepared-runs.ts, issue
 * 21), with the real CLI in gitcrew/claude through the run gateway to the
 * scripted Messages API. A runner that prepares (as `gitcrew serve`) starts the
 * next first-of-thread container of an agent once a run of it started; the
 * next run takes it. What the run sees must be what a run started as usual
 * sees: the same system prompt and tools reach the model, its commands get
 * the run's own thread, branch and id (a branch a stranger named, quoted), and
 * the prepared container's token works only while its run runs. It serves one
 * run: gone afterwards, a new one made for the next, and another agent's or
 * repository's run never takes it. Before its run the container user can
 * neither list nor write its workspace, nor reach its git or variables folder.
 */
import Docker from "dockerode";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agent } from "../../src/crew/types.js";
import { containerSpec } from "../../src/plan/container.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { startFakeAnthropic, textOf, toolResults, type FakeAnthropic, type MessagesBody } from "../support/fake-anthropic/server.js";

const exec = promisify(execFile);
const REAL_KEY = "sk-ant-real-key-only-the-gateway-holds";
const docker = new Docker();
// Valid as a git branch, hostile as shell text: quotes, a command substitution, a semicolon.
const HOSTILE_BRANCH = `gitcrew/dev/it's-$(touch${"${IFS}"}/tmp/pwned);"x"`;
const SHOW = 'printf "%s|%s|%s|" "$GITCREW_THREAD" "$GITCREW_BRANCH" "$GITCREW_RUN"; ls /workspace; test -e /tmp/pwned && echo PWNED; true';

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await exec("git", ["-C", cwd, ...args])).stdout;
}

/** Every run: one Bash call showing its variables and workspace, then an answer quoting what it printed. */
function script(runs: number) {
  return Array.from({ length: runs }, () => [
    { text: "Looking.", toolUses: [{ id: "toolu_show", name: "Bash", input: { command: SHOW, description: "Show the run" } }] },
    (body: MessagesBody) => ({ text: `SEEN ${toolResults(body).find((r) => r.tool_use_id === "toolu_show")?.content.trim() ?? "nothing"}` }),
  ]).flat();
}

describe("Claude Code containers started ahead of their run", () => {
  let dir: string;
  let repo: string;
  let twin: string;
  let model: FakeAnthropic;
  let ahead: Runner;
  let usual: Runner;
  const agent = testAgent({ limits: { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] } } });

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", "gitcrew/claude:latest"]).catch(() => {
      throw new Error("image gitcrew/claude:latest is missing: build it with 'gitcrew images build claude --offline'");
    });
    dir = await mkdtemp(join(tmpdir(), "gitcrew-ahead-"));
    repo = join(dir, "repo");
    await mkdir(repo);
    await writeFile(join(repo, "README.md"), "# demo\n");
    await exec("git", ["init", "-q", "-b", "main", repo]);
    await git(repo, "add", "-A");
    await git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init");
    // The same repository for the runner that starts containers as usual (its runs commit there).
    twin = join(dir, "twin");
    await exec("git", ["clone", "-q", repo, twin]);
    model = await startFakeAnthropic({ script: script(10) });
    const env = (home: string, prepareAhead: boolean) => ({
      ...process.env,
      GITCREW_HOME: join(dir, home),
      ANTHROPIC_API_KEY: REAL_KEY,
      GITCREW_ANTHROPIC_UPSTREAM: model.url,
      GITCREW_PREPARE_AHEAD: prepareAhead ? "1" : "0",
    });
    ahead = await Runner.start({ env: env("home-ahead", true), prepare: true });
    usual = await Runner.start({ env: env("home-usual", false), prepare: true });
  }, 120_000);

  afterAll(async () => {
    await ahead?.close();
    await usual?.close();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function run(runner: Runner, a: Agent, repoDir: string, thread: string, branch: string, repoName = "local/ahead"): Promise<{ result: RunResult; containerId?: string; logs: string[] }> {
    const prompt = "Show me your run.";
    const logs: string[] = [];
    let containerId: string | undefined;
    const result = await runner.run({
      planned: { agent: a.name, reason: "e2e", prompt, threadKey: thread, branch, ref: "main", container: containerSpec({ agent: a, prompt, repo: repoName, threadKey: thread, branch }), untrusted: [] },
      agent: a,
      repoDir,
      repo: repoName,
      observer: {
        onEvent: (ev) => {
          if (ev.type === "log") logs.push(`[${ev.stream}] ${ev.line}`);
          if (ev.type === "started") containerId = ev.containerId;
        },
      },
    });
    expect(result.status, `${result.reason}\n${logs.join("\n")}\nmodel errors: ${model.errors.join("; ")}`).toBe("succeeded");
    return { result, containerId, logs };
  }

  /** The container the runner started ahead, once it runs. */
  async function preparedContainer(runner: Runner, not?: string, agentName = "dev", repoName = "local/ahead"): Promise<Docker.ContainerInfo> {
    for (let i = 0; i < 600; i++) {
      const labels = [`gitcrew.owner=${runner.identity.id}`, `gitcrew.agent=${agentName}`, `gitcrew.repo=${repoName}`];
      const list = await docker.listContainers({ filters: JSON.stringify({ label: labels, status: ["running"] }) });
      const found = list.find((c) => c.Labels["gitcrew.run"]?.startsWith("ahead-") && c.Id !== not);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error("no container was started ahead");
  }

  async function gatewayStatus(info: Docker.ContainerInfo): Promise<number> {
    const env = ((await docker.getContainer(info.Id).inspect()).Config.Env ?? []).map((e) => e.split("=")) as [string, string][];
    const get = (name: string) => env.find(([k]) => k === name)?.slice(1).join("=") ?? "";
    const res = await fetch(`${get("ANTHROPIC_BASE_URL")}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": get("ANTHROPIC_API_KEY"), "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude-x", max_tokens: 1, messages: [{ role: "user", content: "hi" }] }),
    });
    return res.status;
  }

  const system = (body: MessagesBody | undefined) => JSON.stringify({ system: body?.system, tools: body?.tools });

  it("takes the prepared container, sees what a run started as usual sees, and serves one run", async () => {
    // The first run of the agent starts as usual; once it started, the next one's container is prepared.
    const first = await run(ahead, agent, repo, "local/ahead#1", "gitcrew/dev/1");
    const prepared = await preparedContainer(ahead);
    expect(first.containerId).not.toBe(prepared.Id);
    // Its token is not registered until a run takes it: the gateway refuses it.
    expect(await gatewayStatus(prepared)).toBe(401);
    // Before its run, the container user can enter its workspace but neither list nor write it, nor reach its git folder.
    const as1000 = async (cmd: string) => exec("docker", ["exec", "-u", "1000:1000", prepared.Id, "sh", "-c", cmd]).then(() => "ok", () => "refused");
    expect(await as1000("ls /workspace")).toBe("refused");
    expect(await as1000("touch /workspace/planted")).toBe("refused");
    expect(await as1000("ls /gitcrew-git")).toBe("refused");
    expect(await as1000("touch /gitcrew-run/env")).toBe("refused");

    const turnsBefore = model.turns.length;
    const second = await run(ahead, agent, repo, "local/ahead#2", HOSTILE_BRANCH);
    expect(second.containerId).toBe(prepared.Id);
    // The run's own variables, the branch whole and not run as shell; its worktree was there for the CLI.
    expect(second.result.answer).toBe(`SEEN local/ahead#2|${HOSTILE_BRANCH}|${second.result.run}|CLAUDE.md\nREADME.md`);
    // The model got the real key; the prepared container held only its token, revoked with its run.
    for (const q of model.requests.filter((r) => r.method === "POST")) expect(q.headers["x-api-key"]).toBe(REAL_KEY);
    const preparedTurn = model.turns[turnsBefore];

    // Served one run: removed with it; the next one is another container.
    await expect(docker.getContainer(prepared.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    const next = await preparedContainer(ahead, prepared.Id);
    expect(next.Id).not.toBe(prepared.Id);

    // The same run started as usual (another runner, the same repository and thread): the model sees the same.
    const turnsUsual = model.turns.length;
    const plain = await run(usual, agent, twin, "local/ahead#2", HOSTILE_BRANCH);
    expect(plain.result.answer).toBe(`SEEN local/ahead#2|${HOSTILE_BRANCH}|${plain.result.run}|CLAUDE.md\nREADME.md`);
    // System prompt (the repository, its status and branch), tools and messages (the prompt, CLAUDE.md): all alike.
    expect(system(preparedTurn)).toBe(system(model.turns[turnsUsual]));
    expect(JSON.stringify(preparedTurn?.messages)).toBe(JSON.stringify(model.turns[turnsUsual]?.messages));
    expect(system(preparedTurn)).toContain("Is a git repository: true");
    expect(textOf(preparedTurn!)).toContain("You are a careful developer.");

    // Another agent's run does not take it, and leaves it for the agent's next run.
    const other = testAgent({ name: "ops", dir: ".gitcrew/agents/ops", file: ".gitcrew/agents/ops/agent.yaml", limits: agent.limits });
    const theirs = await run(ahead, other, repo, "local/ahead#3", "gitcrew/ops/3");
    expect(theirs.containerId).not.toBe(next.Id);
    // Nor a run whose tree has what Claude Code reads at its start (here the project's MCP servers): that CLI started without them.
    await git(repo, "checkout", "-q", "-b", "gitcrew/dev/6");
    await writeFile(join(repo, ".mcp.json"), '{"mcpServers":{}}\n');
    await git(repo, "add", ".mcp.json");
    await git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "mcp");
    await git(repo, "checkout", "-q", "main");
    const configured = await run(ahead, agent, repo, "local/ahead#6", "gitcrew/dev/6");
    expect(configured.containerId).not.toBe(next.Id);
    expect(configured.result.answer).toContain("local/ahead#6|gitcrew/dev/6|");
    expect((await docker.getContainer(next.Id).inspect()).State.Running).toBe(true);
    // Nor does the same agent's run for another repository.
    const elsewhere = await run(ahead, agent, twin, "local/other#4", "gitcrew/dev/4", "local/other");
    expect(elsewhere.containerId).not.toBe(next.Id);
    expect((await docker.getContainer(next.Id).inspect()).State.Running).toBe(true);
    expect(model.errors).toEqual([]);
  }, 400_000);

  it("a prepared container that stopped is not taken: the run starts as usual and answers", async () => {
    const stopped = await preparedContainer(ahead);
    await docker.getContainer(stopped.Id).kill();
    const after = await run(ahead, agent, repo, "local/ahead#5", "gitcrew/dev/5");
    expect(after.containerId).not.toBe(stopped.Id);
    expect(after.result.answer).toBe(`SEEN local/ahead#5|gitcrew/dev/5|${after.result.run}|CLAUDE.md\nREADME.md`);
    await expect(docker.getContainer(stopped.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 120_000);

  it("a clone made again while its container waited (another object store) is not taken: the run starts as usual", async () => {
    const waiting = await preparedContainer(ahead);
    // As the checkouts' budget does: the clone removed and made again at the same path.
    await exec("sh", ["-c", `cd "${repo}/.git" && mv objects objects.old && cp -a objects.old objects && rm -rf objects.old`]);
    const after = await run(ahead, agent, repo, "local/ahead#7", "gitcrew/dev/7");
    expect(after.containerId).not.toBe(waiting.Id);
    expect(after.result.answer).toBe(`SEEN local/ahead#7|gitcrew/dev/7|${after.result.run}|CLAUDE.md\nREADME.md`);
  }, 120_000);

  it("a runner that starts again removes what its last process prepared: the container and its state folder", async () => {
    const left = await preparedContainer(ahead);
    const stateDir = join(dir, "home-ahead", "state", left.Labels["gitcrew.run"]!);
    expect(existsSync(stateDir)).toBe(true);
    // The same runner id starting again (a restart): nothing of the last process runs any more.
    const again = await Runner.start({ env: { ...process.env, GITCREW_HOME: join(dir, "home-ahead") }, identity: ahead.identity });
    await again.close();
    await expect(docker.getContainer(left.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(existsSync(stateDir)).toBe(false);
  }, 60_000);

  it("removes the containers it prepared when it closes", async () => {
    await run(ahead, agent, repo, "local/ahead#9", "gitcrew/dev/9");
    const left = await preparedContainer(ahead);
    await ahead.close();
    await expect(docker.getContainer(left.Id).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 60_000);
});
