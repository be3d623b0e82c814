/** The crew verbs as a user runs them: the bundled CLI in a child process. */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { agentFiles, agentYaml, exampleRepo, makeRepo } from "../support/crew-fixture.js";
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

const noStack = (r: { stderr: string; stdout: string }) => expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);

describe("gitcrew init / validate / dry-run", () => {
  it("init writes a crew that validates, and refuses to overwrite", async () => {
    const dir = makeRepo();
    const init = await gitcrew(["init"], dir);
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote .gitcrew/agents/dev/agent.cue");
    expect(init.stdout).toContain("wrote .github/workflows/gitcrew.yml");
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
