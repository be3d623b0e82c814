/**
 * The real Gemini CLI on the host against the scripted Gemini API: the
 * adapter's argv, stdin prompt, GEMINI.md, skills, JSON parsing and resume.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { geminiAdapter } from "../../src/runtimes/gemini.js";
import { agentCliBin, runCli } from "../support/fake-anthropic/cli.js";
import { testAgent } from "../support/fake-anthropic/agent.js";
import { geminiText, startFakeGemini, type FakeGemini } from "../support/fake-gemini/server.js";

describe("gemini CLI on the host against fake-gemini", () => {
  let dir: string;
  let ws: string;
  let state: string;
  let model: FakeGemini;
  const agent = testAgent({ runtime: "gemini", instructions: "You are dev. Sign with LYCHEE-3.", skills: ["greeting"] });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gitcrew-gemini-host-"));
    ws = join(dir, "ws");
    state = join(dir, "state");
    const prepared = geminiAdapter.prepare({ agent, prompt: "" });
    await mkdir(join(ws, prepared.skillsDir, "greeting"), { recursive: true });
    await writeFile(
      join(ws, prepared.skillsDir, "greeting", "SKILL.md"),
      "---\nname: greeting\ndescription: QUINCE-SKILL greets people politely\n---\nSay hello.\n",
    );
    // With GOOGLE_GEMINI_BASE_URL the CLI detects a "gateway" auth type that headless mode rejects;
    // selecting API-key auth in the user settings (under GEMINI_CLI_HOME) avoids that.
    await mkdir(join(state, ".gemini"), { recursive: true });
    await writeFile(join(state, ".gemini", "settings.json"), JSON.stringify({ security: { auth: { selectedType: "gemini-api-key" } } }));
    model = await startFakeGemini({ script: ["Hello, I am dev. LYCHEE-3", "You said hello first. LYCHEE-3"] });
  });
  afterAll(async () => {
    await model.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function gemini(prompt: string, resumeSession?: string) {
    const prepared = geminiAdapter.prepare({ agent, prompt, resumeSession });
    for (const [path, content] of Object.entries(prepared.injectedFiles)) await writeFile(join(ws, path), content);
    const [bin, ...args] = prepared.argv;
    expect(bin).toBe("gemini");
    const home = await mkdtemp(join(dir, "home-"));
    return runCli(agentCliBin("gemini"), args, {
      cwd: ws,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: home,
        ...prepared.env,
        GEMINI_CLI_HOME: state,
        GEMINI_API_KEY: "gemini-test-key",
        GOOGLE_GEMINI_BASE_URL: model.url,
      },
      stdin: prepared.stdin,
    });
  }

  it("answers with GEMINI.md and skills in context, then resumes the session", async () => {
    const first = await gemini("-Say hello");
    const out = geminiAdapter.parseOutput(first.stdout, first.stderr);
    expect(out.error, first.stderr).toBeUndefined();
    expect(first.code).toBe(0);
    expect(out.answer).toBe("Hello, I am dev. LYCHEE-3");
    expect(out.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.usage?.outputTokens).toBeGreaterThan(0);

    const opening = model.turns[0];
    const seen = geminiText(opening);
    expect(seen).toContain("LYCHEE-3");
    expect(seen).toContain("QUINCE-SKILL");
    expect(seen).toContain("-Say hello");
    expect(model.requests[0]?.headers["x-goog-api-key"]).toBe("gemini-test-key");

    const second = await gemini("What did I say first?", out.sessionId);
    const again = geminiAdapter.parseOutput(second.stdout, second.stderr);
    expect(again.error, second.stderr).toBeUndefined();
    expect(again.answer).toBe("You said hello first. LYCHEE-3");
    expect(again.sessionId).toBe(out.sessionId);
    const history = geminiText(model.turns[1]);
    expect(history).toContain("-Say hello");
    expect(history).toContain("Hello, I am dev. LYCHEE-3");
    expect(history).toContain("What did I say first?");
    expect(model.turns).toHaveLength(2);
    expect(model.errors).toEqual([]);
  });
});
