/** `gitcrew images build [RUNTIME] [--offline] [--force]`: build the runtime images; `images check`: are they current. */
import type { Verb } from "./io.js";
import { parseFlags } from "./args.js";
import { RUNTIMES, type RuntimeName } from "../crew/types.js";
import { BUILD_ORDER, buildImages, imageTag } from "../runner/images/index.js";
import { imageCurrent } from "../runner/images/offline-base.js";
import { imageLabel } from "../runner/images/docker-cli.js";
import { BuildProgress } from "../runner/images/progress.js";
import { EXIT, UsageError } from "../util/errors.js";

const usage = `Usage: gitcrew images build [RUNTIME] [--offline] [--force] [--quiet]
       gitcrew images check [RUNTIME]

Builds gitcrew/<runtime>:latest for ${RUNTIMES.join(", ")} (all when RUNTIME is omitted).
  --offline  no container registry: debootstrap a minimal Debian (needs root once,
             cached), add node, git and the agent CLI from the npm registry
  --force    rebuild even when the image exists
  --quiet    no progress
Images that exist are reused, so a second run is fast (offline images only when
built by this version's recipe: see the gitcrew.generation label).
Progress goes to stderr: each step, each layer of a docker build and the time
spent; on a terminal one live line per step, elsewhere (CI) plain lines, each
with the elapsed time. stdout gets one line per image: IMAGE<TAB>ok|failed: …
check builds nothing: IMAGE<TAB>ok|missing|outdated per image, exit 4 unless
all are ok.`;

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
    if (sub !== "build" && sub !== "check") throw new UsageError(sub ? `unknown images command "${sub}"` : "missing images command", usage);
    if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
    if (runtime && !RUNTIMES.includes(runtime as RuntimeName)) {
      throw new UsageError(`unknown runtime "${runtime}": expected one of ${RUNTIMES.join(", ")}`, usage);
    }
    if (sub === "check") {
      let all = true;
      for (const r of BUILD_ORDER.filter((b) => !runtime || b === runtime)) {
        const tag = imageTag(r);
        const state = (await imageCurrent(tag)) ? "ok" : (await imageLabel(tag, "gitcrew.runtime")) !== undefined ? "outdated" : "missing";
        all &&= state === "ok";
        io.stdout(`${tag}\t${state}\n`);
      }
      return all ? EXIT.ok : EXIT.environment;
    }
    const progress = values.quiet ? undefined : new BuildProgress({ write: io.stderr, tty: io.stderrIsTTY === true, columns: io.columns });
    let outcomes;
    try {
      outcomes = await buildImages({
        runtimes: runtime ? [runtime as RuntimeName] : undefined,
        offline: values.offline === true,
        force: values.force === true,
        env: io.env,
        log: progress?.log ?? (() => undefined),
      });
    } finally {
      progress?.end(outcomes?.every((o) => o.ok) === true);
    }
    for (const o of outcomes) io.stdout(o.ok ? `${o.image}\tok\n` : `${o.image}\tfailed: ${o.error ?? ""}\n`);
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.environment;
  },
};
