/**
 * The real Codex CLI on the host against the scripted Responses API: the
 * adapter's argv, stdin prompt, AGENTS.md, skills, JSON-lines parsing and
 * resume. (Codex ignores OPENAI_BASE_URL; the test adds a provider with -c.)
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codexAdapter } from "../../src/runtimes/codex.js";
import { agentCliBin, runCli } from "../support/fake-anthropic/cli.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { codexProviderArgs, inputText, startFakeOpenAI, type FakeOpenAI } from "../support/fake-openai/server.js";

describe("codex CLI on the host against fake-openai", () => {
  let dir: string;
  let ws: string;
  let model: FakeOpenAI;
  const agent = testAgent({ runtime: "codex", instructions: "You are dev. Sign with PAPAYA-7.", skills: ["greeting"] });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gitcrew-codex-host-"));
    ws = join(dir, "ws");
    const prepared = codexAdapter.prepare({ agent, prompt: "" });
    await mkdir(join(ws, prepared.skillsDir, "greeting"), { recursive: true });
    await writeFile(
      join(ws, prepared.skillsDir, "greeting", "SKILL.md"),
      "---\nname: greeting\ndescription: GUAVA-SKILL greets people politely\n---\nSay hello.\n",
    );
    model = await startFakeOpenAI({ script: ["Hello, I am dev. PAPAYA-7", "You said hello first. PAPAYA-7"] });
  });
  afterAll(async () => {
    await model.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function codex(prompt: string, resumeSession?: string) {
    const prepared = codexAdapter.prepare({ agent, prompt, resumeSession });
    for (const [path, content] of Object.entries(prepared.injectedFiles)) await writeFile(join(ws, path), content);
    const [bin, sub, ...rest] = prepared.argv;
    expect([bin, sub]).toEqual(["codex", "exec"]);
    // CODEX_HOME is the state dir in the container; a temp folder here, fresh HOME each run.
    const state = join(dir, "state");
    await mkdir(state, { recursive: true });
    const home = await mkdtemp(join(dir, "home-"));
    return runCli(agentCliBin("codex"), ["exec", ...codexProviderArgs(model.url), ...rest], {
      cwd: ws,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...prepared.env, CODEX_HOME: state, CODEX_API_KEY: "sk-codex-test" },
      stdin: prepared.stdin,
    });
  }

  it("answers with AGENTS.md and skills in context, then resumes the thread", async () => {
    const first = await codex("-Say hello");
    const out = codexAdapter.parseOutput(first.stdout, first.stderr);
    expect(out.error, first.stderr).toBeUndefined();
    expect(first.code).toBe(0);
    expect(out.answer).toBe("Hello, I am dev. PAPAYA-7");
    expect(out.sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const opening = model.requests[0];
    expect(opening?.headers.authorization).toBe("Bearer sk-codex-test");
    const seen = inputText(opening?.json);
    expect(seen).toContain("PAPAYA-7");
    expect(seen).toContain("GUAVA-SKILL");
    // The prompt came through stdin intact, leading dash included.
    expect(seen).toContain("-Say hello");

    const second = await codex("What did I say first?", out.sessionId);
    const again = codexAdapter.parseOutput(second.stdout, second.stderr);
    expect(again.error, second.stderr).toBeUndefined();
    expect(again.answer).toBe("You said hello first. PAPAYA-7");
    expect(again.sessionId).toBe(out.sessionId);
    const history = inputText(model.requests[1]?.json);
    expect(history).toContain("-Say hello");
    expect(history).toContain("Hello, I am dev. PAPAYA-7");
    expect(history).toContain("What did I say first?");
    expect(model.requests).toHaveLength(2);
    expect(model.errors).toEqual([]);
  });
});
