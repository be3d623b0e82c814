/** Process entry of the CLI: wires the real process into `main`. */
import { text } from "node:stream/consumers";
import { main } from "./main.js";

const controller = new AbortController();
process.once("SIGINT", () => controller.abort());
process.once("SIGTERM", () => controller.abort());

const code = await main({
  argv: process.argv.slice(2),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  stdin: () => text(process.stdin),
  stderrIsTTY: process.stderr.isTTY === true,
  columns: process.stderr.columns,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
