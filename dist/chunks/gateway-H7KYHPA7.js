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
} from "./chunk-X5YNUUVU.js";
import {
  Allowlist,
  PRESETS,
  expandPresets,
  parseHostPattern
} from "./chunk-VKL6TYSB.js";
import "./chunk-7Q4FUQQA.js";
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
