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

type Frame = { kind: "bracket"; char: string; line: number; column: number } | { kind: "interpolation"; quote: Quote };

const CLOSER: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

export function structureProblems(file: string, text: string): Problem[] {
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const stack: Frame[] = [];
  const at = (offset: number) => ({ file, line, column: offset - lineStart + 1 });
  const fail = (offset: number, message: string): Problem[] => [{ ...at(offset), message: `syntax error: ${message}` }];
  const advance = () => {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
    i++;
  };

  /** Scan string content after its opening quotes; stops after the close, or after `\(` (interpolation). */
  const scanString = (quote: Quote, start: number): "closed" | "interpolation" | Problem[] => {
    for (;;) {
      const ch = text[i];
      if (ch === undefined || (quote.count === 1 && ch === "\n")) return fail(start, "string literal not terminated");
      advance();
      if (ch === quote.char) {
        // As CUE's consumeStringClose: characters that match the closing sequence are consumed even when it then fails.
        const close = quote.char.repeat(quote.count - 1) + "#".repeat(quote.hashes);
        let k = 0;
        while (k < close.length && text[i] === close[k]) {
          k++;
          advance();
        }
        if (k === close.length) return "closed";
        continue;
      }
      if (ch !== "\\") continue;
      let h = 0;
      while (h < quote.hashes && text[i] === "#") {
        h++;
        advance();
      }
      if (h < quote.hashes) continue; // not an escape in a #-string
      if (text[i] === "(") {
        advance();
        return "interpolation";
      }
      // `\"` and `\\` do not end the string; other escapes hold no quote or newline.
      if (text[i] === quote.char || text[i] === "\\") advance();
    }
  };

  /** After a string opened or resumed: push an interpolation frame, or report. */
  const continueString = (quote: Quote, start: number): Problem[] | undefined => {
    const r = scanString(quote, start);
    if (Array.isArray(r)) return r;
    if (r === "interpolation") stack.push({ kind: "interpolation", quote });
    return undefined;
  };

  while (i < text.length) {
    const ch = text[i] ?? "";
    const start = i;
    if (ch === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "@") return fail(start, "attributes (@…) are not supported in gitcrew files");
    if (ch === "`") {
      advance();
      while (i < text.length && text[i] !== "`" && text[i] !== "\n") advance();
      if (text[i] !== "`") return fail(start, "quoted identifier not terminated");
      advance();
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
    if (ch === "{" || ch === "[" || ch === "(") stack.push({ kind: "bracket", char: ch, ...at(i) });
    else if (ch === "}" || ch === "]" || ch === ")") {
      const top = stack.pop();
      if (!top) return fail(start, ch === "}" ? "'}' closes a '{' this file did not open (a file is the body of one struct)" : `'${ch}' without a matching opening bracket`);
      if (top.kind === "interpolation") {
        if (ch !== ")") return fail(start, `'${ch}' inside a string interpolation \\( … )`);
        advance();
        const problems = continueString(top.quote, start);
        if (problems) return problems;
        continue;
      }
      if (CLOSER[top.char] !== ch) return fail(start, `'${ch}' does not match the '${top.char}' at line ${top.line}, column ${top.column}`);
    }
    advance();
  }
  const open = stack.pop();
  if (!open) return [];
  if (open.kind === "interpolation") return [{ ...at(i), message: "syntax error: string interpolation \\( … ) not closed" }];
  return [{ file, line: open.line, column: open.column, message: `syntax error: this '${open.char}' is not closed before the end of the file` }];
}
