/**
 * Claude Code (`@anthropic-ai/claude-code`), driven non-interactively:
 *
 *   claude -p --output-format json --permission-mode bypassPermissions
 *          [--model M] [--resume SESSION]          (prompt on stdin)
 *
 * It prints one result object: `{type:"result", subtype, is_error, result,
 * session_id, total_cost_usd, usage:{input_tokens, output_tokens, …}, …}`.
 * See docs/runtimes.md for what was learned from the real CLI.
 */
import { jsonLines, lastJsonObject, num, obj, str, type JsonObject } from "./json-output.js";
import { sessionIdOf, validSessionId } from "../util/session-id.js";
import type { ParsedOutput, PrepareInput, Prepared, RuntimeAdapter } from "./types.js";

/**
 * Claude Code keeps config and session transcripts under CLAUDE_CONFIG_DIR
 * (default ~/.claude). HOME is a tmpfs that dies with the container, so the
 * transcripts live in the per-thread state dir, which `--resume` needs.
 */
export const CLAUDE_STATE_DIR = "/gitcrew-state";
const CLAUDE_CONFIG_DIR = `${CLAUDE_STATE_DIR}/claude`;
/** Claude Code's managed settings on Linux: the highest-precedence settings file. */
export const CLAUDE_MANAGED_SETTINGS = "/etc/claude-code/managed-settings.json";
/** The first byte of every run's stdin (see `startsAhead`); the model sees the prompt after one blank line. */
const STDIN_LEAD = "\n";

export const claudeAdapter: RuntimeAdapter = {
  name: "claude",
  defaultImage: "gitcrew/claude:latest",
  requiredSecrets: ["ANTHROPIC_API_KEY"],
  optionalEnv: ["ANTHROPIC_BASE_URL"],
  // Measured (docs/runtimes.md): with the prompt on stdin it makes no request and reads neither
  // CLAUDE.md nor the project's settings before the prompt; it sources CLAUDE_ENV_FILE before each Bash command.
  // It gives up on a stdin silent for 3 s, so every run's stdin starts with a newline (STDIN_LEAD),
  // written when a container started ahead starts; the CLI then waits for the end of stdin.
  startsAhead: { envFileVar: "CLAUDE_ENV_FILE", stdinLead: STDIN_LEAD },
  gateway: {
    provider: "anthropic",
    keyEnv: ["ANTHROPIC_API_KEY"],
    env: (baseUrl, token) => ({ ANTHROPIC_BASE_URL: baseUrl, ANTHROPIC_API_KEY: token }),
    // WebFetch fetches the page itself, through the proxy (the allowlist holds it), but first asks
    // api.anthropic.com whether the domain may be fetched: a connection the proxy refuses unless that
    // host is allowed, so every WebFetch failed. The run's allowlist is the rule here; the managed
    // (policy) settings file overrides the user's and the project's, which the agent can write.
    files: { [CLAUDE_MANAGED_SETTINGS]: `${JSON.stringify({ skipWebFetchPreflight: true })}\n` },
  },
  prepare({ agent, prompt, resumeSession }: PrepareInput): Prepared {
    // The prompt goes on stdin: in argv a prompt starting with "-" would be read as a flag.
    // bypassPermissions: there is nobody to answer a permission prompt; the container is the sandbox.
    const argv = ["claude", "-p", "--output-format", "json", "--permission-mode", "bypassPermissions"];
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("--resume", resumeSession);
    return {
      argv,
      env: {
        // No telemetry, error reporting or update checks: only the model API is contacted.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CONFIG_DIR,
      },
      injectedFiles: { "CLAUDE.md": agent.instructions },
      skillsDir: ".claude/skills",
      stateDir: CLAUDE_STATE_DIR,
      stdin: `${STDIN_LEAD}${prompt}`,
    };
  },
  parseOutput(stdout: string, stderr: string): ParsedOutput {
    const res = resultObject(stdout);
    if (!res) {
      const said = stderr.trim() || stdout.trim();
      return { answer: "", error: said ? `claude: ${lastLine(said)}` : "claude printed no result" };
    }
    const usage = obj(res.usage);
    const parsed: ParsedOutput = {
      answer: str(res.result) ?? "",
      sessionId: sessionIdOf(res.session_id),
      usage: {
        inputTokens: tokens(usage),
        outputTokens: num(usage?.output_tokens),
        costUsd: num(res.total_cost_usd),
      },
    };
    if (res.is_error === true || (str(res.subtype) ?? "success") !== "success") {
      parsed.error = str(res.result) || errorText(res);
    }
    return parsed;
  },
};

/** The `type: "result"` object, whether the output is `json` or `stream-json`. */
function resultObject(stdout: string): JsonObject | undefined {
  const whole = lastJsonObject(stdout);
  if (whole?.type === "result") return whole;
  return jsonLines(stdout)
    .filter((o) => o.type === "result")
    .at(-1);
}

/** Prompt tokens include those served from or written to the prompt cache. */
function tokens(usage: JsonObject | undefined): number | undefined {
  const input = num(usage?.input_tokens);
  if (input === undefined) return undefined;
  return input + (num(usage?.cache_creation_input_tokens) ?? 0) + (num(usage?.cache_read_input_tokens) ?? 0);
}

function errorText(res: JsonObject): string {
  const errors = Array.isArray(res.errors) ? res.errors.filter((e): e is string => typeof e === "string") : [];
  const subtype = str(res.subtype) ?? "error";
  return errors.length > 0 ? `claude ${subtype}: ${errors.join("; ")}` : `claude reported ${subtype}`;
}

function lastLine(text: string): string {
  return text.split("\n").filter((l) => l.trim()).at(-1) ?? text;
}
