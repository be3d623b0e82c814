import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  VERSION
} from "./chunks/chunk-BYIYRQLH.js";
import {
  errorJson,
  wantsJson
} from "./chunks/chunk-47G63N5E.js";
import "./chunks/chunk-N64I43M3.js";
import {
  EXIT,
  GitcrewError,
  UsageError,
  errorMessage
} from "./chunks/chunk-QEBERIHX.js";
import "./chunks/chunk-7Q4FUQQA.js";

// src/cli/entry.ts
import { text } from "node:stream/consumers";

// src/cli/main.ts
var VERBS = {
  init: () => import("./chunks/init-4VFRKEKP.js"),
  validate: () => import("./chunks/validate-4AQMVREE.js"),
  "dry-run": () => import("./chunks/dry-run-3O32YAQC.js"),
  run: () => import("./chunks/run-K47LWTN4.js"),
  ps: () => import("./chunks/ps-JNSJLLG3.js"),
  logs: () => import("./chunks/logs-FG77AO6C.js"),
  cancel: () => import("./chunks/cancel-NV7OTDDI.js"),
  retry: () => import("./chunks/retry-WSVU2R64.js"),
  images: () => import("./chunks/images-UY2KGWL7.js"),
  approvals: () => import("./chunks/approvals-VLXESLHF.js"),
  serve: () => import("./chunks/serve-DLXSPYZA.js")
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
  const json = wantsJson(rest);
  let printed = false;
  const stdout = (text2) => {
    printed = true;
    io.stdout(text2);
  };
  const failed = (err) => {
    if (json && !printed) io.stdout(`${JSON.stringify(errorJson(err))}
`);
  };
  try {
    if (!name || name === "--help" || name === "-h" || name === "help") {
      io.stdout(await helpText());
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === "--version" || name === "-v") {
      io.stdout(`${VERSION}
`);
      return EXIT.ok;
    }
    const load = VERBS[name];
    if (!load) {
      failed(new UsageError(`unknown command "${name}"`));
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
    return await verb.run({ ...io, stdout, argv: rest });
  } catch (err) {
    failed(err);
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
  stdin: () => text(process.stdin),
  stderrIsTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
  cwd: process.cwd(),
  signal: controller.signal
});
process.exitCode = code;
