/**
 * The Action's step log carries text gitcrew does not control: agent output,
 * status and approval texts, prompts quoting strangers' comments. The runner
 * executes any stdout line that is a workflow command (`::add-mask::…`,
 * `::set-output …`, legacy `##[…]` anywhere in a line), and it splits lines
 * at CR as well as LF. Such text is written here only: control characters
 * and line breaks of one-line texts shown as escapes, after a fixed prefix,
 * and with workflow commands stopped (`::stop-commands::TOKEN`) around it.
 */
import { randomBytes } from "node:crypto";
import * as core from "@actions/core";
import { oneLine, terminalSafe } from "../util/terminal-text.js";

/**
 * Writes `text` (which may span lines) with commands stopped: no line of it
 * is executed. A fresh token each time, so no text can end the pause early.
 */
export function infoUntrusted(text: string): void {
  const token = `gitcrew-${randomBytes(16).toString("hex")}`;
  core.info(`::stop-commands::${token}`);
  core.info(terminalSafe(text));
  core.info(`::${token}::`);
}

/** One line: a fixed `prefix` (gitcrew's), then `text` with its line breaks shown as `\n`. */
export function infoAgentLine(prefix: string, text: string): void {
  infoUntrusted(`${prefix}${oneLine(text)}`);
}
