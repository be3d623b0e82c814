/**
 * Hidden markers gitcrew writes into comments and approval PRs so that the
 * state of approvals can be read back from GitHub alone (no database):
 *
 *   <!-- gitcrew:approval id=ID agent=NAME thread=N by=LOGIN -->        approval PR body
 *   <!-- gitcrew:refused key=KEY agent=NAME sha=SHA actor=LOGIN event=KIND code=CODE -->
 *   <!-- gitcrew:done key=KEY -->                                         a resolution (claim)
 *   <!-- gitcrew:follow-up run=ID via=SOURCE -->                          the run a claim owes
 *
 * Values are restricted to a safe alphabet so nothing can close the comment early.
 */

import { createHash } from "node:crypto";

const SAFE = /[^A-Za-z0-9._:/@[\]#-]/g;

export function safe(value: string | number): string {
  const v = String(value).replace(SAFE, "_");
  return v === "" ? "-" : v.slice(0, 200);
}

function render(kind: string, fields: Record<string, string | number>): string {
  const parts = Object.entries(fields).map(([k, v]) => `${k}=${safe(v)}`);
  return `<!-- gitcrew:${kind} ${parts.join(" ")} -->`;
}

function parseAll(kind: string, body: string): Record<string, string>[] {
  const re = new RegExp(`<!-- gitcrew:${kind} ((?:[a-z]+=[^\\s]+ ?)+)-->`, "g");
  const out: Record<string, string>[] = [];
  for (const m of body.matchAll(re)) {
    const fields: Record<string, string> = {};
    for (const pair of (m[1] ?? "").trim().split(/\s+/)) {
      const i = pair.indexOf("=");
      if (i > 0) fields[pair.slice(0, i)] = pair.slice(i + 1);
    }
    out.push(fields);
  }
  return out;
}

export interface ApprovalMarker {
  id: string;
  agent: string;
  thread: number;
  /** Who asked, as gitcrew recorded it when opening the PR (older PRs lack it). */
  by?: string;
}

export function approvalMarker(m: ApprovalMarker): string {
  return render("approval", { id: m.id, agent: m.agent, thread: m.thread, ...(m.by ? { by: m.by } : {}) });
}

export function parseApprovalMarker(body: string): ApprovalMarker | undefined {
  const f = parseAll("approval", body)[0];
  if (!f?.id || !f.agent) return undefined;
  const thread = Number(f.thread);
  return { id: f.id, agent: f.agent, thread: Number.isSafeInteger(thread) ? thread : 0, ...(f.by && f.by !== "-" ? { by: f.by } : {}) };
}

/** One refused run, as written into the polite reply; `/approve` finds it. */
export interface RefusalMarker {
  /** What was refused: `comment-123`, `review-9`, `pull_request.opened@sha`. */
  key: string;
  agent: string;
  /** Head sha of the fork PR at refusal time (`-` for issues). */
  sha: string;
  actor: string;
  /** Trigger kind, e.g. `issue_comment.created`. */
  event: string;
  /** `unauthorized` or `untrusted`. */
  code: string;
  /** Hash of the refused text as it read then: an edit afterwards is not approved. */
  text?: string;
}

export function refusalMarker(m: RefusalMarker): string {
  return render("refused", { key: m.key, agent: m.agent, sha: m.sha || "-", actor: m.actor, event: m.event, code: m.code, ...(m.text ? { text: m.text } : {}) });
}

export function parseRefusalMarkers(body: string): RefusalMarker[] {
  return parseAll("refused", body)
    .filter((f) => f.key && f.agent && f.actor && f.event && f.code)
    .map((f) => ({
      key: f.key as string,
      agent: f.agent as string,
      sha: f.sha ?? "-",
      actor: f.actor as string,
      event: f.event as string,
      code: f.code as string,
      ...(f.text ? { text: f.text } : {}),
    }));
}

/** Short hash of a text as a reader sees it (for the refusal marker). */
export function textHash(text: string): string {
  return createHash("sha256").update(text.trim()).digest("hex").slice(0, 16);
}

/** A resolution that must happen once: approval follow-up, rejection, `/approve` of a refusal. */
export function doneMarker(key: string): string {
  return render("done", { key });
}

export function hasDoneMarker(body: string, key: string): boolean {
  const k = safe(key);
  return parseAll("done", body).some((f) => f.key === k);
}

/**
 * The run a claim owes, in the claim comment: `run` is derived from the claim
 * key; `via` (optional) names what approved it (`issue-123` for an `/approve`
 * comment, `review-9` for a review), so that a redelivery of that event knows
 * it already acted.
 */
export interface FollowUpMarker {
  run: string;
  via?: string;
}

export function followUpMarker(m: FollowUpMarker): string {
  return render("follow-up", { run: m.run, ...(m.via ? { via: m.via } : {}) });
}

export function parseFollowUpMarkers(body: string): FollowUpMarker[] {
  return parseAll("follow-up", body)
    .filter((f) => f.run)
    .map((f) => ({ run: f.run as string, ...(f.via ? { via: f.via } : {}) }));
}
