/** The claude adapter on output recorded from the real CLI (test/fixtures/runtimes/claude-*). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { claudeAdapter } from "../../src/runtimes/claude.js";
import { testAgent } from "../support/fake-anthropic/agent.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/runtimes/${name}`, import.meta.url), "utf8");

describe("claude adapter: prepare", () => {
  it("runs print mode with JSON output, no permission prompts, the prompt on stdin", () => {
    const p = claudeAdapter.prepare({ agent: testAgent({ instructions: "Be brief." }), prompt: "--help me" });
    expect(p.argv).toEqual(["claude", "-p", "--output-format", "json", "--permission-mode", "bypassPermissions"]);
    // After one newline, written ahead when the container starts before its run (startsAhead).
    expect(p.stdin).toBe("\n--help me");
    expect(claudeAdapter.startsAhead).toEqual({ envFileVar: "CLAUDE_ENV_FILE", stdinLead: "\n" });
    expect(p.injectedFiles).toEqual({ "CLAUDE.md": "Be brief." });
    expect(p.skillsDir).toBe(".claude/skills");
    expect(p.env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC).toBe("1");
    // Transcripts must outlive the tmpfs HOME for --resume to work.
    expect(p.stateDir).toBeDefined();
    expect(p.env.CLAUDE_CONFIG_DIR?.startsWith(`${p.stateDir}/`)).toBe(true);
  });

  it("passes the model and resumes the stored session", () => {
    const p = claudeAdapter.prepare({
      agent: testAgent({ model: "claude-sonnet-4-5" }),
      prompt: "again",
      resumeSession: "37cb4af6-657a-4b64-b669-c0d5ecbad6fa",
    });
    expect(p.argv.slice(6)).toEqual(["--model", "claude-sonnet-4-5", "--resume", "37cb4af6-657a-4b64-b669-c0d5ecbad6fa"]);
  });

  it("never puts the API key anywhere but the runner's secret injection", () => {
    expect(claudeAdapter.requiredSecrets).toEqual(["ANTHROPIC_API_KEY"]);
    expect(claudeAdapter.optionalEnv).toContain("ANTHROPIC_BASE_URL");
    const p = claudeAdapter.prepare({ agent: testAgent(), prompt: "x" });
    expect(Object.keys(p.env)).not.toContain("ANTHROPIC_API_KEY");
  });
});

describe("claude adapter: parseOutput", () => {
  it("reads answer, session, tokens and cost from --output-format json", () => {
    expect(claudeAdapter.parseOutput(fixture("claude-success.json"), "")).toEqual({
      answer: "Hello from fake 2",
      sessionId: "37cb4af6-657a-4b64-b669-c0d5ecbad6fa",
      usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.000175 },
    });
  });

  it("reads the result line of --output-format stream-json", () => {
    const out = claudeAdapter.parseOutput(fixture("claude-stream.jsonl"), "");
    expect(out.answer).toBe("Hello from fake 4");
    expect(out.sessionId).toBe("8f01fc46-5311-4c1e-88b7-f30e52532ba7");
    expect(out.error).toBeUndefined();
  });

  it("reports an API error (is_error with subtype success, exit code 1)", () => {
    const out = claudeAdapter.parseOutput(fixture("claude-api-error.json"), "");
    expect(out.error).toBe("API Error: 400 scripted failure");
    expect(out.sessionId).toBe("71fda96e-72dc-4386-bc30-71cd1434866e");
  });

  it("reports error subtypes that carry no result text", () => {
    const stdout = JSON.stringify({
      type: "result",
      subtype: "error_max_turns",
      is_error: true,
      session_id: "s",
      errors: ["Reached maximum number of turns (3)"],
    });
    expect(claudeAdapter.parseOutput(stdout, "").error).toBe(
      "claude error_max_turns: Reached maximum number of turns (3)",
    );
  });

  it("surfaces stderr when no result was printed (e.g. an unknown session to resume)", () => {
    const out = claudeAdapter.parseOutput("", "No conversation found with session ID: 0000\n");
    expect(out).toEqual({ answer: "", error: "claude: No conversation found with session ID: 0000" });
  });
});
