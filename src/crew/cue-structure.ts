/**
 * Is a CUE file exactly one struct body? Each agent's text is pasted into one
 * generated program as `"name": #Agent & { TEXT }`; a text with an extra `}`
 * would close its own struct and write into another agent's. Asking CUE to
 * parse every file on its own costs a WASM file read per agent, so this is
 * CUE's own lexing of strings, comments and brackets (cue/scanner), in JS.
 *
 * It only has to agree with CUE on texts CUE lexes without error: any text
 * where they could differ is either reported here or fails in CUE, and a
 * failing program plans nothing. Attributes (`@x(…)`, whose raw elements may
 * hold brackets) are refused outright: gitcrew files have no use for them.
 */
import type { Problem } from "./types.js";

interface Quote {
  char: string;
  /** 1 for `"`, 3 for `"""`. */
  count: number;
  hashes: number;
}

type Frame = { kind: "bracket"; char: string; at: number } | { kind: "interpolation"; quote: Quote };

const CLOSER: Record<string, string> = { "{": "}", "[": "]", "(": ")" };
/** Characters that matter outside strings; everything else is skipped in one regex step. */
const CODE = /["'#`@/{}[\]()]/g;
const IN_DOUBLE = /["\\\n]/g;
const IN_SINGLE = /['\\\n]/g;

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

export function structureProblems(file: string, text: string): Problem[] {
  let i = 0;
  const stack: Frame[] = [];
  const fail = (offset: number, message: string): Problem[] => [{ file, ...position(text, offset), message: `syntax error: ${message}` }];

  /** Scan string content after its opening quotes; stops after the close, or after `\(` (interpolation). */
  const scanString = (quote: Quote, start: number): "closed" | "interpolation" | Problem[] => {
    const next = quote.char === '"' ? IN_DOUBLE : IN_SINGLE;
    for (;;) {
      next.lastIndex = i;
      const m = next.exec(text);
      if (!m) return fail(start, "string literal not terminated");
      i = m.index;
      const ch = text[i];
      if (ch === "\n") {
        if (quote.count === 1) return fail(start, "string literal not terminated");
        i++;
        continue;
      }
      i++;
      if (ch === quote.char) {
        // As CUE's consumeStringClose: characters that match the closing sequence are consumed even when it then fails.
        const close = quote.char.repeat(quote.count - 1) + "#".repeat(quote.hashes);
        let k = 0;
        while (k < close.length && text[i] === close[k]) {
          k++;
          i++;
        }
        if (k === close.length) return "closed";
        continue;
      }
      // A backslash: an escape only with the string's number of hashes after it.
      let h = 0;
      while (h < quote.hashes && text[i] === "#") {
        h++;
        i++;
      }
      if (h < quote.hashes) continue;
      if (text[i] === "(") {
        i++;
        return "interpolation";
      }
      // `\"` and `\\` do not end the string; other escapes hold no quote or newline.
      if (text[i] === quote.char || text[i] === "\\") i++;
    }
  };

  /** After a string opened or resumed: push an interpolation frame, or report. */
  const continueString = (quote: Quote, start: number): Problem[] | undefined => {
    const r = scanString(quote, start);
    if (Array.isArray(r)) return r;
    if (r === "interpolation") stack.push({ kind: "interpolation", quote });
    return undefined;
  };

  for (;;) {
    CODE.lastIndex = i;
    const m = CODE.exec(text);
    if (!m) break;
    i = m.index;
    const ch = text[i] ?? "";
    const start = i;
    if (ch === "/") {
      if (text[i + 1] === "/") {
        const end = text.indexOf("\n", i);
        if (end === -1) break;
        i = end;
      } else i++;
      continue;
    }
    if (ch === "@") return fail(start, "attributes (@…) are not supported in gitcrew files");
    if (ch === "`") {
      const end = text.slice(i + 1).search(/[`\n]/);
      if (end === -1 || text[i + 1 + end] !== "`") return fail(start, "quoted identifier not terminated");
      i += end + 2;
      continue;
    }
    let hashes = 0;
    while (text[i + hashes] === "#") hashes++;
    const q = text[i + hashes];
    if (q === '"' || q === "'") {
      i += hashes + 1;
      let count = 1;
      if (text[i] === q && text[i + 1] === q) {
        count = 3;
        i += 2;
        if (text[i] === "\r") i++;
        if (text[i] !== "\n") return fail(start, `expected a newline after the opening ${q.repeat(3)}`);
      } else if (text[i] === q) {
        // An empty string, then its closing hashes.
        i++;
        if (!text.startsWith("#".repeat(hashes), i)) return fail(start, "string literal not terminated");
        i += hashes;
        continue;
      }
      const problems = continueString({ char: q, count, hashes }, start);
      if (problems) return problems;
      continue;
    }
    if (hashes > 0) {
      i += hashes; // a definition name such as #Agent
      continue;
    }
    if (ch === "{" || ch === "[" || ch === "(") stack.push({ kind: "bracket", char: ch, at: i });
    else {
      const top = stack.pop();
      if (!top) return fail(start, ch === "}" ? "'}' closes a '{' this file did not open (a file is the body of one struct)" : `'${ch}' without a matching opening bracket`);
      if (top.kind === "interpolation") {
        if (ch !== ")") return fail(start, `'${ch}' inside a string interpolation \\( … )`);
        i++;
        const problems = continueString(top.quote, start);
        if (problems) return problems;
        continue;
      }
      if (CLOSER[top.char] !== ch) {
        const opened = position(text, top.at);
        return fail(start, `'${ch}' does not match the '${top.char}' at line ${opened.line}, column ${opened.column}`);
      }
    }
    i++;
  }
  const open = stack.pop();
  if (!open) return [];
  if (open.kind === "interpolation") return fail(text.length, "string interpolation \\( … ) not closed");
  return fail(open.at, `this '${open.char}' is not closed before the end of the file`);
}
