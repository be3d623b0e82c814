/**
 * One CUE program for the whole crew: the schema, `crew: #Crew & {…}` and
 * `agents: "<name>": #Agent & {…}` for every agent, so that one CUE call
 * validates everything. CUE agent files are inlined verbatim (line numbers map
 * back by offset); YAML agents are inlined as JSON and mapped back by path.
 */
import type { Document, LineCounter } from "yaml";
import { structureProblems } from "./cue-structure.js";
import type { Problem } from "./types.js";

export interface CueUnit {
  kind: "cue";
  /** `crew` or the agent's name. */
  key: string;
  file: string;
  text: string;
}

export interface YamlUnit {
  kind: "yaml";
  key: string;
  file: string;
  value: unknown;
  doc: Document;
  lines: LineCounter;
}

export type Unit = CueUnit | YamlUnit;

interface Section {
  unit: Unit;
  isCrew: boolean;
  /** First program line (1-based) of the unit's own text. */
  start: number;
  end: number;
}

export interface Program {
  text: string;
  sections: Section[];
}

/**
 * Blank `package` clauses (keeping line numbers); report imports; check that
 * the text is one struct body (`structural`, also in `problems`).
 */
export function prepareCueText(file: string, text: string): { text: string; problems: Problem[]; structural: Problem[] } {
  const problems: Problem[] = [];
  const lines = text.split("\n").map((line, i) => {
    if (/^\s*package\s+\w+\s*$/.test(line)) return "";
    if (/^\s*import\b/.test(line)) {
      problems.push({ file, line: i + 1, column: 1, message: "imports are not supported in gitcrew files; inline the values" });
      return "";
    }
    return line;
  });
  const prepared = lines.join("\n");
  const structural = structureProblems(file, prepared);
  return { text: prepared, problems: [...problems, ...structural], structural };
}

export function buildProgram(schema: string, crew: Unit | undefined, agents: Unit[]): Program {
  const out: string[] = schema.split("\n");
  const sections: Section[] = [];
  const add = (unit: Unit, head: string, isCrew = false) => {
    if (unit.kind === "cue") {
      out.push(`${head} {`);
      const start = out.length + 1;
      out.push(...unit.text.split("\n"));
      sections.push({ unit, isCrew, start, end: out.length });
      out.push("}");
    } else {
      const start = out.length + 1;
      out.push(`${head} ${JSON.stringify(unit.value ?? {})}`);
      sections.push({ unit, isCrew, start, end: start });
    }
  };
  if (crew) add(crew, "crew: #Crew &", true);
  else out.push("crew: #Crew & {}");
  out.push("agents: {");
  for (const agent of agents) add(agent, `${JSON.stringify(agent.key)}: #Agent &`);
  out.push("}");
  return { text: out.join("\n") + "\n", sections };
}

/** Split a CUE path such as `agents."my-bot".limits.cpus` into segments. */
export function splitPath(path: string): string[] {
  const segs: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|([^.]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path))) segs.push(m[1] !== undefined ? m[1] : (m[2] ?? ""));
  return segs;
}

interface CueError {
  path: string[];
  message: string;
  positions: { line: number; column: number }[];
}

export function parseCueErrors(stderr: string): CueError[] {
  const errors: CueError[] = [];
  let current: CueError | undefined;
  for (const raw of stderr.split("\n")) {
    if (!raw.trim()) continue;
    const pos = /^\s+<program>:(\d+):(\d+)/.exec(raw);
    if (pos && current) {
      current.positions.push({ line: Number(pos[1]), column: Number(pos[2]) });
      continue;
    }
    if (/^\s/.test(raw)) continue;
    const m = /^((?:"(?:[^"\\]|\\.)*"|[^\s:"])+): (.*?):?$/.exec(raw);
    current = m ? { path: splitPath(m[1] ?? ""), message: m[2] ?? raw, positions: [] } : { path: [], message: raw.replace(/:$/, ""), positions: [] };
    errors.push(current);
  }
  return mergeDisjunctions(errors);
}

/**
 * CUE reports a value that fits no alternative as a summary plus one
 * "conflicting values A and B" line per alternative: say it once.
 */
function mergeDisjunctions(errors: CueError[]): CueError[] {
  const key = (e: CueError) => e.path.join("\u0000");
  const summaries = new Map(errors.filter((e) => /errors in empty disjunction/.test(e.message)).map((e) => [key(e), e]));
  const out: CueError[] = [];
  for (const e of errors) {
    const summary = summaries.get(key(e));
    if (!summary) {
      out.push(e);
      continue;
    }
    if (e !== summary) {
      const alt = /^conflicting values (.+?) and (.+?)(?: \(mismatched types .*\))?$/.exec(e.message);
      if (alt) (summary as CueError & { alts?: [string, string][] }).alts = [...((summary as { alts?: [string, string][] }).alts ?? []), [alt[1] ?? "", alt[2] ?? ""]];
      summary.positions.push(...e.positions);
      continue;
    }
    out.push(summary);
  }
  for (const s of summaries.values()) {
    const alts = (s as { alts?: [string, string][] }).alts ?? [];
    const given = alts[0]?.[1];
    s.message = given
      ? `invalid value ${given}: expected one of ${alts.map(([a]) => a).join(", ")}`
      : "value matches none of the allowed alternatives";
  }
  return out;
}

/** Find where a field path lies in a YAML unit. */
export function locateYaml(unit: YamlUnit, path: string[]): { line: number; column: number } {
  for (let n = path.length; n > 0; n--) {
    const node = unit.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const pos = unit.lines.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

/** Find the line of a field key in CUE text (for errors CUE gives no position for). */
export function locateCue(unit: CueUnit, path: string[]): { line: number; column: number } {
  const lines = unit.text.split("\n");
  for (let n = path.length; n > 0; n--) {
    const key = path[n - 1] ?? "";
    if (/^\d+$/.test(key)) continue;
    const re = new RegExp(`(^|[\\s{,])"?${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"?\\s*:`);
    const i = lines.findIndex((l) => re.test(l));
    if (i >= 0) return { line: i + 1, column: (lines[i] ?? "").search(/\S/) + 1 };
  }
  return { line: 1, column: 1 };
}

/** Schema regexes, said in words. */
const PATTERNS: [RegExp, string][] = [
  [/\(k\|m\|g/, 'expected a size such as "512m" or "4g"'],
  [/\(s\|m\|h\)/, 'expected a duration such as "90s", "30m" or "2h"'],
  [/\[a-z0-9-\]\*\$/, "expected a lower-case name (letters, digits, hyphens)"],
  [/\+\/\[A-Za-z0-9_\.-\]/, 'expected a team as "org/team-slug"'],
];

function friendly(err: CueError, field: string[]): string {
  const bound = /^invalid value (.*) \(out of bound =~"(.*)"\)$/.exec(err.message);
  if (bound) {
    const words = PATTERNS.find(([re]) => re.test(bound[2] ?? ""))?.[1];
    if (words) err = { ...err, message: `invalid value ${bound[1]}: ${words}` };
  }
  const name = field.filter((s) => !/^\d+$/.test(s)).join(".");
  const notAllowed = /^field (\S+) not allowed$/.exec(err.message);
  if (notAllowed) return `unknown field "${[...field, notAllowed[1]].join(".")}"`;
  if (/^incomplete value/.test(err.message) || /^incomplete value/.test(err.message.replace(/^.*?: /, ""))) {
    return name === "command"
      ? `missing required field "command": the command runtime needs the argv to run, e.g. command: ["./scripts/agent.sh"]`
      : `missing required field "${name}"`;
  }
  return name ? `field "${name}": ${err.message}` : err.message;
}

export function mapCueErrors(program: Program, stderr: string): Problem[] {
  const problems: Problem[] = [];
  const unplaced: CueError[] = [];
  for (const err of parseCueErrors(stderr)) {
    const [root, second] = err.path;
    // Errors without a path (syntax, references) are placed by their position in the program.
    const byPosition = () => program.sections.find((s) => err.positions.some((p) => p.line >= s.start && p.line <= s.end));
    const section =
      err.path.length === 0
        ? byPosition()
        : root === "crew"
          ? program.sections.find((s) => s.isCrew)
          : program.sections.find((s) => !s.isCrew && s.unit.key === second);
    const field = err.path.length === 0 ? [] : root === "crew" ? err.path.slice(1) : err.path.slice(2);
    if (!section) {
      unplaced.push(err);
      continue;
    }
    const unit = section.unit;
    let at: { line: number; column: number };
    const inUnit = err.positions.filter((p) => p.line >= section.start && p.line <= section.end);
    const last = inUnit[inUnit.length - 1];
    if (unit.kind === "cue" && last) at = { line: last.line - section.start + 1, column: last.column };
    else if (unit.kind === "yaml") {
      const extra = /^field (\S+) not allowed$/.exec(err.message)?.[1];
      at = locateYaml(unit, extra ? [...field, extra] : field);
    } else at = locateCue(unit, field);
    const syntax = err.path.length === 0 && /^(expected|missing|illegal|unexpected|string literal)/.test(err.message);
    problems.push({ file: unit.file, line: at.line, column: at.column, message: syntax ? `syntax error: ${err.message}` : friendly(err, field) });
  }
  // After a syntax error in a file, CUE's parser often reports a second one at the end of the
  // program (the generated braces): a consequence, not a problem of its own.
  if (problems.length === 0) {
    // Only gitcrew's own schema is left: a defect of gitcrew, not of the crew.
    for (const err of unplaced) problems.push({ file: "<schema>", line: 1, column: 1, message: [...err.path, err.message].join(": ") });
  }
  return dedupe(problems);
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.file}:${p.line}:${p.column}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
