/**
 * Gemini CLI (`@google/gemini-cli`), driven non-interactively:
 *
 *   gemini --prompt "" --output-format json --approval-mode yolo --skip-trust
 *          [--model M] [--resume SESSION]          (prompt on stdin)
 *
 * It prints one JSON object: `{session_id, response, stats:{models:{<model>:
 * {tokens:{input, prompt, candidates, total, cached, thoughts, tool}}}, …}}`,
 * or `{session_id, error:{type, message, code}}` (exit code = code).
 * See docs/runtimes.md.
 */
import { lastJsonObject, num, obj, str, type JsonObject } from "./json-output.js";
import { sessionIdOf, validSessionId } from "../util/session-id.js";
import type { ParsedOutput, PrepareInput, Prepared, RuntimeAdapter, Usage } from "./types.js";

/** GEMINI_CLI_HOME/.gemini keeps the chats that `--resume` needs: the per-thread state mount. */
export const GEMINI_STATE_DIR = "/gitcrew-state";

/** The CLI's system settings on the gateway (they override the user's, in the agent-writable state folder). */
const GEMINI_GATEWAY_SETTINGS = {
  security: { auth: { selectedType: "gemini-api-key" } },
  general: { retryFetchErrors: false },
  privacy: { usageStatisticsEnabled: false },
};

export const geminiAdapter: RuntimeAdapter = {
  name: "gemini",
  defaultImage: "gitcrew/gemini:latest",
  requiredSecrets: ["GEMINI_API_KEY"],
  // GOOGLE_GEMINI_BASE_URL counts only with API-key auth selected in settings: the system
  // settings file (it overrides the user's, which live in the agent-writable state folder).
  gateway: {
    provider: "gemini",
    keyEnv: ["GEMINI_API_KEY", "GOOGLE_API_KEY"],
    env: (baseUrl, token) => ({ GOOGLE_GEMINI_BASE_URL: baseUrl, GEMINI_API_KEY: token }),
    // retryFetchErrors: false: a connection the proxy refuses (web_fetch's own fetch of a host off the
    // allowlist) reads as "fetch failed", which the CLI otherwise retries with backoff for minutes.
    // usageStatisticsEnabled: false: its usage reports go to a Google host the proxy refuses, every run.
    files: { "/etc/gemini-cli/settings.json": `${JSON.stringify(GEMINI_GATEWAY_SETTINGS)}\n` },
  },
  prepare({ agent, prompt, resumeSession }: PrepareInput): Prepared {
    // `--prompt ""` selects headless mode and appends stdin, where the prompt goes (a
    // prompt starting with "-" is not a flag there). An untrusted folder silently
    // downgrades yolo to "default" and hides project skills, hence --skip-trust.
    const argv = ["gemini", "--prompt", "", "--output-format", "json", "--approval-mode", "yolo", "--skip-trust"];
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("--resume", resumeSession);
    return {
      argv,
      env: { GEMINI_CLI_HOME: GEMINI_STATE_DIR },
      injectedFiles: { "GEMINI.md": agent.instructions },
      skillsDir: ".gemini/skills",
      stateDir: GEMINI_STATE_DIR,
      stdin: prompt,
    };
  },
  parseOutput(stdout: string, stderr: string): ParsedOutput {
    const res = lastJsonObject(stdout) ?? jsonAfterText(stdout);
    if (!res) {
      const lines = (stderr.trim() || stdout.trim()).split("\n").map((l) => l.trim()).filter(Boolean);
      const said = lines.find((l) => l.startsWith("Error")) ?? lines.at(-1);
      return { answer: "", error: said ? `gemini: ${said}` : "gemini printed no result" };
    }
    const parsed: ParsedOutput = { answer: str(res.response) ?? "", sessionId: sessionIdOf(res.session_id), usage: usageOf(res) };
    const err = obj(res.error);
    if (err) parsed.error = `gemini: ${str(err.message) ?? str(err.type) ?? "error"}`;
    return parsed;
  },
};

/** The pretty-printed object may follow warnings on stdout: take it from its first "{" line. */
function jsonAfterText(stdout: string): JsonObject | undefined {
  const start = stdout.search(/^\{/m);
  return start >= 0 ? lastJsonObject(stdout.slice(start)) : undefined;
}

/** Tokens summed over every model used (the CLI also calls a small router model). */
function usageOf(res: JsonObject): Usage | undefined {
  const models = obj(obj(res.stats)?.models);
  if (!models) return undefined;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const m of Object.values(models)) {
    const tokens = obj(obj(m)?.tokens);
    inputTokens += num(tokens?.prompt) ?? num(tokens?.input) ?? 0;
    outputTokens += (num(tokens?.candidates) ?? 0) + (num(tokens?.thoughts) ?? 0);
  }
  return { inputTokens, outputTokens };
}
