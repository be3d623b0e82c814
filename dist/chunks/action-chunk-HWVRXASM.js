import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/runner/owner.ts
import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { hostname } from "node:os";
var ownNamespace;
function pidNamespace() {
  if (ownNamespace === void 0) {
    try {
      ownNamespace = readlinkSync("/proc/self/ns/pid");
    } catch {
      ownNamespace = null;
    }
  }
  return ownNamespace ?? void 0;
}
function samePidNamespace(pidns) {
  const own = pidNamespace();
  return !pidns || !own || pidns === own;
}
function runnerIdentity(env = process.env) {
  const pidns = pidNamespace();
  return { id: env.GITCREW_RUNNER_ID ?? `local-${process.pid}-${randomBytes(3).toString("hex")}`, pid: process.pid, host: hostname(), ...pidns ? { pidns } : {} };
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
  pidNamespace,
  samePidNamespace,
  runnerIdentity,
  processAlive,
  newRunId
};
