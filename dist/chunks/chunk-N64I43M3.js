import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  EnvironmentError
} from "./chunk-QEBERIHX.js";

// src/util/package-files.ts
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function packageFile(...segments) {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, ...segments);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new EnvironmentError(`${segments.join("/")} is missing from the gitcrew package`, "Reinstall gitcrew.");
}

export {
  packageFile
};
