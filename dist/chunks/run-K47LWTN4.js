import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  Runner
} from "./chunk-TXUUBNLV.js";
import "./chunk-QYJ4L7FF.js";
import {
  newRunId
} from "./chunk-N5XJEPJ3.js";
import "./chunk-YFIKI3HB.js";
import {
  containerSpec
} from "./chunk-WTGBNDXC.js";
import {
  problemLine
} from "./chunk-YMRRQ7T7.js";
import {
  loadCrewFromDir
} from "./chunk-EYNVMV6C.js";
import "./chunk-ZNFD3J2A.js";
import "./chunk-4MEYDY32.js";
import {
  oneLine,
  terminalSafe
} from "./chunk-HAGKOCQO.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import "./chunk-N64I43M3.js";
import {
  EXIT,
  GitcrewError,
  InputError,
  UsageError
} from "./chunk-QEBERIHX.js";
import "./chunk-EXRZMCQP.js";
import "./chunk-MAJZWNHV.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/run.ts
import { basename, resolve } from "node:path";
import { existsSync, readFileSync } from "node:fs";

// src/runner/local-plan.ts
function planLocalRun(i) {
  const threadKey = `${i.repo}@local:${i.runId}`;
  const branch = `${(i.branchPrefix ?? "gitcrew").replace(/\/+$/, "")}/${i.agent.name}/${i.runId}`;
  return {
    agent: i.agent.name,
    reason: "gitcrew run",
    prompt: i.prompt,
    threadKey,
    branch,
    ref: i.ref ?? "HEAD",
    container: containerSpec({ agent: i.agent, prompt: i.prompt, repo: i.repo, threadKey, branch, resumeSession: i.resumeSession, budgets: i.budgets, prices: i.prices, presets: i.presets }),
    untrusted: []
  };
}

// src/cli/run.ts
var usage = `Usage: gitcrew run AGENT [--repo DIR] (--prompt TEXT | --prompt-file FILE|-) [--ref REF] [--json] [--quiet]

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
var verb = {
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
        quiet: { type: "boolean" }
      },
      usage,
      true
    );
    const [agentName, extra] = positionals;
    if (!agentName) throw new UsageError("missing AGENT", usage);
    if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
    const file = values["prompt-file"];
    const prompt = values.prompt ?? (file === "-" ? await readStdin(io) : file ? readPrompt(resolve(io.cwd, file)) : void 0);
    if (prompt === void 0 || prompt.trim() === "") throw new UsageError("missing --prompt (or --prompt-file)", usage);
    const repoDir = resolve(io.cwd, values.repo ?? ".");
    if (!existsSync(repoDir)) throw new InputError(`repository folder "${repoDir}" does not exist`, "pass --repo with a git checkout that has a .gitcrew/ folder");
    const connecting = new AbortController();
    const starting = Runner.start({ env: io.env, signal: connecting.signal });
    starting.catch(() => void 0);
    try {
      return await runAgent(io, values, agentName, prompt, repoDir, starting);
    } finally {
      connecting.abort();
    }
  }
};
async function runAgent(io, values, agentName, prompt, repoDir, starting) {
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
  for (const o of runner.orphans) io.stderr(`cleaned up run ${o.run}: ${o.reason}
`);
  const runId = newRunId();
  const planned = planLocalRun({ agent, prompt, runId, repo: basename(repoDir), ref: values.ref, branchPrefix: crew.config.branch_prefix, budgets: crew.config.budgets, prices: crew.config.prices, presets: crew.config.presets });
  const show = (ev) => {
    if (values.quiet) return;
    if (ev.type === "started") io.stderr(`\u25B8 run ${ev.runId}: ${agent.name} started (container ${ev.containerId.slice(0, 12)})
`);
    else if (ev.type === "log") io.stderr(`\u2502 ${oneLine(ev.line)}
`);
    else if (ev.type === "status") io.stderr(`\u25B8 ${oneLine(ev.text)}
`);
    else if (ev.type === "approval") io.stderr(`\u25B8 approval requested (${oneLine(ev.kind)}${ev.what ? `: ${oneLine(ev.what)}` : ""}): ${oneLine(ev.reason)}
`);
  };
  const result = await runner.run({ planned, agent, repoDir, repo: basename(repoDir), runId, signal: io.signal, observer: { onEvent: show } });
  if (values.json) {
    const { run, status, exitCode, answer, changedFiles, branch } = result;
    io.stdout(`${JSON.stringify({ run, status, exitCode, answer, changedFiles, branch: branch ?? null, sessionId: result.sessionId ?? null, reason: result.reason ?? null })}
`);
  } else {
    if (result.answer) io.stdout(`${terminalSafe(result.answer)}
`);
    if (result.changedFiles.length > 0) io.stdout(`
changed: ${result.changedFiles.map(oneLine).join(", ")}
branch:  ${oneLine(result.branch ?? "")}
`);
    if (result.held?.length) io.stderr(`\u25B8 not committed: ${result.held.map(oneLine).join(", ")} (workflows run with the repository's secrets; ${agent.name}'s permissions give no \`workflows: write\`)
`);
    io.stderr(`\u25B8 run ${result.run} ${result.status}${result.reason ? `: ${oneLine(result.reason)}` : ""}
`);
  }
  return result.status === "succeeded" ? EXIT.ok : result.status === "failed" ? EXIT.failed : result.exitCode;
}
async function readStdin(io) {
  if (!io.stdin) throw new UsageError("--prompt-file - needs standard input");
  try {
    return await io.stdin();
  } catch {
    throw new InputError("cannot read the prompt from standard input");
  }
}
function readPrompt(file) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new InputError(`cannot read --prompt-file "${file}"`);
  }
}
export {
  verb
};
