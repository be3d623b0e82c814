import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { scheduleLines } from "../crew/cron.js";
import { loadCrew } from "../crew/load.js";
import { noCrewProblem, snapshotFromDir, snapshotFromGit } from "../crew/snapshot.js";
import { EDITS_OFF } from "../events/common.js";
import { normalize } from "../events/normalize.js";
import { synthesizeComment } from "../events/synthesize.js";
import { PERMISSION_ORDER, type Permission, type Trigger } from "../events/trigger.js";
import { permissionFromAssociation } from "../policy/authorize.js";
import { plan } from "../plan/plan.js";
import { planJson, renderPlan } from "../plan/render.js";
import { crewRoutesEdits } from "../plan/route.js";
import { EXIT, InputError, UsageError, errorMessage } from "../util/errors.js";
import { intFlag, parseFlags } from "./args.js";
import type { CliIo, Verb } from "./io.js";
import { jsonOnError, wantsJson } from "./json-errors.js";
import { PACKAGES_PRESET, packagesPreset, packagesPresetLine } from "./packages-preset.js";
import { providerWeb, providerWebLine } from "./provider-reach.js";
import { problemLine } from "./problem-line.js";

export const MAX_PAYLOAD_BYTES = 25 * 1024 * 1024;

const usage = `Usage:
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

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The payload as GitHub sends it: UTF-8 JSON. Anything else is an InputError naming the file. */
async function readPayload(file: string, io: CliIo): Promise<unknown> {
  let bytes: Buffer;
  if (file === "-") {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const c of process.stdin as AsyncIterable<Buffer>) {
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
      throw new InputError(`--payload ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? errorMessage(err)})`);
    }
  }
  let text: string;
  try {
    text = utf8.decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    throw new InputError(`--payload ${file}: not UTF-8 (GitHub sends payloads as UTF-8 JSON; save the file as UTF-8)`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`--payload ${file}: not JSON (${(err as Error).message})`);
  }
}

/** Said in the plan when dry-run could not check what a real run looks up. */
function dryRunNotes(t: Trigger): string[] {
  if (t.thread?.kind === "pull_request" && !t.thread.pr) {
    return ["fork status not checked in dry-run: a real run looks the pull request up, and a comment on a fork's pull request runs untrusted"];
  }
  return [];
}

function permissionFlag(value: string | undefined): Permission | undefined {
  if (value === undefined) return undefined;
  if (!(PERMISSION_ORDER as readonly string[]).includes(value)) {
    throw new UsageError(`--permission must be one of ${PERMISSION_ORDER.join(", ")}; got "${value}"`);
  }
  return value as Permission;
}

export const verb: Verb = {
  summary: "show what an event would do: runs, prompts, containers",
  usage,
  run: (io) => {
    const json = wantsJson(io.argv);
    return jsonOnError(io, json, (errors) => ({ trigger: null, runs: [], skipped: [], errors }), (setFile) => dryRun(io, json, setFile));
  },
};

async function dryRun(io: CliIo, json: boolean, setFile: (file: string | undefined) => void): Promise<number> {
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
      json: { type: "boolean" },
    },
    usage,
  );
  const permission = permissionFlag(v.permission);
  let event: string;
  let payload: unknown;
  if (v.comment !== undefined) {
    if (v.event || v.payload) throw new UsageError("--comment cannot be combined with --event/--payload", usage);
    ({ event, payload } = synthesizeComment({
      body: v.comment,
      issue: intFlag(v.issue, "--issue", usage),
      pr: intFlag(v.pr, "--pr", usage),
      author: v.author,
    }));
  } else {
    if (!v.event || !v.payload) throw new UsageError("give --event and --payload, or --comment", usage);
    if (v.issue || v.pr || v.author) throw new UsageError("--issue, --pr and --author go with --comment", usage);
    event = v.event;
    setFile(v.payload);
    payload = await readPayload(v.payload, io);
  }
  const print = (out: unknown) => io.stdout(JSON.stringify(out, null, 2) + "\n");
  const ignore = (reason: string) => {
    if (json) print({ trigger: null, ignored: reason, runs: [], skipped: [] });
    else io.stdout(`ignored: ${reason}\n`);
    return EXIT.ok;
  };
  // Edits are let through here and dropped below unless an agent asks for them, as the pipeline does.
  const normalized = normalize(event, payload, { edits: true, strictActions: true });
  setFile(undefined);
  if (!normalized.ok) return ignore(normalized.ignored);
  const repoDir = resolve(io.cwd, v.repo ?? ".");
  const snap = v.ref ? await snapshotFromGit(repoDir, v.ref) : await snapshotFromDir(repoDir);
  const missing = noCrewProblem(snap);
  const loaded = missing ? { errors: [missing], crew: undefined } : await loadCrew(snap, io.env);
  if (!loaded.crew) {
    if (json) print({ trigger: null, runs: [], skipped: [], errors: loaded.errors });
    for (const p of loaded.errors) io.stderr(problemLine(p));
    io.stderr(missing ? `nothing to plan with: ${missing.message}\n` : `the crew in ${snap.origin} is invalid; fix it (gitcrew validate) before a dry run\n`);
    return EXIT.failed;
  }
  const trigger = normalized.trigger;
  if (trigger.edited && !crewRoutesEdits(loaded.crew.agents)) return ignore(`${event}.edited: ${EDITS_OFF}`);
  const level = permission ?? permissionFromAssociation(trigger.actor.association);
  const source = permission ? "--permission" : `author_association ${trigger.actor.association ?? "(none)"}`;
  // Someone else's comment, edited: its author counts too, as their author_association says.
  const author = trigger.author ? { author: { permission: permissionFromAssociation(trigger.author.association) } } : {};
  const result = plan(trigger, loaded.crew, { permission: level, ...author });
  // Every schedule with its next firings (UTC), so a user sees what the expression means.
  const notes = [...dryRunNotes(trigger), ...scheduleLines(loaded.crew.agents, new Date())];
  if (result.runs.some((r) => r.container.allow?.includes(PACKAGES_PRESET))) notes.push(packagesPresetLine(await packagesPreset(io.env)));
  for (const r of result.runs) {
    const web = r.container.allow ? providerWeb({ allow: r.container.allow }) : undefined;
    // Only an opt-in is noted: by default the provider neither searches nor fetches for a run.
    if (web && (web.search || web.fetch)) notes.push(providerWebLine(r.agent, web));
  }
  if (json) print({ ...(planJson(result, { level, source }) as object), notes });
  else io.stdout(renderPlan(result, `${level}, from ${source}`, notes));
  return EXIT.ok;
}
