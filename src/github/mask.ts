/** Secret masking for everything gitcrew sends to GitHub: the one masker (util/secret-mask.ts). */
export { secretMask, type Mask } from "../util/secret-mask.js";
