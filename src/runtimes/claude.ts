/**
 * Claude Code: `claude -p <prompt> --output-format json`, which prints one
 * result object with `result`, `session_id`, `usage` and `is_error`.
 */
import { lastJsonObject, num, obj, str } from "./json-output.js";
import type { ParsedOutput, PrepareInput, Prepared, RuntimeAdapter } from "./types.js";

export const claudeAdapter: RuntimeAdapter = {
  name: "claude",
  defaultImage: "gitcrew/claude:latest",
  requiredSecrets: ["ANTHROPIC_API_KEY"],
  prepare({ agent, prompt, resumeSession }: PrepareInput): Prepared {
    const argv = ["claude", "-p", prompt, "--output-format", "json"];
    if (agent.model) argv.push("--model", agent.model);
    if (resumeSession) argv.push("--resume", resumeSession);
    return {
      argv,
      env: { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", DISABLE_AUTOUPDATER: "1" },
      injectedFiles: { "CLAUDE.md": agent.instructions },
      skillsDir: ".claude/skills",
    };
  },
  parseOutput(stdout: string, stderr: string): ParsedOutput {
    const res = lastJsonObject(stdout);
    if (!res) return { answer: stdout.trim(), error: stderr.trim() || "claude printed no JSON result" };
    const usage = obj(res.usage);
    const parsed: ParsedOutput = {
      answer: str(res.result) ?? "",
      sessionId: str(res.session_id),
      usage: {
        inputTokens: num(usage?.input_tokens),
        outputTokens: num(usage?.output_tokens),
        costUsd: num(res.total_cost_usd),
      },
    };
    if (res.is_error === true) parsed.error = str(res.result) ?? str(res.subtype) ?? "claude reported an error";
    return parsed;
  },
};
