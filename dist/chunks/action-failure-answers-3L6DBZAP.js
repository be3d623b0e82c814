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
} from "./action-chunk-QMZZSW2R.js";
import "./action-chunk-2DKRFTUU.js";
import "./action-chunk-5GAK7XUT.js";
import "./action-chunk-3M7HQEVE.js";
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
