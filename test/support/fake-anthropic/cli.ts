/**
 * Where the real agent CLIs are on the host for host-side tests. They are not
 * project dependencies: scripts/ci/install-agent-clis.sh puts them in
 * .cache/agent-clis (CLAUDE_BIN, CODEX_BIN, GEMINI_BIN override).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export function agentCliBin(name: "claude" | "codex" | "gemini"): string {
  const fromEnv = process.env[`${name.toUpperCase()}_BIN`];
  if (fromEnv) return fromEnv;
  const cached = join(REPO, ".cache", "agent-clis", "node_modules", ".bin", name);
  if (existsSync(cached)) return cached;
  throw new Error(
    `${name} CLI not found at ${cached}. Install the agent CLIs with 'bash scripts/ci/install-agent-clis.sh' ` +
      `(or set ${name.toUpperCase()}_BIN).`,
  );
}

export function claudeBin(): string {
  return agentCliBin("claude");
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

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI with text on stdin; resolves with its output whatever the exit code. Killed after `killAfterMs`. */
export function runCli(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; stdin?: string; killAfterMs?: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    // A CLI waiting on something the fake never sends must not hang the suite.
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.killAfterMs ?? 120_000);
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.stdin ?? "");
  });
}
