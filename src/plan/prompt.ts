/**
 * The prompt an agent receives: who asks, the thread, the recent conversation
 * (oldest dropped first when over budget) and how to hand work back.
 */
import type { Agent } from "../crew/types.js";
import { stripHidden } from "../events/text.js";
import type { Trigger } from "../events/trigger.js";

export interface ThreadMessage {
  author: string;
  body: string;
  createdAt?: string;
}

export interface PromptInput {
  agent: Agent;
  trigger: Trigger;
  branch: string;
  ref: string;
  history?: ThreadMessage[];
  /** For pull requests: the files the PR changes. */
  changedFiles?: string[];
  /** Said first: e.g. what an approval approved. */
  preface?: string;
  /** The crew's gated actions (crew.cue `gated_actions`): steps that need an approval request first. */
  gatedActions?: string[];
}

export const PROMPT_BUDGET = { body: 8_000, history: 24_000, message: 4_000, files: 200 };

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[… ${text.length - max} more characters cut]`;
}

function historyBlock(history: ThreadMessage[]): string[] {
  const kept: string[] = [];
  let used = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i] as ThreadMessage;
    const line = `@${m.author}: ${clip(stripHidden(m.body).trim(), PROMPT_BUDGET.message)}`;
    if (used + line.length > PROMPT_BUDGET.history) {
      kept.unshift(`[${i + 1} earlier message(s) left out]`);
      break;
    }
    used += line.length;
    kept.unshift(line);
  }
  return kept;
}

export function buildPrompt(p: PromptInput): string {
  const { agent, trigger: t } = p;
  const out: string[] = [];
  if (p.preface) out.push(p.preface.trim(), "");
  out.push(`You are @${agent.name}, an AI agent of the gitcrew crew in ${t.repo.fullName}.${agent.description ? ` ${agent.description}` : ""}`);
  const th = t.thread;
  if (th) {
    const what = th.kind === "pull_request" ? "Pull request" : "Issue";
    out.push("", `${what} #${th.number}: ${th.title}`, `${th.url} (opened by @${th.author})`);
    if (th.pr) out.push(`Branch ${th.pr.headRef} → ${th.pr.baseRef}, head ${th.pr.headSha.slice(0, 12)}`);
    const body = clip(stripHidden(th.body).trim(), PROMPT_BUDGET.body);
    if (body && !(t.kind === "issues.opened" && body === stripHidden(t.text).trim())) out.push("", body);
  }
  const files = p.changedFiles ?? (th?.pr ? t.changedFiles : undefined);
  if (files && files.length > 0) {
    out.push("", "Files changed in this pull request:");
    out.push(...files.slice(0, PROMPT_BUDGET.files).map((f) => `- ${f}`));
    if (files.length > PROMPT_BUDGET.files) out.push(`- … and ${files.length - PROMPT_BUDGET.files} more`);
  }
  if (p.history && p.history.length > 0) out.push("", "Earlier in this thread (oldest first):", ...historyBlock(p.history));
  out.push("", request(t));
  out.push(
    "",
    "---",
    `Your workspace is the repository on the branch \`${p.branch}\`: your earlier work in this thread when there is some, else a new branch from ${p.ref}. Change files directly; gitcrew commits your changes to that branch and opens (or updates) a pull request. Do not push, merge or change the default branch yourself.`,
    "Report progress with `gitcrew-status \"…\"`.",
    ...approvalHelp(p.gatedActions ?? []),
    "Your final message is posted as your answer in the thread.",
  );
  return out.join("\n");
}

/** How to ask for what the agent may not do alone (the flags of templates/docker/bin/gitcrew-channel.mjs). */
function approvalHelp(gated: string[]): string[] {
  const actions = gated.length
    ? `The crew's gated actions are: ${gated.map((a) => `\`${a}\``).join(", ")}. Do not take one of them before an approval of it has been merged; ask with \`--kind action --what ${gated[0]}\`. A request for any other action is refused.`
    : "This crew gates no actions, so `--kind action` requests are refused.";
  return [
    'Ask for anything you may not do alone with `gitcrew-request-approval --kind KIND --what "…" --reason "why"`; the request becomes a pull request that a person merges (approves) or closes (rejects), and your run then ends waiting for it. KIND is one of:',
    "- `package`: a package for your container image (a maintainer rebuilds the image)",
    "- `secret`: the name of a secret you need (never its value)",
    "- `permission`: a GitHub token permission, as `name: level` (e.g. `actions: write`)",
    "- `instructions`: text to add to your own instructions",
    `- \`action\`: a gated action. ${actions}`,
  ];
}

function request(t: Trigger): string {
  const text = clip(stripHidden(t.text).trim(), PROMPT_BUDGET.body);
  switch (t.event) {
    case "schedule":
      return `Scheduled run (cron "${t.schedule ?? ""}").`;
    case "workflow_dispatch":
      return `Started by @${t.actor.login} from workflow_dispatch:\n${String(t.inputs?.prompt ?? "(no prompt input)")}`;
    case "issues":
      if (t.action === "labeled") return `@${t.actor.login} added the label "${t.label ?? ""}". Work on this issue.`;
      if (t.action === "assigned") return `@${t.actor.login} assigned this issue to you. Work on it.`;
      return `Request from @${t.actor.login}:\n${text}`;
    case "pull_request":
      return `Event ${t.kind} by @${t.actor.login}.${text ? `\n${text}` : ""}`;
    default: {
      const where = t.comment?.path ? ` on ${t.comment.path}${t.comment.line ? `:${t.comment.line}` : ""}` : "";
      return `Request from @${t.actor.login}${where}:\n${text}`;
    }
  }
}
