import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { loadCrew } from "../crew/load.js";
import { snapshotFromDir, snapshotFromGit } from "../crew/snapshot.js";
import { normalize } from "../events/normalize.js";
import { synthesizeComment } from "../events/synthesize.js";
import { PERMISSION_ORDER, type Permission } from "../events/trigger.js";
import { permissionFromAssociation } from "../policy/authorize.js";
import { plan } from "../plan/plan.js";
import { planJson, renderPlan } from "../plan/render.js";
import { EXIT, InputError, UsageError } from "../util/errors.js";
import { intFlag, parseFlags } from "./args.js";
import type { CliIo, Verb } from "./io.js";

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
                      (default: derived from the payload's author_association)
  --json              print {"trigger", "runs": [{agent, reason, prompt, container}], "skipped": [{agent, reason}]}

Exit codes: 0 planned (even when nothing runs), 1 the crew is invalid, 2 bad flags, 3 bad payload.`;

async function readPayload(file: string, io: CliIo): Promise<unknown> {
  let text: string;
  if (file === "-") {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const c of process.stdin as AsyncIterable<Buffer>) {
      total += c.length;
      if (total > MAX_PAYLOAD_BYTES) throw new InputError(`payload on stdin is larger than 25 MB (GitHub's webhook limit)`);
      chunks.push(c);
    }
    text = Buffer.concat(chunks).toString("utf8");
  } else {
    const path = resolve(io.cwd, file);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw new InputError(`--payload ${file}: no such file`);
    }
    if (size > MAX_PAYLOAD_BYTES) throw new InputError(`--payload ${file}: ${size} bytes is larger than 25 MB (GitHub's webhook limit)`);
    text = await readFile(path, "utf8");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`--payload ${file}: not JSON (${(err as Error).message})`);
  }
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
  async run(io) {
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
      payload = await readPayload(v.payload, io);
    }
    const normalized = normalize(event, payload);
    if (!normalized.ok) {
      if (v.json) io.stdout(JSON.stringify({ trigger: null, ignored: normalized.ignored, runs: [], skipped: [] }, null, 2) + "\n");
      else io.stdout(`ignored: ${normalized.ignored}\n`);
      return EXIT.ok;
    }
    const trigger = normalized.trigger;
    const repoDir = resolve(io.cwd, v.repo ?? ".");
    const snap = v.ref ? await snapshotFromGit(repoDir, v.ref) : await snapshotFromDir(repoDir);
    const loaded = await loadCrew(snap, io.env);
    if (!loaded.crew) {
      for (const p of loaded.errors) io.stderr(`${p.file}:${p.line}:${p.column}: ${p.message}\n`);
      io.stderr(`the crew in ${snap.origin} is invalid; fix it (gitcrew validate) before a dry run\n`);
      return EXIT.failed;
    }
    const level = permission ?? permissionFromAssociation(trigger.actor.association);
    const source = permission ? "--permission" : `author_association ${trigger.actor.association ?? "(none)"}`;
    const result = plan(trigger, loaded.crew, { permission: level });
    io.stdout(v.json ? JSON.stringify(planJson(result, { level, source }), null, 2) + "\n" : renderPlan(result, `${level}, from ${source}`));
    return EXIT.ok;
  },
};
