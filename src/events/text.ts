/**
 * Reading the text of a comment: mentions, slash commands, the hidden origin
 * marker that gitcrew writes into agent comments, and hidden content removal.
 * Pure string functions; no Markdown library, only the parts of CommonMark
 * that decide whether a word is "visible prose".
 */
import type { SlashCommand } from "./trigger.js";

/** GitHub's own limit for issue, PR and comment bodies. */
export const MAX_BODY = 65_536;

const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

/** Replace every character of `s` except newlines with `fill`: keeps offsets and lines. */
function blank(s: string, fill = " "): string {
  return s.replace(/[^\n]/g, fill);
}

/**
 * Text with HTML comments blanked (same length, same line breaks). For block
 * detection they are filled with NUL, not spaces, so that a comment at the
 * start of a line does not turn the rest of the line into indented code.
 */
function withoutComments(text: string, fill = " "): string {
  return text.replace(HTML_COMMENT, (c) => blank(c, fill));
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const QUOTE = /^ {0,3}>/;
const INDENTED = /^(?: {4}|\t)/;

/** Blank fenced and indented code blocks and quoted reply lines. */
function blankBlocks(text: string): string {
  const lines = text.split("\n");
  let fence: string | undefined;
  let prevBlank = true;
  let inIndented = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const isBlank = line.trim() === "";
    if (fence !== undefined) {
      const close = line.match(FENCE_OPEN);
      if (close?.[1] && close[1][0] === fence[0] && close[1].length >= fence.length && line.trim() === close[1]) {
        fence = undefined;
      }
      lines[i] = blank(line);
      continue;
    }
    const open = line.match(FENCE_OPEN);
    if (open?.[1] && !(open[1][0] === "`" && line.slice(line.indexOf(open[1]) + open[1].length).includes("`"))) {
      fence = open[1];
      lines[i] = blank(line);
      prevBlank = false;
      inIndented = false;
      continue;
    }
    // An indented line is code only after a blank line (or more code): otherwise
    // it continues the paragraph above.
    if (!isBlank && INDENTED.test(line) && (prevBlank || inIndented)) {
      inIndented = true;
      lines[i] = blank(line);
      prevBlank = false;
      continue;
    }
    if (!isBlank) inIndented = false;
    if (QUOTE.test(line)) lines[i] = blank(line);
    prevBlank = isBlank;
  }
  return lines.join("\n");
}

/**
 * Blank inline code spans: a run of N backticks up to the next run of exactly
 * N in the same paragraph. Linear: each run looks up its partner in a table.
 */
function blankCodeSpans(text: string): string {
  const out = text.split("");
  for (const para of text.matchAll(/(?:[^\n]|\n(?![ \t]*\n))+/g)) {
    const runs = [...para[0].matchAll(/`+/g)].map((m) => ({ at: para.index + (m.index ?? 0), len: m[0].length }));
    const next: number[] = [];
    const lastByLen = new Map<number, number>();
    for (let i = runs.length - 1; i >= 0; i--) {
      const len = runs[i]?.len ?? 0;
      next[i] = lastByLen.get(len) ?? -1;
      lastByLen.set(len, i);
    }
    for (let i = 0; i < runs.length; ) {
      const open = runs[i];
      const j = next[i] ?? -1;
      const close = runs[j];
      if (!open || !close) {
        i++;
        continue;
      }
      for (let k = open.at; k < close.at + close.len; k++) if (out[k] !== "\n") out[k] = " ";
      i = j + 1;
    }
  }
  return out.join("");
}

/** Comments typed in the browser arrive with CRLF line ends. */
function unixLines(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

/** Prose only: comments, link reference definitions, code blocks, code spans and quotes blanked; offsets kept. */
function visible(text: string): string {
  const shown = withoutComments(unixLines(text), "\0").replace(LINK_DEFINITION, (d) => blank(d));
  return blankCodeSpans(blankBlocks(shown));
}

/**
 * A GitHub login: alphanumerics and single hyphens, not starting or ending
 * with a hyphen, at most 39 characters. The look-arounds make it a whole
 * token: `a@b.com` and `@dev-ops` never yield `dev`.
 */
const MENTION = /(?<![A-Za-z0-9_\-./@`])@([A-Za-z0-9](?:-?[A-Za-z0-9])*)(?![A-Za-z0-9_\-/@]|\.[A-Za-z0-9])/g;

/** `@name` mentions in prose, lower-cased, unique, in order of appearance. */
export function parseMentions(text: string): string[] {
  const seen = new Set<string>();
  for (const m of visible(text).matchAll(MENTION)) {
    const name = m[1];
    if (name && name.length <= 39) seen.add(name.toLowerCase());
  }
  return [...seen];
}

const COMMAND = /^[ \t]{0,3}\/([A-Za-z][A-Za-z0-9_-]*)(?=[ \t]|$)/;

/** Slash commands at the start of a prose line: `/deploy staging` → { name: "deploy", args: "staging" }. */
export function parseCommands(text: string): SlashCommand[] {
  text = unixLines(text);
  const plain = withoutComments(text).split("\n");
  const vis = visible(text).split("\n");
  const commands: SlashCommand[] = [];
  for (let i = 0; i < vis.length; i++) {
    const m = (vis[i] ?? "").match(COMMAND);
    if (!m?.[1]) continue;
    // Args come from the line with comments removed but code kept: `/deploy `prod`` is meant literally.
    const args = (plain[i] ?? "").slice(m[0].length).trim().replace(/\s+/g, " ");
    commands.push({ name: m[1].toLowerCase(), args });
  }
  return commands;
}

/** The origin marker is read (and written) by the one marker module: only its trailing block counts. */
export { parseOrigin, originMarker as formatOrigin } from "../github/marker.js";

/**
 * Characters a reader does not see, used to hide instructions: zero-width,
 * bidi controls, soft hyphen, fillers, variation selectors (bits can ride on
 * them) and the Unicode tag characters U+E0000–E007F (ASCII spelled invisibly).
 */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF9-\uFFFB]|[\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}\u{1D173}-\u{1D17A}]/gu;
/**
 * Markdown link reference definitions (`[label]: destination "title"`,
 * the `[//]: # (hidden)` comment idiom): GitHub renders none of their text.
 * Removed wherever they stand, with a title up to one continuation line;
 * lengths are bounded so that hostile input stays linear.
 */
const LINK_DEFINITION = /^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*(?:\n[ \t]*)?(?:<[^<>\n]{0,2000}>|[^\s<>]{1,2000})(?:[ \t]*(?:\n[ \t]*)?(?:"[^"]{0,2000}"|'[^']{0,2000}'|\([^()]{0,2000}\)))?[ \t]*$\n?/gm;
/** `text` without the invisible characters (for plain-text fields such as titles and file names). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}

/** Attributes that carry text a reader does not see in rendered HTML. */
const HIDDEN_ATTRS = /\s(?:alt|title|aria-[\w-]+|data-[\w-]+)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

/**
 * Text as a reader sees it on GitHub, for prompts: HTML comments, invisible
 * characters, link reference definitions, hidden HTML attributes, image alt
 * text and link titles removed. Read the origin marker before calling this:
 * it removes it.
 */
export function stripHidden(text: string): string {
  return unixLines(text)
    .replace(HTML_COMMENT, "")
    .replace(INVISIBLE, "")
    .replace(LINK_DEFINITION, "")
    // Character classes exclude their own openers so that huge hostile input stays linear.
    .replace(/<[A-Za-z][^<>]*>/g, (tag) => tag.replace(HIDDEN_ATTRS, ""))
    .replace(/!\[[^[\]]*\]\(/g, "![](")
    .replace(/(\]\(\s*[^\s()]+)\s+(?:"[^"]*"|'[^']*'|\([^()]*\))\s*\)/g, "$1)");
}

/** Cap a body at GitHub's limit; `cut` says whether anything was removed. */
export function capText(text: string): { text: string; cut: boolean } {
  return text.length > MAX_BODY ? { text: text.slice(0, MAX_BODY), cut: true } : { text, cut: false };
}
