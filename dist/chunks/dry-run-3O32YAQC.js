import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  EDITS_OFF,
  PERMISSION_ORDER,
  crewRoutesEdits,
  normalize,
  permissionFromAssociation,
  plan
} from "./chunk-EHQBMD4V.js";
import "./chunk-GWDRLLF3.js";
import {
  PACKAGES_PRESET,
  packagesPreset,
  packagesPresetLine,
  providerWeb,
  providerWebLine
} from "./chunk-QMUAFOLA.js";
import {
  jsonOnError,
  wantsJson
} from "./chunk-47G63N5E.js";
import "./chunk-WTGBNDXC.js";
import {
  problemLine
} from "./chunk-YMRRQ7T7.js";
import {
  loadCrew,
  noCrewProblem,
  scheduleLines,
  snapshotFromDir,
  snapshotFromGit
} from "./chunk-EYNVMV6C.js";
import "./chunk-ZNFD3J2A.js";
import "./chunk-4MEYDY32.js";
import {
  oneLine,
  terminalSafe
} from "./chunk-HAGKOCQO.js";
import {
  intFlag,
  parseFlags
} from "./chunk-S5X7QBCU.js";
import "./chunk-N64I43M3.js";
import {
  EXIT,
  InputError,
  UsageError,
  errorMessage
} from "./chunk-QEBERIHX.js";
import "./chunk-MAJZWNHV.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/dry-run.ts
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";

// src/events/synthesize.ts
var LOGIN = /^[A-Za-z0-9](?:-?[A-Za-z0-9])*(?:\[bot\])?$/;
var ASSOCIATIONS = ["OWNER", "MEMBER", "COLLABORATOR", "CONTRIBUTOR", "FIRST_TIME_CONTRIBUTOR", "FIRST_TIMER", "MANNEQUIN", "NONE"];
function positive(flag, value) {
  if (value === void 0) return void 0;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} must be a positive integer, got ${String(value)}`);
  return value;
}
function user(login, id) {
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `https://api.github.com/users/${login}`,
    html_url: `https://github.com/${login}`,
    type: login.endsWith("[bot]") ? "Bot" : "User",
    site_admin: false
  };
}
function synthesizeComment(opts) {
  if (typeof opts.body !== "string") throw new UsageError("--comment needs the comment text");
  const issue = positive("--issue", opts.issue);
  const pr = positive("--pr", opts.pr);
  if (issue !== void 0 && pr !== void 0 && issue !== pr) {
    throw new UsageError(`--issue ${issue} and --pr ${pr} name different threads`, "give one of them");
  }
  const fullName = opts.repo ?? "octo-org/octo-repo";
  const [owner, name, ...rest] = fullName.split("/");
  if (!owner || !name || rest.length > 0 || !LOGIN.test(owner) || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new UsageError(`repository must be "owner/name", got "${fullName}"`);
  }
  const author = opts.author ?? owner;
  if (!LOGIN.test(author)) throw new UsageError(`--author must be a GitHub login, got "${author}"`);
  const association = (opts.association ?? (author.toLowerCase() === owner.toLowerCase() ? "OWNER" : "NONE")).toUpperCase();
  if (!ASSOCIATIONS.includes(association)) {
    throw new UsageError(`author association must be one of ${ASSOCIATIONS.join(", ")}, got "${association}"`);
  }
  const number = pr ?? issue ?? 1;
  const at = (opts.now ?? /* @__PURE__ */ new Date("2024-01-01T00:00:00Z")).toISOString().replace(/\.\d{3}Z$/, "Z");
  const api = `https://api.github.com/repos/${owner}/${name}`;
  const web = `https://github.com/${owner}/${name}`;
  const threadWeb = `${web}/${pr !== void 0 ? "pull" : "issues"}/${number}`;
  const commentId = 1e6 + number;
  const ownerUser = user(owner, 1);
  const payload = {
    action: "created",
    issue: {
      url: `${api}/issues/${number}`,
      repository_url: api,
      html_url: threadWeb,
      id: 1e5 + number,
      node_id: `I_${number}`,
      number,
      title: opts.title ?? (pr !== void 0 ? `Pull request #${number}` : `Issue #${number}`),
      user: ownerUser,
      labels: [],
      state: "open",
      locked: false,
      assignee: null,
      assignees: [],
      comments: 1,
      created_at: at,
      updated_at: at,
      closed_at: null,
      author_association: "OWNER",
      body: null,
      ...pr !== void 0 ? { pull_request: { url: `${api}/pulls/${number}`, html_url: `${web}/pull/${number}`, diff_url: `${web}/pull/${number}.diff`, patch_url: `${web}/pull/${number}.patch`, merged_at: null } } : {}
    },
    comment: {
      url: `${api}/issues/comments/${commentId}`,
      html_url: `${threadWeb}#issuecomment-${commentId}`,
      issue_url: `${api}/issues/${number}`,
      id: commentId,
      node_id: `IC_${commentId}`,
      user: user(author, author === owner ? 1 : 2),
      created_at: at,
      updated_at: at,
      author_association: association,
      body: opts.body
    },
    repository: {
      id: 10,
      node_id: "R_10",
      name,
      full_name: `${owner}/${name}`,
      private: false,
      owner: ownerUser,
      html_url: web,
      url: api,
      default_branch: opts.defaultBranch ?? "main"
    },
    sender: user(author, author === owner ? 1 : 2)
  };
  return { event: "issue_comment", payload };
}

// src/plan/render.ts
function size(bytes) {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3}g` : `${Math.round(bytes / 1024 ** 2)}m`;
}
function duration(s) {
  return s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
}
var indent = (text, pad) => terminalSafe(text).split("\n").map((l) => `${pad}${l}`).join("\n");
var said = (text) => oneLine(text);
function renderRun(r) {
  const c = r.container;
  const lines = [
    `  \u25B8 ${r.agent}: ${said(r.reason)}`,
    `    container  ${c.image}, user ${c.user}, network ${c.network === "gateway" ? `gateway (model${c.allow?.length ? `, ${c.allow.join(", ")}` : " only"})` : c.network}, memory ${size(c.memoryBytes)}${c.diskBytes !== void 0 ? `, disk ${size(c.diskBytes)}` : ""}, cpus ${c.nanoCpus / 1e9}, pids ${c.pidsLimit}, timeout ${duration(c.timeoutSeconds)}`,
    `    hardening  read-only root: ${c.readOnlyRootfs ? "yes" : "no"}, cap-drop ${c.capDrop.join(",")}, ${c.securityOpt.join(",")}, tmpfs ${Object.keys(c.tmpfs).join(" ")}`,
    `    argv       ${c.argv.map((a) => /\s/.test(a) ? JSON.stringify(a) : a).join(" ")}`,
    `    secrets    ${c.secrets.length > 0 ? c.secrets.join(", ") : "(none)"}`,
    `    workspace  ${r.ref} \u2192 commits on ${r.branch}; injected ${Object.keys(c.injectedFiles).join(", ") || "nothing"}${c.mounts.length ? `; skills ${c.mounts.map((m) => m.target).join(", ")}` : ""}`
  ];
  if (r.untrusted.length > 0) lines.push(`    untrusted  ${said(r.untrusted.join("; "))}`);
  lines.push("    prompt", indent(r.prompt, "      \u2502 "));
  return lines.join("\n");
}
function renderPlan(plan2, permissionNote, notes = []) {
  const t = plan2.trigger;
  const where = t.thread ? `${t.repo.fullName}#${t.thread.number}` : t.repo.fullName;
  const out = [`event      ${t.kind} by @${t.actor.login} (${permissionNote}) on ${where}`];
  if (t.untrusted.length > 0) out.push(`untrusted  ${said(t.untrusted.join("; "))}`);
  out.push("", plan2.runs.length > 0 ? `runs (${plan2.runs.length})` : "runs: none");
  out.push(...plan2.runs.map(renderRun));
  const refused = plan2.skipped.filter((s) => s.code !== "not-addressed");
  const quiet = plan2.skipped.length - refused.length;
  if (refused.length > 0) out.push("", `skipped (${refused.length})`, ...refused.map((s) => `  \u25B8 ${s.agent}: ${said(s.reason)}`));
  if (quiet > 0) out.push("", `not addressed: ${quiet} agent(s)`);
  if (plan2.commands.length > 0) {
    out.push("", "commands", ...plan2.commands.map((c) => `  \u25B8 /${said(c.name)}${c.args ? ` ${said(c.args)}` : ""}: ${c.allowed ? "accepted" : "refused"}, ${said(c.reason)}`));
  }
  if (notes.length > 0) out.push("", ...notes.map((n) => `note: ${said(n)}`));
  out.push("", "dry run: no container started, nothing written to GitHub.");
  return out.join("\n") + "\n";
}
function planJson(plan2, permission) {
  return { trigger: plan2.trigger, permission, runs: plan2.runs, skipped: plan2.skipped, commands: plan2.commands };
}

// src/cli/dry-run.ts
var MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;
var usage = `Usage:
  gitcrew dry-run [--repo DIR] --event NAME --payload FILE [--permission LEVEL] [--json]
  gitcrew dry-run [--repo DIR] --comment "@dev fix the flaky test" [--issue N | --pr N]
                  [--author LOGIN] [--permission LEVEL] [--json]

Print the plan for one GitHub event: which agents run and why, which do not
and why, and for each run the exact prompt and container. No container
starts and nothing is written to GitHub.

  --repo DIR          repository whose .gitcrew/ to use (default: .)
  --ref REF           read the crew from this git ref (default: the working tree)
  --event NAME        webhook event name (X-GitHub-Event), e.g. issue_comment
  --payload FILE      webhook payload JSON (- for stdin)
  --comment TEXT      shortcut: a new comment with this text
  --issue N, --pr N   the thread of --comment (default: issue 1)
  --author LOGIN      who comments (default: the repository owner)
  --permission LEVEL  actor's permission: admin|maintain|write|triage|read|none
                      (default: derived from the payload's author_association;
                      of an edit of someone else's comment, the editor's: the
                      author's comes from the comment's author_association)
  --json              print {"trigger", "runs": [{agent, reason, prompt, container}], "skipped": [{agent, reason}],
                      "notes"}; an ignored event has "trigger": null and "ignored"; on an error
                      "trigger" is null and "errors": [{file, line, column, message}] says why

The notes list every schedule of the crew with its next three firing times
(UTC), when a run allows preset:packages, the hosts it opens on this
machine, and for a run whose agent allows preset:web-search or
preset:web-fetch, that the model provider may search the web or fetch URLs
for it (refused otherwise; docs/gateway.md).

The payload must be UTF-8 JSON (a leading byte order mark is skipped), and of
the event named: an action that event never has is an error. A comment on a
pull request is planned without looking the pull request up, so whether it
comes from a fork is not checked (the plan says so).

Exit codes: 0 planned (even when nothing runs), 1 the crew is invalid or there
is no .gitcrew/, 2 bad flags, 3 bad payload.`;
var utf8 = new TextDecoder("utf-8", { fatal: true });
async function readPayload(file, io) {
  let bytes;
  if (file === "-") {
    const chunks = [];
    let total = 0;
    for await (const c of process.stdin) {
      total += c.length;
      if (total > MAX_PAYLOAD_BYTES) throw new InputError(`payload on stdin is larger than 25 MB (GitHub's webhook limit)`);
      chunks.push(c);
    }
    bytes = Buffer.concat(chunks);
  } else {
    const path = resolve(io.cwd, file);
    let st;
    try {
      st = await stat(path);
    } catch {
      throw new InputError(`--payload ${file}: no such file`);
    }
    if (!st.isFile()) throw new InputError(`--payload ${file}: ${st.isDirectory() ? "is a folder" : "is not a regular file"}; give the payload's JSON file`);
    if (st.size > MAX_PAYLOAD_BYTES) throw new InputError(`--payload ${file}: ${st.size} bytes is larger than 25 MB (GitHub's webhook limit)`);
    try {
      bytes = await readFile(path);
    } catch (err) {
      throw new InputError(`--payload ${file}: cannot be read (${err.code ?? errorMessage(err)})`);
    }
  }
  let text;
  try {
    text = utf8.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new InputError(`--payload ${file}: not UTF-8 (GitHub sends payloads as UTF-8 JSON; save the file as UTF-8)`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`--payload ${file}: not JSON (${err.message})`);
  }
}
function dryRunNotes(t) {
  if (t.thread?.kind === "pull_request" && !t.thread.pr) {
    return ["fork status not checked in dry-run: a real run looks the pull request up, and a comment on a fork's pull request runs untrusted"];
  }
  return [];
}
function permissionFlag(value) {
  if (value === void 0) return void 0;
  if (!PERMISSION_ORDER.includes(value)) {
    throw new UsageError(`--permission must be one of ${PERMISSION_ORDER.join(", ")}; got "${value}"`);
  }
  return value;
}
var verb = {
  summary: "show what an event would do: runs, prompts, containers",
  usage,
  run: (io) => {
    const json = wantsJson(io.argv);
    return jsonOnError(io, json, (errors) => ({ trigger: null, runs: [], skipped: [], errors }), (setFile) => dryRun(io, json, setFile));
  }
};
async function dryRun(io, json, setFile) {
  const { values: v } = parseFlags(
    io.argv,
    {
      repo: { type: "string" },
      ref: { type: "string" },
      event: { type: "string" },
      payload: { type: "string" },
      comment: { type: "string" },
      issue: { type: "string" },
      pr: { type: "string" },
      author: { type: "string" },
      permission: { type: "string" },
      json: { type: "boolean" }
    },
    usage
  );
  const permission = permissionFlag(v.permission);
  let event;
  let payload;
  if (v.comment !== void 0) {
    if (v.event || v.payload) throw new UsageError("--comment cannot be combined with --event/--payload", usage);
    ({ event, payload } = synthesizeComment({
      body: v.comment,
      issue: intFlag(v.issue, "--issue", usage),
      pr: intFlag(v.pr, "--pr", usage),
      author: v.author
    }));
  } else {
    if (!v.event || !v.payload) throw new UsageError("give --event and --payload, or --comment", usage);
    if (v.issue || v.pr || v.author) throw new UsageError("--issue, --pr and --author go with --comment", usage);
    event = v.event;
    setFile(v.payload);
    payload = await readPayload(v.payload, io);
  }
  const print = (out) => io.stdout(JSON.stringify(out, null, 2) + "\n");
  const ignore = (reason) => {
    if (json) print({ trigger: null, ignored: reason, runs: [], skipped: [] });
    else io.stdout(`ignored: ${reason}
`);
    return EXIT.ok;
  };
  const normalized = normalize(event, payload, { edits: true, strictActions: true });
  setFile(void 0);
  if (!normalized.ok) return ignore(normalized.ignored);
  const repoDir = resolve(io.cwd, v.repo ?? ".");
  const snap = v.ref ? await snapshotFromGit(repoDir, v.ref) : await snapshotFromDir(repoDir);
  const missing = noCrewProblem(snap);
  const loaded = missing ? { errors: [missing], crew: void 0 } : await loadCrew(snap, io.env);
  if (!loaded.crew) {
    if (json) print({ trigger: null, runs: [], skipped: [], errors: loaded.errors });
    for (const p of loaded.errors) io.stderr(problemLine(p));
    io.stderr(missing ? `nothing to plan with: ${missing.message}
` : `the crew in ${snap.origin} is invalid; fix it (gitcrew validate) before a dry run
`);
    return EXIT.failed;
  }
  const trigger = normalized.trigger;
  if (trigger.edited && !crewRoutesEdits(loaded.crew.agents)) return ignore(`${event}.edited: ${EDITS_OFF}`);
  const level = permission ?? permissionFromAssociation(trigger.actor.association);
  const source = permission ? "--permission" : `author_association ${trigger.actor.association ?? "(none)"}`;
  const author = trigger.author ? { author: { permission: permissionFromAssociation(trigger.author.association) } } : {};
  const result = plan(trigger, loaded.crew, { permission: level, ...author });
  const notes = [...dryRunNotes(trigger), ...scheduleLines(loaded.crew.agents, /* @__PURE__ */ new Date())];
  if (result.runs.some((r) => r.container.allow?.includes(PACKAGES_PRESET))) notes.push(packagesPresetLine(await packagesPreset(io.env)));
  for (const r of result.runs) {
    const web = r.container.allow ? providerWeb({ allow: r.container.allow }) : void 0;
    if (web && (web.search || web.fetch)) notes.push(providerWebLine(r.agent, web));
  }
  if (json) print({ ...planJson(result, { level, source }), notes });
  else io.stdout(renderPlan(result, `${level}, from ${source}`, notes));
  return EXIT.ok;
}
export {
  MAX_PAYLOAD_BYTES,
  verb
};
