/** The crew verbs as a user runs them: the bundled CLI in a child process. */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { agentFiles, agentYaml, exampleRepo, makeRepo, writeFiles } from "../support/crew-fixture.js";
import { example } from "../unit/events-fixtures.js";

const run = promisify(execFile);
const BIN = join(import.meta.dirname, "../../bin/gitcrew.js");

async function gitcrew(args: string[], cwd?: string, env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A stack frame, `at fn (file.js:1:2)` or `at file:///x.js:1:2`, anywhere in the output. */
const STACK_FRAME = /(^|\n)\s*at (?:.+ \()?\S+:\d+:\d+\)?/;
const noStack = (r: { stderr: string; stdout: string }) => expect(`${r.stdout}${r.stderr}`).not.toMatch(STACK_FRAME);

describe("gitcrew init / validate / dry-run", () => {
  it("init writes a crew that validates, and refuses to overwrite", async () => {
    const dir = makeRepo();
    const init = await gitcrew(["init"], dir);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote .gitcrew/agents/dev/agent.cue");
    expect(init.stdout).toContain("wrote .github/workflows/gitcrew.yml");
    // The workflow needs a self-hosted runner: init says what that means for a public repository.
    expect(init.stdout).toContain("On a public\nrepository, anyone can open a fork pull request whose own workflow runs on that runner.");
    expect(init.stdout).toContain("note: could not tell whether this repository is public (no origin remote)");
    const v = await gitcrew(["validate", "--json"], dir);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, errors: [], agents: ["dev", "notes", "reviewer"] });
    const again = await gitcrew(["init"], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("these files exist, nothing was written");
  });

  it("a warm validate (YAML values and CUE result cached) still places a later check's error at its line", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "gitcrew-cache-")) };
    delete env.GITCREW_NO_CACHE;
    const ops = agentYaml("runtime: command\ncommand: [sh]\n\nlimits:\n  memory: 2g\n");
    const dir = makeRepo({ ...agentFiles("ops", ops), ".gitcrew/crew.cue": 'ceilings: memory: "1g"\n' });
    const expected = ".gitcrew/agents/ops/agent.yaml:5:11: limits.memory 2048m exceeds the crew's ceiling 1024m (crew.cue ceilings.memory)";
    const cold = await gitcrew(["validate", "--repo", dir], undefined, env);
    expect(cold.stdout).toContain(expected);
    // The second process reads values from the cache and loads the YAML parser only to place the error.
    const warm = await gitcrew(["validate", "--repo", dir], undefined, env);
    expect(warm.code).toBe(1);
    expect(warm.stdout).toContain(expected);
    noStack(warm);
  });

  it("validate prints path:line:col for each problem and exits 1; --json has the contract", async () => {
    const dir = makeRepo(agentFiles("dev", agentYaml("runtime: claude\nlimits:\n  memory: lots\n")));
    const text = await gitcrew(["validate", "--repo", dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('.gitcrew/agents/dev/agent.yaml:3:11: field "limits.memory": invalid value "lots": expected a size such as "512m" or "4g"');
    const json = await gitcrew(["validate", "--repo", dir, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      errors: [{ file: ".gitcrew/agents/dev/agent.yaml", line: 3, column: 11, message: expect.stringContaining("limits.memory") }],
      warnings: expect.any(Array),
    });
  });

  it("validate and dry-run show each schedule's next three firings (UTC); a bad field is named at its line", async () => {
    const ok = makeRepo(agentFiles("report", agentYaml('runtime: command\ncommand: [sh]\ntriggers:\n  schedule: ["0 6 1 * 1"]\n')));
    const v = await gitcrew(["validate", "--repo", ok]);
    expect(v.code).toBe(0);
    // The 1st and every Monday: firings a week apart or less, at 06:00.
    expect(v.stdout).toMatch(/report: schedule "0 6 1 \* 1" next \d{4}-\d\d-\d\d 06:00, \d{4}-\d\d-\d\d 06:00, \d{4}-\d\d-\d\d 06:00 UTC/);
    const json = await gitcrew(["validate", "--repo", ok, "--json"]);
    expect(JSON.parse(json.stdout).schedules).toEqual([expect.stringMatching(/^report: schedule "0 6 1 \* 1" next .* UTC$/)]);
    const d = await gitcrew(["dry-run", "--repo", ok, "--comment", "hello", "--json"]);
    expect(JSON.parse(d.stdout).notes).toContainEqual(expect.stringMatching(/^report: schedule "0 6 1 \* 1" next .* UTC$/));
    const bad = makeRepo(agentFiles("report", agentYaml('runtime: command\ncommand: [sh]\ntriggers:\n  schedule: ["0 6 L * *"]\n')));
    const b = await gitcrew(["validate", "--repo", bad]);
    expect(b.code).toBe(1);
    expect(b.stdout).toContain('.gitcrew/agents/report/agent.yaml:4:13: cron "0 6 L * *": day of month "L" is not a number, range, list or step');
  });

  it("dry-run --json plans a real webhook payload with the documented keys", async () => {
    const dir = await exampleRepo();
    const payload = example("issue_comment", "created");
    (payload.comment as Record<string, unknown>).body = "@dev the login test is flaky, please fix it";
    const file = join(dir, "event.json");
    writeFileSync(file, JSON.stringify(payload));
    const r = await gitcrew(["dry-run", "--repo", dir, "--event", "issue_comment", "--payload", file, "--permission", "write", "--json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { trigger: { kind: string }; runs: { agent: string; reason: string; prompt: string; container: Record<string, unknown> }[]; skipped: { agent: string; reason: string }[] };
    expect(plan.trigger.kind).toBe("issue_comment.created");
    expect(plan.runs.map((x) => x.agent)).toEqual(["dev"]);
    expect(plan.runs[0]?.prompt).toContain("the login test is flaky");
    expect(plan.runs[0]?.container).toMatchObject({ image: "gitcrew/claude:latest", readOnlyRootfs: true, capDrop: ["ALL"] });
    expect(plan.skipped.map((s) => s.agent).sort()).toEqual(["notes", "reviewer"]);
  });

  it("dry-run --comment refuses a reader and says why in skipped", async () => {
    const dir = await exampleRepo();
    const r = await gitcrew(["dry-run", "--repo", dir, "--comment", "@dev fix it", "--author", "visitor", "--permission", "read", "--json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { runs: unknown[]; skipped: { agent: string; reason: string }[] };
    expect(plan.runs).toEqual([]);
    expect(plan.skipped.find((s) => s.agent === "dev")?.reason).toContain("@visitor has read permission and @dev needs write");
    const human = await gitcrew(["dry-run", "--repo", dir, "--comment", "@dev fix it", "--issue", "7"]);
    expect(human.stdout).toContain("▸ dev: mentioned as @dev");
    expect(human.stdout).toContain("dry run: no container started, nothing written to GitHub.");
  });

  it("ignores events gitcrew does not act on, cleanly", async () => {
    const dir = await exampleRepo();
    const file = join(dir, "star.json");
    writeFileSync(file, JSON.stringify(example("star", "created")));
    const r = await gitcrew(["dry-run", "--repo", dir, "--event", "star", "--payload", file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ignored: event "star" is not one gitcrew acts on/);
    // An edited comment, with no agent of the example crew asking for edits.
    const edited = join(dir, "edited.json");
    writeFileSync(edited, JSON.stringify({ ...example("issue_comment", "created"), action: "edited", changes: { body: { from: "before" } } }));
    const e = await gitcrew(["dry-run", "--repo", dir, "--event", "issue_comment", "--payload", edited]);
    expect(e.code).toBe(0);
    expect(e.stdout).toBe("ignored: issue_comment.edited: edited comments are ignored unless an agent sets triggers.edits (an edited body is not trusted)\n");
  });

  it("bad input gets a clear message and a documented exit code, never a stack trace", async () => {
    const dir = await exampleRepo();
    const notJson = join(dir, "bad.json");
    writeFileSync(notJson, "{ not json");
    const wrongEvent = join(dir, "push.json");
    writeFileSync(wrongEvent, JSON.stringify(example("push")));
    const huge = join(dir, "huge.json");
    writeFileSync(huge, Buffer.alloc(26 * 1024 * 1024, 32));
    const cases: [string[], number, RegExp][] = [
      [["dry-run", "--repo", dir, "--event", "issue_comment", "--payload", notJson], 3, /--payload .*bad\.json: not JSON/],
      [["dry-run", "--repo", dir, "--event", "issue_comment", "--payload", wrongEvent], 3, /payload is not an "issue_comment" event: missing "(comment|issue)/],
      [["dry-run", "--repo", dir, "--event", "issue_comment", "--payload", huge], 3, /larger than 25 MB/],
      [["dry-run", "--repo", dir, "--event", "issue_comment", "--payload", join(dir, "nope.json")], 3, /nope\.json: no such file/],
      [["dry-run", "--repo", dir], 2, /give --event and --payload, or --comment/],
      [["dry-run", "--repo", dir, "--comment", "x", "--permission", "god"], 2, /--permission must be one of none, read, triage, write, maintain, admin; got "god"/],
      [["dry-run", "--repo", dir, "--comment", "x", "--issue", "-3"], 2, /--issue/],
      [["validate", "--bogus"], 2, /Unknown option '--bogus'/],
      [["validate", "--repo", join(dir, "missing")], 3, /not a folder/],
      [["frobnicate"], 2, /unknown command "frobnicate"/],
    ];
    for (const [args, code, message] of cases) {
      const r = await gitcrew(args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      noStack(r);
    }
  });

  it("the stack-frame check catches both frame shapes", () => {
    expect("Error: x\n    at main (/app/cli.js:1:2)").toMatch(STACK_FRAME);
    expect("Error: x\n    at file:///x.js:1:2").toMatch(STACK_FRAME);
    expect("names must be at most 39 characters").not.toMatch(STACK_FRAME);
  });

  it("refuses an agent.cue that would write into another agent, naming it, in text and JSON", async () => {
    const dir = await exampleRepo();
    writeFiles(dir, { ".gitcrew/agents/dev/agent.cue": 'runtime:"claude"\n}\n"notes": allow: permission: "none"\nzz: {\n' });
    const v = await gitcrew(["validate", "--repo", dir]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(".gitcrew/agents/dev/agent.cue:2:1: syntax error: '}' closes a '{' this file did not open");
    const r = await gitcrew(["dry-run", "--repo", dir, "--comment", "@notes write this down", "--author", "visitor", "--permission", "read", "--json"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      trigger: null,
      runs: [],
      skipped: [],
      errors: [{ file: ".gitcrew/agents/dev/agent.cue", line: 2, column: 1, message: expect.stringContaining("syntax error") }],
    });
    expect(r.stderr).toContain(".gitcrew/agents/dev/agent.cue:2:1");
    noStack(r);
  });

  it("--json prints one JSON object on stdout for every outcome, with the documented exit code", async () => {
    const dir = await exampleRepo();
    const missing = await gitcrew(["validate", "--json", "--repo", join(dir, "missing")]);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout)).toEqual({
      ok: false,
      errors: [{ message: expect.stringMatching(/missing: not a folder$/) }],
      warnings: [],
      agents: [],
      error: { code: "bad_input", message: expect.stringMatching(/missing: not a folder$/) },
    });
    const badFlag = await gitcrew(["dry-run", "--json", "--bogus"]);
    expect(badFlag.code).toBe(2);
    expect(JSON.parse(badFlag.stdout)).toMatchObject({ trigger: null, runs: [], skipped: [], errors: [{ message: expect.stringContaining("--bogus") }], error: { code: "usage" } });
    const notJson = join(dir, "bad.json");
    writeFileSync(notJson, "{ nope");
    const bad = await gitcrew(["dry-run", "--json", "--repo", dir, "--event", "issue_comment", "--payload", notJson]);
    expect(bad.code).toBe(3);
    expect(JSON.parse(bad.stdout)).toMatchObject({ trigger: null, runs: [], skipped: [], errors: [{ file: notJson, message: expect.stringContaining("not JSON") }] });
    const star = join(dir, "star.json");
    writeFileSync(star, JSON.stringify(example("star", "created")));
    const ignored = await gitcrew(["dry-run", "--json", "--repo", dir, "--event", "star", "--payload", star]);
    expect(ignored.code).toBe(0);
    expect(JSON.parse(ignored.stdout)).toEqual({ trigger: null, ignored: expect.stringMatching(/^event "star" is not one gitcrew acts on/), runs: [], skipped: [] });
    writeFiles(dir, { ".gitcrew/crew.cue": "loop_guard: {\n" });
    const invalid = await gitcrew(["dry-run", "--json", "--repo", dir, "--comment", "@dev hi"]);
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.stdout)).toEqual({ trigger: null, runs: [], skipped: [], errors: [{ file: ".gitcrew/crew.cue", line: 1, column: 13, message: expect.stringContaining("not closed") }] });
    for (const r of [missing, badFlag, bad, ignored, invalid]) noStack(r);
  });

  it("plans every agent one comment addresses, and says what dry-run cannot check", async () => {
    const dir = await exampleRepo();
    const r = await gitcrew(["dry-run", "--repo", dir, "--comment", "@dev @reviewer @notes please look", "--pr", "4", "--permission", "admin", "--json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { runs: { agent: string }[]; notes: string[] };
    expect(plan.runs.map((x) => x.agent)).toEqual(["dev", "notes", "reviewer"]);
    expect(plan.notes).toEqual([expect.stringContaining("fork status not checked in dry-run")]);
    const text = await gitcrew(["dry-run", "--repo", dir, "--comment", "@notes hi", "--pr", "4", "--permission", "write"]);
    expect(text.stdout).toContain("note: fork status not checked in dry-run");
    const onIssue = await gitcrew(["dry-run", "--repo", dir, "--comment", "@notes hi", "--permission", "write", "--json"]);
    expect(JSON.parse(onIssue.stdout)).toMatchObject({ notes: [] });
  });

  it("a repository without .gitcrew/ is an error that says to run init", async () => {
    const dir = makeRepo();
    const v = await gitcrew(["validate", "--repo", dir]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(".gitcrew:1:1: no .gitcrew/ here");
    expect(v.stdout).toContain("run `gitcrew init`");
    const d = await gitcrew(["dry-run", "--repo", dir, "--comment", "@dev hi"]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain("no .gitcrew/ here");
  });

  it("bad files get a message naming them: payload encoding, folders, YAML aliases, symlinks", async () => {
    const dir = await exampleRepo();
    const comment = example("issue_comment", "created");
    (comment.comment as Record<string, unknown>).body = "@notes caf\u00e9 please";
    const latin1 = join(dir, "latin1.json");
    writeFileSync(latin1, Buffer.from(JSON.stringify(comment), "latin1"));
    const bom = join(dir, "bom.json");
    writeFileSync(bom, "\uFEFF" + JSON.stringify(comment));
    const folder = join(dir, "payloads");
    mkdirSync(folder);
    const asIssues = join(dir, "comment.json");
    writeFileSync(asIssues, JSON.stringify(comment));
    const cases: [string[], number, RegExp][] = [
      [["--payload", latin1, "--event", "issue_comment"], 3, /latin1\.json: not UTF-8/],
      [["--payload", folder, "--event", "issue_comment"], 3, /--payload .*payloads: is a folder/],
      [["--payload", asIssues, "--event", "issues"], 3, /payload is not an "issues" event: "issues" has no action "created"/],
    ];
    for (const [args, code, message] of cases) {
      const r = await gitcrew(["dry-run", "--repo", dir, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
      noStack(r);
    }
    const withBom = await gitcrew(["dry-run", "--repo", dir, "--payload", bom, "--event", "issue_comment", "--permission", "write"]);
    expect(withBom.code).toBe(0);
    expect(withBom.stdout).toContain("café please");

    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)];
    writeFiles(dir, agentFiles("bomb", agentYaml(`runtime: claude\ndescription: x\nx-bomb:\n${bomb.map((l) => `  ${l}`).join("\n")}\n`)));
    writeFiles(dir, { ".gitcrew/agents/linked/agent.yaml": "runtime: claude\n", "outside.md": "secret" });
    symlinkSync("../../../outside.md", join(dir, ".gitcrew/agents/linked/instructions.md"));
    const v = await gitcrew(["validate", "--repo", dir]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/\.gitcrew\/agents\/bomb\/agent\.yaml:1:1: YAML: .*alias/i);
    expect(v.stdout).toContain(".gitcrew/agents/linked/instructions.md:1:1: instructions.md is a symlink (to ../../../outside.md); symlinks are refused");
    noStack(v);
  });

  it("--help of every verb is usage text and exits 0", async () => {
    const top = await gitcrew(["--help"]);
    expect(top.code).toBe(0);
    for (const v of ["init", "validate", "dry-run"]) {
      const r = await gitcrew([v, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage:[\\s\\S]*gitcrew ${v}`));
      expect(top.stdout).toContain(`  ${v}`);
    }
  });
});
