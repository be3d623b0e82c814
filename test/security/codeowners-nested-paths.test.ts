/**
 * CODEOWNERS decides who may approve when `approvers.codeowners` is on: a
 * pattern read more widely than GitHub reads it makes the wrong person an
 * approver. The table is GitHub's own example file ("About code owners").
 */
import { describe, expect, it } from "vitest";
import { codeownersPattern, countsAsApprover, ownersOf } from "../../src/approvals/approvers.js";
import type { Crew } from "../../src/crew/types.js";

// GitHub's documented example CODEOWNERS, comments shortened.
const GITHUB_EXAMPLE = [
  "# default owners for everything in the repo",
  "*       @global-owner1 @global-owner2",
  "*.js    @js-owner #This is an inline comment.",
  "*.go docs@example.com",
  "*.txt @octo-org/octocats",
  "/build/logs/ @doctocat",
  "docs/* docs@example.com",
  "apps/ @octocat",
  "/docs/ @doctocat",
  "/scripts/ @doctocat @octocat",
  "**/logs @octocat",
  "/apps/ @octocat",
  "/apps/github",
].join("\n");

describe("CODEOWNERS patterns as GitHub documents them", () => {
  it.each([
    // "The `docs/*` pattern will match files like `docs/getting-started.md` but not further nested files like `docs/build-app/troubleshooting.md`."
    ["docs/*", "docs/getting-started.md", true],
    ["docs/*", "docs/build-app/troubleshooting.md", false],
    // "@octocat owns any file in an apps directory anywhere in your repository."
    ["apps/", "apps/web/index.ts", true],
    ["apps/", "services/apps/x.ts", true],
    // "/docs/: any file in the /docs directory in the root of your repository and any of its subdirectories."
    ["/docs/", "docs/a/b/c.md", true],
    ["/docs/", "src/docs/c.md", false],
    // "/build/logs/: the build/logs directory at the root and any of its subdirectories."
    ["/build/logs/", "build/logs/2024/x.log", true],
    ["/build/logs/", "src/build/logs/x.log", false],
    // "**/logs: any file in a /logs directory such as /build/logs, /scripts/logs, and /deeply/nested/logs."
    ["**/logs", "build/logs/x.log", true],
    ["**/logs", "deeply/nested/logs/x.log", true],
    ["**/logs", "logs/x.log", true],
    ["**/logs", "catalogs/x", false],
    ["/scripts/", "scripts/deploy/run.sh", true],
    ["*.js", "src/deep/app.js", true],
    ["*.js", "src/app.ts", false],
    ["*", "a/b/c.ts", true],
  ])("%s matches %s: %s", (pattern, path, hit) => {
    expect(codeownersPattern(pattern).test(path)).toBe(hit);
  });

  it.each([
    ["README.md", ["global-owner1", "global-owner2"]],
    ["src/app.js", ["js-owner"]],
    ["cmd/main.go", ["docs@example.com"]],
    ["notes/a.txt", ["octo-org/octocats"]],
    ["scripts/deploy.sh", ["doctocat", "octocat"]],
    ["deeply/nested/logs/x.log", ["octocat"]],
    ["apps/web/index.html", ["octocat"]],
    // "/apps/github" names nobody: the last match wins, so apps/github has no owner.
    ["apps/github/index.html", []],
  ])("in GitHub's example file, %s is owned by %j (the last matching line wins)", (path, owners) => {
    expect(ownersOf(GITHUB_EXAMPLE, path)).toEqual(owners);
  });

  it("owners of files directly in a directory (`dir/*`) do not approve changes to files nested below it", () => {
    const crew = { agents: [], skills: [], config: { approvers: { users: [], teams: [], codeowners: true } } } as unknown as Crew;
    // The intern owns the top-level files of .gitcrew/; alice owns everything else.
    const codeowners = "* @alice\n.gitcrew/* @intern\n";
    const paths = [".gitcrew/approvals/ops-1.yaml", ".gitcrew/agents/ops/agent.yaml"];
    expect(countsAsApprover({ login: "intern", permission: "write" }, crew, { codeowners, paths })).toEqual({ ok: false, why: "@intern is not an approver" });
    expect(countsAsApprover({ login: "alice", permission: "write" }, crew, { codeowners, paths }).ok).toBe(true);
    expect(countsAsApprover({ login: "intern", permission: "write" }, crew, { codeowners, paths: [".gitcrew/crew.cue"] }).ok).toBe(true);
  });
});
