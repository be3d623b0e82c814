import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  EXIT,
  GitcrewError,
  errorMessage
} from "./chunks/chunk-QEBERIHX.js";
import "./chunks/chunk-ZZLPSW6X.js";

// src/cli/main.ts
var VERBS = {
  init: () => import("./chunks/init-JPVXFKMY.js"),
  validate: () => import("./chunks/validate-R7CDSGZX.js"),
  "dry-run": () => import("./chunks/dry-run-SUT4KO6U.js"),
  run: () => import("./chunks/run-XM6FOBXM.js"),
  ps: () => import("./chunks/ps-4KGCKAKU.js"),
  logs: () => import("./chunks/logs-ZNTZTYSW.js"),
  cancel: () => import("./chunks/cancel-IPS4WZZ6.js"),
  retry: () => import("./chunks/retry-MRD73OLI.js"),
  images: () => import("./chunks/images-OJTDWYXF.js"),
  approvals: () => import("./chunks/approvals-6A7IXEPN.js"),
  serve: () => import("./chunks/serve-WX6SMODB.js")
};
async function helpText() {
  const lines = ["gitcrew \u2014 run AI coding agents from a Git repository", "", "Usage: gitcrew <command> [flags]", "", "Commands:"];
  for (const [name, load] of Object.entries(VERBS)) {
    const { verb } = await load();
    lines.push(`  ${name.padEnd(10)} ${verb.summary}`);
  }
  lines.push("", "Run `gitcrew <command> --help` for the flags of one command.", "Exit codes: 0 ok, 1 failed, 2 usage, 3 bad input, 4 environment not ready, 124 timed out, 130 cancelled.");
  return lines.join("\n") + "\n";
}
async function main(io) {
  const [name, ...rest] = io.argv;
  try {
    if (!name || name === "--help" || name === "-h" || name === "help") {
      io.stdout(await helpText());
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === "--version" || name === "-v") {
      io.stdout(`${process.env.GITCREW_VERSION ?? "0.1.0"}
`);
      return EXIT.ok;
    }
    const load = VERBS[name];
    if (!load) {
      io.stderr(`gitcrew: unknown command "${name}"

${await helpText()}`);
      return EXIT.usage;
    }
    const { verb } = await load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(`${verb.usage}
`);
      return EXIT.ok;
    }
    return await verb.run({ ...io, argv: rest });
  } catch (err) {
    if (err instanceof GitcrewError) {
      io.stderr(`gitcrew ${name}: ${err.message}
${err.hint ? `${err.hint}
` : ""}`);
      return err.exitCode;
    }
    io.stderr(`gitcrew ${name}: unexpected error: ${errorMessage(err)}
`);
    if (io.env.GITCREW_DEBUG) io.stderr(`${err.stack ?? ""}
`);
    return EXIT.failed;
  }
}

// src/cli/entry.ts
var controller = new AbortController();
process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());
var code = await main({
  argv: process.argv.slice(2),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal
});
process.exitCode = code;
