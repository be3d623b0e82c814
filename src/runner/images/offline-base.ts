/**
 * Offline base image: a minimal Debian (debootstrap, cached as a tarball),
 * imported into Docker, plus Node from the npm registry's node-linux-<arch>
 * package and a non-root user. Needs only a Debian package mirror and the npm
 * registry, no container registry.
 */
import { chmodSync, createReadStream, existsSync, mkdirSync, mkdtempSync, copyFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EnvironmentError } from "../../util/errors.js";
import { exec, imageLabel } from "./docker-cli.js";
import { cacheDir } from "./paths.js";

export const ROOTFS_IMAGE = "gitcrew/rootfs:bookworm";
export const BASE_IMAGE = "gitcrew/base:latest";
const MIRROR_DEFAULT = "http://deb.debian.org/debian";

/**
 * Bumped whenever images built before are wrong, so that they are rebuilt
 * instead of reused: every offline image carries it as a label (the base sets
 * it, the runtime images inherit it). 2: the rootfs's own / was 0700.
 * 3: the images ran the host's Node (20), older than Claude Code's `node >= 22`.
 */
export const IMAGE_GENERATION = "3";
/** The debootstrapped rootfs's own generation (its tarball and imported image): 2, its / was 0700. */
export const ROOTFS_GENERATION = "2";
export const GENERATION_LABEL = "gitcrew.generation";
/** The Node major in the images: one every agent CLI supports (claude-code >=22, gemini-cli >=20, codex >=16). */
export const IMAGE_NODE_MAJOR = "24";
export const NODE_LABEL = "gitcrew.node";

/** Present and built by this generation of the recipe. */
export async function imageCurrent(tag: string, generation: string = IMAGE_GENERATION): Promise<boolean> {
  return (await imageLabel(tag, GENERATION_LABEL)) === generation;
}

export interface BuildLog {
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
}

/** The debootstrapped rootfs as a tarball, built once and kept in the cache folder. */
async function rootfsTarball({ log, env = process.env }: BuildLog): Promise<string> {
  const dir = cacheDir(env);
  const name = `bookworm-minbase-g${ROOTFS_GENERATION}.tar`;
  const tarball = join(dir, name);
  if (existsSync(tarball)) return tarball;
  // Tarballs of earlier generations are wrong and large.
  for (const f of readdirSync(dir)) if (/^bookworm-minbase.*\.tar$/.test(f) && f !== name) rmSync(join(dir, f), { force: true });
  if (process.getuid?.() !== 0) {
    throw new EnvironmentError("building the offline base image needs root (debootstrap)", "run `sudo gitcrew images build --offline` once; later builds reuse the cached rootfs");
  }
  const root = mkdtempSync(join(tmpdir(), "gitcrew-rootfs-"));
  try {
    log(`debootstrap: minimal Debian bookworm into ${root} (a few minutes, once)`);
    const mirror = env.GITCREW_DEBIAN_MIRROR ?? MIRROR_DEFAULT;
    await exec("debootstrap", ["--variant=minbase", "--include=git,ca-certificates", "bookworm", root, mirror], { log });
    // Package lists and downloaded .debs are not needed at run time.
    await exec("sh", ["-c", 'rm -rf "$0"/var/lib/apt/lists/* "$0"/var/cache/apt/archives/*.deb "$0"/var/cache/apt/*.bin', root]);
    // mkdtemp made the folder 0700, and tar records it as the image's /: on a storage driver that
    // takes / from the layer (vfs) the agent user could reach nothing ("sh: permission denied").
    chmodSync(root, 0o755);
    await exec("tar", ["--numeric-owner", "-C", root, "-cf", `${tarball}.partial`, "."]);
    renameSync(`${tarball}.partial`, tarball);
    return tarball;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The Node binary for the images, from the npm registry's node-linux-<arch> package, kept in the cache folder. */
async function imageNode({ log, env = process.env }: BuildLog, refresh: boolean): Promise<string> {
  if (process.arch !== "x64" && process.arch !== "arm64") {
    throw new EnvironmentError(`offline images are built for x64 and arm64 hosts; this one is ${process.arch}`);
  }
  const pkg = `node-linux-${process.arch}`;
  const prefix = join(cacheDir(env), `node${IMAGE_NODE_MAJOR}-linux-${process.arch}`);
  const bin = join(prefix, "node_modules", pkg, "bin", "node");
  if (existsSync(bin) && !refresh) return bin;
  mkdirSync(prefix, { recursive: true });
  log(`npm install ${pkg}@${IMAGE_NODE_MAJOR} (the images' Node)`);
  await exec("npm", ["install", "--prefix", prefix, "--no-save", "--no-package-lock", "--no-audit", "--no-fund", `${pkg}@${IMAGE_NODE_MAJOR}`], { log, cwd: prefix });
  if (!existsSync(bin)) throw new EnvironmentError(`${pkg}@${IMAGE_NODE_MAJOR} installed no bin/node`, `remove ${prefix} and build again`);
  return bin;
}

const baseDockerfile = (nodeVersion: string) => `FROM ${ROOTFS_IMAGE}
LABEL ${GENERATION_LABEL}=${IMAGE_GENERATION} ${NODE_LABEL}=${nodeVersion}
COPY node /usr/local/bin/node
RUN groupadd -g 1000 agent && useradd -u 1000 -g 1000 -m -d /home/agent -s /bin/bash agent \\
 && mkdir -p /workspace /gitcrew && chown agent:agent /workspace \\
 && node --version && git --version
ENV HOME=/home/agent LANG=C.UTF-8 PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
USER 1000:1000
WORKDIR /workspace
CMD ["bash"]
`;

/** `gitcrew/base:latest`, reused when present and of this generation, unless `force`. */
export async function ensureBaseImage(opts: BuildLog & { force?: boolean }): Promise<void> {
  if (!opts.force && (await imageCurrent(BASE_IMAGE))) {
    opts.log(`${BASE_IMAGE}: present`);
    return;
  }
  if (opts.force || !(await imageCurrent(ROOTFS_IMAGE, ROOTFS_GENERATION))) {
    const tarball = await rootfsTarball(opts);
    opts.log(`docker import ${tarball} → ${ROOTFS_IMAGE}`);
    await exec("docker", ["import", "--change", `LABEL ${GENERATION_LABEL}=${ROOTFS_GENERATION}`, "-", ROOTFS_IMAGE], { input: createReadStream(tarball), log: opts.log });
  }
  const node = await imageNode(opts, opts.force === true);
  const nodeVersion = (await exec(node, ["--version"])).trim();
  const ctx = mkdtempSync(join(tmpdir(), "gitcrew-base-"));
  try {
    // Not the host's node: the images need a Node every agent CLI supports, whatever runs gitcrew.
    copyFileSync(node, join(ctx, "node"));
    writeFileSync(join(ctx, "Dockerfile"), baseDockerfile(nodeVersion));
    opts.log(`docker build ${BASE_IMAGE}`);
    await exec("docker", ["build", "-t", BASE_IMAGE, ctx], { log: opts.log });
    opts.log(`${BASE_IMAGE}: built (Node ${nodeVersion})`);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}
