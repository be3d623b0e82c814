import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  oneLine,
  terminalSafe
} from "./chunk-HAGKOCQO.js";

// src/cli/problem-line.ts
function problemLine(p, kind) {
  return `${oneLine(p.file)}:${p.line}:${p.column}: ${kind ? `${kind}: ` : ""}${terminalSafe(p.message).replace(/\n/g, "\n    ")}
`;
}

export {
  problemLine
};
