/** `gitcrew serve` with the trivial pipeline, as a child process (bundled by serve-process.ts). */
import { serve } from "../../src/cli/serve.js";
import { trivialPipeline } from "./trivial-pipeline.js";

const controller = new AbortController();
process.once("SIGTERM", () => controller.abort());
process.once("SIGINT", () => controller.abort());
const instance = process.env.GITCREW_INSTANCE ?? "child";
process.exitCode = await serve(
  {
    argv: process.argv.slice(2),
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  },
  async () => trivialPipeline(undefined, instance),
);
