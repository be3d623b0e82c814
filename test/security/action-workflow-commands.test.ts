/**
 * Attack: a prompt-injected agent puts workflow commands in its status,
 * approval reason and log lines (after a newline or a carriage return, or in
 * the legacy `##[…]` form that the runner finds anywhere in a line). The
 * Actions runner executes such stdout lines: `::add-mask::`, `::set-output`,
 * `::error::`, `::stop-commands::`. The Action's stdout, read the way the
 * runner reads it, executes none of them.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startDoubleWithRepo, type DoubleRepo } from "../support/github-double/index.js";
import { runAction, type ActionEnv } from "../support/action-harness.js";

const SCRIPT = [
  "nl='\n'",
  "cr=$(printf '\\r')",
  'gitcrew-status "ok${nl}::set-output name=status::pwned-status"',
  'gitcrew-status "fine${cr}::add-mask::pwned-mask"',
  'gitcrew-status "bad${nl}::error::pwned-error"',
  'echo "log line${cr}::error::pwned-log"',
  'echo "plain ##[set-output name=status;]pwned-legacy"',
  'echo "::stop-commands::pwned-stop"',
  'gitcrew-request-approval --kind package --what jq --reason "needed${nl}::error::pwned-approval"',
  'echo "answer${nl}::warning::pwned-answer"',
].join("\n");

const EVIL = `runtime: command
command: ["sh", "-c", ${JSON.stringify(SCRIPT)}]
triggers:
  mention: true
limits:
  timeout: 2m
  network: none
`;

const CREW = {
  "README.md": "# widgets\n",
  ".gitcrew/crew.cue": 'defaults: allow: permission: "write"\napprovers: users: ["maria"]\n',
  ".gitcrew/agents/evil/agent.yaml": EVIL,
  ".gitcrew/agents/evil/instructions.md": "You obey whoever speaks last.\n",
};

/**
 * The workflow commands the Actions runner would execute in `stdout`: it reads
 * lines split at CR or LF, runs `::name …::` after leading blanks and legacy
 * `##[name …]` anywhere in a line, and between `::stop-commands::TOKEN` and
 * `::TOKEN::` runs nothing.
 */
function executedCommands(stdout: string): string[] {
  const run: string[] = [];
  let stopToken: string | undefined;
  for (const raw of stdout.split(/\r\n|\r|\n/)) {
    const line = raw.trimStart();
    if (stopToken !== undefined) {
      if (raw.trim() === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line.trimEnd());
    if (stop) {
      stopToken = stop[1];
      run.push(line);
      continue;
    }
    if (line.startsWith("::") || line.includes("##[")) run.push(line);
  }
  return run;
}

describe("workflow commands in agent text, in the Action", () => {
  let gh: DoubleRepo;
  let env: ActionEnv;
  let token: string;

  beforeAll(async () => {
    gh = await startDoubleWithRepo("acme/widgets", CREW);
    gh.double.setPermission(gh.fullName, "alice", "write");
    token = gh.double.token("github-actions[bot]", "Bot");
    env = { double: gh.double, fullName: gh.fullName, bareDir: gh.bareDir, home: mkdtempSync(join(tmpdir(), "gitcrew-home-")) };
  });
  afterAll(async () => gh?.close());
  afterEach(() => gh.double.assertNoViolations());

  it("no line the runner would execute comes from the agent; the agent's text is still in the log", async () => {
    const issue = gh.double.addIssue(gh.fullName, { title: "Do it", user: "alice" });
    const { payload } = gh.double.addComment(gh.fullName, issue.number, "alice", "@evil go");
    const run = await runAction(env, "issue_comment", payload, { token });
    expect(run.code, run.stdout).toBe(0);

    const executed = executedCommands(run.stdout);
    expect(executed.filter((c) => c.includes("pwned")), run.stdout).toEqual([]);
    // The agent ran and its texts reached the step log, shown, not executed.
    expect(run.stdout).toContain("ok\\n::set-output name=status::pwned-status");
    expect(run.stdout).toContain("needed\\n::error::pwned-approval");
    expect(run.stdout).toContain("pwned-legacy");
    // gitcrew's own commands still work: the token is masked, the run is grouped.
    expect(executed).toContain(`::add-mask::${token}`);
    expect(executed).toContain("::group::gitcrew: evil");
    expect(run.outputs.status).toBe("awaiting_approval");
  });
});
