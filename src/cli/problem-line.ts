/** A crew problem as the CLI prints it (validate, dry-run, run). */
import type { Problem } from "../crew/types.js";
import { oneLine, terminalSafe } from "../util/terminal-text.js";

/**
 * `file:line:col: message`. The file name and message quote the crew's files
 * (a pull request's, when one is checked out to review): no terminal escape,
 * and a further line of the message is indented, never read as another problem.
 */
export function problemLine(p: Problem, kind?: string): string {
  return `${oneLine(p.file)}:${p.line}:${p.column}: ${kind ? `${kind}: ` : ""}${terminalSafe(p.message).replace(/\n/g, "\n    ")}\n`;
}
