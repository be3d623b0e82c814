/** The `gitcrew` command: dispatch to one module per verb, catch errors once. */
import { GitcrewError, EXIT, UsageError, errorMessage } from "../util/errors.js";
import { VERSION } from "../util/version.js";
import type { CliIo, Verb } from "./io.js";
import { errorJson, wantsJson } from "./json-errors.js";

const VERBS: Record<string, () => Promise<{ verb: Verb }>> = {
  init: () => import("./init.js"),
  validate: () => import("./validate.js"),
  "dry-run": () => import("./dry-run.js"),
  run: () => import("./run.js"),
  ps: () => import("./ps.js"),
  logs: () => import("./logs.js"),
  cancel: () => import("./cancel.js"),
  retry: () => import("./retry.js"),
  images: () => import("./images.js"),
  approvals: () => import("./approvals.js"),
  serve: () => import("./serve.js"),
};

async function helpText(): Promise<string> {
  const lines = ["gitcrew — run AI coding agents from a Git repository", "", "Usage: gitcrew <command> [flags]", "", "Commands:"];
  for (const [name, load] of Object.entries(VERBS)) {
    const { verb } = await load();
    lines.push(`  ${name.padEnd(10)} ${verb.summary}`);
  }
  lines.push("", "Run `gitcrew <command> --help` for the flags of one command.", "Exit codes: 0 ok, 1 failed, 2 usage, 3 bad input, 4 environment not ready, 124 timed out, 130 cancelled.");
  return lines.join("\n") + "\n";
}

export async function main(io: CliIo): Promise<number> {
  const [name, ...rest] = io.argv;
  // Under --json a failure is one JSON object on stdout, unless the verb already printed its own.
  const json = wantsJson(rest);
  let printed = false;
  const stdout = (text: string) => {
    printed = true;
    io.stdout(text);
  };
  const failed = (err: unknown) => {
    if (json && !printed) io.stdout(`${JSON.stringify(errorJson(err))}\n`);
  };
  try {
    if (!name || name === "--help" || name === "-h" || name === "help") {
      io.stdout(await helpText());
      return name ? EXIT.ok : EXIT.usage;
    }
    if (name === "--version" || name === "-v") {
      io.stdout(`${VERSION}\n`);
      return EXIT.ok;
    }
    const load = VERBS[name];
    if (!load) {
      failed(new UsageError(`unknown command "${name}"`));
      io.stderr(`gitcrew: unknown command "${name}"\n\n${await helpText()}`);
      return EXIT.usage;
    }
    const { verb } = await load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout(`${verb.usage}\n`);
      return EXIT.ok;
    }
    return await verb.run({ ...io, stdout, argv: rest });
  } catch (err) {
    failed(err);
    if (err instanceof GitcrewError) {
      io.stderr(`gitcrew ${name}: ${err.message}\n${err.hint ? `${err.hint}\n` : ""}`);
      return err.exitCode;
    }
    io.stderr(`gitcrew ${name}: unexpected error: ${errorMessage(err)}\n`);
    if (io.env.GITCREW_DEBUG) io.stderr(`${(err as Error).stack ?? ""}\n`);
    return EXIT.failed;
  }
}
