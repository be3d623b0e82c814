import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  require_dist
} from "./action-chunk-LTV5SIV7.js";
import "./action-chunk-DW6V7IS7.js";
export default require_dist();
