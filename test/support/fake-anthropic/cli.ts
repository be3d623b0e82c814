/**
 * Where the real Claude Code CLI is on the host for host-side tests. It is
 * not a project dependency: scripts/ci/install-agent-clis.sh puts it in
 * .cache/agent-clis (CLAUDE_BIN overrides).
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export function claudeBin(): string {
  const fromEnv = process.env.CLAUDE_BIN;
  if (fromEnv) return fromEnv;
  const cached = join(REPO, ".cache", "agent-clis", "node_modules", ".bin", "claude");
  if (existsSync(cached)) return cached;
  throw new Error(
    `Claude Code CLI not found at ${cached}. Install it with 'bash scripts/ci/install-agent-clis.sh' ` +
      "(or set CLAUDE_BIN to a claude binary).",
  );
}

/**
 * A clean environment for the CLI: nothing from the caller's environment
 * except PATH, so that a real API key or base URL never leaks into a test.
 */
export function offlineClaudeEnv(home: string, baseUrl: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: home,
    ANTHROPIC_BASE_URL: baseUrl,
    ANTHROPIC_API_KEY: "sk-ant-test-not-a-real-key",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    DISABLE_AUTOUPDATER: "1",
    // The host tests run as root; the CLI refuses to skip permissions as root outside a sandbox.
    IS_SANDBOX: "1",
  };
}
