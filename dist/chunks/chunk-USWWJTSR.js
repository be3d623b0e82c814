import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/runtimes/json-output.ts
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function jsonLines(text) {
  const out = [];
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (!t.startsWith("{")) continue;
    try {
      const v = JSON.parse(t);
      if (isObject(v)) out.push(v);
    } catch {
    }
  }
  return out;
}
function lastJsonObject(text) {
  const t = text.trim();
  if (t.startsWith("{")) {
    try {
      const v = JSON.parse(t);
      if (isObject(v)) return v;
    } catch {
    }
  }
  return jsonLines(text).at(-1);
}
function str(v) {
  return typeof v === "string" ? v : void 0;
}
function num(v) {
  return typeof v === "number" && Number.isFinite(v) ? v : void 0;
}
function obj(v) {
  return isObject(v) ? v : void 0;
}

// src/runtimes/claude.ts
var CLAUDE_STATE_DIR = "/gitcrew-state";
var CLAUDE_CONFIG_DIR = `${CLAUDE_STATE_DIR}/claude`;
var claudeAdapter = {
  name: "claude",
  defaultImage: "gitcrew/claude:latest",
  requiredSecrets: ["ANTHROPIC_API_KEY"],
  optionalEnv: ["ANTHROPIC_BASE_URL"],
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["claude", "-p", "--output-format", "json", "--permission-mode", "bypassPermissions"];
    if (agent.model) argv.push("--model", agent.model);
    if (resumeSession) argv.push("--resume", resumeSession);
    return {
      argv,
      env: {
        // No telemetry, error reporting or update checks: only the model API is contacted.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
        CLAUDE_CONFIG_DIR
      },
      injectedFiles: { "CLAUDE.md": agent.instructions },
      skillsDir: ".claude/skills",
      stateDir: CLAUDE_STATE_DIR,
      stdin: prompt
    };
  },
  parseOutput(stdout, stderr) {
    const res = resultObject(stdout);
    if (!res) {
      const said = stderr.trim() || stdout.trim();
      return { answer: "", error: said ? `claude: ${lastLine(said)}` : "claude printed no result" };
    }
    const usage = obj(res.usage);
    const parsed = {
      answer: str(res.result) ?? "",
      sessionId: str(res.session_id),
      usage: {
        inputTokens: tokens(usage),
        outputTokens: num(usage?.output_tokens),
        costUsd: num(res.total_cost_usd)
      }
    };
    if (res.is_error === true || (str(res.subtype) ?? "success") !== "success") {
      parsed.error = str(res.result) || errorText(res);
    }
    return parsed;
  }
};
function resultObject(stdout) {
  const whole = lastJsonObject(stdout);
  if (whole?.type === "result") return whole;
  return jsonLines(stdout).filter((o) => o.type === "result").at(-1);
}
function tokens(usage) {
  const input = num(usage?.input_tokens);
  if (input === void 0) return void 0;
  return input + (num(usage?.cache_creation_input_tokens) ?? 0) + (num(usage?.cache_read_input_tokens) ?? 0);
}
function errorText(res) {
  const errors = Array.isArray(res.errors) ? res.errors.filter((e) => typeof e === "string") : [];
  const subtype = str(res.subtype) ?? "error";
  return errors.length > 0 ? `claude ${subtype}: ${errors.join("; ")}` : `claude reported ${subtype}`;
}
function lastLine(text) {
  return text.split("\n").filter((l) => l.trim()).at(-1) ?? text;
}

// src/runtimes/codex.ts
var CODEX_STATE_DIR = "/gitcrew-state";
var codexAdapter = {
  name: "codex",
  defaultImage: "gitcrew/codex:latest",
  // `codex exec` authenticates with CODEX_API_KEY; it ignores OPENAI_API_KEY unless logged in.
  requiredSecrets: ["CODEX_API_KEY"],
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["codex", "exec", "--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"];
    if (agent.model) argv.push("--model", agent.model);
    if (resumeSession) argv.push("resume", resumeSession);
    argv.push("-");
    return {
      argv,
      env: { CODEX_HOME: CODEX_STATE_DIR },
      injectedFiles: { "AGENTS.md": agent.instructions },
      // Codex discovers repository skills in .agents/skills/<name>/SKILL.md.
      skillsDir: ".agents/skills",
      stateDir: CODEX_STATE_DIR,
      stdin: prompt
    };
  },
  parseOutput(stdout, stderr) {
    let answer = "";
    let sessionId;
    let failed;
    let lastNotice;
    let completed = false;
    let usage;
    for (const ev of jsonLines(stdout)) {
      const type = str(ev.type);
      const item = obj(ev.item);
      if (type === "thread.started") sessionId = str(ev.thread_id) ?? sessionId;
      else if (type === "item.completed" && str(item?.type) === "agent_message") answer = str(item?.text) ?? answer;
      else if (type === "turn.completed") {
        completed = true;
        const u = obj(ev.usage);
        usage = { inputTokens: num(u?.input_tokens), outputTokens: num(u?.output_tokens) };
      } else if (type === "turn.failed") failed = str(obj(ev.error)?.message) ?? "codex: the turn failed";
      else if (type === "error") lastNotice = str(ev.message);
    }
    const parsed = { answer, sessionId, usage };
    const error = failed ?? (completed ? void 0 : lastNotice ?? lastLine2(stderr) ?? "codex printed no result");
    if (error) parsed.error = error.startsWith("codex") ? error : `codex: ${error}`;
    return parsed;
  }
};
function lastLine2(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => l.startsWith("Error:")) ?? lines.at(-1);
}

// src/runtimes/command.ts
var commandAdapter = {
  name: "command",
  defaultImage: "gitcrew/command:latest",
  requiredSecrets: [],
  prepare({ agent, prompt }) {
    const argv = agent.command && agent.command.length > 0 ? agent.command : ["sh", "-c", 'echo "$GITCREW_PROMPT"'];
    return {
      argv,
      env: { GITCREW_PROMPT: prompt },
      injectedFiles: {},
      skillsDir: ".gitcrew-skills",
      stdin: prompt
    };
  },
  parseOutput(stdout) {
    return { answer: stdout.trim() };
  }
};

// src/runtimes/gemini.ts
var GEMINI_STATE_DIR = "/gitcrew-state";
var geminiAdapter = {
  name: "gemini",
  defaultImage: "gitcrew/gemini:latest",
  requiredSecrets: ["GEMINI_API_KEY"],
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["gemini", "--prompt", "", "--output-format", "json", "--approval-mode", "yolo", "--skip-trust"];
    if (agent.model) argv.push("--model", agent.model);
    if (resumeSession) argv.push("--resume", resumeSession);
    return {
      argv,
      env: { GEMINI_CLI_HOME: GEMINI_STATE_DIR },
      injectedFiles: { "GEMINI.md": agent.instructions },
      skillsDir: ".gemini/skills",
      stateDir: GEMINI_STATE_DIR,
      stdin: prompt
    };
  },
  parseOutput(stdout, stderr) {
    const res = lastJsonObject(stdout) ?? jsonAfterText(stdout);
    if (!res) {
      const lines = (stderr.trim() || stdout.trim()).split("\n").map((l) => l.trim()).filter(Boolean);
      const said = lines.find((l) => l.startsWith("Error")) ?? lines.at(-1);
      return { answer: "", error: said ? `gemini: ${said}` : "gemini printed no result" };
    }
    const parsed = { answer: str(res.response) ?? "", sessionId: str(res.session_id), usage: usageOf(res) };
    const err = obj(res.error);
    if (err) parsed.error = `gemini: ${str(err.message) ?? str(err.type) ?? "error"}`;
    return parsed;
  }
};
function jsonAfterText(stdout) {
  const start = stdout.search(/^\{/m);
  return start >= 0 ? lastJsonObject(stdout.slice(start)) : void 0;
}
function usageOf(res) {
  const models = obj(obj(res.stats)?.models);
  if (!models) return void 0;
  let inputTokens = 0;
  let outputTokens = 0;
  for (const m of Object.values(models)) {
    const tokens2 = obj(obj(m)?.tokens);
    inputTokens += num(tokens2?.prompt) ?? num(tokens2?.input) ?? 0;
    outputTokens += (num(tokens2?.candidates) ?? 0) + (num(tokens2?.thoughts) ?? 0);
  }
  return { inputTokens, outputTokens };
}

// src/runtimes/index.ts
var ADAPTERS = {
  claude: claudeAdapter,
  codex: codexAdapter,
  gemini: geminiAdapter,
  command: commandAdapter
};
function adapterFor(runtime) {
  return ADAPTERS[runtime];
}

// src/plan/container.ts
var AGENT_UID = 1e3;
var AGENT_HOME = "/home/agent";
var WORKSPACE = "/workspace";
function containerSpec(c) {
  const adapter = adapterFor(c.agent.runtime);
  const prepared = adapter.prepare({ agent: c.agent, prompt: c.prompt, resumeSession: c.resumeSession });
  const { limits } = c.agent;
  return {
    image: c.agent.image,
    user: `${AGENT_UID}:${AGENT_UID}`,
    argv: prepared.argv,
    workdir: WORKSPACE,
    env: {
      ...prepared.env,
      HOME: AGENT_HOME,
      GITCREW_AGENT: c.agent.name,
      GITCREW_REPO: c.repo,
      GITCREW_THREAD: c.threadKey,
      GITCREW_BRANCH: c.branch
    },
    secrets: [.../* @__PURE__ */ new Set([...adapter.requiredSecrets, ...c.agent.secrets])],
    injectedFiles: prepared.injectedFiles,
    mounts: c.agent.skills.map((s) => ({ source: `.gitcrew/skills/${s}`, target: `${WORKSPACE}/${prepared.skillsDir}/${s}`, readOnly: true })),
    readOnlyRootfs: true,
    tmpfs: {
      "/tmp": "rw,nosuid,nodev,size=1g",
      [AGENT_HOME]: `rw,nosuid,nodev,size=1g,uid=${AGENT_UID},gid=${AGENT_UID},mode=700`
    },
    capDrop: ["ALL"],
    securityOpt: ["no-new-privileges"],
    memoryBytes: limits.memory,
    nanoCpus: Math.round(limits.cpus * 1e9),
    pidsLimit: limits.pids,
    network: limits.network === "egress" ? "bridge" : "none",
    timeoutSeconds: limits.timeout,
    labels: { "gitcrew.agent": c.agent.name, "gitcrew.repo": c.repo, "gitcrew.thread": c.threadKey },
    stdin: prepared.stdin,
    stateDir: prepared.stateDir,
    optionalEnv: adapter.optionalEnv ?? []
  };
}

export {
  adapterFor,
  containerSpec
};
