import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  sessionIdOf,
  validSessionId
} from "./action-chunk-5GAK7XUT.js";
import {
  WEB_FETCH_PRESET,
  WEB_SEARCH_PRESET
} from "./action-chunk-PRAK5QR7.js";
import {
  EnvironmentError,
  InputError
} from "./action-chunk-NBJIPBID.js";

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
var CLAUDE_MANAGED_SETTINGS = "/etc/claude-code/managed-settings.json";
var STDIN_LEAD = "\n";
var claudeAdapter = {
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
    files: { [CLAUDE_MANAGED_SETTINGS]: `${JSON.stringify({ skipWebFetchPreflight: true })}
` }
  },
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["claude", "-p", "--output-format", "json", "--permission-mode", "bypassPermissions"];
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("--resume", resumeSession);
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
      stdin: `${STDIN_LEAD}${prompt}`
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
      sessionId: sessionIdOf(res.session_id),
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
        ["model_providers.gitcrew.requires_openai_auth", "true"]
      ].flatMap(([k, v]) => ["-c", `${k}=${v}`])
    })
  },
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["codex", "exec", "--json", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox"];
    const network = agent.limits.network;
    if (typeof network === "object") {
      const mode = !network.allow.includes(WEB_SEARCH_PRESET) ? "disabled" : network.allow.includes(WEB_FETCH_PRESET) ? "live" : "cached";
      argv.push("-c", `web_search=${mode}`);
    }
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("resume", resumeSession);
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
      if (type === "thread.started") sessionId = sessionIdOf(ev.thread_id) ?? sessionId;
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
var GEMINI_GATEWAY_SETTINGS = {
  security: { auth: { selectedType: "gemini-api-key" } },
  general: { retryFetchErrors: false },
  privacy: { usageStatisticsEnabled: false }
};
var geminiAdapter = {
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
    files: { "/etc/gemini-cli/settings.json": `${JSON.stringify(GEMINI_GATEWAY_SETTINGS)}
` }
  },
  prepare({ agent, prompt, resumeSession }) {
    const argv = ["gemini", "--prompt", "", "--output-format", "json", "--approval-mode", "yolo", "--skip-trust"];
    if (agent.model) argv.push("--model", agent.model);
    if (validSessionId(resumeSession)) argv.push("--resume", resumeSession);
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
    const parsed = { answer: str(res.response) ?? "", sessionId: sessionIdOf(res.session_id), usage: usageOf(res) };
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

// src/crew/snapshot.ts
import { execFile } from "node:child_process";
import { promisify } from "node:util";
var run = promisify(execFile);
var CREW_DIR = ".gitcrew";
var CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
var MAX_FILE_BYTES = 1024 * 1024;
function wanted(path) {
  if (CODEOWNERS_PATHS.includes(path)) return true;
  const name = path.split("/").pop() ?? "";
  return /^(agent\.(cue|ya?ml)|instructions\.md|SKILL\.md|crew\.cue)$/.test(name) || path.startsWith(`${CREW_DIR}/approvals/`);
}
async function git(repoDir, args, maxBuffer = 64 * 1024 * 1024) {
  try {
    const { stdout } = await run("git", ["-C", repoDir, ...args], { encoding: "buffer", maxBuffer });
    return stdout;
  } catch (err) {
    const e = err;
    if (e.code === "ENOENT") throw new EnvironmentError("git is not installed or not on PATH");
    throw new InputError(`git ${args[0]} failed in ${repoDir}: ${e.stderr?.toString().trim() ?? String(err)}`);
  }
}
async function snapshotFromGit(repoDir, ref) {
  const listing = (await git(repoDir, ["ls-tree", "-r", "-z", "--full-tree", "-l", ref, "--", CREW_DIR, ...CODEOWNERS_PATHS])).toString("utf8").split("\0").filter(Boolean);
  const entries = [];
  const blobs = [];
  for (const line of listing) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(line);
    if (!m || m[2] !== "blob") continue;
    const [, mode, , sha, size, path] = m;
    const entry = { path, size: size === "-" ? 0 : Number(size) };
    if (mode === "120000") blobs.push({ entry: Object.assign(entry, { symlinkTarget: "" }), sha });
    else if (wanted(path) && entry.size <= MAX_FILE_BYTES) blobs.push({ entry, sha });
    entries.push(entry);
  }
  if (blobs.length > 0) {
    const contents = await catBlobs(repoDir, blobs.map((b) => b.sha));
    blobs.forEach((b, i) => {
      const content = contents[i] ?? Buffer.alloc(0);
      if (b.entry.symlinkTarget !== void 0) b.entry.symlinkTarget = content.toString("utf8");
      else b.entry.content = content;
    });
  }
  let version;
  try {
    version = (await git(repoDir, ["rev-parse", `${ref}:${CREW_DIR}`])).toString().trim();
  } catch {
    version = "empty";
  }
  return { origin: `${ref} in ${repoDir}`, version, ...version !== "empty" ? { gitTree: version } : {}, entries: new Map(entries.map((e) => [e.path, e])) };
}
async function catBlobs(repoDir, shas, env) {
  const { spawn } = await import("node:child_process");
  const child = spawn("git", ["-C", repoDir, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "pipe"], ...env ? { env } : {} });
  const chunks = [];
  child.stdout.on("data", (c) => chunks.push(c));
  child.stdin.end(shas.join("\n") + "\n");
  await new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => code === 0 ? resolve() : reject(new InputError(`git cat-file failed in ${repoDir}`)));
  });
  const all = Buffer.concat(chunks);
  const out = [];
  let pos = 0;
  for (let i = 0; i < shas.length; i++) {
    const nl = all.indexOf(10, pos);
    const header = all.subarray(pos, nl).toString();
    const size = Number(header.split(" ")[2]);
    out.push(all.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return out;
}

// src/crew/defaults.ts
var DEFAULT_LIMITS = { timeout: 30 * 60, memory: 4 * 1024 ** 3, disk: 10 * 1024 ** 3, cpus: 2, pids: 512, network: { allow: [] } };
var DEFAULT_CEILINGS = { timeout: 6 * 3600, memory: 16 * 1024 ** 3, disk: 50 * 1024 ** 3, cpus: 8, pids: 4096, network: { allow: [] } };
var MIN_DISK = 32 * 1024 ** 2;
var DEFAULT_PERMISSIONS = { contents: "write", issues: "write", pull_requests: "write" };
function parseDuration(text) {
  const m = /^(\d+)(s|m|h)$/.exec(text);
  if (!m) throw new Error(`bad duration "${text}"`);
  return Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2]];
}
function parseMemory(text) {
  const m = /^(\d+)([kmg])$/i.exec(text);
  if (!m) throw new Error(`bad memory size "${text}"`);
  return Number(m[1]) * 1024 ** { k: 1, m: 2, g: 3 }[(m[2] ?? "g").toLowerCase()];
}
function mergeLimits(base, raw) {
  if (!raw) return { ...base };
  return {
    timeout: raw.timeout ? parseDuration(raw.timeout) : base.timeout,
    memory: raw.memory ? parseMemory(raw.memory) : base.memory,
    ...raw.disk || base.disk !== void 0 ? { disk: raw.disk ? parseMemory(raw.disk) : base.disk } : {},
    cpus: raw.cpus ?? base.cpus,
    pids: raw.pids ?? base.pids,
    network: raw.network ?? base.network,
    ...raw.budget ?? base.budget ? { budget: raw.budget ?? base.budget } : {}
  };
}
function priceOf(p) {
  return {
    inputMtok: p.input_per_mtok,
    outputMtok: p.output_per_mtok,
    ...p.cache_read_per_mtok !== void 0 ? { cacheReadMtok: p.cache_read_per_mtok } : {},
    ...p.cache_write_per_mtok !== void 0 ? { cacheWriteMtok: p.cache_write_per_mtok } : {}
  };
}
function resolveConfig(raw) {
  return {
    approvers: { users: raw.approvers?.users ?? [], teams: raw.approvers?.teams ?? [], codeowners: raw.approvers?.codeowners ?? false },
    trusted_bots: raw.trusted_bots ?? [],
    loop_guard: { max_depth: raw.loop_guard?.max_depth ?? 3 },
    ceilings: mergeLimits(DEFAULT_CEILINGS, raw.ceilings),
    gated_actions: raw.gated_actions ?? [],
    branch_prefix: raw.branch_prefix ?? "gitcrew",
    budgets: {
      ...raw.budgets?.agent_day ? { agent_day: raw.budgets.agent_day } : {},
      ...raw.budgets?.thread ? { thread: raw.budgets.thread } : {},
      agents: raw.budgets?.agents ?? {}
    },
    prices: Object.fromEntries(Object.entries(raw.prices ?? {}).map(([model, p]) => [model, priceOf(p)])),
    presets: raw.presets ?? {}
  };
}
function resolveAgent(base, raw, crew, defaultImage) {
  const d = crew.defaults ?? {};
  const baseLimits = mergeLimits({ ...DEFAULT_LIMITS, network: raw.runtime === "command" ? "none" : { allow: [] } }, d.limits);
  const t = raw.triggers ?? {};
  return {
    ...base,
    runtime: raw.runtime,
    model: raw.model ?? (raw.runtime === "command" ? void 0 : d.model),
    image: raw.image ?? defaultImage,
    command: raw.command,
    description: raw.description,
    triggers: {
      mention: t.mention ?? true,
      labels: t.labels ?? [],
      assigned: t.assigned ?? false,
      commands: t.commands ?? [],
      events: t.events ?? [],
      schedule: t.schedule ?? [],
      paths: t.paths ?? [],
      edits: t.edits ?? false
    },
    allow: {
      permission: raw.allow?.permission ?? d.allow?.permission ?? "write",
      users: raw.allow?.users ?? d.allow?.users ?? [],
      teams: raw.allow?.teams ?? d.allow?.teams ?? []
    },
    skills: raw.skills ?? [],
    secrets: [.../* @__PURE__ */ new Set([...d.secrets ?? [], ...(raw.secrets ?? []).filter((s) => typeof s === "string")])],
    hostSecrets: (raw.secrets ?? []).filter((s) => typeof s !== "string").map(hostSecretOf),
    permissions: raw.permissions ?? d.permissions ?? DEFAULT_PERMISSIONS,
    limits: mergeLimits(baseLimits, raw.limits),
    git: {
      name: raw.git?.name ?? d.git?.name ?? `${base.name} (gitcrew)`,
      email: raw.git?.email ?? d.git?.email ?? `${base.name}@agents.gitcrew.invalid`
    },
    concurrency: raw.concurrency ?? d.concurrency ?? 1,
    role: raw.role ?? "member",
    runs_on: raw.runs_on ?? d.runs_on ?? ["self-hosted"],
    gated: raw.gated ?? []
  };
}
function hostSecretOf(s) {
  return { name: s.name, host: s.host.toLowerCase(), header: (s.header ?? "authorization").toLowerCase(), format: s.format ?? "Bearer {}" };
}

// src/crew/secret-names.ts
var RESERVED = [
  { test: /^GITCREW_/, what: "GITCREW_* are gitcrew's own settings and server secrets" },
  { test: /^GITHUB_/, what: "GITHUB_* hold the runner's GitHub token and workflow context" },
  { test: /^GH_(ENTERPRISE_)?TOKEN$/, what: "GH_TOKEN and GH_ENTERPRISE_TOKEN are GitHub tokens" },
  { test: /^ACTIONS_/, what: "ACTIONS_* are the Actions runtime's tokens" },
  { test: /^RUNNER_/, what: "RUNNER_* belong to the Actions runner" },
  { test: /^INPUT_/, what: "INPUT_* are the Action's inputs (its github-token and app key among them)" },
  { test: /^(HOME|PATH|USER)$/, what: "HOME, PATH and USER are set by gitcrew" }
];
var ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function reservedSecretReason(name) {
  if (!ENV_NAME.test(name)) return void 0;
  const upper = name.toUpperCase();
  const hit = RESERVED.find((r) => r.test.test(upper));
  return hit ? `secret "${name}" uses a name gitcrew reserves (${hit.what}); an agent's GitHub access is its \`permissions\`` : void 0;
}
function isReservedSecretName(name) {
  return reservedSecretReason(name) !== void 0;
}

export {
  CREW_DIR,
  CODEOWNERS_PATHS,
  MAX_FILE_BYTES,
  snapshotFromGit,
  catBlobs,
  DEFAULT_LIMITS,
  MIN_DISK,
  resolveConfig,
  resolveAgent,
  reservedSecretReason,
  isReservedSecretName,
  adapterFor
};
