/**
 * The real Codex and Gemini CLIs in their images (gitcrew/codex,
 * gitcrew/gemini), run by the Runner on the run gateway's network: each
 * answers from its scripted model server, which receives only the real key,
 * while the container was given the run token (and the CLI the gateway's
 * route: codex through `-c` provider flags, gemini through its base URL and
 * the root-owned settings file).
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
import { startFakeGemini } from "../support/fake-gemini/server.js";
import { startFakeOpenAI } from "../support/fake-openai/server.js";

const exec = promisify(execFile);
const THREAD = "local/gw-cg#1";

describe("Codex and Gemini in their containers through the run gateway", () => {
  let dir: string;
  let repo: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    for (const image of ["gitcrew/codex:latest", "gitcrew/gemini:latest"]) {
      await exec("docker", ["image", "inspect", image]).catch(() => {
        throw new Error(`image ${image} is missing: build it with 'gitcrew images build ${image.slice(8, -7)} --offline'`);
      });
    }
    dir = await mkdtemp(join(tmpdir(), "gitcrew-gw-cg-"));
    repo = join(dir, "repo");
    await mkdir(repo);
    await writeFile(join(repo, "README.md"), "# demo\n");
    await exec("git", ["init", "-q", "-b", "main", repo]);
    await exec("git", ["-C", repo, "add", "-A"]);
    await exec("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init"]);
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function runWith(env: NodeJS.ProcessEnv, agent: Agent): Promise<{ result: RunResult; logs: string[] }> {
    const runner = await Runner.start({ env: { ...process.env, GITCREW_HOME: join(dir, "home"), ...env } });
    closers.push(() => runner.close());
    const branch = `gitcrew/${agent.name}/${Date.now()}`;
    const logs: string[] = [];
    const prompt = "say hello";
    const result = await runner.run({
      planned: { agent: agent.name, reason: "e2e", prompt, threadKey: THREAD, branch, ref: "main", container: containerSpec({ agent, prompt, repo: "local/gw-cg", threadKey: THREAD, branch }), untrusted: [] },
      agent,
      repoDir: repo,
      repo: "local/gw-cg",
      observer: { onEvent: (ev) => (ev.type === "log" ? logs.push(`[${ev.stream}] ${ev.line}`) : undefined) },
    });
    return { result, logs };
  }

  const limits = { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] } };

  it("codex: answers through the gateway's openai route; the model sees only the real key", async () => {
    const model = await startFakeOpenAI({ script: ["hello from codex in its container"] });
    closers.push(() => model.close());
    const agent = testAgent({ name: "rev", runtime: "codex", image: "gitcrew/codex:latest", secrets: [], limits });
    const { result, logs } = await runWith({ CODEX_API_KEY: "sk-openai-real-in-runner", GITCREW_OPENAI_UPSTREAM: model.url.replace(/\/v1$/, "") }, agent);
    expect(result.status, `${result.reason}\n${logs.slice(-30).join("\n")}\n${model.errors.join("; ")}`).toBe("succeeded");
    expect(result.answer).toBe("hello from codex in its container");
    expect(model.requests.length).toBeGreaterThan(0);
    for (const q of model.requests) expect(q.headers.authorization).toBe("Bearer sk-openai-real-in-runner");
    expect(result.gateway?.tokens).toEqual({ input: 100, output: 20, cacheRead: 0, cacheWrite: 0 });
  }, 300_000);

  it("gemini: answers through the gateway's gemini route; the model sees only the real key", async () => {
    const model = await startFakeGemini({ script: ["hello from gemini in its container"] });
    closers.push(() => model.close());
    const agent = testAgent({ name: "gem", runtime: "gemini", image: "gitcrew/gemini:latest", secrets: [], limits });
    const { result, logs } = await runWith({ GEMINI_API_KEY: "AIza-real-in-runner", GITCREW_GEMINI_UPSTREAM: model.url }, agent);
    expect(result.status, `${result.reason}\n${logs.slice(-30).join("\n")}\n${model.errors.join("; ")}`).toBe("succeeded");
    expect(result.answer).toBe("hello from gemini in its container");
    expect(model.requests.length).toBeGreaterThan(0);
    for (const q of model.requests) expect(q.headers["x-goog-api-key"]).toBe("AIza-real-in-runner");
    expect(result.gateway?.byModel.reduce((n, m) => n + m.requests, 0)).toBe(model.requests.length);
  }, 300_000);
});
