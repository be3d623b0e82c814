import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  validSessionId
} from "./chunk-4MEYDY32.js";

// src/github/marker.ts
import { createHash } from "node:crypto";
var SAFE = /[^A-Za-z0-9._:/@[\]#-]/g;
function safe(value) {
  const v = String(value).replace(SAFE, "_");
  return v === "" ? "-" : v.slice(0, 200);
}
function render(kind, fields) {
  const parts = Object.entries(fields).filter((e) => e[1] !== void 0).map(([k, v]) => `${k}=${safe(v)}`);
  return `<!-- gitcrew:${kind} ${parts.join(" ")} -->`;
}
var LINE = /^<!--\s*gitcrew:([a-z-]+)((?:\s+[a-z]+=[^\s<>]*)*)\s*-->$/;
function parseLine(line) {
  const m = LINE.exec(line.trim());
  if (!m?.[1]) return void 0;
  const fields = {};
  for (const pair of (m[2] ?? "").trim().split(/\s+/)) {
    const i = pair.indexOf("=");
    if (i > 0 && !(pair.slice(0, i) in fields)) fields[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return { kind: m[1], fields };
}
function splitMarkers(body) {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  let end = lines.length;
  const markers = [];
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
function read(kind, body) {
  return splitMarkers(body).markers.map(parseLine).filter((p) => p?.kind === kind).map((p) => p.fields);
}
function originMarker(origin) {
  const depth = Number.isInteger(origin.depth) && origin.depth >= 0 ? origin.depth : 0;
  return render("origin", { agent: origin.agent, run: origin.runId, depth, by: origin.by });
}
function parseOrigin(body) {
  const f = read("origin", body)[0];
  if (!f?.agent || !f.run || !/^\d{1,6}$/.test(f.depth ?? "")) return void 0;
  return { agent: f.agent.toLowerCase(), runId: f.run, depth: Number(f.depth), ...f.by && f.by !== "-" ? { by: f.by } : {} };
}
function sessionMarker(agent, sessionId) {
  return render("session", { agent, id: sessionId });
}
function readSessions(bodies) {
  const sessions = {};
  for (const body of bodies)
    for (const f of read("session", body)) {
      if (!f.agent || !f.id) continue;
      if (validSessionId(f.id)) sessions[f.agent] = f.id;
      else delete sessions[f.agent];
    }
  return sessions;
}
function approvalMarker(m) {
  return render("approval", { id: m.id, agent: m.agent, thread: m.thread, by: m.by });
}
function parseApprovalMarker(body) {
  const f = read("approval", body)[0];
  if (!f?.id || !f.agent) return void 0;
  const thread = Number(f.thread);
  return { id: f.id, agent: f.agent, thread: Number.isSafeInteger(thread) ? thread : 0, ...f.by && f.by !== "-" ? { by: f.by } : {} };
}
function refusalMarker(m) {
  return render("refused", { key: m.key, agent: m.agent, sha: m.sha || "-", actor: m.actor, event: m.event, code: m.code, text: m.text || void 0 });
}
function parseRefusalMarkers(body) {
  return read("refused", body).filter((f) => f.key && f.agent && f.actor && f.event && f.code).map((f) => ({
    key: f.key,
    agent: f.agent,
    sha: f.sha ?? "-",
    actor: f.actor,
    event: f.event,
    code: f.code,
    ...f.text ? { text: f.text } : {}
  }));
}
function textHash(text) {
  return createHash("sha256").update(text.trim()).digest("hex").slice(0, 16);
}
function doneMarker(key) {
  return render("done", { key });
}
function hasDoneMarker(body, key) {
  const k = safe(key);
  return read("done", body).some((f) => f.key === k);
}
function followUpMarker(m) {
  return render("follow-up", { run: m.run, via: m.via });
}
function parseFollowUpMarkers(body) {
  return read("follow-up", body).filter((f) => f.run).map((f) => ({ run: f.run, ...f.via ? { via: f.via } : {} }));
}

export {
  splitMarkers,
  originMarker,
  parseOrigin,
  sessionMarker,
  readSessions,
  approvalMarker,
  parseApprovalMarker,
  refusalMarker,
  parseRefusalMarkers,
  textHash,
  doneMarker,
  hasDoneMarker,
  followUpMarker,
  parseFollowUpMarkers
};
