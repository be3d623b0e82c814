/** GitHub's comment size limit, and splitting long bodies across comments. */
import { markdownCuts, type CutContext } from "./markdown-cuts.js";
import { splitMarkers } from "./marker.js";

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;

/** Room kept per part for the continuation line, fences and the marker. */
const OVERHEAD = 400;

interface Fence {
  /** The opening fence as written again in the next part (backticks or tildes + info word). */
  line: string;
  /** The closing fence. */
  close: string;
}

/** The fence still open at the end of `text`, if any (clipAnswer only, kept as it was; splitting reads the parse tree). */
function openFence(text: string): Fence | undefined {
  let open: (Fence & { char: string; ticks: number }) | undefined;
  for (const line of text.split("\n")) {
    const m = /^\s{0,3}(`{3,}|~{3,})(\S*)/.exec(line);
    if (!m?.[1]) continue;
    const char = m[1][0] ?? "`";
    const ticks = m[1].length;
    if (!open) open = { line: `${m[1]}${(m[2] ?? "").slice(0, 30)}`, close: m[1], char, ticks };
    else if (char === open.char && ticks >= open.ticks && (m[2] ?? "") === "") open = undefined;
  }
  return open;
}

/** Answers longer than this are cut before posting: at most about four comments (a 10 MB answer was 155). */
export const ANSWER_LIMIT = 200_000;

/**
 * `text` cut to at most `max` characters (plus a closing fence), at a line end
 * where possible and never inside a surrogate pair; `cut` is how many
 * characters were left out (0 when none).
 */
export function clipAnswer(text: string, max = ANSWER_LIMIT): { text: string; cut: number } {
  if (text.length <= max) return { text, cut: 0 };
  let at = text.lastIndexOf("\n", max);
  if (at < max / 2) at = max;
  const code = text.charCodeAt(at - 1);
  if (code >= 0xd800 && code <= 0xdbff) at--;
  let kept = text.slice(0, at);
  // A fence left open would swallow whatever gitcrew says after the answer.
  const fence = openFence(kept);
  if (fence) kept += `\n${fence.close}`;
  return { text: kept, cut: text.length - at };
}

/** One part of a split text: `body` is an exact slice of the text, `open` and `close` what the split adds around it. */
export interface SplitPart {
  open: string;
  body: string;
  close: string;
}

/** The index of the largest of the sorted `xs` that is at most `hi`, or -1. */
function lastIndexAtMost(xs: number[], hi: number): number {
  let a = 0;
  let b = xs.length - 1;
  let best = -1;
  while (a <= b) {
    const mid = (a + b) >> 1;
    if ((xs[mid] ?? 0) <= hi) {
      best = mid;
      a = mid + 1;
    } else b = mid - 1;
  }
  return best;
}

/** The largest of the sorted `xs` in (lo, hi], or -1. */
function lastIn(xs: number[], lo: number, hi: number): number {
  const x = xs[lastIndexAtMost(xs, hi)] ?? -1;
  return x > lo ? x : -1;
}

/**
 * Cuts markdown `text` into parts of at most `budget` characters, at the
 * best place the parse tree allows (markdown-cuts.ts): between top-level
 * blocks; else between list items or table rows (the header repeated);
 * else at a line end (a fence closed and reopened with its info string; an
 * HTML block only when nothing else fits, closing nothing); else anywhere,
 * never inside a surrogate pair. The bodies joined give back `text`.
 */
export function splitMarkdown(text: string, budget: number): SplitPart[] {
  if (budget < 100) throw new Error(`chunkText: budget ${budget} is too small`);
  if (text.length <= budget) return [{ open: "", body: text, close: "" }];
  const cuts = markdownCuts(text);
  // A repeated header or fence line longer than this is left out rather than eat the part.
  const maxContext = Math.floor(budget / 4);
  const contextAt = (c: number): CutContext => {
    const ctx = cuts.contextAt(c, /[\n\r]$/.test(text.slice(c - 1, c)));
    return ctx.open.length > maxContext || ctx.close.length > maxContext ? { open: "", close: "" } : ctx;
  };
  const parts: SplitPart[] = [];
  let p = 0;
  let open = "";
  while (p < text.length) {
    const room = budget - open.length;
    if (text.length - p <= room) {
      parts.push({ open, body: text.slice(p), close: "" });
      break;
    }
    let cut = -1;
    let ctx: CutContext = { open: "", close: "" };
    // The furthest cut of class k whose closing line still fits (a few steps back at most).
    const best = (k: number, after: number): number => {
      const xs = cuts.classes[k] ?? [];
      for (let hi = p + room; ; ) {
        const c = lastIn(xs, after, hi);
        if (c < 0) return -1;
        if (c - p + contextAt(c).close.length <= room) return c;
        hi = c - 1;
      }
    };
    for (let k = 0; k < cuts.classes.length && cut < 0; k++) {
      cut = best(k, p);
      if (cut < 0) continue;
      // The block after this cut is cut in any case when it alone exceeds a part: then cut it here already.
      const xs = cuts.classes[k] ?? [];
      const next = xs[lastIndexAtMost(xs, cut) + 1] ?? text.length;
      if (next - cut <= room) break;
      for (let f = k + 1; f < cuts.classes.length; f++) {
        const finer = best(f, cut);
        if (finer >= 0) {
          cut = finer;
          break;
        }
      }
    }
    if (cut >= 0) ctx = contextAt(cut);
    if (cut < 0) {
      // No line end fits: cut mid-line, leaving room for a closing fence and never inside a surrogate pair.
      for (cut = p + room; ; cut--) {
        ctx = contextAt(cut);
        const code = text.charCodeAt(cut - 1);
        if (cut - p + ctx.close.length <= room && !(code >= 0xd800 && code <= 0xdbff)) break;
      }
    }
    parts.push({ open, body: text.slice(p, cut), close: ctx.close });
    open = ctx.open;
    p = cut;
  }
  return parts;
}

/** `splitMarkdown`, each part as the text it is posted as. */
export function chunkText(text: string, budget: number): string[] {
  return splitMarkdown(text, budget).map((part) => part.open + part.body + part.close);
}

/**
 * Splits a comment body that is too long for one comment. The gitcrew
 * marker is carried into every part, so each part is known as the agent's.
 */
export function splitBody(body: string, limit = COMMENT_LIMIT): string[] {
  if (body.length <= limit) return [body];
  // gitcrew's trailing marker block goes into every part; markers elsewhere are text (marker.ts).
  const block = splitMarkers(body);
  const markers = block.markers.join("\n");
  const text = block.text.trimEnd();
  const chunks = chunkText(text, limit - OVERHEAD - markers.length);
  return chunks.map((chunk, i) => {
    const head = i === 0 ? "" : `<sub>continued: part ${i + 1} of ${chunks.length}</sub>\n\n`;
    const tail = i < chunks.length - 1 ? `\n\n<sub>part ${i + 1} of ${chunks.length}, continued below</sub>` : "";
    return `${head}${chunk}${tail}${markers ? `\n\n${markers}` : ""}`;
  });
}
