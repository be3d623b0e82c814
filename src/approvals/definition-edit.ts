/**
 * The change to an agent's definition that an approved secret or permission
 * needs, as text: `agent.yaml` through the yaml library (comments kept),
 * `agent.cue` only in the plain shapes `gitcrew init` writes (one-line
 * `secrets: [...]`, a `permissions: { ... }` block of `name: "level"` lines).
 * Anything else is refused with the reason; the caller then verifies the
 * result by loading the crew with it (definition-change.ts).
 */
import { isMap, isSeq, parseDocument } from "yaml";
import type { Agent } from "../crew/types.js";
import { reservedSecretReason } from "../crew/secret-names.js";

export type TokenLevel = "read" | "write";
export type DefinitionEdit = { ok: true; text: string } | { ok: false; why: string };

/** What a secret or permission request adds to the definition. */
export type Addition = { kind: "secret"; name: string } | { kind: "permission"; name: string; level: TokenLevel };

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const PERMISSION_NAME = /^[a-z][a-z_-]{0,63}$/;
const RANK: Record<string, number> = { none: 0, read: 1, write: 2 };

/** `NPM_TOKEN` → a secret; `actions: write` (or `actions=write`, `actions write`) → a permission. */
export function additionOf(kind: string, what: string, agent: Agent): { add: Addition } | { why: string } {
  const w = what.trim();
  if (kind === "secret") {
    if (!SECRET_NAME.test(w)) return { why: `"${clipText(w)}" is not a secret name (letters, digits and _; never a value)` };
    const reserved = reservedSecretReason(w);
    if (reserved) return { why: reserved };
    if (agent.secrets.includes(w)) return { why: `@${agent.name} already declares the secret ${w}` };
    return { add: { kind: "secret", name: w } };
  }
  if (kind === "permission") {
    const m = /^([a-z][a-z_-]*)\s*[:=\s]\s*"?(read|write)"?$/.exec(w);
    if (!m || !PERMISSION_NAME.test(m[1] ?? "")) return { why: `"${clipText(w)}" is not a permission as \`name: read|write\` (e.g. \`actions: write\`)` };
    const name = m[1] as string;
    const level = m[2] as TokenLevel;
    if ((RANK[agent.permissions[name] ?? "none"] ?? 0) >= (RANK[level] ?? 0)) return { why: `@${agent.name} already has ${name}: ${agent.permissions[name]}` };
    return { add: { kind: "permission", name, level } };
  }
  return { why: `a ${kind} request does not change the agent's definition` };
}

/** The definition with `add` applied; `agent` gives the effective permissions when the file names none (defaults apply). */
export function editDefinition(file: string, text: string, add: Addition, agent: Agent): DefinitionEdit {
  return file.endsWith(".cue") ? editCue(text, add, agent) : editYaml(text, add, agent);
}

function editYaml(text: string, add: Addition, agent: Agent): DefinitionEdit {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return { ok: false, why: "the file is not a YAML mapping" };
  if (add.kind === "secret") {
    const list = doc.get("secrets", true);
    if (list === undefined) doc.set("secrets", doc.createNode([add.name], { flow: true }));
    else if (isSeq(list)) list.add(doc.createNode(add.name));
    else return { ok: false, why: "`secrets` is not a list" };
  } else {
    const perms = doc.get("permissions", true);
    // Without `permissions` in the file the agent has the crew's defaults: spell them out, plus the new one.
    if (perms === undefined) doc.set("permissions", { ...agent.permissions, [add.name]: add.level });
    else if (isMap(perms)) perms.set(add.name, add.level);
    else return { ok: false, why: "`permissions` is not a mapping" };
  }
  return { ok: true, text: doc.toString({ lineWidth: 0 }) };
}

/** Top-level lines (column 0) that start the field `name`. */
function fieldLines(lines: string[], name: string): number[] {
  return lines.flatMap((l, i) => (new RegExp(`^"?${name}"?\\s*:`).test(l) ? [i] : []));
}

/** Mentions of the field anywhere else (nested, in a comprehension…) make a text edit unsafe. */
function mentionedOutsideTop(lines: string[], name: string, top: number[]): boolean {
  return lines.some((l, i) => !top.includes(i) && new RegExp(`\\b${name}\\b`).test(l.replace(/\/\/.*$/, "")));
}

const STRING = /^"(?:[^"\\]|\\.)*"$/;
const PERM_LINE = /^(\s+)"?([a-z][a-z_-]*)"?\s*:\s*"(read|write|none)"\s*,?\s*(\/\/.*)?$/;

function editCue(text: string, add: Addition, agent: Agent): DefinitionEdit {
  const lines = text.split("\n");
  const field = add.kind === "secret" ? "secrets" : "permissions";
  const top = fieldLines(lines, field);
  const unsafe = { ok: false as const, why: `\`${field}\` in agent.cue is not in a form gitcrew edits (a one-line list, or a block of \`name: "level"\` lines)` };
  if (top.length > 1 || mentionedOutsideTop(lines, field, top)) return unsafe;
  const at = top[0];
  if (add.kind === "secret") {
    if (at === undefined) return { ok: true, text: appendField(text, `secrets: [${JSON.stringify(add.name)}]`) };
    const m = /^("?secrets"?\s*:\s*)\[([^\]]*)\](\s*(?:\/\/.*)?)$/.exec(lines[at] ?? "");
    if (!m) return unsafe;
    const items = (m[2] ?? "").split(",").map((x) => x.trim()).filter(Boolean);
    if (!items.every((x) => STRING.test(x))) return unsafe;
    lines[at] = `${m[1]}[${[...items, JSON.stringify(add.name)].join(", ")}]${m[3] ?? ""}`;
    return { ok: true, text: lines.join("\n") };
  }
  if (at === undefined) {
    const all = { ...agent.permissions, [add.name]: add.level };
    const body = Object.entries(all).map(([k, v]) => `\t${k}: ${JSON.stringify(v)}`);
    return { ok: true, text: appendField(text, ["permissions: {", ...body, "}"].join("\n")) };
  }
  if (!/^"?permissions"?\s*:\s*\{\s*(\/\/.*)?$/.test(lines[at] ?? "")) return unsafe;
  const end = lines.findIndex((l, i) => i > at && /^\}\s*(\/\/.*)?$/.test(l));
  if (end < 0) return unsafe;
  let indent = "\t";
  for (let i = at + 1; i < end; i++) {
    const l = lines[i] ?? "";
    if (!l.trim() || /^\s*\/\//.test(l)) continue;
    const m = PERM_LINE.exec(l);
    if (!m) return unsafe;
    indent = m[1] ?? indent;
    if (m[2] === add.name) {
      lines[i] = l.replace(/"(read|write|none)"/, JSON.stringify(add.level));
      return { ok: true, text: lines.join("\n") };
    }
  }
  lines.splice(end, 0, `${indent}${add.name}: ${JSON.stringify(add.level)}`);
  return { ok: true, text: lines.join("\n") };
}

function appendField(text: string, field: string): string {
  return `${text.replace(/\s*$/, "")}\n${field}\n`;
}

function clipText(s: string): string {
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
