/** `gitcrew images build`: the base image and one image per runtime. */
import { RUNTIMES, type RuntimeName } from "../../crew/types.js";
import { exec } from "./docker-cli.js";
import { ensureBaseImage, type BuildLog } from "./offline-base.js";
import { dockerTemplatesDir } from "./paths.js";
import { ensureRuntimeImage, imageTag } from "./runtime-images.js";
import { join } from "node:path";

export { imageTag } from "./runtime-images.js";
export { BASE_IMAGE } from "./offline-base.js";

export interface BuildImagesOptions extends BuildLog {
  runtimes?: RuntimeName[];
  /** Build from Debian packages (debootstrap + docker import) instead of a registry base image. */
  offline: boolean;
  force?: boolean;
}

/** Build order matters to other work: command and claude come first. */
export const BUILD_ORDER: readonly RuntimeName[] = ["command", "claude", "codex", "gemini"];

export interface BuildOutcome {
  runtime: RuntimeName;
  image: string;
  ok: boolean;
  error?: string;
}

export async function buildImages(opts: BuildImagesOptions): Promise<BuildOutcome[]> {
  const wanted = BUILD_ORDER.filter((r) => (opts.runtimes ?? RUNTIMES).includes(r));
  const outcomes: BuildOutcome[] = [];
  if (opts.offline) await ensureBaseImage(opts);
  for (const runtime of wanted) {
    const image = imageTag(runtime);
    try {
      if (!opts.offline) opts.log(`docker build ${image}`);
      if (opts.offline) await ensureRuntimeImage(runtime, opts);
      else await exec("docker", ["build", "-t", image, "-f", join(dockerTemplatesDir(), `${runtime}.Dockerfile`), dockerTemplatesDir()], { log: opts.log });
      outcomes.push({ runtime, image, ok: true });
    } catch (err) {
      // One CLI that fails to install must not block the other images.
      outcomes.push({ runtime, image, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcomes;
}
