/**
 * The `command` runtime: any argv from the agent definition. The prompt is fed
 * on stdin and also set as GITCREW_PROMPT; the answer is what the command
 * printed (unless it used `gitcrew-return`, which the runner prefers).
 */
import type { ParsedOutput, PrepareInput, Prepared, RuntimeAdapter } from "./types.js";

export const commandAdapter: RuntimeAdapter = {
  name: "command",
  defaultImage: "gitcrew/command:latest",
  requiredSecrets: [],
  prepare({ agent, prompt }: PrepareInput): Prepared {
    const argv = agent.command && agent.command.length > 0 ? agent.command : ["sh", "-c", 'echo "$GITCREW_PROMPT"'];
    return {
      argv,
      env: { GITCREW_PROMPT: prompt },
      injectedFiles: {},
      skillsDir: ".gitcrew-skills",
      stdin: prompt,
    };
  },
  parseOutput(stdout: string): ParsedOutput {
    return { answer: stdout.trim() };
  },
};
