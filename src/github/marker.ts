/**
 * gitcrew's hidden markers: the one module that writes and reads them.
 *
 *   <!-- gitcrew:origin agent=NAME run=ID depth=N [by=LOGIN] -->       every agent comment
 *   <!-- gitcrew:session agent=NAME id=ID -->                          a final comment: the session to resume
 *   <!-- gitcrew:approval id=ID agent=NAME thread=N by=LOGIN -->        approval PR body
 *   <!-- gitcrew:refused key=KEY agent=NAME sha=SHA actor=LOGIN event=KIND code=CODE [text=HASH] -->
 *   <!-- gitcrew:done key=KEY -->                                      a resolution (claim)
 *   <!-- gitcrew:follow-up run=ID via=SOURCE -->                       the run a claim owes
 *
 * Where a marker counts: only in the trailing marker block of a body, the
 * lines after all other text that hold nothing but markers (gitcrew appends
 * its markers there, after anything it embeds), and only in a comment or PR
 * written by gitcrew's own login (src/pipeline/own-comments.ts). Agent text
 * embedded in a body is neutralised (agent-text.ts) so it can never write
 * `<!--`, hence never a marker line; a marker anywhere else in a body is
 * plain text to gitcrew.
 */
import { createHash } from "node:crypto";
import type { AgentOrigin } from "../events/trigger.js";
import { validSessionId } from "../util/session-id.js";

const SAFE = /[^A-Za-z0-9._:/@[\]#-]/g;

/** Values use a safe alphabet so nothing can close the comment early or break key=value. */
export function safe(value: string | number): string {
  const v = String(value).replace(SAFE, "_");
  return v === "" ? "-" : v.slice(0, 200);
}

function render(kind: string, fields: Record<string, string | number | undefined>): string {
  const parts = Object.entries(fields)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${safe(v)}`);
  return `<!-- gitcrew:${kind} ${parts.join(" ")} -->`;
}

/** One marker line, read leniently in its spacing (a marker we fail to read slips past the loop guard). */
const LINE = /^<!--\s*gitcrew:([a-z-]+)((?:\s+[a-z]+=[^\s<>]*)*)\s*-->$/;

interface Parsed {
  kind: string;
  fields: Record<string, string>;
}

function parseLine(line: string): Parsed | undefined {
  const m = LINE.exec(line.trim());
  if (!m?.[1]) return undefined;
  const fields: Record<string, string> = {};
  for (const pair of (m[2] ?? "").trim().split(/\s+/)) {
    const i = pair.indexOf("=");
    if (i > 0 && !(pair.slice(0, i) in fields)) fields[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return { kind: m[1], fields };
}

/**
 * A body cut into its text and its trailing marker block (marker lines and
 * blank lines at the very end). `text` is what came before, `markers` the
 * marker lines in order.
 */
export function splitMarkers(body: string): { text: string; markers: string[] } {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  let end = lines.length;
  const markers: string[] = [];
  while (end > 0) {
    const line = (lines[end - 1] ?? "").trim();
    if (line === "") end--;
    else if (parseLine(line)) {
      markers.unshift(line);
      end--;
    } else break;
  }
  return { text: lines.slice(0, end).join("\n"), markers };
}

/** The markers of `kind` that count in `body`: those of its trailing block, in order. */
function read(kind: string, body: string): Record<string, string>[] {
  return splitMarkers(body)
    .markers.map(parseLine)
    .filter((p): p is Parsed => p?.kind === kind)
    .map((p) => p.fields);
}

/** `<!-- gitcrew:origin agent=NAME run=ID depth=N [by=LOGIN] -->` */
export function originMarker(origin: AgentOrigin): string {
  const depth = Number.isInteger(origin.depth) && origin.depth >= 0 ? origin.depth : 0;
  return render("origin", { agent: origin.agent, run: origin.runId, depth, by: origin.by });
}

/** The origin marker of a body (its trailing block), or undefined. `by` counts only in comments gitcrew wrote. */
export function parseOrigin(body: string): AgentOrigin | undefined {
  const f = read("origin", body)[0];
  if (!f?.agent || !f.run || !/^\d{1,6}$/.test(f.depth ?? "")) return undefined;
  return { agent: f.agent.toLowerCase(), runId: f.run, depth: Number(f.depth), ...(f.by && f.by !== "-" ? { by: f.by } : {}) };
}

/** `<!-- gitcrew:session agent=NAME id=ID -->`: a follow-up in the thread resumes this session. */
export function sessionMarker(agent: string, sessionId: string): string {
  return render("session", { agent, id: sessionId });
}

/** Latest session id per agent, reading gitcrew's own comments oldest first. */
export function readSessions(bodies: string[]): Record<string, string> {
  const sessions: Record<string, string> = {};
  for (const body of bodies)
    for (const f of read("session", body)) {
      if (!f.agent || !f.id) continue;
      // An id the resume flag could read as an option (written by an older gitcrew from the agent's output): no resume.
      if (validSessionId(f.id)) sessions[f.agent] = f.id;
      else delete sessions[f.agent];
    }
  return sessions;
}

export interface ApprovalMarker {
  id: string;
  agent: string;
  thread: number;
  /** Who asked, as gitcrew recorded it when opening the PR (older PRs lack it). */
  by?: string;
}

export function approvalMarker(m: ApprovalMarker): string {
  return render("approval", { id: m.id, agent: m.agent, thread: m.thread, by: m.by });
}

export function parseApprovalMarker(body: string): ApprovalMarker | undefined {
  const f = read("approval", body)[0];
  if (!f?.id || !f.agent) return undefined;
  const thread = Number(f.thread);
  return { id: f.id, agent: f.agent, thread: Number.isSafeInteger(thread) ? thread : 0, ...(f.by && f.by !== "-" ? { by: f.by } : {}) };
}

/** One refused run, as written into the polite reply; `/approve` finds it. */
export interface RefusalMarker {
  /** What was refused: `issue-123` (a comment), `review-9`, `pull_request.opened@sha`. */
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
  return render("refused", { key: m.key, agent: m.agent, sha: m.sha || "-", actor: m.actor, event: m.event, code: m.code, text: m.text || undefined });
}

export function parseRefusalMarkers(body: string): RefusalMarker[] {
  return read("refused", body)
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
  return read("done", body).some((f) => f.key === k);
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
  return render("follow-up", { run: m.run, via: m.via });
}

export function parseFollowUpMarkers(body: string): FollowUpMarker[] {
  return read("follow-up", body)
    .filter((f) => f.run)
    .map((f) => ({ run: f.run as string, ...(f.via ? { via: f.via } : {}) }));
}
