/**
 * The warning `init` and `validate` give when the Action's self-hosted runner
 * would serve a public repository: there, anyone can open a fork pull request
 * whose own workflow runs on that runner. A warning only, never an error.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { slugText, type Visibility } from "../github/visibility.js";
import type { Problem } from "../crew/types.js";

export const SAFE_SETUPS = 'docs/action.md, "Self-hosted runners and public repositories"';

/** Said by `init` every time: the workflow it writes needs this runner. */
export const SELF_HOSTED_NOTE = [
  "Security: this workflow runs on a persistent self-hosted runner with Docker. On a public",
  "repository, anyone can open a fork pull request whose own workflow runs on that runner.",
  `Use a private repository, or one of the safe set-ups in ${SAFE_SETUPS}.`,
].join("\n");

export function publicWarning(v: Extract<Visibility, { kind: "public" }>): string {
  return `${slugText(v.slug)} is public: a fork pull request's own workflow can run on this self-hosted runner; use a private repository or a safe set-up (${SAFE_SETUPS})`;
}

/** Neutral on purpose: most repositories we cannot see are private ones. */
export function unknownNote(v: Extract<Visibility, { kind: "unknown" }>): string {
  return `note: could not tell whether ${v.slug ? slugText(v.slug) : "this repository"} is public (${v.why}); if it is, read ${SAFE_SETUPS} before registering a self-hosted runner`;
}

/** Where a workflow under .github/workflows asks for a self-hosted runner, if one does. */
export function selfHostedWorkflow(repoDir: string): Omit<Problem, "message"> | undefined {
  const dir = join(repoDir, ".github", "workflows");
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return undefined;
  }
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch {
      continue;
    }
    const lines = text.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
      const code = (lines[i] ?? "").replace(/(^|\s)#.*$/, "");
      const column = code.search(/\bself-hosted\b/);
      if (column >= 0) return { file: `.github/workflows/${name}`, line: i + 1, column: column + 1 };
    }
  }
  return undefined;
}
