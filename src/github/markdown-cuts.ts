/**
 * Where a long markdown text may be cut, read from a CommonMark (+ GFM
 * tables) parser's block tokens rather than from regular expressions: their
 * line maps say where each block starts and ends, so a cut never falls
 * inside a fence, a table row or an HTML block unless nothing else fits.
 *
 * markdown-it, not micromark/mdast: only block structure is needed, and
 * micromark took 0.4-1.5 s of CPU for a 200,000-character answer where
 * markdown-it's block pass (inline parsing off) takes about 20 ms.
 */
import MarkdownIt from "markdown-it";

type Token = ReturnType<MarkdownIt["parse"]>[number];

/** What a cut at an offset adds: `close` ends the part before it, `open` starts the part after it. */
export interface CutContext {
  close: string;
  open: string;
}

/** A range of the text (from < c < to) with what a cut inside it must add. */
interface Zone {
  from: number;
  to: number;
  context(c: number, bodyEndsWithNewline: boolean): CutContext;
}

/**
 * Cut offsets by preference (a cut at c starts the next part at c), each
 * sorted: 0 between top-level blocks; 1 between list items or table rows;
 * 2 any other line start outside HTML blocks; 3 line starts inside HTML blocks.
 */
export interface MarkdownCuts {
  classes: number[][];
  /** What a cut at `c` must add (a fence closed and reopened, a table header repeated). */
  contextAt(c: number, bodyEndsWithNewline: boolean): CutContext;
}

const NONE: CutContext = { close: "", open: "" };

// Made on the first long text, not when the module loads (every Action and CLI start).
let made: MarkdownIt | undefined;
function parser(): MarkdownIt {
  if (made) return made;
  made = new MarkdownIt("commonmark").enable("table");
  made.core.ruler.disable("inline");
  return made;
}

/** Offsets where each line starts (after \n, \r\n or a lone \r), as markdown-it counts lines. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) out.push(i + 1);
  }
  return out;
}

/** A line's container markers as they must stand again before a repeated line (`- ` becomes spaces, `> ` stays). */
function asContinuation(line: string): string {
  return line.replace(/^((?:[ \t]*>)*[ \t]*)([-+*]|\d{1,9}[.)])(?=[ \t])/, (_m, lead: string, marker: string) => lead + " ".repeat(marker.length));
}

/** Whether c lies strictly inside one of `ranges` (sorted by start, not overlapping). */
function inside(ranges: [number, number][], c: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid] ?? [0, 0];
    if (c <= a) hi = mid - 1;
    else if (c >= b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The ranges sorted, overlapping ones made one. */
function mergeRanges(ranges: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a < last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * HTML elements whose blank lines make CommonMark read them as several
 * blocks (`<details>`, a summary, paragraphs, `</details>`): from the block
 * that opens the tag to the block at the same level that closes it.
 */
function htmlSpans(tokens: Token[], at: (line: number) => number): [number, number][] {
  const spans: [number, number][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i];
    if (first?.type !== "html_block" || !first.map) continue;
    const tag = /^\s*<([A-Za-z][\w-]*)[\s>/]/.exec(first.content)?.[1]?.toLowerCase();
    if (!tag) continue;
    const opens = new RegExp(`<${tag}[\\s>/]`, "gi");
    const closes = new RegExp(`</${tag}\\s*>`, "gi");
    let depth = 0;
    // Bounded, so that thousands of unclosed tags cannot make this quadratic.
    for (let j = i; j < Math.min(tokens.length, i + 2000); j++) {
      const t = tokens[j];
      if (!t || t.level < first.level) break; // the container closed first
      if (t.type !== "html_block" || t.level !== first.level || !t.map) continue;
      depth += (t.content.match(opens)?.length ?? 0) - (t.content.match(closes)?.length ?? 0);
      if (depth <= 0) {
        if (j > i) spans.push([at(first.map[0]), at(t.map[1])]);
        break;
      }
    }
  }
  return spans;
}

/** Parses `text` and lists where it may be cut, best first. */
export function markdownCuts(text: string): MarkdownCuts {
  const tokens = parser().parse(text, {});
  const starts = lineStarts(text);
  const at = (line: number) => starts[line] ?? text.length;
  const lineText = (line: number) => text.slice(at(line), at(line + 1)).replace(/\r?\n$|\r$/, "");
  const top: number[] = [];
  const nested: number[] = [];
  const zones: Zone[] = [];
  const html: [number, number][] = [];
  const noLineCut: [number, number][] = [];

  for (const t of tokens) {
    if (!t.map || t.nesting === -1) continue;
    const [s, e] = t.map;
    if (t.level === 0) top.push(at(s));
    if (t.type === "list_item_open") nested.push(at(s));
    else if (t.type === "html_block") html.push([at(s), at(e)]);
    else if (t.type === "fence") {
      const opener = lineText(s);
      const fenceAt = opener.indexOf(t.markup);
      const prefix = asContinuation(opener.slice(0, fenceAt));
      const reopen = `${prefix}${opener.slice(fenceAt)}\n`;
      const closer = `${prefix}${t.markup}`;
      zones.push({ from: at(s + 1) - 1, to: at(e), context: (_c, nl) => ({ close: `${nl ? "" : "\n"}${closer}`, open: reopen }) });
    } else if (t.type === "table_open" && e > s + 2) {
      const header = `${asContinuation(lineText(s))}\n${lineText(s + 1)}\n`;
      const bodyFrom = at(s + 2);
      for (let line = s + 3; line < e; line++) nested.push(at(line));
      noLineCut.push([at(s), bodyFrom + 1]); // not inside the header, nor before the first row
      // Between rows the header is repeated; a cut inside a row (last resort) adds nothing.
      zones.push({ from: bodyFrom, to: at(e), context: (_c, nl) => (nl ? { close: "", open: header } : NONE) });
    }
  }

  const htmlRanges = mergeRanges([...html, ...htmlSpans(tokens, at)]);
  noLineCut.sort((a, b) => a[0] - b[0]);
  const lines: number[] = [];
  const htmlLines: number[] = [];
  for (const c of starts) {
    if (c <= 0 || c >= text.length || inside(noLineCut, c)) continue;
    (inside(htmlRanges, c) ? htmlLines : lines).push(c);
  }
  zones.sort((a, b) => a.from - b.from);
  const sorted = (xs: number[]) => [...new Set(xs)].filter((c) => c > 0 && c < text.length && !inside(htmlRanges, c)).sort((a, b) => a - b);

  return {
    classes: [sorted(top), sorted(nested), lines, htmlLines],
    contextAt(c, nl) {
      // Zones do not overlap (fences and tables are leaves), so the last one starting before c is the only candidate.
      let lo = 0;
      let hi = zones.length - 1;
      let found: Zone | undefined;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const z = zones[mid];
        if (z && z.from < c) {
          found = z;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found && c < found.to ? found.context(c, nl) : NONE;
    },
  };
}
