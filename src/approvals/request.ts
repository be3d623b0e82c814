/** An approval request as a file: `.gitcrew/approvals/<id>.yaml`. */
import { createHash } from "node:crypto";
import { parse, stringify } from "yaml";
import type { ApprovalKind } from "../runner/types.js";

export const APPROVAL_LABEL = "gitcrew:approval";
/** Added once an approval PR's merge or close has been acted on (a shortcut for reconcile). */
export const RESOLVED_LABEL = "gitcrew:resolved";
export const APPROVAL_BRANCH_PREFIX = "gitcrew/approval/";
export const APPROVALS_DIR = ".gitcrew/approvals";
/** A rejected request's last head is kept here, so the repo alone tells pending from rejected. */
export const REJECTED_REF_PREFIX = "refs/gitcrew/rejected/";

const KINDS: readonly ApprovalKind[] = ["package", "secret", "permission", "instructions", "action"];

export interface ApprovalRequest {
  id: string;
  kind: ApprovalKind;
  /** Exactly what is asked for (a package name, a secret name, a permission, the text of an instruction, an action). */
  what: string;
  reason: string;
  /** The agent that asked. */
  agent: string;
  /** The person whose request started the run that asked. */
  requested_by: string;
  run: string;
  repo: string;
  /** Issue or PR number of the conversation the run belongs to (0: none). */
  thread: number;
  thread_url?: string;
  requested_at: string;
}

export const approvalPath = (id: string) => `${APPROVALS_DIR}/${id}.yaml`;
export const approvalBranch = (id: string) => `${APPROVAL_BRANCH_PREFIX}${id}`;

export function idFromBranch(branch: string): string | undefined {
  if (!branch.startsWith(APPROVAL_BRANCH_PREFIX)) return undefined;
  const id = branch.slice(APPROVAL_BRANCH_PREFIX.length);
  return /^[a-z0-9][a-z0-9-]{0,80}$/.test(id) ? id : undefined;
}

/** Deterministic: the same request of the same run gets the same id (a retried hook updates, never duplicates). */
export function approvalId(agent: string, run: string, index: number, kind: string, what: string): string {
  const h = createHash("sha256").update(`${agent}\0${run}\0${index}\0${kind}\0${what}`).digest("hex").slice(0, 10);
  return `${agent}-${h}`;
}

export function renderRequest(r: ApprovalRequest): string {
  const head = [
    "# gitcrew approval request.",
    "# Merge this pull request to approve it, close it to reject it.",
    "# What is merged is what is approved: edit `what` before merging to approve less.",
  ].join("\n");
  return `${head}\n${stringify(r, { lineWidth: 0 })}`;
}

/** Reads a request file; fields that are missing or of the wrong type are left out or defaulted. */
export function parseRequest(text: string, fallbackId: string): ApprovalRequest | undefined {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  const s = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : typeof o[k] === "number" ? String(o[k]) : "");
  const kind = KINDS.find((k) => k === s("kind")) ?? "action";
  const thread = Number(o.thread);
  return {
    id: s("id") || fallbackId,
    kind,
    what: s("what"),
    reason: s("reason"),
    agent: s("agent").toLowerCase(),
    requested_by: s("requested_by"),
    run: s("run"),
    repo: s("repo"),
    thread: Number.isSafeInteger(thread) && thread > 0 ? thread : 0,
    ...(s("thread_url") ? { thread_url: s("thread_url") } : {}),
    requested_at: s("requested_at"),
  };
}

/** Bounded text: a request's fields and a merged diff end up in PR bodies (GitHub caps them) and prompts. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n[… ${text.length - max} more characters cut]`;
}

export function describeRequest(r: Pick<ApprovalRequest, "kind" | "what">): string {
  switch (r.kind) {
    case "package":
      return `the package ${r.what}`;
    case "secret":
      return `the secret ${r.what}`;
    case "permission":
      return `the permission ${r.what}`;
    case "instructions":
      return `a change to its instructions`;
    default:
      return `the action ${r.what}`;
  }
}
