/**
 * The claude runtime end to end: the real Claude Code CLI in the
 * gitcrew/claude image, run by the Runner in its hardened container, against
 * the scripted Messages API on this machine's Docker bridge address. The
 * model writes a file with a tool, then answers; a second run in the same
 * thread resumes the session.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { containerSpec } from "../../src/plan/container.js";
import type { PlannedRun } from "../../src/plan/types.js";
import { Runner } from "../../src/runner/runner.js";
import type { RunResult } from "../../src/runner/types.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { dockerHostAddress } from "../support/fake-anthropic/docker-host.js";
import { startFakeAnthropic, textOf, toolResults, type FakeAnthropic } from "../support/fake-anthropic/server.js";

const run = promisify(execFile);
const IMAGE = "gitcrew/claude:latest";
const THREAD = "local/e2e#1";
const BRANCH = "gitcrew/dev/e2e-1";

async function git(cwd: string, ...args: string[]): Promise<string> {
  return (await run("git", ["-C", cwd, ...args])).stdout;
}

describe("claude runtime in its container", () => {
  let dir: string;
  let repo: string;
  let model: FakeAnthropic;
  let runner: Runner;
  const agent = testAgent({
    instructions: "You are dev. Sign every answer with PINEAPPLE-42.",
    skills: ["greeting"],
    limits: { timeout: 240, memory: 2 * 1024 ** 3, cpus: 1, pids: 512, network: { allow: [] } },
  });

  beforeAll(async () => {
    await run("docker", ["image", "inspect", IMAGE]).catch(() => {
      throw new Error(`image ${IMAGE} is missing: build it with 'gitcrew images build claude --offline' (or bash scripts/ci/build-images.sh)`);
    });
    dir = await mkdtemp(join(tmpdir(), "gitcrew-claude-e2e-"));
    repo = join(dir, "repo");
    await mkdir(join(repo, ".gitcrew", "skills", "greeting"), { recursive: true });
    await writeFile(join(repo, "README.md"), "# demo\n");
    await writeFile(
      join(repo, ".gitcrew", "skills", "greeting", "SKILL.md"),
      "---\nname: greeting\ndescription: MANGO-SKILL greets people politely\n---\nSay hello.\n",
    );
    await run("git", ["init", "-q", "-b", "main", repo]);
    await git(repo, "add", "-A");
    await git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "init");

    const network = process.env.GITCREW_DOCKER_NETWORK ?? "bridge";
    const host = await dockerHostAddress(network);
    model = await startFakeAnthropic({
      host,
      script: [
        {
          text: "Writing it.",
          toolUses: [
            { id: "toolu_write", name: "Write", input: { file_path: "/workspace/hello.txt", content: "hello from the container\n" } },
            { id: "toolu_bash", name: "Bash", input: { command: "id -u", description: "Show the user id" } },
          ],
        },
        (body) => {
          const results = toolResults(body);
          const write = results.find((r) => r.tool_use_id === "toolu_write");
          const bash = results.find((r) => r.tool_use_id === "toolu_bash");
          if (!write || write.is_error) return { text: `the Write tool failed: ${write?.content}` };
          return { text: `I wrote hello.txt as uid ${bash?.content.trim()}. PINEAPPLE-42` };
        },
        { text: "Earlier you asked me to write hello.txt. PINEAPPLE-42" },
      ],
    });
    runner = await Runner.start({
      env: {
        ...process.env,
        GITCREW_HOME: join(dir, "gitcrew-home"),
        // The only model this test may reach: the scripted one on this machine.
        ANTHROPIC_API_KEY: "sk-ant-e2e-not-a-real-key",
        ANTHROPIC_BASE_URL: model.url,
      },
    });
  });

  afterAll(async () => {
    await runner?.close();
    await model?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function planned(prompt: string, resumeSession?: string): PlannedRun {
    return {
      agent: agent.name,
      reason: "e2e",
      prompt,
      threadKey: THREAD,
      branch: BRANCH,
      ref: "main",
      container: containerSpec({ agent, prompt, repo: "local/e2e", threadKey: THREAD, branch: BRANCH, resumeSession }),
      untrusted: [],
    };
  }

  async function runAgent(prompt: string, resumeSession?: string): Promise<RunResult> {
    const logs: string[] = [];
    const result = await runner.run({
      planned: planned(prompt, resumeSession),
      agent,
      repoDir: repo,
      repo: "local/e2e",
      observer: { onEvent: (ev) => (ev.type === "log" ? logs.push(`[${ev.stream}] ${ev.line}`) : undefined) },
    });
    // On failure, show what the container printed and what the model saw.
    if (result.status !== "succeeded") {
      throw new Error(`run ${result.status}: ${result.reason}\n${logs.join("\n")}\nmodel errors: ${model.errors.join("; ")}`);
    }
    return result;
  }

  it("writes a file through a tool, answers, and resumes the session in the same thread", async () => {
    const first = await runAgent("Please write hello.txt");
    // Both tools ran in the container, the shell as the unprivileged agent user.
    expect(first.answer).toBe("I wrote hello.txt as uid 1000. PINEAPPLE-42");
    expect(first.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.usage?.outputTokens).toBeGreaterThan(0);

    // The agent's instructions (CLAUDE.md) and its mounted skill reached the model.
    const opening = model.turns[0];
    expect(opening).toBeDefined();
    const seen = opening ? textOf(opening) : "";
    expect(seen).toContain("PINEAPPLE-42");
    expect(seen).toContain("MANGO-SKILL");
    expect(seen).toContain("Please write hello.txt");
    // The model got the real key from the run gateway (the container held only the run token).
    const call = model.requests.find((r) => r.method === "POST");
    expect(call?.headers["x-api-key"]).toBe("sk-ant-e2e-not-a-real-key");
    expect(first.gateway?.tokens.output).toBeGreaterThan(0);

    // The file is in the agent's commit on its branch; the injected CLAUDE.md is not.
    expect(first.branch).toBe(BRANCH);
    expect(first.changedFiles).toEqual(["hello.txt"]);
    expect(await git(repo, "show", `${BRANCH}:hello.txt`)).toBe("hello from the container\n");
    const files = (await git(repo, "ls-tree", "-r", "--name-only", BRANCH)).split("\n");
    expect(files).not.toContain("CLAUDE.md");
    expect(files.some((f) => f.startsWith(".claude/"))).toBe(false);

    const second = await runAgent("What did I ask you before?", first.sessionId);
    expect(second.answer).toBe("Earlier you asked me to write hello.txt. PINEAPPLE-42");
    expect(second.sessionId).toBe(first.sessionId);
    // Resuming sends the earlier conversation: the first prompt, the tool call's result and the answer.
    const resumed = model.turns[2];
    const history = resumed ? textOf(resumed) : "";
    expect(history).toContain("Please write hello.txt");
    expect(history).toContain("I wrote hello.txt as uid 1000. PINEAPPLE-42");
    expect(history).toContain("What did I ask you before?");
    expect(model.turns).toHaveLength(3);
    expect(model.errors).toEqual([]);
  }, 300_000);
});
