/** Gemini CLI: `gemini -p <prompt> --output-format json` prints `{response, stats}`. */
import { lastJsonObject, obj, str } from "./json-output.js";
import type { ParsedOutput, PrepareInput, Prepared, RuntimeAdapter } from "./types.js";

export const geminiAdapter: RuntimeAdapter = {
  name: "gemini",
  defaultImage: "gitcrew/gemini:latest",
  requiredSecrets: ["GEMINI_API_KEY"],
  prepare({ agent, prompt }: PrepareInput): Prepared {
    const argv = ["gemini", "-p", prompt, "--output-format", "json", "--yolo"];
    if (agent.model) argv.push("--model", agent.model);
    return { argv, env: {}, injectedFiles: { "GEMINI.md": agent.instructions }, skillsDir: ".gemini/skills" };
  },
  parseOutput(stdout: string, stderr: string): ParsedOutput {
    const res = lastJsonObject(stdout);
    if (!res) return { answer: stdout.trim(), error: stderr.trim() || "gemini printed no JSON result" };
    const err = obj(res.error);
    return { answer: str(res.response) ?? "", error: err ? (str(err.message) ?? "gemini reported an error") : undefined };
  },
};
