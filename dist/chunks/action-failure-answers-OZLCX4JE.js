import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  CANCELLED_BEFORE_START,
  CrewBroken,
  QueueFailed,
  atUtc,
  couldNotStartBody,
  detailOf,
  failedRunBody,
  lostRunFailure,
  namedAgents,
  planningFailure,
  rewriteComment,
  runFailure
} from "./action-chunk-S4U4GLC2.js";
import "./action-chunk-CX4ZSMDG.js";
import "./action-chunk-MRYU7QRB.js";
import "./action-chunk-DW6V7IS7.js";
export {
  CANCELLED_BEFORE_START,
  CrewBroken,
  QueueFailed,
  atUtc,
  couldNotStartBody,
  detailOf,
  failedRunBody,
  lostRunFailure,
  namedAgents,
  planningFailure,
  rewriteComment,
  runFailure
};
