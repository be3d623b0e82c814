import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  jsonOnError,
  wantsJson
} from "./chunk-B2PNK6UA.js";
import {
  loadCrew,
  noCrewProblem,
  snapshotFromDir
} from "./chunk-KHAFTCWQ.js";
import "./chunk-N64I43M3.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  EXIT
} from "./chunk-QEBERIHX.js";
import "./chunk-ZZLPSW6X.js";

// src/cli/validate.ts
import { resolve } from "node:path";
var usage = `Usage: gitcrew validate [--repo DIR] [--json]

Check the crew under DIR/.gitcrew (default: the current folder) against the
gitcrew schema and the rules the schema cannot express.

  --repo DIR   repository to check (default: .)
  --json       print {"ok", "errors": [{file, line, column, message}], "warnings": [...]},
               also when the check cannot run (then "errors" says why)

Exit codes: 0 the crew is valid, 1 it has errors (or there is no .gitcrew/),
2 bad flags, 3 unreadable repo.`;
var line = (p, kind) => `${p.file}:${p.line}:${p.column}: ${kind ? `${kind}: ` : ""}${p.message}
`;
var verb = {
  summary: "check the crew's agents, skills and crew.cue",
  usage,
  run: (io) => jsonOnError(io, wantsJson(io.argv), (errors) => ({ ok: false, errors, warnings: [], agents: [] }), async () => {
    const { values } = parseFlags(io.argv, { repo: { type: "string" }, json: { type: "boolean" } }, usage);
    const repo = resolve(io.cwd, values.repo ?? ".");
    const snap = await snapshotFromDir(repo);
    const missing = noCrewProblem(snap);
    const result = missing ? { errors: [missing], warnings: [] } : await loadCrew(snap, io.env);
    const crew = "crew" in result ? result.crew : void 0;
    const ok = result.errors.length === 0;
    if (values.json) {
      io.stdout(JSON.stringify({ ok, errors: result.errors, warnings: result.warnings, agents: crew?.agents.map((a) => a.name) ?? [] }, null, 2) + "\n");
      return ok ? EXIT.ok : EXIT.failed;
    }
    for (const p of result.errors) io.stdout(line(p));
    for (const p of result.warnings) io.stdout(line(p, "warning"));
    if (ok) {
      io.stdout(`crew ok: ${crew?.agents.length ?? 0} agent(s) [${crew?.agents.map((a) => a.name).join(", ") ?? ""}], ${crew?.skills.length ?? 0} skill(s)
`);
    } else {
      io.stdout(`${result.errors.length} error(s) in ${repo}/.gitcrew
`);
    }
    return ok ? EXIT.ok : EXIT.failed;
  })
};
export {
  verb
};
