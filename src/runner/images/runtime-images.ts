/**
 * One image per runtime, layered on gitcrew/base: the agent CLI installed from
 * the npm registry on the host and copied in, and the in-container channel
 * commands (gitcrew-status, gitcrew-return, gitcrew-request-approval).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RuntimeName } from "../../crew/types.js";
import { exec } from "./docker-cli.js";
import { BASE_IMAGE, imageCurrent, type BuildLog } from "./offline-base.js";
import { dockerTemplatesDir } from "./paths.js";

/** npm package and executable of each runtime's CLI (none for `command`). */
export const AGENT_CLI: Record<RuntimeName, { pkg: string; bin: string } | undefined> = {
  claude: { pkg: "@anthropic-ai/claude-code", bin: "claude" },
  codex: { pkg: "@openai/codex", bin: "codex" },
  gemini: { pkg: "@google/gemini-cli", bin: "gemini" },
  command: undefined,
};

export function imageTag(runtime: RuntimeName): string {
  return `gitcrew/${runtime}:latest`;
}

function dockerfile(runtime: RuntimeName): string {
  const cli = AGENT_CLI[runtime];
  const lines = [
    `FROM ${BASE_IMAGE}`,
    "COPY bin/gitcrew-channel.mjs /usr/local/lib/gitcrew/gitcrew-channel.mjs",
    "COPY bin/gitcrew-status bin/gitcrew-return bin/gitcrew-request-approval /usr/local/bin/",
  ];
  if (cli) {
    lines.push(
      "COPY cli/ /opt/gitcrew/cli/",
      "ENV PATH=/opt/gitcrew/cli/node_modules/.bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
      `RUN ${cli.bin} --version`,
    );
  }
  lines.push(`LABEL gitcrew.runtime=${runtime}`, "USER 1000:1000", "WORKDIR /workspace");
  return lines.join("\n") + "\n";
}

/** Build `gitcrew/<runtime>:latest` (reused when present and of this generation, unless `force`). */
export async function ensureRuntimeImage(runtime: RuntimeName, opts: BuildLog & { force?: boolean }): Promise<void> {
  const tag = imageTag(runtime);
  if (!opts.force && (await imageCurrent(tag))) {
    opts.log(`${tag}: present`);
    return;
  }
  const ctx = mkdtempSync(join(tmpdir(), `gitcrew-${runtime}-`));
  try {
    const bin = join(ctx, "bin");
    mkdirSync(bin);
    cpSync(join(dockerTemplatesDir(), "bin"), bin, { recursive: true });
    const cli = AGENT_CLI[runtime];
    if (cli) {
      const prefix = join(ctx, "cli");
      mkdirSync(prefix);
      writeFileSync(join(prefix, "package.json"), '{"private":true}\n');
      opts.log(`npm install ${cli.pkg} (for ${tag})`);
      await exec("npm", ["install", "--no-audit", "--no-fund", "--omit=dev", "--prefix", prefix, cli.pkg], { log: opts.log, cwd: prefix });
    }
    writeFileSync(join(ctx, "Dockerfile"), dockerfile(runtime));
    opts.log(`docker build ${tag}`);
    await exec("docker", ["build", "-t", tag, ctx], { log: opts.log });
    opts.log(`${tag}: built`);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
