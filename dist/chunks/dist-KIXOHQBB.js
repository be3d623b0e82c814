import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-ISYIODF4.js";
import "./chunk-7Q4FUQQA.js";
export default require_dist();
