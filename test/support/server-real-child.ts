/** `gitcrew serve` with the default (real) pipeline as a child process that a test can SIGKILL (bundled by serve-process.ts). */
import { serve } from "../../src/cli/serve.js";
import { createDefaultPipeline } from "../../src/server/default-pipeline.js";

const controller = new AbortController();
process.once("SIGTERM", () => controller.abort());
process.once("SIGINT", () => controller.abort());
process.exitCode = await serve(
  {
    argv: process.argv.slice(2),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  },
  createDefaultPipeline,
);
