import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/util/terminal-text.ts
var CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
var CONTROL_OR_BREAK = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/g;
function visible(c) {
  const code = c.charCodeAt(0);
  if (c === "\n") return "\\n";
  if (c === "\r") return "\\r";
  if (c === "	") return "\\t";
  return code > 255 ? `\\u${code.toString(16).padStart(4, "0")}` : `\\x${code.toString(16).padStart(2, "0")}`;
}
function terminalSafe(text) {
  return text.replace(/\r\n/g, "\n").replace(CONTROL, visible);
}
function oneLine(text) {
  return text.replace(CONTROL_OR_BREAK, visible);
}
var LIKE_OWN_NOTE = /^[\s\u200b-\u200f\u2060\ufeff]*(»|gitcrew:)/i;
function agentLogLine(line) {
  return LIKE_OWN_NOTE.test(line) ? `\u2502 ${line}` : line;
}
function ownLogNote(text) {
  return `\xBB ${oneLine(text)}`;
}

export {
  terminalSafe,
  oneLine,
  agentLogLine,
  ownLogNote
};
