import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  publicWarning,
  repoVisibility,
  selfHostedWorkflow,
  unknownNote
} from "./chunk-UKLLSXTP.js";
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
import {
  problemLine
} from "./chunk-YMRRQ7T7.js";
import {
  loadCrew,
  noCrewProblem,
  scheduleLines,
  snapshotFromDir
} from "./chunk-EYNVMV6C.js";
import "./chunk-ZNFD3J2A.js";
import "./chunk-4MEYDY32.js";
import "./chunk-HAGKOCQO.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import "./chunk-N64I43M3.js";
import {
  EXIT
} from "./chunk-QEBERIHX.js";
import "./chunk-MAJZWNHV.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/validate.ts
import { resolve } from "node:path";
var usage = `Usage: gitcrew validate [--repo DIR] [--json]

Check the crew under DIR/.gitcrew (default: the current folder) against the
gitcrew schema and the rules the schema cannot express.

  --repo DIR   repository to check (default: .)
  --json       print {"ok", "errors": [{file, line, column, message}], "warnings": [...],
               "schedules": [...]}, also when the check cannot run (then "errors" says why)

A valid crew's schedules are listed with their next three firing times (UTC).
When an agent allows preset:packages, the hosts it opens on this machine are
listed (the registries this host's npm, pip, apt, cargo and Go are configured
with; "presets" in --json). For each agent on the run gateway, a line says
whether the model provider may search the web (preset:web-search) and fetch
URLs (preset:web-fetch) for it ("providerWeb" in --json).

When a workflow under .github/workflows runs on a self-hosted runner, GitHub
is asked whether the repository (origin's URL) is public: with GITHUB_TOKEN or
GH_TOKEN when set, anonymously otherwise (GITHUB_API_URL, 5 s at most). A
public one gets a warning (fork pull requests can run their own workflows on
that runner; see docs/action.md); when GitHub cannot tell, one neutral note
(on stderr with --json). Neither changes the exit code.

Exit codes: 0 the crew is valid, 1 it has errors (or there is no .gitcrew/),
2 bad flags, 3 unreadable repo.`;
var line = problemLine;
var verb = {
  summary: "check the crew's agents, skills and crew.cue",
  usage,
  run: (io) => jsonOnError(io, wantsJson(io.argv), (errors) => ({ ok: false, errors, warnings: [], agents: [] }), async () => {
    const { values } = parseFlags(io.argv, { repo: { type: "string" }, json: { type: "boolean" } }, usage);
    const repo = resolve(io.cwd, values.repo ?? ".");
    const runner = selfHostedWorkflow(repo);
    const visibility = runner ? repoVisibility(repo, io.env) : void 0;
    const snap = await snapshotFromDir(repo);
    const missing = noCrewProblem(snap);
    const loaded = missing ? { errors: [missing], warnings: [] } : await loadCrew(snap, io.env);
    const seen = await visibility;
    const result = runner && seen?.kind === "public" ? { ...loaded, warnings: [...loaded.warnings, { ...runner, message: publicWarning(seen) }] } : loaded;
    const note = seen?.kind === "unknown" ? `${unknownNote(seen)}
` : void 0;
    const crew = "crew" in result ? result.crew : void 0;
    const ok = result.errors.length === 0;
    const usesPackages = crew?.agents.some((a) => typeof a.limits.network === "object" && a.limits.network.allow.includes(PACKAGES_PRESET));
    const packages = usesPackages ? await packagesPreset(io.env) : void 0;
    const web = (crew?.agents ?? []).flatMap((a) => {
      const w = providerWeb(a.limits.network);
      return w ? [[a.name, w]] : [];
    });
    if (values.json) {
      io.stdout(JSON.stringify({ ok, errors: result.errors, warnings: result.warnings, agents: crew?.agents.map((a) => a.name) ?? [], schedules: crew ? scheduleLines(crew.agents, /* @__PURE__ */ new Date()) : [], ...packages ? { presets: { packages } } : {}, providerWeb: Object.fromEntries(web) }, null, 2) + "\n");
      if (note) io.stderr(note);
      return ok ? EXIT.ok : EXIT.failed;
    }
    for (const p of result.errors) io.stdout(line(p));
    for (const p of result.warnings) io.stdout(line(p, "warning"));
    if (note) io.stdout(note);
    if (ok) {
      io.stdout(`crew ok: ${crew?.agents.length ?? 0} agent(s) [${crew?.agents.map((a) => a.name).join(", ") ?? ""}], ${crew?.skills.length ?? 0} skill(s)
`);
      for (const l of crew ? scheduleLines(crew.agents, /* @__PURE__ */ new Date()) : []) io.stdout(`  ${l}
`);
      if (packages) io.stdout(`  ${packagesPresetLine(packages)}
`);
      for (const [name, w] of web) io.stdout(`  ${providerWebLine(name, w)}
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
