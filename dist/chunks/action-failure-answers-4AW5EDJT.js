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
  planningFailure,
  rewriteComment,
  runFailure
} from "./action-chunk-BRZ5CLKQ.js";
import "./action-chunk-MCDGM2AY.js";
import "./action-chunk-5GAK7XUT.js";
import "./action-chunk-NBJIPBID.js";
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
  planningFailure,
  rewriteComment,
  runFailure
};
