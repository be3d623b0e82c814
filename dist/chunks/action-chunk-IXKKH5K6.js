import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/runner/owner.ts
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
function runnerIdentity(env = process.env) {
  return { id: env.GITCREW_RUNNER_ID ?? `local-${process.pid}-${randomBytes(3).toString("hex")}`, pid: process.pid, host: hostname() };
}
function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}
function newRunId() {
  const t = (/* @__PURE__ */ new Date()).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `${t}-${randomBytes(3).toString("hex")}`;
}

export {
  runnerIdentity,
  processAlive,
  newRunId
};
