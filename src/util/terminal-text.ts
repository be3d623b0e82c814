/**
 * Text from agents (and strangers) on its way to a terminal or a runner's log:
 * control characters become visible escapes, so that no byte of it moves the
 * cursor, clears the screen, sets the title or writes the clipboard (OSC 52),
 * and, for one-line forms, none starts a new line.
 */

/** C0 except tab and newline, DEL, and C1 (which 8-bit terminals read as ESC sequences). */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
/** The same, with newline too (and tab, to keep one-line text in one column). */
const CONTROL_OR_BREAK = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "\t") return "\\t";
  return code > 0xff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\x${code.toString(16).padStart(2, "0")}`;
}

/** `text` with every control character except newline and tab shown as `\xNN` (ESC becomes `\x1b`). */
export function terminalSafe(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(CONTROL, visible);
}

/** `text` on one line: line breaks shown as `\n`, other control characters as in terminalSafe. */
export function oneLine(text: string): string {
  return text.replace(CONTROL_OR_BREAK, visible);
}

/** A line in a run log that starts like gitcrew's own notes (`» …`, serve's `gitcrew: attempt …`), also behind blanks and invisible characters. */
const LIKE_OWN_NOTE = /^[\s\u200b-\u200f\u2060\ufeff]*(»|gitcrew:)/i;

/**
 * An agent's output line as a run log keeps it: unchanged, unless it starts
 * like one of gitcrew's notes (`» succeeded …`, `gitcrew: …`); then it is marked as the
 * agent's (`│ `), so no line of the agent reads as gitcrew's own.
 */
export function agentLogLine(line: string): string {
  return LIKE_OWN_NOTE.test(line) ? `│ ${line}` : line;
}

/** One of gitcrew's own notes in a run log: `» ` and `text` on one line (it may quote file names, errors, agent text). */
export function ownLogNote(text: string): string {
  return `» ${oneLine(text)}`;
}
