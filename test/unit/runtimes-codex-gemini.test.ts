/**
 * codex and gemini adapters on output recorded from their real CLIs
 * (codex-cli 0.169, gemini-cli 0.61) against scripted local servers.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { codexAdapter } from "../../src/runtimes/codex.js";
import { geminiAdapter } from "../../src/runtimes/gemini.js";
import { testAgent } from "../support/fake-anthropic/agent.js";

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/runtimes/${name}`, import.meta.url), "utf8");

describe("codex adapter", () => {
  it("runs `codex exec --json` without approvals, the prompt on stdin", () => {
    const p = codexAdapter.prepare({ agent: testAgent({ runtime: "codex", instructions: "Be brief." }), prompt: "-x" });
    expect(p.argv).toEqual(["codex", "exec", "--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", "-c", "web_search=disabled", "-"]);
    expect(p.stdin).toBe("-x");
    expect(p.injectedFiles).toEqual({ "AGENTS.md": "Be brief." });
    expect(p.skillsDir).toBe(".agents/skills");
    expect(p.env.CODEX_HOME).toBe(p.stateDir);
    expect(codexAdapter.requiredSecrets).toEqual(["CODEX_API_KEY"]);
  });

  it("declares web search only as the agent's allowlist lets the gateway pass it: disabled, cached (preset:web-search), live (and preset:web-fetch)", () => {
    const mode = (allow: string[] | "egress") => {
      const network = allow === "egress" ? ("egress" as const) : { allow };
      const argv = codexAdapter.prepare({ agent: testAgent({ runtime: "codex", limits: { ...testAgent().limits, network } }), prompt: "x" }).argv;
      return argv.find((a) => a.startsWith("web_search="));
    };
    expect(mode([])).toBe("web_search=disabled");
    expect(mode(["preset:github"])).toBe("web_search=disabled");
    expect(mode(["preset:web-search"])).toBe("web_search=cached");
    expect(mode(["preset:web-search", "preset:web-fetch"])).toBe("web_search=live");
    // Egress runs do not use the gateway: Codex's own default.
    expect(mode("egress")).toBeUndefined();
  });

  it("resumes with the `resume` subcommand after the exec options", () => {
    const p = codexAdapter.prepare({ agent: testAgent({ runtime: "codex", model: "gpt-5" }), prompt: "x", resumeSession: "t-1" });
    expect(p.argv.slice(7)).toEqual(["--model", "gpt-5", "resume", "t-1", "-"]);
  });

  it("takes the last agent message and ignores retry notices that end in success", () => {
    expect(codexAdapter.parseOutput(fixture("codex-reconnect-then-answer.jsonl"), "")).toEqual({
      answer: "Codex fake says hi 10",
      sessionId: "01a207c8-856b-73e3-8b0e-faa5a6263e9d",
      usage: { inputTokens: 10, outputTokens: 5 },
    });
  });

  it("reads a resumed thread (same thread id)", () => {
    const out = codexAdapter.parseOutput(fixture("codex-resume.jsonl"), "");
    expect(out.answer).toBe("Codex fake says hi 2");
    expect(out.sessionId).toBe("01a207c8-1d90-76b0-bc1d-5e04c9693e06");
    expect(out.error).toBeUndefined();
  });

  it("reports turn.failed", () => {
    const out = codexAdapter.parseOutput(fixture("codex-turn-failed.jsonl"), "");
    expect(out.sessionId).toBe("01a207ca-5f1f-7932-b1bf-3418e1fecdd1");
    expect(out.error).toContain("scripted failure");
  });

  it("reports the Error: line of stderr when no event came (unknown session)", () => {
    const stderr = "WARNING: proceeding\nError: thread/resume: thread/resume failed: no rollout found for thread id 0000 (code -32600)\n\nStack backtrace:\n   0: <unknown>\n";
    expect(codexAdapter.parseOutput("", stderr).error).toBe(
      "codex: Error: thread/resume: thread/resume failed: no rollout found for thread id 0000 (code -32600)",
    );
  });
});

describe("gemini adapter", () => {
  it("runs headless with JSON output, yolo in a trusted folder, the prompt on stdin", () => {
    const p = geminiAdapter.prepare({ agent: testAgent({ runtime: "gemini", instructions: "Be brief." }), prompt: "--x" });
    expect(p.argv).toEqual(["gemini", "--prompt", "", "--output-format", "json", "--approval-mode", "yolo", "--skip-trust"]);
    expect(p.stdin).toBe("--x");
    expect(p.injectedFiles).toEqual({ "GEMINI.md": "Be brief." });
    expect(p.skillsDir).toBe(".gemini/skills");
    expect(p.env.GEMINI_CLI_HOME).toBe(p.stateDir);
  });

  it("passes the model and resumes by session id", () => {
    const p = geminiAdapter.prepare({ agent: testAgent({ runtime: "gemini", model: "gemini-2.5-pro" }), prompt: "x", resumeSession: "s-1" });
    expect(p.argv.slice(8)).toEqual(["--model", "gemini-2.5-pro", "--resume", "s-1"]);
  });

  it("reads response, session and tokens summed over the router and main models", () => {
    expect(geminiAdapter.parseOutput(fixture("gemini-success.json"), "")).toEqual({
      answer: "Gemini fake says hi 2",
      sessionId: "62029572-30c2-42f6-b018-30c9c60afbf5",
      usage: { inputTokens: 20, outputTokens: 10 },
    });
  });

  it("reads the JSON even after warnings on stdout", () => {
    const out = geminiAdapter.parseOutput(`YOLO mode is enabled.\n${fixture("gemini-success.json")}`, "");
    expect(out.answer).toBe("Gemini fake says hi 2");
  });

  it("reports the error object", () => {
    const out = geminiAdapter.parseOutput(fixture("gemini-auth-error.json"), "");
    expect(out).toMatchObject({ answer: "", sessionId: "939662e4-aa77-4248-89a9-90d1652c7c66", error: "gemini: Invalid auth method selected." });
  });

  it("reports stderr when nothing was printed (unknown session)", () => {
    const stderr = 'Error resuming session: Invalid session identifier "0000".\n  Use --list-sessions to see available sessions.\n';
    expect(geminiAdapter.parseOutput("", stderr).error).toBe('gemini: Error resuming session: Invalid session identifier "0000".');
  });
});
