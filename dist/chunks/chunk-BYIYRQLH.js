import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/util/version.ts
var VERSION = true ? "0.1.0" : fromPackageJson();
var USER_AGENT = `gitcrew/${VERSION}`;

export {
  VERSION,
  USER_AGENT
};
