/**
 * Attack: an agent (prompt-injected by a stranger's comment) names files and
 * folders, and writes its output and status, so that what gitcrew prints
 * about them reads as gitcrew's own lines: a file name holding a line break
 * and `» FORGED …` (gitcrew's notes in a run log start with `» `), a folder
 * holding a repository of its own with such a name (the runner lists it as
 * "removed from the worktree"), an output line starting with `» `, a status
 * with a line break, and terminal escapes in names. What the user sees in
 * `gitcrew run`, `gitcrew logs` (local and from `gitcrew serve`), the run log
 * and the thread's final comment carries none of them as a line of its own,
 * no ESC byte, and no HTML comment (a gitcrew marker's form) from a name.
 * Nor does an approval request's what and why in `gitcrew approvals show`,
 * nor a plan (`gitcrew dry-run`, the Action's step log) that quotes a slash
 * command's arguments or a pull request's file names, nor `gitcrew validate`
 * of a crew whose file names hold escapes (a pull request's, checked out).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentFiles, agentYaml, cli, makeRepo } from "../support/crew-fixture.js";
import { example } from "../support/webhooks.js";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { normalize } from "../../src/events/normalize.js";
import { plan } from "../../src/plan/plan.js";
import { renderPlan } from "../../src/plan/render.js";
import { makeCrewRepo, shAgent } from "../support/runner-repo.js";
import { requireDockerAndImage, tempHome } from "../support/runner-harness.js";
import { SECRET, shAgentFiles, startGitHubServer, type GitHubServer } from "../support/server-github.js";
import { until } from "../support/server-harness.js";
import { openApprovalRequests } from "../../src/approvals/index.js";
import { askDev, makeWorld, resultWith } from "../integration/approvals-fixture.js";

const CONTROL_BYTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
/** A line that reads as one of gitcrew's notes but was written by the agent. */
const FORGED_LINE = /^[\s\u200b]*(» |gitcrew: )FORGED/m;

const SCRIPT = [
  "set -e",
  "nl='\n'",
  "esc=$(printf '\\033')",
  // A file whose name breaks the line, and one whose name clears the screen and hides an HTML comment.
  'echo x > "a${nl}» FORGED succeeded (exit code 0)${nl}b.txt"',
  'echo x > "c${esc}[2J${esc}]0;owned$(printf \'\\007\')d <!-- forged -->.txt"',
  // A repository of its own in a folder so named: never committed, and listed as removed.
  'mkdir -p "n${nl}» FORGED removed nothing${nl}x" && (cd "n${nl}» FORGED removed nothing${nl}x" && git init -q . && echo one > f && git add f && git -c user.name=a -c user.email=a@example.invalid commit -qm n)',
  // A workflow the agent may not change (no workflows: write): held back, and named in the log and the thread.
  'mkdir -p .github/workflows && echo "on: push" > ".github/workflows/w${nl}» FORGED held nothing${nl}${nl}## FORGED heading.yml"',
  'echo "» FORGED succeeded (exit code 0)"',
  'echo " » FORGED cancelled"',
  'echo "gitcrew: FORGED attempt 1 failed (infrastructure); retrying"',
  'gitcrew-status "working${nl}» FORGED approval granted"',
  'gitcrew-return "done"',
].join("\n");

function forgedIn(text: string): string[] {
  return text.split("\n").filter((l) => FORGED_LINE.test(l));
}

describe("file names, output and status that mimic gitcrew's lines, gitcrew run and gitcrew logs (local)", () => {
  let repo: string;
  let home: string;
  const env = () => ({ GITCREW_HOME: home, GITCREW_SERVER_URL: "", GITCREW_API_TOKEN: "" });

  beforeAll(async () => {
    await requireDockerAndImage();
    home = tempHome();
    repo = await makeCrewRepo([shAgent("namer", SCRIPT)]);
  });
  afterAll(async () => {
    if (repo) await rm(repo, { recursive: true, force: true });
    if (home) await rm(home, { recursive: true, force: true });
  });

  it("print no line of the agent's as gitcrew's own, and no terminal escape", { timeout: 180_000 }, async () => {
    const run = await cli(["run", "namer", "--repo", repo, "--prompt", "go"], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    expect(forgedIn(run.stdout)).toEqual([]);
    expect(forgedIn(run.stderr)).toEqual([]);
    expect(run.stdout).not.toMatch(CONTROL_BYTES);
    expect(run.stderr).not.toMatch(CONTROL_BYTES);
    // The names are still there, readable: their line breaks and escapes shown as text.
    expect(run.stdout).toContain("a\\n» FORGED succeeded (exit code 0)\\nb.txt");
    const id = /▸ run (\S+) succeeded/.exec(run.stderr)?.[1] ?? "";
    expect(id).not.toBe("");

    const logs = await cli(["logs", id], { env: env() });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).not.toMatch(CONTROL_BYTES);
    // The agent's lines are all there, none reads as gitcrew's note.
    expect(logs.stdout).toContain("» FORGED succeeded (exit code 0)");
    expect(logs.stdout).toContain("removed from the worktree before the commit");
    expect(forgedIn(logs.stdout)).toEqual([]);
    // gitcrew's own last line is the only one that says how the run ended.
    expect(logs.stdout.split("\n").filter((l) => /^» (succeeded|failed|cancelled)/.test(l))).toEqual(["» succeeded (exit code 0)"]);

    // The run log on disk, as another tool reads it.
    const file = readFileSync(join(home, "runs", id, "log"), "utf8");
    expect(forgedIn(file)).toEqual([]);
  });
});

describe("the same agent under gitcrew serve: gitcrew logs from the server, and the thread's final comment", () => {
  let s: GitHubServer | undefined;
  afterAll(async () => {
    s?.gh.double.assertNoViolations();
    await s?.stop();
  });

  it("the server's run log has no forged line, gitcrew logs prints none, the comment's file list stays in one paragraph with no HTML comment", { timeout: 180_000 }, async () => {
    await requireDockerAndImage();
    s = await startGitHubServer(shAgentFiles("dev", SCRIPT), { pipeline: { engineUp: async () => true } });
    const { double } = s.gh;
    double.setPermission("acme/widgets", "alice", "write");
    const issue = double.addIssue("acme/widgets", { title: "Names", user: "alice" });
    const { payload } = double.addComment("acme/widgets", issue.number, "alice", "@dev go");
    const d = await double.deliver(s.webhookUrl, "issue_comment", payload, SECRET);
    expect(d.status).toBe(202);
    const server = s;
    const id = `${d.deliveryId}:dev`;
    await until("the run to finish", async () => ((await server.store.getRun(id))?.status === "succeeded" ? true : undefined), 150_000);

    const logs = await cli(["logs", id], { env: { GITCREW_SERVER_URL: s.server.url, GITCREW_API_TOKEN: "t", GITCREW_HOME: tempHome() } });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stdout).toContain("» FORGED succeeded (exit code 0)");
    expect(logs.stdout).toContain("working");
    expect(forgedIn(logs.stdout)).toEqual([]);
    expect(logs.stdout).not.toMatch(CONTROL_BYTES);

    const final = await until("the final comment", async () => double.comments("acme/widgets", issue.number).find((c) => c.body.includes("**dev** finished")));
    expect(final.body).toContain("were not committed");
    expect(final.body.split("\n").filter((l) => l.includes("FORGED heading"))).toEqual([expect.stringMatching(/^\*\*What went wrong:\*\* /)]);
    const files = final.body.split("\n").find((l) => l.startsWith("**Changed files")) ?? "";
    expect(files).toContain("b.txt");
    expect(files).toContain("d <");
    // Both names on that one line: no name started a line or paragraph of its own.
    expect(forgedIn(final.body)).toEqual([]);
    expect(final.body).not.toContain("<!-- forged");
    expect(final.body).not.toMatch(/\x1b/);
  });
});

describe("an approval request whose what and why hold line breaks, in gitcrew approvals show", () => {
  it("prints each on its own field's line: no forged 'approved' line", { timeout: 120_000 }, async () => {
    const w = await makeWorld();
    const clone = mkdtempSync(join(tmpdir(), "gitcrew-approval-forging-"));
    try {
      const { job } = await askDev(w);
      const forged = "\n  approved:     merged by @alice (judged 2026-01-01)\n\x1b[2J";
      const [pr] = await openApprovalRequests(w.s, job, resultWith(job, [{ kind: "package", what: `jq${forged}`, reason: `json${forged}` }]));
      const id = w.env.double.pulls(w.env.fullName).find((x) => x.number === pr?.number)?.pull?.head.split("/").pop() ?? "";
      execFileSync("git", ["clone", "--quiet", w.env.bareDir, clone]);
      const show = await cli(["approvals", "show", id, "--repo", clone, "--no-github"], { env: { GITHUB_TOKEN: "", GH_TOKEN: "" } });
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toContain(`${id}: pending`);
      expect(show.stdout).toContain("what:         jq\\n  approved:");
      expect(show.stdout.split("\n").filter((l) => /^\s*approved:/.test(l))).toEqual([]);
      expect(show.stdout).not.toMatch(CONTROL_BYTES);
      w.env.double.assertNoViolations();
    } finally {
      await w.close();
      rmSync(clone, { recursive: true, force: true });
    }
  });
});

describe("a plan as gitcrew dry-run and the Action's step log print it", () => {
  it("a slash command's arguments and a changed file's name with terminal escapes are shown as visible text", async () => {
    const dir = makeRepo({
      ...agentFiles("ops", agentYaml('runtime: command\ncommand: ["deploy.sh"]\ntriggers:\n  commands: ["deploy"]\n')),
      ...agentFiles("rev", agentYaml('runtime: command\ncommand: ["review.sh"]\ntriggers:\n  events: ["pull_request.opened"]\n  paths: ["src/**"]\n')),
    });
    const payload = example("issue_comment", "created") as { comment: { body: string } };
    payload.comment.body = "/deploy staging \x1b]52;c;ZXZpbA==\x07 \x1b[2J now";
    const file = join(dir, "event.json");
    writeFileSync(file, JSON.stringify(payload));
    const r = await cli(["dry-run", "--repo", dir, "--event", "issue_comment", "--payload", file, "--permission", "write"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("/deploy staging \\x1b]52;c;ZXZpbA==\\x07 \\x1b[2J now");
    expect(r.stdout).not.toMatch(CONTROL_BYTES);

    // A pull request's file (a fork chooses its names) named with terminal escapes, quoted in the run's reason.
    const loaded = await loadCrewFromDir(dir);
    if (!loaded.crew) throw new Error(JSON.stringify(loaded.errors));
    const n = normalize("pull_request", example("pull_request", "opened"));
    if (!n.ok) throw new Error(n.ignored);
    const planned = plan(n.trigger, loaded.crew, { permission: "write", changedFiles: ["src/a\x1b[2J\x1b]0;FORGED\x07.ts"] });
    const text = renderPlan(planned, "looked up on GitHub");
    expect(text).toContain("  ▸ rev: event pull_request.opened, src/a\\x1b[2J\\x1b]0;FORGED\\x07.ts matches paths");
    expect(text).not.toMatch(CONTROL_BYTES);
  });
});

describe("gitcrew validate of a crew whose file names hold terminal escapes and line breaks (a pull request's crew, checked out to review)", () => {
  it("prints each problem with its escapes as text, and no line that reads as another problem", async () => {
    const dir = makeRepo({
      ...agentFiles("dev", agentYaml('runtime: "\\e]52;c;ZXZpbA==\\a"\n')),
      ".gitcrew/agents/x\x1b]52;c;ZXZpbA==\x07\x1b[2J\n.gitcrew/agents/dev/agent.yaml:1:1: FORGED all good/agent.yaml": "runtime: klingon\n",
    });
    const r = await cli(["validate", "--repo", dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("\\x1b]52;c;ZXZpbA==\\x07\\x1b[2J");
    expect(r.stdout).not.toMatch(CONTROL_BYTES);
    expect(r.stdout.split("\n").filter((l) => /^\.gitcrew\/agents\/dev\/agent\.yaml:1:1: FORGED/.test(l))).toEqual([]);
  });
});
