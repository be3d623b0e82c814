import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);

// src/store/types.ts
var RUN_STATUSES = ["queued", "running", "succeeded", "failed", "timed_out", "cancelled", "budget_exceeded", "disk_exceeded", "awaiting_approval"];
var FINAL_STATUSES = ["succeeded", "failed", "timed_out", "cancelled", "budget_exceeded", "disk_exceeded", "awaiting_approval"];

export {
  RUN_STATUSES,
  FINAL_STATUSES
};
