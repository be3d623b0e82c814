import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  SELF_HOSTED_NOTE,
  publicWarning,
  repoVisibility,
  unknownNote
} from "./chunk-UKLLSXTP.js";
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  packageFile
} from "./chunk-N64I43M3.js";
import {
  EXIT,
  InputError
} from "./chunk-QEBERIHX.js";
import "./chunk-7Q4FUQQA.js";

// src/cli/init.ts
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
var DEFAULT_ACTION = "gitcrew/gitcrew@v0";
var usage = `Usage: gitcrew init [--repo DIR] [--action OWNER/REPO@REF] [--force]

Write an example crew into DIR/.gitcrew (a claude agent "dev", a codex agent
"reviewer", a command agent "notes", a shared skill "testing", crew.cue) and a
workflow for self-hosted runners into DIR/.github/workflows/gitcrew.yml.

  --repo DIR     repository to write into (default: .)
  --action REF   the action the workflow uses (default: ${DEFAULT_ACTION})
  --force        overwrite files that exist

The workflow needs a persistent self-hosted runner with Docker; on a public
repository a fork pull request's own workflow can run on it. init says so, and
asks GitHub whether the repository (origin's URL) is public: with GITHUB_TOKEN
or GH_TOKEN when set, anonymously otherwise (GITHUB_API_URL, 5 s at most). A
public one gets a warning; when GitHub cannot tell, one neutral note. Neither
changes the exit code. See docs/action.md.

Exit codes: 0 written, 1 a file exists (nothing written), 2 bad flags, 3 DIR is not a folder.`;
function files(dir, base = dir) {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? files(abs, base) : [relative(base, abs)];
  });
}
var verb = {
  summary: "write an example crew and a workflow into a repository",
  usage,
  async run(io) {
    const { values } = parseFlags(io.argv, { repo: { type: "string" }, action: { type: "string" }, force: { type: "boolean" } }, usage);
    const repo = resolve(io.cwd, values.repo ?? ".");
    if (!existsSync(repo) || !statSync(repo).isDirectory()) throw new InputError(`--repo ${values.repo ?? "."}: not a folder`);
    const action = values.action ?? DEFAULT_ACTION;
    if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+$|^\.\/[\w./-]*$/.test(action)) throw new InputError(`--action "${action}": expected OWNER/REPO@REF or ./path`);
    const crewSrc = packageFile("templates", "crew");
    const plan = [
      ...files(crewSrc).map((f) => ({ from: join(crewSrc, f), to: join(".gitcrew", f) })),
      { from: packageFile("templates", "workflows", "gitcrew.yml"), to: join(".github", "workflows", "gitcrew.yml") }
    ];
    const existing = plan.filter((p) => existsSync(join(repo, p.to)));
    if (existing.length > 0 && !values.force) {
      io.stderr(`gitcrew init: these files exist, nothing was written (use --force to overwrite):
${existing.map((p) => `  ${p.to}
`).join("")}`);
      return EXIT.failed;
    }
    for (const p of plan) {
      const dest = join(repo, p.to);
      mkdirSync(dirname(dest), { recursive: true });
      if (p.to.endsWith("gitcrew.yml")) writeFileSync(dest, readFileSync(p.from, "utf8").replace("__ACTION__", action));
      else cpSync(p.from, dest);
      io.stdout(`wrote ${p.to}
`);
    }
    if (!existsSync(join(repo, ".git"))) io.stdout("note: this folder is not a git repository yet (git init)\n");
    const visibility = await repoVisibility(repo, io.env);
    io.stdout(`
${SELF_HOSTED_NOTE}
`);
    if (visibility.kind === "public") io.stdout(`warning: ${publicWarning(visibility)}
`);
    if (visibility.kind === "unknown") io.stdout(`${unknownNote(visibility)}
`);
    io.stdout(
      [
        "",
        "Next:",
        "  gitcrew validate                                  # check the crew",
        '  gitcrew dry-run --comment "@dev fix the flaky test"  # see what would run',
        '  gitcrew run notes --prompt "remember the milk"    # run an agent locally in Docker',
        "Add `/.gitcrew/ @your-org/maintainers` to CODEOWNERS so crew changes need review.",
        ""
      ].join("\n")
    );
    return EXIT.ok;
  }
};
export {
  DEFAULT_ACTION,
  verb
};
