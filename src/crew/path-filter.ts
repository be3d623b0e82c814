/**
 * Path filters with the meaning of GitHub's `paths` (workflow syntax, "Patterns
 * to match file paths"): a pattern matches the whole path from the repository's
 * root; `*` stays within a folder, `**` crosses folders (also inside a name:
 * `**.js`); `?` and `+` apply to the character or class before them (zero or
 * one, one or more); `[a-z]` classes and `{a,b}` braces; a leading `!` excludes,
 * and the last pattern that matches a file decides. Matching is picomatch's;
 * this module only turns GitHub's few differences into picomatch syntax.
 */
import picomatch from "picomatch";

const OPTIONS = { dot: true, strictBrackets: true } as const;

/** GitHub's syntax (without a leading `!`) as a picomatch pattern; throws on an unbalanced `[`. */
function toPicomatch(glob: string): string {
  let out = "";
  let atom: string | undefined; // the last character or class, for a following `?` or `+`
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "\\" && i + 1 < glob.length) {
      atom = `\\${glob[++i]}`;
      out += atom;
    } else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) throw new Error(`"[" at ${i + 1} has no closing "]"`);
      atom = glob.slice(i, end + 1);
      out += atom;
      i = end;
    } else if (c === "?" || c === "+") {
      if (atom === undefined) throw new Error(`"${c}" at ${i + 1} follows no character (it repeats the one before it; write \\${c} for a literal one)`);
      out = `${out.slice(0, out.length - atom.length)}${c}(${atom})`;
      atom = undefined;
    } else if (c === "*") {
      let n = 1;
      while (glob[i + n] === "*") n++;
      const before = i === 0 || glob[i - 1] === "/";
      const after = i + n === glob.length || glob[i + n] === "/";
      // `**` as a whole folder name is picomatch's globstar; inside a name it still crosses folders.
      out += n < 2 || (before && after) ? (n < 2 ? "*" : "**") : "*{,/**/*}";
      i += n - 1;
      atom = undefined;
    } else if ("()|!@".includes(c)) {
      // Literal in GitHub's syntax; picomatch would read extglobs.
      atom = `\\${c}`;
      out += atom;
    } else {
      atom = "{},/".includes(c) ? undefined : c;
      out += c;
    }
  }
  return out;
}

interface Compiled {
  negate: boolean;
  test: (path: string) => boolean;
}

function compile(glob: string): Compiled {
  const negate = glob.startsWith("!");
  const body = negate ? glob.slice(1) : glob;
  if (body === "") throw new Error("is empty");
  return { negate, test: picomatch(toPicomatch(body.replace(/^\//, "")), OPTIONS) };
}

/** Why a `paths` pattern is invalid, or undefined when it is fine (for validate). */
export function globProblem(glob: string): string | undefined {
  try {
    compile(glob);
    return undefined;
  } catch (err) {
    return `path pattern "${glob}" ${(err as Error).message.replace(/^Missing closing: /, "is missing its closing ")}`;
  }
}

/** Whether `path` passes the filter: the last pattern that matches it is not a `!` one. */
function included(compiled: Compiled[], path: string): boolean {
  let hit = false;
  for (const c of compiled) if (c.test(path)) hit = !c.negate;
  return hit;
}

/** The first of `files` the filter lets through; invalid patterns match nothing (validate reports them). */
export function anyMatch(globs: string[], files: string[]): string | undefined {
  const compiled = globs.flatMap((g) => {
    try {
      return [compile(g)];
    } catch {
      return [];
    }
  });
  return files.find((f) => included(compiled, f));
}
