import { createRequire as __gitcrewCreateRequire } from "node:module";
const require = __gitcrewCreateRequire(import.meta.url);
import {
  parseFlags
} from "./chunk-S5X7QBCU.js";
import {
  EXIT,
  EnvironmentError,
  GitcrewError,
  UsageError
} from "./chunk-QEBERIHX.js";
import "./chunk-ZZLPSW6X.js";

// src/crew/types.ts
var RUNTIMES = ["claude", "codex", "gemini", "command"];

// src/runner/images/docker-cli.ts
import { spawn } from "node:child_process";
function exec(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: [opts.input ? "pipe" : "ignore", "pipe", "pipe"] });
    let out = "";
    let tail = "";
    const onData = (chunk, keep) => {
      const text = chunk.toString("utf8");
      if (keep) out += text;
      tail = (tail + text).slice(-4e3);
      for (const line of text.split("\n")) if (line.trim()) opts.log?.(line);
    };
    child.stdout?.on("data", (c) => onData(c, true));
    child.stderr?.on("data", (c) => onData(c, false));
    if (opts.input && child.stdin) opts.input.pipe(child.stdin);
    child.on(
      "error",
      (err) => reject(err.code === "ENOENT" ? new EnvironmentError(`"${cmd}" is not installed`, `install it (Debian: apt-get install ${cmd === "docker" ? "docker.io" : cmd})`) : err)
    );
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else reject(new GitcrewError(`${cmd} ${args.slice(0, 2).join(" ")} failed (exit ${code}):
${tail.trim()}`, EXIT.environment));
    });
  });
}
async function imageLabel(tag, label) {
  try {
    return (await exec("docker", ["image", "inspect", "--format", `{{index .Config.Labels ${JSON.stringify(label)}}}`, tag])).trim().replace(/^<no value>$/, "");
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    return void 0;
  }
}

// src/runner/images/offline-base.ts
import { chmodSync, createReadStream, existsSync as existsSync2, mkdtempSync, copyFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join as join2 } from "node:path";

// src/runner/images/paths.ts
import { accessSync, constants, existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
function dockerTemplatesDir() {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (; ; ) {
    const candidate = join(dir, "templates", "docker");
    if (existsSync(join(candidate, "bin", "gitcrew-channel.mjs"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new EnvironmentError("cannot find gitcrew's templates/docker folder", "reinstall gitcrew: the package ships templates/");
    dir = parent;
  }
}
function writable(dir) {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
function cacheDir(env = process.env) {
  const choices = [env.GITCREW_CACHE, "/var/cache/gitcrew", join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "gitcrew")];
  for (const dir of choices) if (dir && writable(dir)) return dir;
  throw new EnvironmentError("no writable cache folder for image builds", "set GITCREW_CACHE to a writable folder");
}

// src/runner/images/offline-base.ts
var ROOTFS_IMAGE = "gitcrew/rootfs:bookworm";
var BASE_IMAGE = "gitcrew/base:latest";
var MIRROR_DEFAULT = "http://deb.debian.org/debian";
var IMAGE_GENERATION = "2";
var GENERATION_LABEL = "gitcrew.generation";
async function imageCurrent(tag) {
  return await imageLabel(tag, GENERATION_LABEL) === IMAGE_GENERATION;
}
async function rootfsTarball({ log, env = process.env }) {
  const dir = cacheDir(env);
  const name = `bookworm-minbase-g${IMAGE_GENERATION}.tar`;
  const tarball = join2(dir, name);
  if (existsSync2(tarball)) return tarball;
  for (const f of readdirSync(dir)) if (/^bookworm-minbase.*\.tar$/.test(f) && f !== name) rmSync(join2(dir, f), { force: true });
  if (process.getuid?.() !== 0) {
    throw new EnvironmentError("building the offline base image needs root (debootstrap)", "run `sudo gitcrew images build --offline` once; later builds reuse the cached rootfs");
  }
  const root = mkdtempSync(join2(tmpdir(), "gitcrew-rootfs-"));
  try {
    log(`debootstrap: minimal Debian bookworm into ${root} (a few minutes, once)`);
    const mirror = env.GITCREW_DEBIAN_MIRROR ?? MIRROR_DEFAULT;
    await exec("debootstrap", ["--variant=minbase", "--include=git,ca-certificates", "bookworm", root, mirror], { log });
    await exec("sh", ["-c", 'rm -rf "$0"/var/lib/apt/lists/* "$0"/var/cache/apt/archives/*.deb "$0"/var/cache/apt/*.bin', root]);
    chmodSync(root, 493);
    await exec("tar", ["--numeric-owner", "-C", root, "-cf", `${tarball}.partial`, "."]);
    renameSync(`${tarball}.partial`, tarball);
    return tarball;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
var BASE_DOCKERFILE = `FROM ${ROOTFS_IMAGE}
COPY node /usr/local/bin/node
RUN groupadd -g 1000 agent && useradd -u 1000 -g 1000 -m -d /home/agent -s /bin/bash agent \\
 && mkdir -p /workspace /gitcrew && chown agent:agent /workspace \\
 && node --version && git --version
ENV HOME=/home/agent LANG=C.UTF-8 PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
USER 1000:1000
WORKDIR /workspace
CMD ["bash"]
`;
async function ensureBaseImage(opts) {
  if (!opts.force && await imageCurrent(BASE_IMAGE)) {
    opts.log(`${BASE_IMAGE}: present`);
    return;
  }
  if (opts.force || !await imageCurrent(ROOTFS_IMAGE)) {
    const tarball = await rootfsTarball(opts);
    opts.log(`docker import ${tarball} \u2192 ${ROOTFS_IMAGE}`);
    await exec("docker", ["import", "--change", `LABEL ${GENERATION_LABEL}=${IMAGE_GENERATION}`, "-", ROOTFS_IMAGE], { input: createReadStream(tarball), log: opts.log });
  }
  const ctx = mkdtempSync(join2(tmpdir(), "gitcrew-base-"));
  try {
    copyFileSync(process.execPath, join2(ctx, "node"));
    writeFileSync(join2(ctx, "Dockerfile"), BASE_DOCKERFILE);
    await exec("docker", ["build", "-q", "-t", BASE_IMAGE, ctx], { log: opts.log });
    opts.log(`${BASE_IMAGE}: built`);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

// src/runner/images/runtime-images.ts
import { cpSync, mkdirSync as mkdirSync2, mkdtempSync as mkdtempSync2, rmSync as rmSync2, writeFileSync as writeFileSync2 } from "node:fs";
import { tmpdir as tmpdir2 } from "node:os";
import { join as join3 } from "node:path";
var AGENT_CLI = {
  claude: { pkg: "@anthropic-ai/claude-code", bin: "claude" },
  codex: { pkg: "@openai/codex", bin: "codex" },
  gemini: { pkg: "@google/gemini-cli", bin: "gemini" },
  command: void 0
};
function imageTag(runtime) {
  return `gitcrew/${runtime}:latest`;
}
function dockerfile(runtime) {
  const cli = AGENT_CLI[runtime];
  const lines = [
    `FROM ${BASE_IMAGE}`,
    "COPY bin/gitcrew-channel.mjs /usr/local/lib/gitcrew/gitcrew-channel.mjs",
    "COPY bin/gitcrew-status bin/gitcrew-return bin/gitcrew-request-approval /usr/local/bin/"
  ];
  if (cli) {
    lines.push(
      "COPY cli/ /opt/gitcrew/cli/",
      "ENV PATH=/opt/gitcrew/cli/node_modules/.bin:/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin",
      `RUN ${cli.bin} --version`
    );
  }
  lines.push(`LABEL gitcrew.runtime=${runtime}`, "USER 1000:1000", "WORKDIR /workspace");
  return lines.join("\n") + "\n";
}
async function ensureRuntimeImage(runtime, opts) {
  const tag = imageTag(runtime);
  if (!opts.force && await imageCurrent(tag)) {
    opts.log(`${tag}: present`);
    return;
  }
  const ctx = mkdtempSync2(join3(tmpdir2(), `gitcrew-${runtime}-`));
  try {
    const bin = join3(ctx, "bin");
    mkdirSync2(bin);
    cpSync(join3(dockerTemplatesDir(), "bin"), bin, { recursive: true });
    const cli = AGENT_CLI[runtime];
    if (cli) {
      const prefix = join3(ctx, "cli");
      mkdirSync2(prefix);
      writeFileSync2(join3(prefix, "package.json"), '{"private":true}\n');
      opts.log(`npm install ${cli.pkg} (for ${tag})`);
      await exec("npm", ["install", "--no-audit", "--no-fund", "--omit=dev", "--prefix", prefix, cli.pkg], { log: opts.log, cwd: prefix });
    }
    writeFileSync2(join3(ctx, "Dockerfile"), dockerfile(runtime));
    await exec("docker", ["build", "-q", "-t", tag, ctx], { log: opts.log });
    opts.log(`${tag}: built`);
  } finally {
    rmSync2(ctx, { recursive: true, force: true });
  }
}

// src/runner/images/index.ts
import { join as join4 } from "node:path";
var BUILD_ORDER = ["command", "claude", "codex", "gemini"];
async function buildImages(opts) {
  const wanted = BUILD_ORDER.filter((r) => (opts.runtimes ?? RUNTIMES).includes(r));
  const outcomes = [];
  if (opts.offline) await ensureBaseImage(opts);
  for (const runtime of wanted) {
    const image = imageTag(runtime);
    try {
      if (opts.offline) await ensureRuntimeImage(runtime, opts);
      else await exec("docker", ["build", "-q", "-t", image, "-f", join4(dockerTemplatesDir(), `${runtime}.Dockerfile`), dockerTemplatesDir()], { log: opts.log });
      outcomes.push({ runtime, image, ok: true });
    } catch (err) {
      outcomes.push({ runtime, image, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return outcomes;
}

// src/cli/images.ts
var usage = `Usage: gitcrew images build [RUNTIME] [--offline] [--force] [--quiet]

Builds gitcrew/<runtime>:latest for ${RUNTIMES.join(", ")} (all when RUNTIME is omitted).
  --offline  no container registry: debootstrap a minimal Debian (needs root once,
             cached), add node, git and the agent CLI from the npm registry
  --force    rebuild even when the image exists
Images that exist are reused, so a second run is fast (offline images only when
built by this version's recipe: see the gitcrew.generation label).`;
var verb = {
  summary: "build the runtime images (offline from Debian packages with --offline)",
  usage,
  async run(io) {
    const { values, positionals } = parseFlags(
      io.argv,
      { offline: { type: "boolean" }, force: { type: "boolean" }, quiet: { type: "boolean" } },
      usage,
      true
    );
    const [sub, runtime, extra] = positionals;
    if (sub !== "build") throw new UsageError(sub ? `unknown images command "${sub}"` : "missing images command", usage);
    if (extra) throw new UsageError(`unexpected argument "${extra}"`, usage);
    if (runtime && !RUNTIMES.includes(runtime)) {
      throw new UsageError(`unknown runtime "${runtime}": expected one of ${RUNTIMES.join(", ")}`, usage);
    }
    const outcomes = await buildImages({
      runtimes: runtime ? [runtime] : void 0,
      offline: values.offline === true,
      force: values.force === true,
      env: io.env,
      log: (line) => {
        if (!values.quiet) io.stderr(`${line}
`);
      }
    });
    for (const o of outcomes) io.stdout(o.ok ? `${o.image}	ok
` : `${o.image}	failed: ${o.error ?? ""}
`);
    return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.environment;
  }
};
export {
  verb
};
