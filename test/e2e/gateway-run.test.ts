/**
 * Real runs on the run gateway (real Docker engine, the real Claude Code CLI
 * in gitcrew/claude, the scripted Messages API on this machine): the CLI
 * answers through the gateway while its container holds only the run token
 * (the model receives the real key), and a run whose model keeps asking is
 * stopped at `limits.budget` with status budget_exceeded and a reason that
 * names the cap, the spend and where to raise it.
 */
import { execFile } from "node:child_process";
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
import { type FakeAnthropic, type MessagesBody, startFakeAnthropic, toolResults } from "../support/fake-anthropic/server.js";

const exec = promisify(execFile);
const REAL_KEY = "sk-ant-real-key-only-the-gateway-holds";
const THREAD = "local/gw#1";

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await exec("git", ["-C", cwd, ...args])).stdout;
}

describe("Claude Code runs through the run gateway (real Docker engine)", () => {
  let dir: string;
  let repo: string;
  let model: FakeAnthropic | undefined;
  let runner: Runner;

  beforeAll(async () => {
    await exec("docker", ["image", "inspect", "gitcrew/claude:latest"]).catch(() => {
      throw new Error("image gitcrew/claude:latest is missing: build it with 'gitcrew images build claude --offline'");
    });
    dir = await mkdtemp(join(tmpdir(), "gitcrew-gw-run-"));
    repo = join(dir, "repo");
    await mkdir(repo);
    await writeFile(join(repo, "README.md"), "# demo\n");
    await exec("git", ["init", "-q", "-b", "main", repo]);
    await git(repo, "add", "-A");
    await git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init");
  });

  afterAll(async () => {
    await runner?.close();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A runner whose gateway forwards to the scripted model (on loopback: only the gateway on the host talks to it). */
  async function startWith(m: FakeAnthropic): Promise<void> {
    await runner?.close();
    runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: join(dir, "home"), ANTHROPIC_API_KEY: REAL_KEY, GITCREW_ANTHROPIC_UPSTREAM: m.url } });
  }

  async function run(agent: Agent, prompt: string): Promise<{ result: RunResult; logs: string[] }> {
    const branch = `gitcrew/dev/${Date.now()}`;
    const logs: string[] = [];
    const result = await runner.run({
      planned: { agent: agent.name, reason: "e2e", prompt, threadKey: THREAD, branch, ref: "main", container: containerSpec({ agent, prompt, repo: "local/gw", threadKey: THREAD, branch }), untrusted: [] },
      agent,
      repoDir: repo,
      repo: "local/gw",
      observer: { onEvent: (ev) => (ev.type === "log" ? logs.push(`[${ev.stream}] ${ev.line}`) : undefined) },
    });
    return { result, logs };
  }

  it("answers through the gateway: the model gets the real key, the container's environment only the run token", async () => {
    model = await startFakeAnthropic({
      script: [
        { text: "Looking at my environment.", toolUses: [{ id: "toolu_env", name: "Bash", input: { command: "env", description: "Show the environment" } }] },
        (body: MessagesBody) => {
          const env = toolResults(body).find((r) => r.tool_use_id === "toolu_env")?.content ?? "";
          return { text: `ENV-SEEN ${env.includes(REAL_KEY) ? "REAL-KEY-PRESENT" : "no-real-key"} ${/ANTHROPIC_API_KEY=gitcrew-run-/.test(env) ? "token-present" : "no-token"} ${/HTTPS_PROXY=http:\/\/run:gitcrew-run-/.test(env) ? "proxy-set" : "no-proxy"}` };
        },
      ],
    });
    await startWith(model);
    const agent = testAgent({ secrets: ["ANTHROPIC_API_KEY"], limits: { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] } } });
    const { result, logs } = await run(agent, "What is in your environment?");
    expect(result.status, `${result.reason}\n${logs.join("\n")}\nmodel errors: ${model.errors.join("; ")}`).toBe("succeeded");
    expect(result.answer).toBe("ENV-SEEN no-real-key token-present proxy-set");
    // Every call reached the model with the real key, none with the token.
    const posts = model.requests.filter((q) => q.method === "POST");
    expect(posts.length).toBeGreaterThan(0);
    for (const q of posts) expect(q.headers["x-api-key"]).toBe(REAL_KEY);
    // The gateway's account is in the result.
    expect(result.gateway?.tokens.output).toBeGreaterThan(0);
    expect(result.gateway?.byModel.reduce((n, m) => n + m.requests, 0)).toBe(posts.filter((q) => q.url.split("?")[0] === "/v1/messages").length);
    await model.close();
    model = undefined;
  }, 300_000);

  it("stops a run whose model keeps asking at limits.budget: budget_exceeded, with the cap, the spend and how to raise it", async () => {
    model = await startFakeAnthropic({
      isAgentTurn: () => true,
      script: Array.from({ length: 40 }, (_, i) => (body: MessagesBody) => ({
        text: `step ${i}`,
        toolUses: [{ name: "Bash", input: { command: `echo step-${i}`, description: "a step" } }],
        // As a real model reports it: about a token per four bytes of request.
        usage: { inputTokens: Math.ceil(JSON.stringify(body).length / 4), outputTokens: 30 },
      })),
    });
    await startWith(model);
    const agent = testAgent({ limits: { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] }, budget: { tokens: 120_000 } } });
    const { result, logs } = await run(agent, "keep working step by step");
    expect(result.status, `${result.reason}\n${logs.slice(-20).join("\n")}`).toBe("budget_exceeded");
    expect(result.reason).toMatch(/^stopped by its run budget of 120000 tokens \(spent \d+ tokens, \$[\d.]+\); raise limits\.budget in the agent's agent\.cue$/);
    expect(result.gateway?.budgetExceeded).toMatchObject({ scope: "run", limit: { tokens: 120_000 } });
    expect(result.gateway?.totalTokens).toBeLessThanOrEqual(120_000);
    expect(result.gateway?.refusals.some((f) => f.kind === "model")).toBe(true);
    // Far fewer turns than the script has: the cap ended it, not the script.
    expect(model.requests.filter((q) => q.method === "POST").length).toBeLessThan(40);
  }, 300_000);
});
