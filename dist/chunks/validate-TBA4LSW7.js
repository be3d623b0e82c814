import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  loadCrewFromDir
} from "./chunk-ZQUYXMPS.js";
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
  --json       print {"ok", "errors": [{file, line, column, message}], "warnings": [...]}

Exit codes: 0 the crew is valid, 1 it has errors, 2 bad flags, 3 unreadable repo.`;
var line = (p, kind) => `${p.file}:${p.line}:${p.column}: ${kind ? `${kind}: ` : ""}${p.message}
`;
var verb = {
  summary: "check the crew's agents, skills and crew.cue",
  usage,
  async run(io) {
    const { values } = parseFlags(io.argv, { repo: { type: "string" }, json: { type: "boolean" } }, usage);
    const repo = resolve(io.cwd, values.repo ?? ".");
    const result = await loadCrewFromDir(repo, io.env);
    const ok = result.errors.length === 0;
    if (values.json) {
      io.stdout(JSON.stringify({ ok, errors: result.errors, warnings: result.warnings, agents: result.crew?.agents.map((a) => a.name) ?? [] }, null, 2) + "\n");
      return ok ? EXIT.ok : EXIT.failed;
    }
    for (const p of result.errors) io.stdout(line(p));
    for (const p of result.warnings) io.stdout(line(p, "warning"));
    if (ok) {
      const c = result.crew;
      io.stdout(`crew ok: ${c?.agents.length ?? 0} agent(s) [${c?.agents.map((a) => a.name).join(", ") ?? ""}], ${c?.skills.length ?? 0} skill(s)
`);
    } else {
      io.stdout(`${result.errors.length} error(s) in ${repo}/.gitcrew
`);
    }
    return ok ? EXIT.ok : EXIT.failed;
  }
};
export {
  verb
};
