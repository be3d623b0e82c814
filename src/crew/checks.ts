/** Checks the schema cannot express: references, names, cron, ceilings. */
import { posix } from "node:path";
import { parseCron } from "./cron.js";
import { globProblem } from "./path-filter.js";
import { CODEOWNERS_PATHS, CREW_DIR, type Snapshot } from "./snapshot.js";
import { MIN_DISK } from "./defaults.js";
import type { Agent, CrewConfig, Limits, Problem } from "./types.js";
import { reservedSecretReason } from "./secret-names.js";
import { parseHostPattern } from "../gateway/hosts.js";
import { PRESETS } from "../gateway/presets.js";
import { adapterFor } from "../runtimes/index.js";

/** Slash commands gitcrew itself answers; no agent may claim them. */
export const BUILTIN_COMMANDS = ["cancel", "retry", "approve"] as const;

export const AGENT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,37}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type Locate = (agent: Agent, field: string) => { line: number; column: number };

/** Where a symlink at `path` points, as a repo-relative path, or undefined when it leaves the repo. */
function resolveLink(path: string, target: string): string | undefined {
  if (posix.isAbsolute(target)) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(path), target));
  return joined.startsWith("../") || joined === ".." ? undefined : joined;
}

/** Problems of one skill folder, computed once per snapshot (many agents share a skill). */
const skillProblemsCache = new WeakMap<Snapshot, Map<string, string[]>>();

function skillProblems(skill: string, snap: Snapshot): string[] {
  let bySkill = skillProblemsCache.get(snap);
  if (!bySkill) skillProblemsCache.set(snap, (bySkill = new Map()));
  const known = bySkill.get(skill);
  if (known) return known;
  const found: string[] = [];
  if (skill.includes("..") || posix.isAbsolute(skill) || skill.includes("/") || skill.includes("\\") || !skill) {
    found.push("a skill is named by its folder under .gitcrew/skills/ (no paths, no '..')");
  } else {
    const dir = `${CREW_DIR}/skills/${skill}`;
    const link = snap.entries.get(dir);
    if (link?.symlinkTarget !== undefined) {
      const to = resolveLink(dir, link.symlinkTarget);
      found.push(!to || !to.startsWith(`${CREW_DIR}/skills/`) ? `${dir} is a symlink that leaves .gitcrew/skills/` : `${dir} is a symlink; skills must be real folders`);
    } else if (!snap.entries.get(`${dir}/SKILL.md`)) {
      found.push(`${dir}/SKILL.md does not exist`);
    } else {
      for (const [path, entry] of snap.entries) {
        if (!path.startsWith(`${dir}/`) || entry.symlinkTarget === undefined) continue;
        const to = resolveLink(path, entry.symlinkTarget);
        if (!to || !to.startsWith(`${dir}/`)) found.push(`${path} is a symlink that leaves the skill's folder`);
      }
    }
  }
  bySkill.set(skill, found);
  return found;
}

export function checkSkills(agent: Agent, snap: Snapshot, locate: Locate): Problem[] {
  // Locating a field may parse the file; only do it when there is something to report.
  return agent.skills.flatMap((skill) => skillProblems(skill, snap).map((message) => ({ file: agent.file, ...locate(agent, "skills"), message: `skill "${skill}": ${message}` })));
}

/** `inherited`: secrets the agent has from crew.cue's defaults only (their problems are reported there). */
export function checkAgent(agent: Agent, config: CrewConfig, snap: Snapshot, locate: Locate, inherited: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ file: agent.file, ...locate(agent, field), message });
  for (const cron of agent.triggers.schedule) {
    try {
      parseCron(cron);
    } catch (err) {
      add("schedule", (err as Error).message);
    }
  }
  for (const glob of agent.triggers.paths) {
    const bad = globProblem(glob);
    if (bad) add("paths", bad);
  }
  for (const name of agent.secrets) {
    if (!ENV_NAME.test(name)) add("secrets", `secret "${name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`);
    else if (!inherited.has(name)) {
      const reserved = reservedSecretReason(name);
      if (reserved) add("secrets", reserved);
    }
  }
  for (const name of agent.triggers.commands) {
    if ((BUILTIN_COMMANDS as readonly string[]).includes(name)) add("commands", `/${name} is gitcrew's own command (it steers runs); an agent cannot take it: choose another name`);
  }
  const c = config.ceilings;
  const over = (k: keyof Limits, have: number, max: number, show: (n: number) => string) => {
    if (have > max) add(k, `limits.${k} ${show(have)} exceeds the crew's ceiling ${show(max)} (crew.cue ceilings.${k})`);
  };
  over("timeout", agent.limits.timeout, c.timeout, (n) => `${n}s`);
  over("memory", agent.limits.memory, c.memory, (n) => `${Math.round(n / 1024 ** 2)}m`);
  const mib = (n: number) => (n % 1024 ** 3 === 0 ? `${n / 1024 ** 3}g` : `${Math.round(n / 1024 ** 2)}m`);
  if (agent.limits.disk !== undefined && c.disk !== undefined) over("disk", agent.limits.disk, c.disk, mib);
  if (agent.limits.disk !== undefined && agent.limits.disk < MIN_DISK) add("disk", `limits.disk ${mib(agent.limits.disk)} is below ${mib(MIN_DISK)}: a run needs room for its checkout and the CLI's state`);
  over("cpus", agent.limits.cpus, c.cpus, String);
  over("pids", agent.limits.pids, c.pids, String);
  for (const message of networkProblems(agent, c.network)) add("network", message);
  for (const hs of agent.hostSecrets) {
    if (!ENV_NAME.test(hs.name)) add("secrets", `secret "${hs.name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`);
    // The gateway would send the runner's own credential to a host the agent's file names.
    const reserved = reservedSecretReason(hs.name);
    if (reserved) add("secrets", reserved);
    if (typeof agent.limits.network !== "object") add("secrets", `secret "${hs.name}" is for the host ${hs.host}, which only the run gateway adds: it needs limits.network: allow: [...] (the agent has "${agent.limits.network}")`);
  }
  problems.push(...checkSkills(agent, snap, locate));
  return problems;
}

export function agentWarnings(agent: Agent, locate: Locate): Problem[] {
  const t = agent.triggers;
  const triggered = t.mention || t.assigned || [t.labels, t.commands, t.events, t.schedule].some((l) => l.length > 0);
  const out: Problem[] = triggered ? [] : [{ file: agent.file, ...locate(agent, "triggers"), message: `agent "${agent.name}" has no trigger: nothing can start it` }];
  const modelKeys = typeof agent.limits.network === "object" ? (adapterFor(agent.runtime).gateway?.keyEnv ?? []) : [];
  const inContainer = agent.secrets.filter((name) => !modelKeys.includes(name));
  if (inContainer.length > 0) {
    out.push({
      file: agent.file,
      ...locate(agent, "secrets"),
      message: `secret${inContainer.length > 1 ? "s" : ""} ${inContainer.join(", ")} enter${inContainer.length > 1 ? "" : "s"} the container as environment variable${inContainer.length > 1 ? "s" : ""} (the agent can read and send them); where a secret is for one host, write {name: "${inContainer[0]}", host: "api.example.com"} so that only the run gateway adds it`,
    });
  }
  return out;
}

/** The agent's network against the crew's ceiling: egress only where the ceiling is "egress"; allowed hosts within the ceiling's list. */
function networkProblems(agent: Agent, ceiling: Limits["network"]): string[] {
  const net = agent.limits.network;
  if (net === "none") return [];
  if (net === "egress") {
    return ceiling === "egress" ? [] : [`limits.network "egress" (unrestricted) is refused unless crew.cue's ceilings.network is "egress"; list the hosts instead: limits: network: allow: ["api.example.com"]`];
  }
  if (ceiling === "none") return [`limits.network allow exceeds the crew's ceiling "none"`];
  const out: string[] = [];
  for (const pattern of net.allow) {
    if (pattern.startsWith("preset:")) {
      const name = pattern.slice("preset:".length);
      if (!(name in PRESETS)) out.push(`unknown host preset "${name}" (known: ${Object.keys(PRESETS).join(", ")})`);
    } else {
      try {
        parseHostPattern(pattern);
      } catch {
        out.push(`bad host pattern "${pattern}" (use host, *.suffix with a dot in suffix, optional :port, or preset:NAME)`);
        continue;
      }
    }
    if (typeof ceiling === "object" && ceiling.allow.length > 0 && !ceiling.allow.includes(pattern)) {
      out.push(`limits.network allows "${pattern}", which the crew's ceiling does not list (crew.cue ceilings.network.allow)`);
    }
  }
  return out;
}

/** `validate` warns when changes to .gitcrew/ need no code owner's review. */
export function codeownersWarning(snap: Snapshot): Problem | undefined {
  for (const path of CODEOWNERS_PATHS) {
    const text = snap.entries.get(path)?.content?.toString("utf8");
    if (text === undefined) continue;
    const covers = text.split("\n").some((line) => {
      const [pattern, ...owners] = line.replace(/#.*/, "").trim().split(/\s+/);
      return owners.length > 0 && pattern !== undefined && /^(\*|\/?\.gitcrew(\/(\*\*?)?)?)$/.test(pattern);
    });
    if (covers) return undefined;
    return { file: path, line: 1, column: 1, message: "CODEOWNERS does not cover .gitcrew/: add a line such as `/.gitcrew/ @your-org/maintainers` so crew changes need an owner's review" };
  }
  return { file: ".github/CODEOWNERS", line: 1, column: 1, message: "no CODEOWNERS file: add `/.gitcrew/ @your-org/maintainers` so crew changes need an owner's review" };
}
