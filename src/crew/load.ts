/**
 * Load and validate a crew from a snapshot of `.gitcrew/`: per-file checks,
 * one CUE call for the schema, defaults, then the checks CUE cannot express.
 */
import { cueExportCached } from "./cue.js";
import { AGENT_NAME, agentWarnings, checkAgent, codeownersWarning, type Locate } from "./checks.js";
import { reservedSecretReason } from "./secret-names.js";
import { resolveAgent, resolveConfig, type RawAgent, type RawCrew } from "./defaults.js";
import { buildProgram, locateCue, locateYaml, mapCueErrors, prepareCueText, type Unit } from "./program.js";
import { schemaText } from "./schema.js";
import { loadYaml, yamlUnits, type YamlSource } from "./yaml-units.js";
import { CREW_DIR, MAX_FILE_BYTES, snapshotFromDir, type Snapshot } from "./snapshot.js";
import type { Agent, Crew, Problem, Skill } from "./types.js";
import { parseHostPattern } from "../gateway/hosts.js";
import { PRESETS, PROVIDER_PRESETS } from "../gateway/presets.js";

function validHostPattern(pattern: string): boolean {
  try {
    parseHostPattern(pattern);
    return true;
  } catch {
    return false;
  }
}

export interface LoadResult {
  /** Present when there are no errors. */
  crew?: Crew;
  errors: Problem[];
  warnings: Problem[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decode(path: string, content: Buffer | undefined, size: number, problems: Problem[]): string | undefined {
  if (!content) {
    problems.push({ file: path, line: 1, column: 1, message: size > MAX_FILE_BYTES ? `file is larger than ${MAX_FILE_BYTES / 1024} KiB` : "file could not be read" });
    return undefined;
  }
  try {
    return utf8.decode(content).replace(/^\uFEFF/, "");
  } catch {
    problems.push({ file: path, line: 1, column: 1, message: "file is not valid UTF-8; save it as UTF-8" });
    return undefined;
  }
}

function parseSkill(dir: string, text: string): Skill {
  const name = dir.split("/").pop() ?? dir;
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
  const description = /^description:\s*(.+)$/m.exec(front)?.[1]?.trim() ?? text.split("\n").find((l) => l.trim() && !l.startsWith("#") && l !== "---")?.trim() ?? "";
  return { name, dir, description };
}

/** Group `.gitcrew/agents/<name>/…` entries by agent folder. */
function agentFolders(snap: Snapshot): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const path of snap.entries.keys()) {
    const m = new RegExp(`^${CREW_DIR}/agents/([^/]+)(?:/(.*))?$`).exec(path);
    if (!m) continue;
    const list = byName.get(m[1] ?? "") ?? [];
    list.push(m[2] ?? "");
    byName.set(m[1] ?? "", list);
  }
  return byName;
}

export async function loadCrew(snap: Snapshot, env: NodeJS.ProcessEnv = process.env): Promise<LoadResult> {
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const units: Unit[] = [];
  const yamlSources: YamlSource[] = [];
  const bases = new Map<string, { name: string; file: string; dir: string; instructions: string }>();

  const crewEntry = snap.entries.get(`${CREW_DIR}/crew.cue`);
  let crewUnit: Unit | undefined;
  if (crewEntry) {
    const text = decode(crewEntry.path, crewEntry.content, crewEntry.size, errors);
    if (text !== undefined) {
      const prepared = prepareCueText(crewEntry.path, text);
      errors.push(...prepared.problems);
      if (prepared.structural.length === 0) crewUnit = { kind: "cue", key: "crew", file: crewEntry.path, text: prepared.text };
    }
  }

  for (const [name, files] of [...agentFolders(snap)].sort(([a], [b]) => a.localeCompare(b))) {
    const dir = `${CREW_DIR}/agents/${name}`;
    const at = { file: dir, line: 1, column: 1 };
    if (snap.entries.get(dir)?.symlinkTarget !== undefined || files.includes("")) {
      errors.push({ ...at, message: "agent folders must be real folders, not symlinks or files" });
      continue;
    }
    if (!AGENT_NAME.test(name)) {
      errors.push({ ...at, message: `agent name "${name}" must be usable as an @mention: lower-case letters, digits and inner hyphens, at most 39 characters` });
      continue;
    }
    const defs = files.filter((f) => /^agent\.(cue|ya?ml)$/.test(f));
    if (defs.length !== 1) {
      errors.push({ ...at, message: defs.length === 0 ? "no agent.cue or agent.yaml in this agent folder" : `more than one definition (${defs.join(", ")}): keep one` });
      continue;
    }
    const file = `${dir}/${defs[0]}`;
    const entry = snap.entries.get(file);
    const text = entry?.symlinkTarget === undefined ? decode(file, entry?.content, entry?.size ?? 0, errors) : undefined;
    if (entry?.symlinkTarget !== undefined) errors.push({ file, line: 1, column: 1, message: "agent definitions must not be symlinks" });
    const instr = snap.entries.get(`${dir}/instructions.md`);
    let instructions: string | undefined;
    if (!instr) {
      errors.push({ file: `${dir}/instructions.md`, line: 1, column: 1, message: "missing: every agent needs an instructions.md (its system instructions)" });
    } else if (instr.symlinkTarget !== undefined) {
      // As for agent definitions and skill folders: a link could point anywhere, so it is refused, not followed.
      errors.push({ file: instr.path, line: 1, column: 1, message: `instructions.md is a symlink (to ${instr.symlinkTarget}); symlinks are refused: make it a real file` });
    } else {
      instructions = decode(instr.path, instr.content, instr.size, errors);
      if (instructions !== undefined && !instructions.trim()) warnings.push({ file: instr.path, line: 1, column: 1, message: "instructions.md is empty" });
    }
    if (text === undefined || instructions === undefined) continue;
    if (file.endsWith(".cue")) {
      const prepared = prepareCueText(file, text);
      errors.push(...prepared.problems);
      // A text that is not one struct body never enters the program: it could write into another agent.
      if (prepared.structural.length > 0) continue;
      units.push({ kind: "cue", key: name, file, text: prepared.text });
    } else {
      yamlSources.push({ key: name, file, text });
    }
    bases.set(name, { name, file, dir, instructions });
  }
  (await yamlUnits(yamlSources, errors, env)).forEach((unit, i) => {
    if (unit) units.push(unit);
    else bases.delete(yamlSources[i]?.key ?? "");
  });

  const skills: Skill[] = [];
  const skillFile = new RegExp(`^(${CREW_DIR}/skills/[^/]+)/SKILL\\.md$`);
  for (const [path, entry] of snap.entries) {
    const m = skillFile.exec(path);
    if (!m) continue;
    const text = decode(path, entry.content, entry.size, errors);
    if (text !== undefined) skills.push(parseSkill(m[1] ?? "", text));
  }

  if (bases.size === 0 && errors.length === 0) warnings.push({ file: `${CREW_DIR}/agents`, line: 1, column: 1, message: "no agents defined: run `gitcrew init` for an example crew" });
  const owners = codeownersWarning(snap);
  if (owners) warnings.push(owners);

  const exported = await exportValid(crewUnit, units, errors, env);
  if (!exported) return { errors: sortProblems(errors), warnings };
  const config = resolveConfig(exported.crew);
  const agents: Agent[] = [];
  for (const [name, raw] of Object.entries(exported.agents)) {
    const base = bases.get(name);
    if (base) agents.push(resolveAgent(base, raw, exported.crew, `gitcrew/${raw.runtime}:latest`));
  }
  // Checks place a problem by reading the YAML's positions, which needs the yaml library:
  // on the usual clean crew no position is read, and the library is not loaded.
  // A reserved secret in crew.cue's defaults is reported there once, not at every agent that inherits it.
  const defaultSecrets = exported.crew.defaults?.secrets ?? [];
  for (const name of defaultSecrets) {
    const why = reservedSecretReason(name);
    if (why && crewUnit?.kind === "cue") errors.push({ file: crewUnit.file, ...locateCue(crewUnit, ["defaults", "secrets"]), message: why });
  }
  // A day cap for an agent that does not exist is most likely a typo that leaves the real agent uncapped.
  for (const name of Object.keys(config.budgets.agents)) {
    if (!bases.has(name) && crewUnit?.kind === "cue") {
      errors.push({ file: crewUnit.file, ...locateCue(crewUnit, ["budgets", "agents", name]), message: `budgets.agents.${name}: no agent named "${name}"` });
    }
  }
  // A preset crew.cue adds hosts to must exist (a typo would add them nowhere) and list hosts, not presets.
  for (const [name, hosts] of Object.entries(config.presets ?? {})) {
    const file = crewUnit?.file ?? `${CREW_DIR}/crew.cue`;
    const at = crewUnit?.kind === "cue" ? locateCue(crewUnit, ["presets", name]) : { line: 1, column: 1 };
    if (!(name in PRESETS)) errors.push({ file, ...at, message: `presets.${name}: no preset named "${name}" (known: ${Object.keys(PRESETS).join(", ")})` });
    // These open no host: they let the model provider search or fetch for the agent (src/gateway/provider-egress.ts).
    else if ((PROVIDER_PRESETS as readonly string[]).includes(name)) errors.push({ file, ...at, message: `presets.${name}: this preset opens no host (it lets the model provider reach the web for the agent); list hosts in an agent's limits.network.allow` });
    for (const host of hosts) {
      if (!validHostPattern(host)) errors.push({ file, ...at, message: `presets.${name}: "${host}" is not a host pattern (use host, *.suffix with a dot in suffix, optional :port)` });
    }
  }
  const inherited = (agent: Agent) => new Set(defaultSecrets.filter((n) => !(exported.agents[agent.name]?.secrets ?? []).includes(n)));
  const check = (locate: Locate) => agents.map((agent) => ({ errors: checkAgent(agent, config, snap, locate, inherited(agent)), warnings: agentWarnings(agent, locate) }));
  let needsYaml = false;
  let checked = check(() => {
    needsYaml = true;
    return { line: 1, column: 1 };
  });
  if (needsYaml) {
    await loadYaml();
    checked = check(locator(units));
  }
  for (const c of checked) {
    errors.push(...c.errors);
    warnings.push(...c.warnings);
  }
  if (errors.length > 0) return { errors: sortProblems(errors), warnings };
  return { crew: { version: snap.version, ...(snap.gitTree ? { gitTree: snap.gitTree } : {}), config, agents, skills }, errors, warnings };
}

interface Exported {
  crew: RawCrew;
  agents: Record<string, RawAgent>;
}

/**
 * One CUE call for everything. CUE reports errors stage by stage, so when some
 * units fail, they are left out and the rest exported again: the agents that
 * pass the schema still get the later checks, and every problem shows at once.
 */
async function exportValid(crewUnit: Unit | undefined, units: Unit[], errors: Problem[], env: NodeJS.ProcessEnv): Promise<Exported | undefined> {
  let crew = crewUnit;
  let rest = units;
  for (let pass = 0; pass < 3; pass++) {
    const program = buildProgram(schemaText(), crew, rest);
    const result = await cueExportCached(program.text, env);
    if (result.code === 0) return JSON.parse(result.stdout) as Exported;
    await loadYaml();
    const found = mapCueErrors(program, result.stderr);
    errors.push(...found);
    const failed = new Set(found.map((p) => p.file));
    if (crew && failed.has(crew.file)) crew = undefined;
    const next = rest.filter((u) => !failed.has(u.file));
    if (next.length === rest.length && crew === crewUnit) break;
    rest = next;
  }
  return undefined;
}

/** Line and column of a field in an agent's file, for problems found after CUE. */
function locator(units: Unit[]) {
  const paths: Record<string, string[]> = { schedule: ["triggers", "schedule"], paths: ["triggers", "paths"], commands: ["triggers", "commands"], network: ["limits", "network"], triggers: ["triggers"] };
  return (agent: Agent, field: string): { line: number; column: number } => {
    const unit = units.find((u) => u.key === agent.name && u.file === agent.file);
    if (!unit) return { line: 1, column: 1 };
    const path = paths[field] ?? (["timeout", "memory", "disk", "cpus", "pids"].includes(field) ? ["limits", field] : [field]);
    return unit.kind === "yaml" ? locateYaml(unit, path) : locateCue(unit, path);
  };
}

function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.message.localeCompare(b.message));
}

export async function loadCrewFromDir(repoDir: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadResult> {
  return loadCrew(await snapshotFromDir(repoDir), env);
}
