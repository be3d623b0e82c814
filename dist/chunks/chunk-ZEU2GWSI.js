import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  require_picomatch
} from "./chunk-ZNFD3J2A.js";
import {
  __toESM
} from "./chunk-7Q4FUQQA.js";

// src/store/repo-key.ts
var UNKNOWN_REPO = "unknown";
function repoKey(repo) {
  return repo.toLowerCase();
}
function repoOfThreadKey(threadKey) {
  const m = /^([^#@/\s]+\/[^#@/\s]+)[#@]/.exec(threadKey);
  return m?.[1];
}
function repoOfPayload(payload) {
  try {
    const name = JSON.parse(payload)?.repository?.full_name;
    return typeof name === "string" && name ? name : void 0;
  } catch {
    return void 0;
  }
}

// src/server/repo-filter.ts
var import_picomatch = __toESM(require_picomatch(), 1);
var MAX_REPO_PATTERNS = 1e3;
var MAX_PATTERN_LENGTH = 200;
var OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;
var NAME = /^[A-Za-z0-9._-]{1,100}$/;
function repoNameProblem(fullName) {
  if (typeof fullName !== "string") return "no repository name";
  const parts = fullName.split("/");
  const [owner = "", name = ""] = parts;
  if (parts.length !== 2 || !OWNER.test(owner) || !NAME.test(name) || name === "." || name === "..") {
    return `${JSON.stringify(fullName.length > 80 ? `${fullName.slice(0, 80)}\u2026` : fullName)} is not an OWNER/NAME repository name`;
  }
  return void 0;
}
var PART = /^(?:[A-Za-z0-9._-]|\*|\[[A-Za-z0-9._-]+\])+$/;
function parseRepoList(raw) {
  const patterns = raw.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (patterns.length === 0) throw new Error("--repos lists no pattern");
  if (patterns.length > MAX_REPO_PATTERNS) throw new Error(`--repos lists ${patterns.length} patterns; at most ${MAX_REPO_PATTERNS} (use globs such as acme/*)`);
  const compiled = patterns.map((pattern) => {
    const negate = pattern.startsWith("!");
    const body = negate ? pattern.slice(1) : pattern;
    const shown = pattern.length > 60 ? `${pattern.slice(0, 60)}\u2026` : pattern;
    if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`--repos pattern "${shown}" is longer than ${MAX_PATTERN_LENGTH} characters`);
    const parts = body.split("/");
    if (parts.length !== 2 || !parts.every((p) => PART.test(p))) {
      throw new Error(`--repos pattern "${shown}" is not OWNER/NAME: each of OWNER and NAME is letters, digits, ".", "_", "-", "*" (any run of them) or a [class], with one "/" between`);
    }
    let test;
    try {
      test = (0, import_picomatch.default)(body, { dot: true, nocase: true, strictBrackets: true });
    } catch (err) {
      throw new Error(`--repos pattern "${shown}" is invalid: ${err.message}`);
    }
    return { negate, test };
  });
  const start = compiled[0]?.negate ?? false;
  return {
    patterns,
    allows(fullName) {
      if (repoNameProblem(fullName)) return false;
      let hit = start;
      for (const c of compiled) if (c.test(fullName)) hit = !c.negate;
      return hit;
    }
  };
}

export {
  UNKNOWN_REPO,
  repoKey,
  repoOfThreadKey,
  repoOfPayload,
  repoNameProblem,
  parseRepoList
};
