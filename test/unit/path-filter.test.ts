/**
 * Path filters mean what GitHub's `paths` means: the rows of the "Patterns to
 * match file paths" table of GitHub's workflow syntax docs, with their example
 * matches, plus files each pattern must not match.
 */
import { describe, expect, it } from "vitest";
import { anyMatch, globProblem } from "../../src/crew/path-filter.js";
import { loadCrewFromDir } from "../../src/crew/load.js";
import { agentFiles, agentYaml, makeRepo } from "../support/crew-fixture.js";

const passes = (patterns: string[], file: string) => anyMatch(patterns, [file]) === file;

describe("GitHub's path filter cheat sheet", () => {
  it.each<[string[], string[], string[]]>([
    [["*"], ["README.md", "server.rb"], ["docs/README.md"]],
    [["*.jsx?"], ["page.js", "page.jsx"], ["page.jsxx", "src/page.js"]],
    [["**"], ["all/the/files.md"], []],
    [["*.js"], ["app.js", "index.js"], ["js/index.js"]],
    [["**.js"], ["index.js", "js/index.js", "src/js/app.js"], ["index.ts"]],
    [["docs/*"], ["docs/README.md", "docs/file.txt"], ["docs/mona/octocat.txt", "README.md"]],
    [["docs/**"], ["docs/README.md", "docs/mona/octocat.txt"], ["src/docs.md"]],
    [["docs/**/*.md"], ["docs/README.md", "docs/mona/hello-world.md", "docs/a/markdown/file.md"], ["docs/a.txt", "src/docs/a.md"]],
    [["**/docs/**"], ["docs/hello.md", "dir/docs/my-file.txt", "space/docs/plan/space.doc"], ["mydocs/a.md"]],
    [["**/README.md"], ["README.md", "js/README.md"], ["README.doc"]],
    [["**/*src/**"], ["a/src/app.js", "my-src/code/js/app.js"], ["src.js"]],
    [["**/*-post.md"], ["my-post.md", "path/their-post.md"], ["post.md"]],
    [["**/migrate-*.sql"], ["migrate-10909.sql", "db/migrate-v1.0.sql", "db/sept/migrate-v1.sql"], ["db/migrate.sql"]],
    [["*.md", "!README.md"], ["hello.md"], ["README.md", "docs/hello.md"]],
    [["*.md", "!README.md", "README*"], ["hello.md", "README.md", "README.doc"], ["docs/hello.md"]],
  ])("%j", (patterns, matches, not) => {
    for (const f of matches) expect(passes(patterns, f), `${f} should match`).toBe(true);
    for (const f of not) expect(passes(patterns, f), `${f} should not match`).toBe(false);
  });
});

describe("the special characters GitHub lists", () => {
  it.each<[string[], string[], string[]]>([
    [["[CB]at"], ["Cat", "Bat"], ["Mat", "at"]],
    [["[1-2]00"], ["100", "200"], ["300"]],
    [["v[12].[0-9]+.[0-9]+"], ["v1.10.1", "v2.0.0"], ["v3.0.0", "v1..1"]],
    [["src/{app,lib}/**"], ["src/app/a.ts", "src/lib/b/c.ts"], ["src/test/a.ts"]],
    [["*.{ts,tsx}"], ["a.ts", "b.tsx"], ["c.js"]],
    // `!` only negates at the start; a lone negative pattern includes nothing.
    [["!*.md"], [], ["a.md", "a.ts"]],
    [["a!b"], ["a!b"], ["ab"]],
    [[".github/**"], [".github/workflows/ci.yml"], []],
    [["\\*.md"], ["*.md"], ["a.md"]],
  ])("%j", (patterns, matches, not) => {
    for (const f of matches) expect(passes(patterns, f), `${f} should match`).toBe(true);
    for (const f of not) expect(passes(patterns, f), `${f} should not match`).toBe(false);
  });

  it("the last pattern that matches decides, across many files: the first file let through is reported", () => {
    expect(anyMatch(["src/**", "!src/**/*.test.ts"], ["src/a.test.ts", "src/a.ts"])).toBe("src/a.ts");
    expect(anyMatch(["src/**", "!src/**/*.test.ts"], ["src/a.test.ts", "README.md"])).toBeUndefined();
  });

  it.each([
    ["src/[a-z", 'path pattern "src/[a-z" "[" at 5 has no closing "]"'],
    ["src/{a,b", 'path pattern "src/{a,b" is missing its closing "}"'],
    ["+.md", 'path pattern "+.md" "+" at 1 follows no character'],
    ["!", 'path pattern "!" is empty'],
  ])("%s is invalid", (glob, message) => {
    expect(globProblem(glob)).toContain(message);
  });

  it("validate reports an invalid pattern at its file:line", async () => {
    const dir = makeRepo(agentFiles("rev", agentYaml('runtime: command\ncommand: [sh]\ntriggers:\n  events: ["pull_request.opened"]\n  paths: ["src/**", "docs/[a-z"]\n')));
    const r = await loadCrewFromDir(dir);
    expect(r.errors.map((p) => `${p.file}:${p.line}: ${p.message}`)).toEqual(['.gitcrew/agents/rev/agent.yaml:5: path pattern "docs/[a-z" "[" at 6 has no closing "]"']);
  });
});
