import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/util/session-id.ts
var SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
function validSessionId(value) {
  return typeof value === "string" && SESSION_ID.test(value);
}
function sessionIdOf(value) {
  return validSessionId(value) ? value : void 0;
}

export {
  validSessionId,
  sessionIdOf
};
