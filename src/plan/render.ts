/** Plans as text for people (`dry-run`) and as the JSON contract for scripts. */
import type { Plan, PlannedRun } from "./types.js";
import { oneLine, terminalSafe } from "../util/terminal-text.js";

function size(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3}g` : `${Math.round(bytes / 1024 ** 2)}m`;
}

function duration(s: number): string {
  return s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}

const indent = (text: string, pad: string) => terminalSafe(text).split("\n").map((l) => `${pad}${l}`).join("\n");
/** Strangers' words in a one-line field (a slash command's arguments, a changed file's name, a label): one line, no terminal escape. */
const said = (text: string) => oneLine(text);

function renderRun(r: PlannedRun): string {
  const c = r.container;
  const lines = [
    `  ▸ ${r.agent}: ${said(r.reason)}`,
    `    container  ${c.image}, user ${c.user}, network ${c.network === "gateway" ? `gateway (model${c.allow?.length ? `, ${c.allow.join(", ")}` : " only"})` : c.network}, memory ${size(c.memoryBytes)}${c.diskBytes !== undefined ? `, disk ${size(c.diskBytes)}` : ""}, cpus ${c.nanoCpus / 1e9}, pids ${c.pidsLimit}, timeout ${duration(c.timeoutSeconds)}`,
    `    hardening  read-only root: ${c.readOnlyRootfs ? "yes" : "no"}, cap-drop ${c.capDrop.join(",")}, ${c.securityOpt.join(",")}, tmpfs ${Object.keys(c.tmpfs).join(" ")}`,
    `    argv       ${c.argv.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(" ")}`,
    `    secrets    ${c.secrets.length > 0 ? c.secrets.join(", ") : "(none)"}`,
    `    workspace  ${r.ref} → commits on ${r.branch}; injected ${Object.keys(c.injectedFiles).join(", ") || "nothing"}${c.mounts.length ? `; skills ${c.mounts.map((m) => m.target).join(", ")}` : ""}`,
  ];
  if (r.untrusted.length > 0) lines.push(`    untrusted  ${said(r.untrusted.join("; "))}`);
  lines.push("    prompt", indent(r.prompt, "      │ "));
  return lines.join("\n");
}

/** `notes`: what this plan could not check (dry-run), said before the last line. */
export function renderPlan(plan: Plan, permissionNote: string, notes: string[] = []): string {
  const t = plan.trigger;
  const where = t.thread ? `${t.repo.fullName}#${t.thread.number}` : t.repo.fullName;
  const out = [`event      ${t.kind} by @${t.actor.login} (${permissionNote}) on ${where}`];
  if (t.untrusted.length > 0) out.push(`untrusted  ${said(t.untrusted.join("; "))}`);
  out.push("", plan.runs.length > 0 ? `runs (${plan.runs.length})` : "runs: none");
  out.push(...plan.runs.map(renderRun));
  const refused = plan.skipped.filter((s) => s.code !== "not-addressed");
  const quiet = plan.skipped.length - refused.length;
  if (refused.length > 0) out.push("", `skipped (${refused.length})`, ...refused.map((s) => `  ▸ ${s.agent}: ${said(s.reason)}`));
  if (quiet > 0) out.push("", `not addressed: ${quiet} agent(s)`);
  if (plan.commands.length > 0) {
    out.push("", "commands", ...plan.commands.map((c) => `  ▸ /${said(c.name)}${c.args ? ` ${said(c.args)}` : ""}: ${c.allowed ? "accepted" : "refused"}, ${said(c.reason)}`));
  }
  if (notes.length > 0) out.push("", ...notes.map((n) => `note: ${said(n)}`));
  out.push("", "dry run: no container started, nothing written to GitHub.");
  return out.join("\n") + "\n";
}

/** The `dry-run --json` contract: keys trigger, runs[{agent, reason, prompt, container}], skipped[{agent, reason}]. */
export function planJson(plan: Plan, permission: { level: string; source: string }): unknown {
  return { trigger: plan.trigger, permission, runs: plan.runs, skipped: plan.skipped, commands: plan.commands };
}
