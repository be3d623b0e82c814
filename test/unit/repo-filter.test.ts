/** `--repos`: GitHub-style globs over OWNER/NAME, `!` excludes, the last match decides. */
import { describe, expect, it } from "vitest";
import { parseRepoList, repoNameProblem } from "../../src/server/repo-filter.js";

const served = (list: string, names: string[]) => names.filter((n) => parseRepoList(list).allows(n));

describe("--repos", () => {
  const names = ["acme/web", "acme/web-app", "acme/secrets", "acme/.github", "Acme/API", "other/web", "acme/tools-ci", "acme/tools-lint"];

  it("matches OWNER/NAME globs without case; * never crosses the slash", () => {
    expect(served("acme/*", names)).toEqual(["acme/web", "acme/web-app", "acme/secrets", "acme/.github", "Acme/API", "acme/tools-ci", "acme/tools-lint"]);
    expect(served("acme/web-*,acme/api", names)).toEqual(["acme/web-app", "Acme/API"]);
    expect(served("*/web", names)).toEqual(["acme/web", "other/web"]);
    expect(served("acme/[st]*", names)).toEqual(["acme/secrets", "acme/tools-ci", "acme/tools-lint"]);
    expect(() => parseRepoList("*")).toThrow(/--repos pattern "\*" is not OWNER\/NAME/);
  });

  it("the last matching pattern decides; a list starting with ! starts from everything", () => {
    expect(served("acme/*,!acme/secrets", names)).not.toContain("acme/secrets");
    expect(served("acme/*,!acme/tools-*,acme/tools-ci", names)).toEqual(["acme/web", "acme/web-app", "acme/secrets", "acme/.github", "Acme/API", "acme/tools-ci"]);
    expect(served("acme/tools-ci,!acme/tools-*", names)).toEqual([]);
    expect(served("!acme/secrets", names)).toEqual(names.filter((n) => n !== "acme/secrets"));
  });

  it("never serves a name that is not OWNER/NAME, whatever the patterns", () => {
    for (const bad of ["acme/..", "acme/.", "../x", "acme/x/y", "", "-acme/x", `${"a".repeat(40)}/x`, `acme/${"b".repeat(101)}`]) {
      expect(repoNameProblem(bad), bad).toMatch(/is not an OWNER\/NAME repository name/);
      expect(parseRepoList("!nobody/x").allows(bad), bad).toBe(false);
    }
    expect(repoNameProblem("acme/.github")).toBeUndefined();
    expect(repoNameProblem(42)).toBe("no repository name");
  });
});
