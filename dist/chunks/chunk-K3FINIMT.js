import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-VJIE67J4.js";
import {
  __toESM
} from "./chunk-ZZLPSW6X.js";

// src/approvals/request.ts
var import_yaml = __toESM(require_dist(), 1);
import { createHash } from "node:crypto";
var APPROVAL_LABEL = "gitcrew:approval";
var RESOLVED_LABEL = "gitcrew:resolved";
var APPROVAL_BRANCH_PREFIX = "gitcrew/approval/";
var APPROVALS_DIR = ".gitcrew/approvals";
var REJECTED_REF_PREFIX = "refs/gitcrew/rejected/";
var KINDS = ["package", "secret", "permission", "instructions", "action"];
var approvalPath = (id) => `${APPROVALS_DIR}/${id}.yaml`;
var approvalBranch = (id) => `${APPROVAL_BRANCH_PREFIX}${id}`;
function idFromBranch(branch) {
  if (!branch.startsWith(APPROVAL_BRANCH_PREFIX)) return void 0;
  const id = branch.slice(APPROVAL_BRANCH_PREFIX.length);
  return /^[a-z0-9][a-z0-9-]{0,80}$/.test(id) ? id : void 0;
}
function approvalId(agent, run, index, kind, what) {
  const h = createHash("sha256").update(`${agent}\0${run}\0${index}\0${kind}\0${what}`).digest("hex").slice(0, 10);
  return `${agent}-${h}`;
}
function renderRequest(r) {
  const head = [
    "# gitcrew approval request.",
    "# Merge this pull request to approve it, close it to reject it.",
    "# What is merged is what is approved: edit `what` before merging to approve less."
  ].join("\n");
  return `${head}
${(0, import_yaml.stringify)(r, { lineWidth: 0 })}`;
}
function parseRequest(text, fallbackId) {
  let raw;
  try {
    raw = (0, import_yaml.parse)(text);
  } catch {
    return void 0;
  }
  if (typeof raw !== "object" || raw === null) return void 0;
  const o = raw;
  const s = (k) => typeof o[k] === "string" ? o[k] : typeof o[k] === "number" ? String(o[k]) : "";
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
    ...s("thread_url") ? { thread_url: s("thread_url") } : {},
    requested_at: s("requested_at")
  };
}
function clip(text, max) {
  return text.length <= max ? text : `${text.slice(0, max)}
[\u2026 ${text.length - max} more characters cut]`;
}
function describeRequest(r) {
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

export {
  APPROVAL_LABEL,
  RESOLVED_LABEL,
  APPROVAL_BRANCH_PREFIX,
  APPROVALS_DIR,
  REJECTED_REF_PREFIX,
  approvalPath,
  approvalBranch,
  idFromBranch,
  approvalId,
  renderRequest,
  parseRequest,
  clip,
  describeRequest
};
