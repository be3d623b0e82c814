import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cue } from "../../src/crew/cue.js";
import { structureProblems } from "../../src/crew/cue-structure.js";
import { loadCrew, loadCrewFromDir } from "../../src/crew/load.js";
import { snapshotFromGit } from "../../src/crew/snapshot.js";
import { agentFiles, agentYaml, exampleRepo, git, makeRepo, writeFiles } from "../support/crew-fixture.js";

const messages = (r: { errors: { file: string; line: number; column: number; message: string }[] }) =>
  r.errors.map((e) => `${e.file}:${e.line}:${e.column}: ${e.message}`);

describe("loading a crew", () => {
  it("loads the example crew with defaults applied", async () => {
    const r = await loadCrewFromDir(await exampleRepo());
    expect(r.errors).toEqual([]);
    const dev = r.crew?.agents.find((a) => a.name === "dev");
    expect(dev).toMatchObject({
      runtime: "claude",
      model: "claude-sonnet-4-5",
      image: "gitcrew/claude:latest",
      skills: ["testing"],
      allow: { permission: "write" },
      limits: { timeout: 45 * 60, memory: 4 * 1024 ** 3, cpus: 2, network: { allow: [] } },
    });
    expect(dev?.instructions).toContain("careful software engineer");
    const notes = r.crew?.agents.find((a) => a.name === "notes");
    expect(notes).toMatchObject({ runtime: "command", model: undefined, limits: { memory: 256 * 1024 ** 2, network: "none" } });
    expect(r.crew?.skills.map((s) => s.name)).toEqual(["testing"]);
    expect(r.crew?.config.loop_guard.max_depth).toBe(3);
  });

  it("places an error in a YAML agent exactly when its parsed values come from the cache", async () => {
    const cache = mkdtempSync(join(tmpdir(), "gitcrew-cache-"));
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
    delete env.GITCREW_NO_CACHE;
    const ops = agentYaml("runtime: command\ncommand: [sh]\n\nlimits:\n  memory: 2g\n");
    const first = await loadCrewFromDir(makeRepo({ ...agentFiles("ops", ops) }), env);
    expect(first.errors).toEqual([]);
    expect(readdirSync(join(cache, "gitcrew", "yaml-v1"))).toHaveLength(1);
    // Same YAML (cache hit), but a ceiling in crew.cue now makes its memory an error.
    const second = await loadCrewFromDir(makeRepo({ ...agentFiles("ops", ops), ".gitcrew/crew.cue": 'ceilings: memory: "1g"\n' }), env);
    expect(messages(second)).toEqual([".gitcrew/agents/ops/agent.yaml:5:11: limits.memory 2048m exceeds the crew's ceiling 1024m (crew.cue ceilings.memory)"]);
  });

  it("names file, line and column of schema errors in CUE and YAML agents, all at once", async () => {
    const dir = makeRepo({
      ...agentFiles("dev", { "agent.cue": 'runtime: "claude"\nlimits: {\n\tcpus: 100\n}\nbogus: true\n', "instructions.md": "x" }),
      ...agentFiles("ops", agentYaml("runtime: command\ncommand: [sh]\ntriggers:\n  mention: \"yes\"\n")),
      ...agentFiles("rev", agentYaml("runtime: robot\n")),
    });
    const r = await loadCrewFromDir(dir);
    expect(r.crew).toBeUndefined();
    expect(messages(r)).toEqual([
      '.gitcrew/agents/dev/agent.cue:3:8: field "limits.cpus": invalid value 100 (out of bound <=64)',
      '.gitcrew/agents/dev/agent.cue:5:1: unknown field "bogus"',
      '.gitcrew/agents/ops/agent.yaml:4:12: field "triggers.mention": conflicting values "yes" and bool (mismatched types string and bool)',
      '.gitcrew/agents/rev/agent.yaml:1:10: field "runtime": invalid value "robot": expected one of "claude", "codex", "command", "gemini"',
    ]);
  });

  it("rejects an agent.cue that closes its struct to write into another agent, naming the file", async () => {
    const dir = await exampleRepo();
    writeFiles(dir, { ".gitcrew/agents/dev/agent.cue": 'runtime:"claude"\n}\n"notes": allow: permission: "none"\nzz: {\n' });
    const r = await loadCrewFromDir(dir);
    expect(r.crew).toBeUndefined();
    expect(messages(r)).toEqual([".gitcrew/agents/dev/agent.cue:2:1: syntax error: '}' closes a '{' this file did not open (a file is the body of one struct)"]);
  });

  it("a syntax error in one agent still reports the other agents' problems, each at its file and line", async () => {
    const dir = makeRepo({
      ...agentFiles("aaa", { "agent.cue": 'runtime: "claude"\nlimits: {\n\tcpus: 2\n', "instructions.md": "x" }),
      ...agentFiles("bbb", { "agent.cue": 'runtime: "claude\nmodel: "x"\n', "instructions.md": "x" }),
      ...agentFiles("ccc", { "agent.cue": 'runtime: "claude"\nbogus: 1\n', "instructions.md": "x" }),
      ...agentFiles("ddd", agentYaml("runtime: robot\n")),
    });
    const r = await loadCrewFromDir(dir);
    expect(messages(r)).toEqual([
      ".gitcrew/agents/aaa/agent.cue:2:9: syntax error: this '{' is not closed before the end of the file",
      ".gitcrew/agents/bbb/agent.cue:1:10: syntax error: string literal not terminated",
      '.gitcrew/agents/ccc/agent.cue:2:1: unknown field "bogus"',
      '.gitcrew/agents/ddd/agent.yaml:1:10: field "runtime": invalid value "robot": expected one of "claude", "codex", "command", "gemini"',
    ]);
  });

  it("places CUE's own syntax errors (they have no field path) at the file and line, never at <schema>", async () => {
    const dir = makeRepo({
      ".gitcrew/crew.cue": "approvers: users: [1 2]\n",
      ...agentFiles("aaa", { "agent.cue": 'runtime: "claude"\nmodel: : "x"\n', "instructions.md": "x" }),
      ...agentFiles("bbb", { "agent.cue": 'runtime: "claude"\nmodel: nope\n', "instructions.md": "x" }),
      ...agentFiles("ccc", agentYaml("runtime: robot\n")),
    });
    expect(messages(await loadCrewFromDir(dir))).toEqual([
      ".gitcrew/agents/aaa/agent.cue:2:8: syntax error: expected operand, found ':'",
      '.gitcrew/agents/bbb/agent.cue:2:8: field "model": reference "nope" not found',
      '.gitcrew/agents/ccc/agent.yaml:1:10: field "runtime": invalid value "robot": expected one of "claude", "codex", "command", "gemini"',
      ".gitcrew/crew.cue:1:22: syntax error: missing ',' in list literal",
    ]);
  });

  it.each([
    ["a syntax error", 'loop_guard: {\n\tmax_depth: 3\n', ".gitcrew/crew.cue:1:13: syntax error: this '{' is not closed before the end of the file"],
    ["an unknown field", "approvers: users: []\nbogus: true\n", '.gitcrew/crew.cue:2:1: unknown field "bogus"'],
    ["a wrong type", 'loop_guard: max_depth: "three"\n', '.gitcrew/crew.cue:1:24: field "loop_guard.max_depth": conflicting values "three" and int (mismatched types string and int)'],
  ])("names crew.cue for %s in it, and still checks the agents", async (_what, crewCue, expected) => {
    const dir = makeRepo({ ".gitcrew/crew.cue": crewCue, ...agentFiles("ops", agentYaml("runtime: robot\n")) });
    const r = await loadCrewFromDir(dir);
    expect(messages(r)).toEqual(['.gitcrew/agents/ops/agent.yaml:1:10: field "runtime": invalid value "robot": expected one of "claude", "codex", "command", "gemini"', expected]);
  });

  it("reports a missing required field and explains command agents", async () => {
    const r = await loadCrewFromDir(makeRepo(agentFiles("ops", agentYaml("runtime: command\n"))));
    expect(messages(r)).toEqual([
      '.gitcrew/agents/ops/agent.yaml:1:1: missing required field "command": the command runtime needs the argv to run, e.g. command: ["./scripts/agent.sh"]',
    ]);
  });

  it("checks what the schema cannot: skills, cron, secret names, ceilings", async () => {
    const dir = makeRepo({
      ".gitcrew/crew.cue": "ceilings: cpus: 2\n",
      ".gitcrew/skills/testing/SKILL.md": "---\ndescription: tests\n---\n",
      ...agentFiles(
        "dev",
        agentYaml(
          'runtime: claude\nskills: ["testing", "missing", "../../etc"]\ntriggers:\n  schedule: ["61 * * * *", "0 6 * * mon"]\nsecrets: ["GOOD_ONE", "1BAD", "GITCREW_X"]\nlimits:\n  cpus: 4\n',
        ),
      ),
    });
    const r = await loadCrewFromDir(dir);
    expect(messages(r)).toEqual([
      `.gitcrew/agents/dev/agent.yaml:2:9: skill "../../etc": a skill is named by its folder under .gitcrew/skills/ (no paths, no '..')`,
      '.gitcrew/agents/dev/agent.yaml:2:9: skill "missing": .gitcrew/skills/missing/SKILL.md does not exist',
      '.gitcrew/agents/dev/agent.yaml:4:13: cron "61 * * * *": minute "61" is out of range 0-59',
      '.gitcrew/agents/dev/agent.yaml:5:10: secret "1BAD" is not a valid environment variable name (letters, digits, _; not starting with a digit)',
      '.gitcrew/agents/dev/agent.yaml:5:10: secret "GITCREW_X" uses a name gitcrew reserves (GITCREW_* are gitcrew\'s own settings and server secrets); an agent\'s GitHub access is its `permissions`',
      ".gitcrew/agents/dev/agent.yaml:7:9: limits.cpus 4 exceeds the crew's ceiling 2 (crew.cue ceilings.cpus)",
    ]);
  });

  it("refuses an agent slash command that would take one of gitcrew's own (/cancel, /retry, /approve)", async () => {
    const dir = makeRepo(agentFiles("ops", agentYaml('runtime: command\ncommand: [sh]\ntriggers:\n  commands: ["deploy", "cancel", "approve"]\n')));
    const r = await loadCrewFromDir(dir);
    expect(messages(r)).toEqual([
      ".gitcrew/agents/ops/agent.yaml:4:13: /approve is gitcrew's own command (it steers runs); an agent cannot take it: choose another name",
      ".gitcrew/agents/ops/agent.yaml:4:13: /cancel is gitcrew's own command (it steers runs); an agent cannot take it: choose another name",
    ]);
  });

  it("rejects skill folders and files that are symlinks leaving the tree", async () => {
    const dir = makeRepo({
      ".gitcrew/skills/ok/SKILL.md": "ok",
      ...agentFiles("dev", agentYaml('runtime: claude\nskills: ["ok", "escape"]\n')),
    });
    symlinkSync("/etc", join(dir, ".gitcrew/skills/escape"));
    symlinkSync("../../../../etc/passwd", join(dir, ".gitcrew/skills/ok/passwd"));
    const r = await loadCrewFromDir(dir);
    expect(messages(r)).toEqual([
      '.gitcrew/agents/dev/agent.yaml:2:9: skill "escape": .gitcrew/skills/escape is a symlink that leaves .gitcrew/skills/',
      `.gitcrew/agents/dev/agent.yaml:2:9: skill "ok": .gitcrew/skills/ok/passwd is a symlink that leaves the skill's folder`,
    ]);
  });

  it("gives clear errors for unreadable agent files", async () => {
    const dir = makeRepo({
      ...agentFiles("bad-yaml", agentYaml("runtime: claude\n  model: [unclosed\n")),
      ...agentFiles("latin1", { "agent.yaml": Buffer.from([0x72, 0x75, 0x6e, 0x74, 0x69, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]), "instructions.md": "x" }),
      ...agentFiles("no-instr", { "agent.yaml": "runtime: claude\n" }),
      ...agentFiles("both", { "agent.yaml": "runtime: claude\n", "agent.cue": 'runtime: "claude"\n', "instructions.md": "x" }),
      ...agentFiles("Upper", agentYaml("runtime: claude\n")),
      ...agentFiles("list", agentYaml("- runtime: claude\n")),
      ...agentFiles("imports", { "agent.cue": 'import "strings"\nruntime: "claude"\n', "instructions.md": "x" }),
      ...agentFiles("dupkey", agentYaml("runtime: claude\nruntime: codex\n")),
    });
    const r = await loadCrewFromDir(dir);
    const m = messages(r);
    expect(m).toContain(".gitcrew/agents/Upper:1:1: agent name \"Upper\" must be usable as an @mention: lower-case letters, digits and inner hyphens, at most 39 characters");
    expect(m).toContain(".gitcrew/agents/both:1:1: more than one definition (agent.cue, agent.yaml): keep one");
    expect(m).toContain(".gitcrew/agents/latin1/agent.yaml:1:1: file is not valid UTF-8; save it as UTF-8");
    expect(m).toContain(".gitcrew/agents/no-instr/instructions.md:1:1: missing: every agent needs an instructions.md (its system instructions)");
    expect(m).toContain(".gitcrew/agents/list/agent.yaml:1:1: an agent file must be a mapping of fields (runtime: claude, …)");
    expect(m).toContain(".gitcrew/agents/imports/agent.cue:1:1: imports are not supported in gitcrew files; inline the values");
    expect(m.filter((x) => x.startsWith(".gitcrew/agents/bad-yaml/"))).toContain(".gitcrew/agents/bad-yaml/agent.yaml:1:10: YAML: Nested mappings are not allowed in compact mappings");
    expect(m.some((x) => x.startsWith(".gitcrew/agents/dupkey/agent.yaml:2:1: YAML: Map keys must be unique"))).toBe(true);
  });

  it("rejects non-UTF-8 instructions and skill paths that are absolute", async () => {
    const dir = makeRepo({
      ".gitcrew/skills/ok/SKILL.md": "ok",
      ...agentFiles("latin", { "agent.yaml": "runtime: claude\n", "instructions.md": Buffer.from("Caf\xe9 au lait\n", "latin1") }),
      ...agentFiles("abs", agentYaml('runtime: claude\nskills: ["/etc", "ok"]\n')),
    });
    expect(messages(await loadCrewFromDir(dir))).toEqual([
      `.gitcrew/agents/abs/agent.yaml:2:9: skill "/etc": a skill is named by its folder under .gitcrew/skills/ (no paths, no '..')`,
      ".gitcrew/agents/latin/instructions.md:1:1: file is not valid UTF-8; save it as UTF-8",
    ]);
  });

  it("rejects a huge agent file without reading it", async () => {
    const dir = makeRepo(agentFiles("big", agentYaml(`runtime: claude\ndescription: "${"x".repeat(1_100_000)}"\n`)));
    expect(messages(await loadCrewFromDir(dir))).toEqual([".gitcrew/agents/big/agent.yaml:1:1: file is larger than 1024 KiB"]);
  });

  it("reads the crew of a git ref, not the working tree or a branch", async () => {
    const dir = await exampleRepo();
    git(dir, "checkout", "-qb", "feature");
    writeFiles(dir, agentFiles("dev", agentYaml("runtime: claude\nallow:\n  permission: read\n")));
    git(dir, "rm", "-q", ".gitcrew/agents/dev/agent.cue");
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "widen dev");
    const main = await loadCrew(await snapshotFromGit(dir, "main"));
    expect(main.crew?.agents.find((a) => a.name === "dev")?.allow.permission).toBe("write");
    const feature = await loadCrew(await snapshotFromGit(dir, "feature"));
    expect(feature.crew?.agents.find((a) => a.name === "dev")?.allow.permission).toBe("read");
  });

  it("warns when CODEOWNERS does not cover .gitcrew/ and stops warning when it does", async () => {
    const dir = await exampleRepo();
    expect((await loadCrewFromDir(dir)).warnings.map((w) => w.message).join()).toContain("no CODEOWNERS file");
    writeFiles(dir, { ".github/CODEOWNERS": "*.js @js-team\n" });
    expect((await loadCrewFromDir(dir)).warnings.map((w) => w.message).join()).toContain("does not cover .gitcrew/");
    writeFiles(dir, { ".github/CODEOWNERS": "/.gitcrew/ @octo-org/maintainers\n" });
    expect((await loadCrewFromDir(dir)).warnings).toEqual([]);
  });
});

describe("one struct body per CUE file", () => {
  // Texts whose strings, comments and brackets are easy to misread.
  const texts: [string, string][] = [
    ["braces in strings and comments", 'a: "}{"\nb: \'}\'\n// }\nc: { d: [1, (2)] }\n'],
    ["escaped quotes", 'a: "\\"}"\nb: "\\\\"\n'],
    ["raw strings", 'a: #"}"\\"#\nb: ##"x"#}"##\nc: #""#\n'],
    ["multi-line strings", 'a: """\n\t}"" "\n\t"""\nb: #"""\n\t"""\n\t"""#\n'],
    ["interpolation", 'x: 1\na: "v\\(x + (1))}"\nb: #"\\(x)\\#(x)"#\nc: "\\("}")"\n'],
    ["quotes that almost close a #-string", 'a: #"""\n\t""""#\n\t"""#\n'],
    ["a definition and a quoted field", '#x: 1\n`a-b`: #x\n'],
    ["a struct inside an interpolation", 'a: "\\({b: "}"}.b)"\n'],
    ["a comment at the end without a newline", "a: 1 // }"],
    ["an extra brace", 'a: 1\n}\nb: {\n'],
    ["an unclosed brace", "a: {\n"],
    ["a closed string followed by a brace", 'a: "x"}\n'],
    ["an unterminated string", 'a: "x\n}\n'],
    ["a brace hidden by a raw string close", 'a: #"x"}\n'],
    ["mismatched brackets", "a: [1}\n"],
    ["an attribute", "a: 1 @x({)\n"],
    ["an interpolation left open", 'a: "\\(1 "\n}\n'],
    // CUE consumes the quotes of a failed close, so the string only ends at the last line; the `}` is text.
    ["a #-string whose close is consumed by quotes before it", 'a: #"""\n\t""""#\n}\nb: """\n\t"""#\n'],
  ];
  const accepted = [
    "braces in strings and comments",
    "escaped quotes",
    "raw strings",
    "multi-line strings",
    "interpolation",
    "quotes that almost close a #-string",
    "a definition and a quoted field",
    "a struct inside an interpolation",
    "a comment at the end without a newline",
    "a #-string whose close is consumed by quotes before it",
  ];

  it("agrees with CUE's own parser on which texts are one struct body", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gitcrew-structure-"));
    const files = texts.map(([, text], i) => {
      const f = join(dir, `t${i}.cue`);
      writeFileSync(f, text);
      return f;
    });
    // `cue fmt` parses each file on its own; the last file never parses, so nothing is formatted.
    writeFileSync(join(dir, "stop.cue"), "{\n");
    const r = await cue(["fmt", ...files, join(dir, "stop.cue")]);
    rmSync(dir, { recursive: true, force: true });
    const cueRejects = new Set([...r.stderr.matchAll(/t(\d+)\.cue:/g)].map((m) => Number(m[1])));
    const verdicts = texts.map(([what, text], i) => ({ what, cue: !cueRejects.has(i), ours: structureProblems("f.cue", text).length === 0 }));
    for (const v of verdicts) {
      // Ours may only be stricter: a text we accept must parse as a CUE file on its own.
      if (v.ours) expect(v, v.what).toMatchObject({ cue: true });
    }
    expect(verdicts.filter((v) => v.ours).map((v) => v.what)).toEqual(accepted);
  });
});
