/**
 * Codex CLI (`@openai/codex`), driven non-interactively:
 *
 *   codex exec --json --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox
 *              [-c web_search=disabled|cached|live] [--model M] [resume SESSION] -   (prompt on stdin)
 *
 * It prints JSON lines: `thread.started {thread_id}`, `turn.started`,
 * `item.started|updated|completed {item:{type: agent_message|reasoning|
 * command_execution|file_change|…|error}}`, `turn.completed {usage}`,
 * `turn.failed {error:{message}}`, and `error {message}` notices (also for
 * retries that then succeed). See docs/runtimes.md.
 */
import { WEB_FETCH_PRESET, WEB_SEARCH_PRESET } from "../gateway/provider-egress.js";
import { jsonLines, num, obj, str } from "./json-output.js";
import { sessionIdOf, validSessionId } from "../util/session-id.js";
import type { ParsedOutput, PrepareInput, Prepared, RuntimeAdapter } from "./types.js";

/** CODEX_HOME holds sessions (needed by `resume`) and must exist: the per-thread state mount. */
export const CODEX_STATE_DIR = "/gitcrew-state";

export const codexAdapter: RuntimeAdapter = {
  name: "codex",
  defaultImage: "gitcrew/codex:latest",
  // `codex exec` authenticates with CODEX_API_KEY; it ignores OPENAI_API_KEY unless logged in.
  requiredSecrets: ["CODEX_API_KEY"],
  // Codex ignores OPENAI_BASE_URL: its provider comes from `-c` flags after `exec`
  // (flags, not a config.toml in CODEX_HOME, which the agent can write).
  gateway: {
    provider: "openai",
    keyEnv: ["CODEX_API_KEY", "OPENAI_API_KEY"],
    env: (_baseUrl, token) => ({ CODEX_API_KEY: token }),
    args: (baseUrl) => ({
      at: 2,
      args: [
        ["model_provider", "gitcrew"],
        ["model_providers.gitcrew.name", "gitcrew"],
        ["model_providers.gitcrew.base_url", `${baseUrl}/v1`],
        ["model_providers.gitcrew.wire_api", "responses"],
        ["model_providers.gitcrew.requires_openai_auth", "true"],
      ].flatMap(([k, v]) => ["-c", `${k}=${v}`]),
    }),
  },
  prepare({ agent, prompt, resumeSession }: PrepareInput): Prepared {
    // Codex's own sandbox needs kernel features a hardened container withholds;
    // the container is the sandbox, and nobody is there to approve commands.
    const argv = ["codex", "exec", "--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"];
    // Codex declares live web search by default; the gateway refuses it unless the allowlist names
    // preset:web-search (cached results) and preset:web-fetch (live pages): declare only what passes.
    const network = agent.limits.network;
    if (typeof network === "object") {
      const mode = !network.allow.includes(WEB_SEARCH_PRESET) ? "disabled" : network.allow.includes(WEB_FETCH_PRESET) ? "live" : "cached";
      argv.push("-c", `web_search=${mode}`);
    }
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("resume", resumeSession);
    // "-": read the prompt from stdin, so that a prompt starting with "-" is not a flag.
    argv.push("-");
    return {
      argv,
      env: { CODEX_HOME: CODEX_STATE_DIR },
      injectedFiles: { "AGENTS.md": agent.instructions },
      // Codex discovers repository skills in .agents/skills/<name>/SKILL.md.
      skillsDir: ".agents/skills",
      stateDir: CODEX_STATE_DIR,
      stdin: prompt,
    };
  },
  parseOutput(stdout: string, stderr: string): ParsedOutput {
    let answer = "";
    let sessionId: string | undefined;
    let failed: string | undefined;
    let lastNotice: string | undefined;
    let completed = false;
    let usage: ParsedOutput["usage"];
    for (const ev of jsonLines(stdout)) {
      const type = str(ev.type);
      const item = obj(ev.item);
      if (type === "thread.started") sessionId = sessionIdOf(ev.thread_id) ?? sessionId;
      else if (type === "item.completed" && str(item?.type) === "agent_message") answer = str(item?.text) ?? answer;
      else if (type === "turn.completed") {
        completed = true;
        const u = obj(ev.usage);
        // Codex reports these for the whole thread so far (they grow across resumes).
        usage = { inputTokens: num(u?.input_tokens), outputTokens: num(u?.output_tokens) };
      } else if (type === "turn.failed") failed = str(obj(ev.error)?.message) ?? "codex: the turn failed";
      // `error` events are also retry notices ("Reconnecting... 2/5"): fatal only without a completed turn.
      else if (type === "error") lastNotice = str(ev.message);
    }
    const parsed: ParsedOutput = { answer, sessionId, usage };
    const error = failed ?? (completed ? undefined : (lastNotice ?? lastLine(stderr) ?? "codex printed no result"));
    if (error) parsed.error = error.startsWith("codex") ? error : `codex: ${error}`;
    return parsed;
  },
};

function lastLine(text: string): string | undefined {
  // Codex prints a stack backtrace after the message; the message is the "Error:" line.
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("Error:")) ?? lines.at(-1);
}
