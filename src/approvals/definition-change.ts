/**
 * What an approval PR changes in the agent's definition, so that merging it
 * is the approval taking effect: a secret added to `secrets`, a permission
 * widened in `permissions`. Every edit is checked by loading the crew with
 * it; an edit that does not load, or does not give exactly what was asked,
 * is not proposed, and the PR says a maintainer has to make the change.
 */
import { loadCrew } from "../crew/load.js";
import type { Snapshot } from "../crew/snapshot.js";
import type { Agent, Crew } from "../crew/types.js";
import type { ApprovalKind } from "../runner/types.js";
import { additionOf, editDefinition, type Addition } from "./definition-edit.js";

/** The crew on the default branch where the request branches off, as loaded (or why it did not load). */
export interface BaseCrew {
  snapshot: Snapshot;
  crew?: Crew;
  why?: string;
}

export type DefinitionChange =
  | { edited: true; file: string; text: string; said: string }
  | { edited: false; said: string };

export async function definitionChange(base: BaseCrew, agentName: string, kind: ApprovalKind, what: string, env: NodeJS.ProcessEnv): Promise<DefinitionChange> {
  if (kind === "package") {
    return {
      edited: false,
      said: "A package is not part of an agent's definition: merging approves it, and a maintainer then adds it to the agent's image (`image` in its definition) and rebuilds that image. Until then the agent does not have it.",
    };
  }
  if (kind !== "secret" && kind !== "permission") return { edited: false, said: "" };
  const manual = (why: string) => ({
    edited: false as const,
    said: `The agent's definition is **not** edited by this pull request (${why}): merging records the approval only, and a maintainer has to add ${kind === "secret" ? `\`${what.trim()}\` to its \`secrets\`` : `\`${what.trim()}\` to its \`permissions\``} for it to take effect.`,
  });
  if (!base.crew) return manual(`the crew on the default branch does not load: ${base.why ?? "unknown error"}`);
  const agent = base.crew.agents.find((a) => a.name === agentName);
  if (!agent) return manual(`no agent "${agentName}" on the default branch`);
  const found = additionOf(kind, what, agent);
  if ("why" in found) return manual(found.why);
  const text = base.snapshot.entries.get(agent.file)?.content?.toString("utf8");
  if (text === undefined) return manual(`${agent.file} could not be read`);
  const edit = editDefinition(agent.file, text, found.add, agent);
  if (!edit.ok) return manual(edit.why);
  const problem = await checkEdit(base.snapshot, agent, found.add, edit.text, env);
  if (problem) return manual(`the edited ${agent.file} ${problem}`);
  const effect = found.add.kind === "secret" ? `declares the secret \`${found.add.name}\` for @${agent.name} (its value comes from the runner's environment or the workflow's secrets, never from the repo)` : `gives @${agent.name}'s GitHub token \`${found.add.name}: ${found.add.level}\``;
  return { edited: true, file: agent.file, text: edit.text, said: `This pull request also edits \`${agent.file}\`: merging it ${effect}. The follow-up run has it.` };
}

/** Loads the crew with the edit: undefined when the agent then has exactly what was added, else what is wrong. */
async function checkEdit(snap: Snapshot, before: Agent, add: Addition, text: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const entries = new Map(snap.entries);
  const content = Buffer.from(text, "utf8");
  entries.set(before.file, { path: before.file, size: content.length, content });
  const r = await loadCrew({ origin: `${snap.origin} with the approval's edit`, version: `${snap.version}+approval`, entries }, env);
  const first = r.errors[0];
  if (!r.crew) return `does not load (${first ? `${first.file}:${first.line}: ${first.message}` : "no crew"})`;
  const after = r.crew.agents.find((a) => a.name === before.name);
  if (!after) return "loses the agent";
  const expected =
    add.kind === "secret"
      ? same([...before.secrets, add.name], after.secrets) && samePermissions(before.permissions, after.permissions)
      : same(before.secrets, after.secrets) && samePermissions({ ...before.permissions, [add.name]: add.level }, after.permissions);
  return expected ? undefined : "does not give exactly what was asked";
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join("\0") === [...b].sort().join("\0");
}

function samePermissions(a: Agent["permissions"], b: Agent["permissions"]): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? "none") === (b[k] ?? "none"));
}
