/** `gitcrew images build [RUNTIME] [--offline] [--force]`: build the runtime images. */
import type { Verb } from "./io.js";
import { parseFlags } from "./args.js";
import { RUNTIMES, type RuntimeName } from "../crew/types.js";
import { buildImages } from "../runner/images/index.js";
import { EXIT, UsageError } from "../util/errors.js";

const usage = `Usage: gitcrew images build [RUNTIME] [--offline] [--force] [--quiet]

Builds gitcrew/<runtime>:latest for ${RUNTIMES.join(", ")} (all when RUNTIME is omitted).
  --offline  no container registry: debootstrap a minimal Debian (needs root once,
             cached), add node, git and the agent CLI from the npm registry
  --force    rebuild even when the image exists
Images that exist are reused, so a second run is fast (offline images only when
built by this version's recipe: see the gitcrew.generation label).`;

export const verb: Verb = {
  summary: "build the runtime images (offline from Debian packages with --offline)",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { offline: { type: "boolean" }, force: { type: "boolean" }, quiet: { type: "boolean" } },
      usage,
      true,
    );
    const [sub, runtime, extra] = positionals;
    if (sub !== "build") throw new UsageError(sub ? `unknown images command "${sub}"` : "missing images command", usage);
    if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
    if (runtime && !RUNTIMES.includes(runtime as RuntimeName)) {
      throw new UsageError(`unknown runtime "${runtime}": expected one of ${RUNTIMES.join(", ")}`, usage);
    }
    const outcomes = await buildImages({
      runtimes: runtime ? [runtime as RuntimeName] : undefined,
      offline: values.offline === true,
      force: values.force === true,
      env: io.env,
      log: (line) => {
        if (!values.quiet) io.stderr(`${line}\n`);
      },
    });
    for (const o of outcomes) io.stdout(o.ok ? `${o.image}\tok\n` : `${o.image}\tfailed: ${o.error ?? ""}\n`);
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.environment;
  },
};
