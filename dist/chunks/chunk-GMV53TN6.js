import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

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

export {
  UNKNOWN_REPO,
  repoKey,
  repoOfThreadKey,
  repoOfPayload
};
