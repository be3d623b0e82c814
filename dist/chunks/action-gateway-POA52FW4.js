import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  DEFAULT_UPSTREAMS,
  Gateway,
  MemoryLedger,
  newRunToken,
  startGateway,
  totalOf,
  zeroTokens
} from "./action-chunk-NJCQOFIK.js";
import {
  Allowlist,
  PRESETS,
  expandPresets,
  parseHostPattern
} from "./action-chunk-IL5RSQHU.js";
import "./action-chunk-DW6V7IS7.js";
export {
  Allowlist,
  DEFAULT_UPSTREAMS,
  Gateway,
  MemoryLedger,
  PRESETS,
  expandPresets,
  newRunToken,
  parseHostPattern,
  startGateway,
  totalOf,
  zeroTokens
};
