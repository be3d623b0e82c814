/**
 * The real Claude Code CLI on the host against the scripted Messages API:
 * proves the fake server speaks the protocol the CLI expects (tool use, tool
 * results, resume) before the same flow runs inside the container.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claudeAdapter } from "../../src/runtimes/claude.js";
import { claudeBin, offlineClaudeEnv, runCli } from "../support/fake-anthropic/cli.js";
import { startFakeAnthropic, textOf, toolResults, type FakeAnthropic } from "../support/fake-anthropic/server.js";
import { testAgent } from "../support/fake-anthropic/agent.js";

describe("claude CLI on the host against fake-anthropic", () => {
  let dir: string;
  let ws: string;
  let model: FakeAnthropic;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gitcrew-claude-host-"));
    ws = join(dir, "ws");
    await mkdir(join(ws, ".claude", "skills", "greeting"), { recursive: true });
    // Where the runner mounts skills: `<skillsDir>/<name>/SKILL.md`.
    await writeFile(
      join(ws, ".claude", "skills", "greeting", "SKILL.md"),
      "---\nname: greeting\ndescription: MANGO-SKILL greets people politely\n---\nSay hello.\n",
    );
    model = await startFakeAnthropic({
      script: [
        { text: "Writing the file.", toolUses: [{ name: "Write", input: { file_path: join(ws, "hello.txt"), content: "hello from the agent\n" } }] },
        (body) => ({ text: `Done: ${toolResults(body)[0]?.is_error ? "failed" : "wrote hello.txt"}` }),
        { text: "You asked me to write hello.txt." },
      ],
    });
  });
  afterAll(async () => {
    await model.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** One run with a fresh HOME, as in a container whose home is a tmpfs; only the state dir persists. */
  async function claude(prompt: string, resumeSession?: string) {
    const agent = testAgent({ instructions: "You are the greeter. Sign every answer with PINEAPPLE-42." });
    const prepared = claudeAdapter.prepare({ agent, prompt, resumeSession });
    for (const [path, content] of Object.entries(prepared.injectedFiles)) await writeFile(join(ws, path), content);
    const [bin, ...args] = prepared.argv;
    expect(bin).toBe("claude");
    const home = await mkdtemp(join(dir, "home-"));
    // The container path of the state dir is the runner's; here it maps to a temp folder.
    const state = prepared.env.CLAUDE_CONFIG_DIR?.replace(prepared.stateDir ?? "", join(dir, "state")) ?? "";
    expect(state.startsWith(dir)).toBe(true);
    return runCli(claudeBin(), args, {
      cwd: ws,
      env: { ...offlineClaudeEnv(home, model.url), ...prepared.env, CLAUDE_CONFIG_DIR: state },
      stdin: prepared.stdin,
    });
  }

  it("runs a tool, answers, and resumes the session", async () => {
    const first = await claude("Please write hello.txt");
    const out = claudeAdapter.parseOutput(first.stdout, first.stderr);
    expect(out.error, first.stderr).toBeUndefined();
    expect(first.code).toBe(0);
    expect(out.answer).toBe("Done: wrote hello.txt");
    expect(out.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readFile(join(ws, "hello.txt"), "utf8")).toBe("hello from the agent\n");

    // The agent's instructions (CLAUDE.md) reached the model in the first turn.
    const firstTurn = model.turns[0];
    expect(firstTurn && textOf(firstTurn)).toContain("PINEAPPLE-42");
    expect(firstTurn && textOf(firstTurn)).toContain("Please write hello.txt");
    // So did the skill mounted under .claude/skills.
    expect(firstTurn && textOf(firstTurn)).toContain("MANGO-SKILL");
    expect(model.turns).toHaveLength(2);
    expect(model.errors).toEqual([]);

    const second = await claude("What did I ask you before?", out.sessionId);
    const again = claudeAdapter.parseOutput(second.stdout, second.stderr);
    expect(again.error, second.stderr).toBeUndefined();
    expect(again.answer).toBe("You asked me to write hello.txt.");
    expect(again.sessionId).toBe(out.sessionId);
    // Resuming sends the earlier conversation: first prompt, tool call and answer.
    const resumed = model.turns[2];
    const seen = resumed ? textOf(resumed) : "";
    expect(seen).toContain("Please write hello.txt");
    expect(seen).toContain("Done: wrote hello.txt");
    expect(seen).toContain("What did I ask you before?");
    expect(model.errors).toEqual([]);
  });
});
