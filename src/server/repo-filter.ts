/**
 * `--repos`: which repositories one `gitcrew serve` serves. Comma-separated
 * globs over OWNER/NAME (`acme/*`, `acme/web-*`, `*\/docs`), `!` excludes,
 * and the last pattern that matches a name decides (GitHub's own rule for
 * path filters). A list that starts with `!` starts from "everything", so
 * `!acme/secrets` alone means every repository but that one. Names compare
 * without case, as GitHub's do.
 *
 * Also the one check of a repository name from a payload: only a name of
 * GitHub's OWNER/NAME shape is ever matched, cloned or turned into a path.
 */
import picomatch from "picomatch";

/** More patterns than anyone writes by hand: a list this long is a mistake (or an attack on start-up). */
export const MAX_REPO_PATTERNS = 1000;
/** OWNER (39) + "/" + NAME (100), with room for classes. */
export const MAX_PATTERN_LENGTH = 200;

/** GitHub's rules: an owner is 1-39 letters, digits and inner hyphens; a name 1-100 of letters, digits, `.`, `_`, `-`. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Why `fullName` is not a repository name gitcrew will use, or undefined when it is one. */
export function repoNameProblem(fullName: unknown): string | undefined {
  if (typeof fullName !== "string") return "no repository name";
  const parts = fullName.split("/");
  const [owner = "", name = ""] = parts;
  if (parts.length !== 2 || !OWNER.test(owner) || !NAME.test(name) || name === "." || name === "..") {
    // Quoted as JSON: a payload's newlines and control characters stay visible, never new log lines.
    return `${JSON.stringify(fullName.length > 80 ? `${fullName.slice(0, 80)}…` : fullName)} is not an OWNER/NAME repository name`;
  }
  return undefined;
}

export interface RepoFilter {
  /** The patterns as given (for logs and /readyz). */
  readonly patterns: readonly string[];
  /** Whether a (valid) OWNER/NAME is served. */
  allows(fullName: string): boolean;
}

/** A pattern part: the name characters, `*` (any run of them) and `[…]` classes. */
const PART = /^(?:[A-Za-z0-9._-]|\*|\[[A-Za-z0-9._-]+\])+$/;

/** Parse `--repos`; throws an Error whose message names the offending pattern. */
export function parseRepoList(raw: string): RepoFilter {
  const patterns = raw.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (patterns.length === 0) throw new Error("--repos lists no pattern");
  if (patterns.length > MAX_REPO_PATTERNS) throw new Error(`--repos lists ${patterns.length} patterns; at most ${MAX_REPO_PATTERNS} (use globs such as acme/*)`);
  const compiled = patterns.map((pattern) => {
    const negate = pattern.startsWith("!");
    const body = negate ? pattern.slice(1) : pattern;
    const shown = pattern.length > 60 ? `${pattern.slice(0, 60)}…` : pattern;
    if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`--repos pattern "${shown}" is longer than ${MAX_PATTERN_LENGTH} characters`);
    const parts = body.split("/");
    if (parts.length !== 2 || !parts.every((p) => PART.test(p))) {
      throw new Error(`--repos pattern "${shown}" is not OWNER/NAME: each of OWNER and NAME is letters, digits, ".", "_", "-", "*" (any run of them) or a [class], with one "/" between`);
    }
    let test: (name: string) => boolean;
    try {
      test = picomatch(body, { dot: true, nocase: true, strictBrackets: true });
    } catch (err) {
      throw new Error(`--repos pattern "${shown}" is invalid: ${(err as Error).message}`);
    }
    return { negate, test };
  });
  const start = compiled[0]?.negate ?? false;
  return {
    patterns,
    allows(fullName) {
      if (repoNameProblem(fullName)) return false;
      let hit = start;
      for (const c of compiled) if (c.test(fullName)) hit = !c.negate;
      return hit;
    },
  };
}
