/**
 * Codex CLI: `codex exec --json <prompt>` prints JSON-lines events; the last
 * agent message is the answer and the thread id is the session.
 */
import { jsonLines, num, obj, str } from "./json-output.js";
import type { ParsedOutput, PrepareInput, Prepared, RuntimeAdapter } from "./types.js";

export const codexAdapter: RuntimeAdapter = {
  name: "codex",
  defaultImage: "gitcrew/codex:latest",
  requiredSecrets: ["OPENAI_API_KEY"],
  prepare({ agent, prompt, resumeSession }: PrepareInput): Prepared {
    const argv = ["codex", "exec", "--json", "--skip-git-repo-check", "--full-auto"];
    if (agent.model) argv.push("--model", agent.model);
    if (resumeSession) argv.push("resume", resumeSession);
    argv.push(prompt);
    return { argv, env: {}, injectedFiles: { "AGENTS.md": agent.instructions }, skillsDir: ".codex/skills" };
  },
  parseOutput(stdout: string, stderr: string): ParsedOutput {
    let answer = "";
    let sessionId: string | undefined;
    let error: string | undefined;
    let inputTokens: number | undefined;
    let outputTokens: number | undefined;
    for (const ev of jsonLines(stdout)) {
      const type = str(ev.type);
      if (type === "thread.started") sessionId = str(ev.thread_id) ?? sessionId;
      const item = obj(ev.item);
      if (type === "item.completed" && item && str(item.type) === "agent_message") answer = str(item.text) ?? answer;
      if (type === "turn.completed") {
        const u = obj(ev.usage);
        inputTokens = num(u?.input_tokens);
        outputTokens = num(u?.output_tokens);
      }
      if (type === "turn.failed" || type === "error") error = str(obj(ev.error)?.message) ?? str(ev.message) ?? "codex failed";
    }
    if (!answer && !error && stdout.trim() === "") error = stderr.trim() || "codex printed nothing";
    return { answer, sessionId, usage: { inputTokens, outputTokens }, error };
  },
};
