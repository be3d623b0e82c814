/** A GitHub event normalised into what routing needs. Pure data. */

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export const PERMISSION_ORDER: readonly Permission[] = ["none", "read", "triage", "write", "maintain", "admin"];

export function permissionAtLeast(have: Permission, need: Permission): boolean {
  return PERMISSION_ORDER.indexOf(have) >= PERMISSION_ORDER.indexOf(need);
}

export type ActorType = "User" | "Bot" | "Organization";

export interface Actor {
  login: string;
  type: ActorType;
  /** GitHub's author_association on the payload, when present (OWNER, MEMBER, …). */
  association?: string;
}

export interface RepoRef {
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
  private: boolean;
}

export interface Thread {
  kind: "issue" | "pull_request";
  number: number;
  title: string;
  body: string;
  url: string;
  author: string;
  labels: string[];
  state: string;
  /** Pull requests only. */
  pr?: {
    headRef: string;
    headSha: string;
    baseRef: string;
    /** Head lives in another repository: its code is untrusted. */
    fork: boolean;
    merged: boolean;
    headRepo: string;
    /** Merge commit, when `merged`. */
    mergeSha?: string;
  };
}

/** Marker that gitcrew writes into agent comments so that chains can be bounded. */
export interface AgentOrigin {
  agent: string;
  runId: string;
  depth: number;
  /** Who started the run (the trigger's actor), when gitcrew recorded it. */
  by?: string;
}

export interface SlashCommand {
  name: string;
  args: string;
}

export interface Trigger {
  /** `issue_comment`, `issues`, … */
  event: string;
  action?: string;
  /** `event.action`, or `event` when there is no action. */
  kind: string;
  deliveryId?: string;
  repo: RepoRef;
  thread?: Thread;
  actor: Actor;
  /** The text that addresses agents: comment body, issue body, review body. */
  text: string;
  /** `@name` mentions outside code and quotes, lower-cased, in order, unique (of an edit: only the new ones). */
  mentions: string[];
  /** Slash commands at the start of a line, outside code and quotes. */
  commands: SlashCommand[];
  /** Label just added (issues.labeled / pull_request.labeled). */
  label?: string;
  /** Login just assigned (issues.assigned). */
  assignee?: string;
  /** Branch or tag the event points at, when it has one. */
  ref?: string;
  sha?: string;
  /** Comment (issue, review, review comment) that carried the text. */
  comment?: { id: number; url: string; kind: "issue" | "review" | "review_comment"; path?: string; line?: number };
  /** Schedule string for `schedule` events. */
  schedule?: string;
  /** Files a push or PR touched, when the payload or a lookup tells. */
  changedFiles?: string[];
  /** Set when the text came from a gitcrew agent. */
  origin?: AgentOrigin;
  /**
   * Set when the text comes from an edited comment (routed only to agents with
   * `triggers.edits`); `mentions` and `commands` then hold only what the edit added.
   */
  edited?: true;
  /**
   * The comment's author when an edit makes someone else the actor (a
   * maintainer editing a stranger's comment): the text is the author's, so
   * both must be allowed (policy/authorize.ts).
   */
  author?: Actor;
  /** Reasons this trigger must not run code with secrets (fork PR, …). */
  untrusted: string[];
  /** Workflow inputs for workflow_dispatch. */
  inputs?: Record<string, unknown>;
  /** Workflow file for workflow_dispatch (`.github/workflows/x.yml`). */
  workflow?: string;
  /** Review state for pull_request_review (`approved`, `changes_requested`, `commented`). */
  reviewState?: string;
  /** Payload paths whose text was cut at GitHub's 65,536-character limit. */
  truncated?: string[];
}

/** Either a Trigger, or a clean reason why the event is not for gitcrew. */
export type Normalized = { ok: true; trigger: Trigger } | { ok: false; ignored: string };
