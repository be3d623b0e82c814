/** `gitcrew run AGENT --repo DIR --prompt "…" [--json]`: one agent of the crew, locally, in Docker. */
import { basename, resolve } from "node:path";
import { existsSync, readFileSync } from "node:fs";
import type { CliIo, Verb } from "./io.js";
import { parseFlags } from "./args.js";
import { loadCrewFromDir } from "../crew/load.js";
import { planLocalRun } from "../runner/local-plan.js";
import { newRunId } from "../runner/owner.js";
import { Runner } from "../runner/runner.js";
import type { RunEvent } from "../runner/types.js";
import { EXIT, GitcrewError, InputError, UsageError } from "../util/errors.js";
import { oneLine, terminalSafe } from "../util/terminal-text.js";
import { problemLine } from "./problem-line.js";

const usage = `Usage: gitcrew run AGENT [--repo DIR] (--prompt TEXT | --prompt-file FILE|-) [--ref REF] [--json] [--quiet]

Runs one agent of the crew in DIR (default: the current folder) in a hardened
Docker container on a worktree of REF (default HEAD). Progress goes to stderr;
the answer, changed files and branch to stdout. With --json stdout is
{"run","status","exitCode","answer","changedFiles","branch"}, and when it
cannot run at all {"error":{"code","message","hint"}} (code e.g.
docker_not_running, docker_permission_denied, crew_invalid).
--prompt-file - reads the prompt from standard input.
Secrets the agent declares are read from this environment.

Exit codes: 0 succeeded, 1 failed (or the crew has errors), 2 bad flags or
unknown agent, 3 repo missing or not a git repo, 4 Docker engine not reachable
(not installed, not running, permission denied on its socket, too old),
124 timed out, 130 cancelled.`;

export const verb: Verb = {
  summary: "run one agent locally in Docker and print its answer",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      {
        repo: { type: "string" },
        prompt: { type: "string" },
        "prompt-file": { type: "string" },
        ref: { type: "string" },
        json: { type: "boolean" },
        quiet: { type: "boolean" },
      },
      usage,
      true,
    );
    const [agentName, extra] = positionals;
    if (!agentName) throw new UsageError("missing AGENT", usage);
    if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
    const file = values["prompt-file"];
    const prompt = values.prompt ?? (file === "-" ? await readStdin(io) : file ? readPrompt(resolve(io.cwd, file)) : undefined);
    if (prompt === undefined || prompt.trim() === "") throw new UsageError("missing --prompt (or --prompt-file)", usage);
    const repoDir = resolve(io.cwd, values.repo ?? ".");
    if (!existsSync(repoDir)) throw new InputError(`repository folder "${repoDir}" does not exist`, "pass --repo with a git checkout that has a .gitcrew/ folder");

    // The engine is reached while the crew loads; its errors are reported after the crew's,
    // and a CLI that stops before running anything does not wait for an engine that never answers.
    const connecting = new AbortController();
    const starting = Runner.start({ env: io.env, signal: connecting.signal });
    starting.catch(() => undefined);
    try {
      return await runAgent(io, values, agentName, prompt, repoDir, starting);
    } finally {
      connecting.abort();
    }
  },
};

interface RunFlags {
  ref?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Load the crew, find the agent, run it on the runner being started, print the outcome. */
async function runAgent(io: CliIo, values: RunFlags, agentName: string, prompt: string, repoDir: string, starting: Promise<Runner>): Promise<number> {
  const loaded = await loadCrewFromDir(repoDir, io.env);
  if (!loaded.crew) {
    for (const p of loaded.errors) io.stderr(problemLine(p));
    throw Object.assign(new GitcrewError(`the crew in ${repoDir} has ${loaded.errors.length} error(s)`, EXIT.failed, "fix them (gitcrew validate) before running an agent"), { code: "crew_invalid" });
  }
  const crew = loaded.crew;
  const agent = crew.agents.find((a) => a.name.toLowerCase() === agentName.toLowerCase());
  if (!agent) {
    const names = crew.agents.map((a) => a.name).join(", ") || "(none)";
    throw new UsageError(`unknown agent "${agentName}" in ${repoDir}; agents: ${names}`);
  }

  const runner = await starting;
  for (const o of runner.orphans) io.stderr(`cleaned up run ${o.run}: ${o.reason}\n`);
  const runId = newRunId();
  const planned = planLocalRun({ agent, prompt, runId, repo: basename(repoDir), ref: values.ref, branchPrefix: crew.config.branch_prefix, budgets: crew.config.budgets, prices: crew.config.prices, presets: crew.config.presets });
  const show = (ev: RunEvent) => {
    if (values.quiet) return;
    if (ev.type === "started") io.stderr(`▸ run ${ev.runId}: ${agent.name} started (container ${ev.containerId.slice(0, 12)})\n`);
    // Everything below comes from the agent: shown, never interpreted by the terminal.
    else if (ev.type === "log") io.stderr(`│ ${oneLine(ev.line)}\n`);
    else if (ev.type === "status") io.stderr(`▸ ${oneLine(ev.text)}\n`);
    else if (ev.type === "approval") io.stderr(`▸ approval requested (${oneLine(ev.kind)}${ev.what ? `: ${oneLine(ev.what)}` : ""}): ${oneLine(ev.reason)}\n`);
  };
  const result = await runner.run({ planned, agent, repoDir, repo: basename(repoDir), runId, signal: io.signal, observer: { onEvent: show } });

  if (values.json) {
    const { run, status, exitCode, answer, changedFiles, branch } = result;
    io.stdout(`${JSON.stringify({ run, status, exitCode, answer, changedFiles, branch: branch ?? null, sessionId: result.sessionId ?? null, reason: result.reason ?? null })}\n`);
  } else {
    if (result.answer) io.stdout(`${terminalSafe(result.answer)}\n`);
    if (result.changedFiles.length > 0) io.stdout(`\nchanged: ${result.changedFiles.map(oneLine).join(", ")}\nbranch:  ${oneLine(result.branch ?? "")}\n`);
    if (result.held?.length) io.stderr(`▸ not committed: ${result.held.map(oneLine).join(", ")} (workflows run with the repository's secrets; ${agent.name}'s permissions give no \`workflows: write\`)\n`);
    io.stderr(`▸ run ${result.run} ${result.status}${result.reason ? `: ${oneLine(result.reason)}` : ""}\n`);
  }
  return result.status === "succeeded" ? EXIT.ok : result.status === "failed" ? EXIT.failed : result.exitCode;
}

async function readStdin(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UsageError("--prompt-file - needs standard input");
  try {
    return await io.stdin();
  } catch {
    throw new InputError("cannot read the prompt from standard input");
  }
}

function readPrompt(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new InputError(`cannot read --prompt-file "${file}"`);
  }
}
