import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  require_dist
} from "./chunk-VJIE67J4.js";
import "./chunk-ZZLPSW6X.js";
export default require_dist();
